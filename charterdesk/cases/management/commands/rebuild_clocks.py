"""Recompute every clock from events, e.g. after a holiday or charter change."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from charterdesk.cases.clock_index import refresh_clocks
from charterdesk.cases.models import Case


class Command(BaseCommand):
    help = "Recompute every clock from its case's events and report what moved."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="only this organization (its slug)")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        cases = Case.objects.select_related("charter").order_by("pk")
        if options["org"]:
            cases = cases.filter(organization__slug=options["org"])
        total = moved = 0
        last = 0
        while batch := list(cases.filter(pk__gt=last)[: options["batch"]]):
            with transaction.atomic():
                for case in batch:
                    for change in refresh_clocks(case, now):
                        moved += 1
                        self.stdout.write(
                            f"{change.case} {change.commitment}: {_show(change.before)} -> "
                            f"{_show(change.after)}"
                        )
            total += len(batch)
            last = batch[-1].pk
        self.stdout.write(f"{total} cases, {moved} clocks moved")


def _show(value: tuple[str, Any] | None) -> str:
    if value is None:
        return "new"
    state, due = value
    return f"{state} {due:%Y-%m-%d %H:%M}Z" if due else state
