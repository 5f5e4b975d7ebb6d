"""Install charter files: each becomes its organization's approved charter version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from charterdesk.cases.charters import approve_charter, propose_charter
from charterdesk.core.problems import CharterError


class Command(BaseCommand):
    help = "Install charter YAML files (default: the seed charters) as approved versions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        files = options["files"] or sorted(Path(settings.CHARTERS_DIR).glob("*.yaml"))
        for path in files:
            try:
                version = propose_charter(path.read_text(encoding="utf-8"), str(path))
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{path}: cannot read the charter: {error}") from None
            except CharterError as error:
                raise CommandError(str(error)) from None
            approve_charter(version, by=None)
            self.stdout.write(f"{version.organization.slug}: charter version {version.number}")
