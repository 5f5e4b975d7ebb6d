"""What each commitment would promise for a sample case arriving at a given instant.

This is what `charterdesk check-charter` and the pre-desk demo print: for every
commitment, a case it applies to, its starting step taken at ``now``, and the clock
that results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Charter, Commitment
from charterdesk.core.charter_checks import possible_cases
from charterdesk.core.clocks import Clock, evaluate
from charterdesk.core.events import CaseFacts, Event

SAMPLE_DATE_AHEAD = timedelta(days=30)  # a sample exam date, say
SAMPLE_PROMISED = timedelta(days=7)  # the new date a sample delay notice gives


@dataclass(frozen=True, kw_only=True, slots=True)
class Preview:
    commitment: Commitment
    case_type: str
    channel: str
    clock: Clock


def preview(charter: Charter, calendars: dict[str, WorkCalendar], now: datetime) -> list[Preview]:
    return [_one(charter, c, calendars[charter.calendar_of(c)], now) for c in charter.commitments]


def _one(
    charter: Charter, commitment: Commitment, calendar: WorkCalendar, now: datetime
) -> Preview:
    order = {name: i for i, name in enumerate([*charter.case_types, *charter.channels])}
    case_type, channel = min(
        possible_cases(charter, commitment), key=lambda pair: (order[pair[0]], order[pair[1]])
    )
    fields: dict[str, object] = dict(commitment.applies.fields)
    date_field = commitment.starts.before or commitment.starts.after
    if date_field:
        ahead = SAMPLE_DATE_AHEAD if commitment.starts.before else timedelta(0)
        fields[date_field] = (now + ahead).astimezone(calendar.zone).date()
    received = now
    if commitment.applies.received == "in_hours":
        received = calendar.next_working_moment(now)
    elif commitment.applies.received == "out_of_hours" and calendar.next_working_moment(now) == now:
        received = calendar.working_days_close(now, 0)
    case = CaseFacts(case_type=case_type, channel=channel, received_at=received, fields=fields)
    events = []
    start = commitment.starts.event
    if start and start != "received":
        promised = (received + SAMPLE_PROMISED).astimezone(calendar.zone).date()
        data = {"reason": "sample", "new_date": promised, "owner": "sample"}
        events.append(Event(kind=start, at=received, data=data))
    clock = evaluate(commitment, case, events, calendar, max(now, received))
    return Preview(commitment=commitment, case_type=case_type, channel=channel, clock=clock)
