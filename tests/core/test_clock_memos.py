"""What clock evaluation keeps between calls never gives a stale clock.

Evaluation keeps a commitment's parsed rules (``clock_plan``), whether it applies to a
case type and channel (``clock_applies``), the last case history it made
(``clock_history``), clocks without times and wall-clock texts: evaluation must stay a
pure function of its inputs, whatever was evaluated before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charterdesk.core import clock_history, clock_plan, clock_why, clocks
from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.clocks import Clock, ClockState, evaluate
from charterdesk.core.events import CaseFacts, Event
from tests.core.test_clocks import OFFICE, at, case, ev, rule


def test_an_event_added_to_the_same_list_is_seen() -> None:
    commitment, facts = rule(), case(at(23, 9))
    events: list[Event] = []
    assert evaluate(commitment, facts, events, OFFICE, at(23, 11)).state is ClockState.RUNNING
    events.append(ev("replied", at(23, 10)))
    assert evaluate(commitment, facts, events, OFFICE, at(23, 11)).state is ClockState.MET


def test_an_event_replaced_in_the_same_list_is_seen() -> None:
    commitment, facts = rule(), case(at(23, 9))
    events = [ev("noted", at(23, 10), text="called back")]
    assert evaluate(commitment, facts, events, OFFICE, at(23, 11)).state is ClockState.RUNNING
    events[0] = ev("replied", at(23, 10))
    assert evaluate(commitment, facts, events, OFFICE, at(23, 11)).state is ClockState.MET


def test_each_case_type_and_channel_gets_its_own_answer() -> None:
    commitment = rule(applies={"case_types": ["complaint"], "channels": ["email"]})
    expected: list[tuple[dict[str, Any], str]] = [
        ({"case_type": "complaint"}, ""),
        ({"case_type": "enquiry"}, "applies only to complaint cases"),
        ({"case_type": "complaint", "channel": "phone"}, "applies only to cases received by email"),
        (
            {"case_type": "breach", "internal": True},
            "applies only to customers' cases, not to breach",
        ),
    ]
    for _ in range(2):  # the second time, from what the first one kept
        for facts, reason in expected:
            clock = evaluate(commitment, case(at(23, 9), **facts), [], OFFICE, at(23, 10))
            if reason:
                assert (clock.state, clock.reason) == (ClockState.NOT_APPLICABLE, reason)
            else:
                assert clock.state is ClockState.RUNNING


def test_a_commitment_made_again_is_read_again() -> None:
    # the same id, other rules: a plan kept for the first must not serve the second
    for hours in (1, 2, 3, 1, 2, 3):
        commitment = rule(within=f"{hours} working hours")
        clock = evaluate(commitment, case(at(23, 9)), [], OFFICE, at(23, 9, 30))
        assert clock.due_at == at(23, 9 + hours)
        del commitment


ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "UTC"]
CALENDARS = {zone: WorkCalendar(zone, {"mon": [("09:00", "17:00")]}) for zone in ZONES}


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.datetimes(
        datetime(1971, 1, 1),  # noqa: DTZ001 (hypothesis takes naive bounds)
        datetime(2099, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
def test_wall_clock_text_is_strftime_in_the_c_locale(zone: str, instant: datetime) -> None:
    calendar = CALENDARS[zone]
    expected = f"{instant.astimezone(calendar.zone):%a %d %b %Y %H:%M}"
    assert clock_why.local(calendar, instant) == expected


COMMITMENTS = [
    rule(),
    rule(within="2 working days", pause_while=["awaiting_customer"]),
    rule(starts="first update_sent", met_by=["resolved"], within="1 working day"),
    rule(within="48 hours", restart_on=["info_complete"], warn="24 hours"),
    rule(met_by=["update_sent"], within="3 working days", repeat={"every": "3 working days"}),
    rule(applies={"case_types": ["complaint"]}),
    rule(within="5 working days", extension={"max": "5 working days"}),
]
KINDS = [
    "replied",
    "update_sent",
    "resolved",
    "info_requested",
    "customer_replied",
    "info_complete",
    "contact_restricted",
    "contact_restored",
    "extension_granted",
]
START = at(23, 8)


def _event(kind: str, minutes: int) -> Event:
    data: dict[str, Any] = {
        "resolved": {"result": "done"},
        "contact_restricted": {"reason": "abuse", "review_on": "2027-05-23"},
        "extension_granted": {"by": "2 working days", "reason": "waiting for a report"},
    }.get(kind, {})
    return Event(kind=kind, at=START + timedelta(minutes=minutes), data=data)


def _forget() -> None:
    """Everything evaluation keeps between calls, dropped."""
    clock_history._last_history = (None, None)
    clock_plan._PLANS.clear()
    clocks._TIMELESS.clear()
    clocks._PENDING.clear()
    for kept in (clock_why._STARTS, clock_why._AFTER_EVENT, clock_why._WAITING, clock_why._ENDED):
        kept.clear()
    clock_why._wall_clock.cache_clear()


@pytest.fixture(autouse=True)
def _cold() -> None:
    _forget()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 14 * 24 * 60)), max_size=8),
    st.lists(st.integers(0, 21 * 24 * 60), min_size=1, max_size=4),
    st.sampled_from(["complaint", "enquiry"]),
)
def test_an_evaluation_after_others_equals_one_from_nothing(
    happened: list[tuple[str, int]], later: list[int], case_type: str
) -> None:
    facts = CaseFacts(case_type=case_type, channel="email", received_at=START)
    events: list[Event] = []
    for kind, minutes in [("received", 0), *happened]:
        events.append(_event(kind, minutes))  # the same list, grown
        for offset in later:
            now = START + timedelta(minutes=offset)
            warm = [evaluate(c, facts, events, OFFICE, now) for c in COMMITMENTS]
            cold = []
            for commitment in COMMITMENTS:
                _forget()
                cold.append(evaluate(commitment, facts, list(events), OFFICE, now))
            assert warm == cold
            assert all(isinstance(clock, Clock) for clock in warm)
