"""The worker: sweep due clocks again and again (or once)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from charterdesk.cases.sweep import sweep


class Command(BaseCommand):
    help = "Warn before promises are broken and act when they are."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one sweep, then stop")
        parser.add_argument("--interval", type=float, default=15.0, help="seconds between sweeps")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = sweep(timezone.now())
            if result.warnings or result.breaches:
                self.stdout.write(f"{result.warnings} warnings, {result.breaches} breach actions")
            if options["once"]:
                return
            time.sleep(options["interval"])  # the worker's pace, not a test's wait
