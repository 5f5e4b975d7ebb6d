"""The brute-force recount the report figures are held to: every clock of every case
evaluated again from its stored events with the pure core, no index, no aggregate."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, Event, Organization
from charterdesk.core.clocks import Clock, ClockState, evaluate
from charterdesk.core.events import CaseFacts
from charterdesk.core.events import Event as CoreEvent
from charterdesk.reports.figures import Slice
from charterdesk.reports.periods import Period


def outcome(clock: Clock) -> str | None:
    if clock.state == ClockState.NOT_APPLICABLE:
        return None
    if clock.state == ClockState.MET:
        return "met"
    if clock.state == ClockState.BREACHED:
        return "met_late" if clock.met_at is not None else "breached"
    return "open"


@dataclass(frozen=True)
class Recounted:
    reference: str
    commitment: str
    outcome: str
    due_at: datetime | None
    met_at: datetime | None
    delay_notices: int
    case: Case


def recount(org: Organization, now: datetime) -> list[Recounted]:
    """Every applicable clock of the organization's cases, evaluated at ``now``."""
    found = []
    events: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.filter(case__organization=org).order_by("at", "pk"):
        events[event.case_id].append(event)
    for case in Case.objects.filter(organization=org).select_related("charter"):
        charter = parsed(case.charter)
        facts = CaseFacts(
            case_type=case.case_type,
            channel=case.channel,
            received_at=case.received_at,
            language=case.language,
            fields=case.fields,
        )
        history = [CoreEvent(kind=e.kind, at=e.at, data=e.data) for e in events[case.pk]]
        notices = sum(1 for e in history if e.kind == "delay_notice_sent")
        for commitment in charter.charter.commitments:
            calendar = charter.calendar_for(commitment.id)
            clock = evaluate(commitment, facts, history, calendar, now)
            kind = outcome(clock)
            if kind is not None:
                found.append(
                    Recounted(
                        case.reference,
                        commitment.id,
                        kind,
                        clock.due_at,
                        clock.met_at,
                        notices,
                        case,
                    )
                )
    return found


def in_slice(item: Recounted, org: Organization, period: Period, where: Slice) -> bool:
    case = item.case
    month = case.received_at.astimezone(ZoneInfo(org.timezone)).date().replace(day=1)
    if not period.first <= month <= period.last:
        return False
    if where.case_type and case.case_type != where.case_type:
        return False
    if where.channel and case.channel != where.channel:
        return False
    if where.language and case.language != where.language:
        return False
    if where.assignee == "none" and case.assignee_id is not None:
        return False
    return not (where.assignee.isdigit() and case.assignee_id != int(where.assignee))


def tallies(
    items: list[Recounted], org: Organization, period: Period, where: Slice
) -> dict[str, Counter[str]]:
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        if in_slice(item, org, period, where):
            counted[item.commitment][item.outcome] += 1
    return counted
