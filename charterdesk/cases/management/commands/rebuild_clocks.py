"""Recompute every clock from events, e.g. after a holiday or charter change."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from charterdesk.cases.clock_index import Moved
from charterdesk.cases.clock_rebuild import CHUNK, rebuild
from charterdesk.cases.models import Organization


class Command(BaseCommand):
    help = "Recompute every clock from its case's events and report what moved."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="only this organization (its slug)")
        parser.add_argument("--chunk", type=int, default=CHUNK, help="cases per transaction")
        parser.add_argument(
            "--jobs", type=int, default=1, help="processes evaluating chunks at once (e.g. 2)"
        )
        parser.add_argument(
            "--summary", action="store_true", help="only the totals, not each clock that moved"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        org = None
        if options["org"]:
            org = Organization.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(f"no organization {options['org']!r}")
        started = time.perf_counter()
        total = moved = 0
        for cases, changes in rebuild(
            now,
            organization_id=org.pk if org else None,
            chunk=options["chunk"],
            jobs=options["jobs"],
        ):
            total += cases
            moved += len(changes)
            if not options["summary"]:
                for change in changes:
                    self.stdout.write(_line(change))
        seconds = time.perf_counter() - started
        self.stdout.write(f"{total} cases, {moved} clocks moved ({seconds:.1f} s)")


def _line(change: Moved) -> str:
    return f"{change.case} {change.commitment}: {_show(change.before)} -> {_show(change.after)}"


def _show(value: tuple[str, Any] | None) -> str:
    if value is None:
        return "new"
    state, due = value
    return f"{state} {due:%Y-%m-%d %H:%M}Z" if due else state
