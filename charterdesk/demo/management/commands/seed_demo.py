"""Demo data: staff for every role in the five seed organizations, and six months of
cases made through the desk's services. Safe to run again: existing data is kept."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone

from charterdesk.cases.models import Case, Clock, Event, Message, Organization
from charterdesk.demo.history import Tally, make_history
from charterdesk.demo.people import PASSWORD, ensure_staff, logins

#: Cases per organization over the history (issue 4: about 2,000). Made through the
#: services at about 8.5 ms of CPU a case, its steps and the worker's passes included
#: (85 s for the five organizations), 2,000 keeps `make demo` within three minutes on
#: two cores.
CASES_PER_ORG = 2000


class Command(BaseCommand):
    help = "Create demo staff and six months of demo cases (skipped if cases exist)."
    # `make demo` has just run them with migrate: importing every URL module again to
    # check it costs seconds of the demo's start.
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases-per-org", type=int, default=CASES_PER_ORG)
        parser.add_argument("--days", type=int, default=182, help="days of history")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--now", help="the end of history (ISO 8601); default: now")
        parser.add_argument("--logins", action="store_true", help="only print the logins")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Organization.objects.filter(charter__isnull=False).exists():
            call_command("load_charters", stdout=self.stdout)
        orgs = list(Organization.objects.filter(charter__isnull=False).order_by("slug"))
        if options["logins"]:
            self._print_logins(orgs)
            return
        teams = ensure_staff(orgs)
        if not teams:
            raise CommandError("none of the demo's organizations is installed")
        existing = Case.objects.filter(organization__slug__in=teams).count()
        if existing:
            self.stdout.write(f"Demo data is already there ({existing:,} cases): kept as it is.")
        else:
            self._generate(teams, options)
        self._print_logins(orgs)

    def _generate(self, teams: dict[str, Any], options: dict[str, Any]) -> None:
        end = _instant(options["now"]) if options["now"] else timezone.now()
        start = end - timedelta(days=options["days"])
        per_org = options["cases_per_org"]
        self.stdout.write(
            f"Making {per_org:,} cases for each of {len(teams)} organizations, "
            f"{start:%d %b %Y} to {end:%d %b %Y}, through the desk's services..."
        )
        began = time.monotonic()
        last_month = [start.month]

        def progress(at: datetime, tally: Tally) -> None:
            if at.month != last_month[0]:
                last_month[0] = at.month
                seconds = time.monotonic() - began
                self.stdout.write(f"  {at:%b %Y}: {tally.cases:,} cases ({seconds:.0f} s)")

        tally = make_history(
            teams, start=start, end=end, per_org=per_org, seed=options["seed"], progress=progress
        )
        self.stdout.write(
            f"Made {tally.cases:,} cases in {time.monotonic() - began:.0f} s: "
            f"{tally.steps:,} steps, {tally.calls['worker']:,} passes of the worker"
        )
        spent = sum(tally.seconds.values()) or 1.0
        self.stdout.write(
            "  time by step: "
            + ", ".join(
                f"{step} {seconds / spent:.0%} ({1000 * seconds / tally.calls[step]:.1f} ms x "
                f"{tally.calls[step]:,})"
                for step, seconds in sorted(tally.seconds.items(), key=lambda i: -i[1])[:8]
            )
        )
        for reason, count in tally.refused.most_common():
            self.stdout.write(f"  refused {count}x: {reason}")
        self._summary(list(teams), end)

    def _summary(self, slugs: list[str], end: datetime) -> None:
        cases = Case.objects.filter(organization__slug__in=slugs)
        events = Event.objects.filter(organization__slug__in=slugs).count()
        messages = Message.objects.filter(organization__slug__in=slugs).count()
        by_status = dict(cases.values_list("status").annotate(n=Count("pk")))
        open_clocks = Clock.objects.filter(
            organization__slug__in=slugs, case__status__in=("open", "awaiting_customer")
        )
        clocks = dict(open_clocks.values_list("state").annotate(n=Count("pk")))
        at_risk = open_clocks.filter(state="running", warn_at__lte=end).count()
        statuses = ", ".join(f"{n:,} {status}" for status, n in sorted(by_status.items()))
        self.stdout.write(
            f"{cases.count():,} cases ({statuses}), {events:,} events, {messages:,} messages"
        )
        self.stdout.write(
            f"Clocks of open cases: {clocks.get('breached', 0):,} breached, "
            f"{clocks.get('running', 0):,} running ({at_risk:,} at risk), "
            f"{clocks.get('paused', 0):,} paused, {clocks.get('pending', 0):,} not started, "
            f"{clocks.get('met', 0):,} met"
        )

    def _print_logins(self, orgs: list[Organization]) -> None:
        found = logins(orgs)
        if not found:
            return
        width = max(len(login.username) for login in found)
        self.stdout.write(f"\nDemo logins (every password: {PASSWORD})")
        for login in found:
            self.stdout.write(f"  {login.username:<{width}}  {login.roles}  ({login.name})")


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise CommandError("--now needs a time zone, e.g. 2026-11-23T09:00:00+00:00")
    return value
