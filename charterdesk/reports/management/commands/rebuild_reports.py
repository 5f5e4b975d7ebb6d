"""Rebuild every report figure from clocks and events, e.g. after ``rebuild_clocks``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from charterdesk.cases.models import Organization
from charterdesk.reports.rebuild import rebuild_reports


class Command(BaseCommand):
    help = (
        "Rebuild the report tables (compliance, breaches, causes, surveys) from clocks and events."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="only this organization (its slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        org = None
        if options["org"]:
            org = Organization.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(f"no organization {options['org']!r}")
        started = time.monotonic()
        months = rebuild_reports(timezone.now(), org)
        self.stdout.write(
            f"{months} organization-months rebuilt ({time.monotonic() - started:.1f} s)"
        )
