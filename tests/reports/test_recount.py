"""L14, N11, T23: the published figures are counted from events, and agree with a brute
force recount that evaluates every clock again from the stored events with the pure
core, on a generated history with pauses, restarts, chains and a holiday change."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import events_of
from charterdesk.cases.models import CharterVersion, Clock, Membership, Organization
from charterdesk.core.clocks import evaluate
from charterdesk.core.events import CaseFacts
from charterdesk.reports.figures import Slice, compliance
from charterdesk.reports.models import BreachRecord
from charterdesk.reports.periods import Period, month_period, parse_period
from charterdesk.reports.refresh import refresh_reports
from tests.helpers import utc

from .history import NEW_CLOSED, History, generate
from .recount import Recounted, recount, tallies

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 20, 12)
PERIODS = [
    *(month_period(date(2026, month, 1)) for month in range(1, 7)),
    parse_period("2026-Q1"),
    parse_period("2026-Q2"),
    parse_period("2026"),
]


@pytest.fixture
def history(desk_clock, ask4, lt_pro, member) -> tuple[History, dict[str, Organization]]:
    orgs = {"ask4": ask4, "lt-pro": lt_pro}
    agents = {
        slug: [member(org, "agent", f"{slug}-ana"), member(org, "agent", f"{slug}-ben")]
        for slug, org in orgs.items()
    }
    return generate(desk_clock, orgs, agents), orgs


def slices(org: Organization) -> list[Slice]:
    charter = parsed(org.charter).charter
    agents = [str(m.user_id) for m in Membership.objects.filter(organization=org)]
    return [
        Slice(),
        *(Slice(case_type=kind) for kind in charter.case_types),
        *(Slice(channel=channel) for channel in charter.channels),
        *(Slice(language=language) for language in charter.organization.languages),
        *(Slice(assignee=agent) for agent in [*agents, "none"]),
        Slice(case_type="complaint", language=charter.organization.languages[0]),
    ]


def reported(org: Organization, period: Period, where: Slice) -> dict[str, Counter[str]]:
    org = Organization.objects.get(pk=org.pk)
    rows = compliance(org, parsed(org.charter).charter, period, where)
    found = {}
    for row in rows:
        tally = Counter(
            met=row.tally.met,
            met_late=row.tally.met_late,
            breached=row.tally.breached,
            open=row.tally.open,
        )
        tally = +tally  # drop zeros
        if tally:
            found[row.id] = tally
    return found


def assert_agrees(orgs: dict[str, Organization], now) -> list[Recounted]:
    everything = []
    for org in orgs.values():
        org = Organization.objects.get(pk=org.pk)
        items = recount(org, now)
        everything += items
        for period in PERIODS:
            for where in slices(org):
                expected = tallies(items, org, period, where)
                assert reported(org, period, where) == expected, (org.slug, period, where)
        breaches = {
            (b.reference, b.commitment, b.met_at, b.due_at, b.delay_notices)
            for b in BreachRecord.objects.filter(organization=org)
        }
        assert breaches == {
            (i.reference, i.commitment, i.met_at, i.due_at, i.delay_notices)
            for i in items
            if i.outcome in ("met_late", "breached")
        }
    return everything


def test_L14_figures_agree_with_a_recount_as_the_worker_refreshes_them(history) -> None:
    steps, orgs = history
    first = utc(2026, 4, 20, 9)
    steps.run_until(first)
    assert refresh_reports(first, force=True) > 0  # the first pass builds everything
    assert_agrees(orgs, first)

    steps.run_until(NOW)  # seven more weeks of events, recorded as they happen
    assert refresh_reports(NOW, force=True) > 0
    items = assert_agrees(orgs, NOW)
    outcomes = Counter(item.outcome for item in items)
    assert all(outcomes[kind] >= 5 for kind in ("met", "met_late", "breached", "open")), outcomes

    later = NOW + timedelta(minutes=10)
    assert refresh_reports(later) == 0  # at most once a minute
    assert refresh_reports(later, force=True) <= 1  # nothing new: at most a clock fell due

    quiet = NOW + timedelta(days=12)  # no events; running clocks fall due
    assert refresh_reports(quiet, force=True) > 0
    assert_agrees(orgs, quiet)


def test_L14_figures_agree_with_a_recount_after_a_holiday_change_and_rebuild(
    history, desk_clock
) -> None:
    steps, orgs = history
    steps.run_until(NOW)
    desk_clock.now = NOW
    call_command("rebuild_clocks", stdout=io.StringIO())
    call_command("rebuild_reports", stdout=io.StringIO())
    items = assert_agrees(orgs, NOW)

    # the history has what the test is for
    states = {(i.commitment, i.outcome) for i in items}
    assert ("complaint-formal-response", "met") in states  # A8 -> A9 -> A10 chains
    assert ("complaint-formal-response", "open") in states
    assert ("complaint-answered", "open") in states  # T18: paused or restarted
    lt_reasons = Clock.objects.filter(commitment="complaint-answered", state="paused")
    assert lt_reasons.exists()
    assert _closures_moved_a_due_time(orgs["ask4"], items)


def _closures_moved_a_due_time(ask4: Organization, items: list[Recounted]) -> bool:
    """Some clock of a case opened under the re-approved charter falls due later than it
    would have without the new closed dates."""
    first, second = CharterVersion.objects.filter(organization=ask4).order_by("number")
    old = parsed(first)
    assert parsed(second).charter.calendars["office"].closed == list(NEW_CLOSED)
    for item in items:
        case = item.case
        if case.charter_id != second.pk or item.due_at is None:
            continue
        commitment = old.charter.commitment(item.commitment)
        facts = CaseFacts(
            case_type=case.case_type,
            channel=case.channel,
            received_at=case.received_at,
            language=case.language,
            fields=case.fields,
        )
        before = evaluate(
            commitment, facts, events_of(case), old.calendar_for(item.commitment), NOW
        )
        if before.due_at is not None and before.due_at < item.due_at:
            return True
    return False
