"""Clock evaluation, one construct at a time (DESIGN.md "Commitments").

The calendar is Mon-Fri 09:00-17:00 in London with no holidays; November 2026 is
GMT, so local times equal UTC. Mon 23 Nov 2026 is a Monday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Commitment
from charterdesk.core.clocks import ClockState, evaluate
from charterdesk.core.events import CaseFacts, Event

OFFICE = WorkCalendar(
    "Europe/London", {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}
)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def rule(**settings: Any) -> Commitment:
    base: dict[str, Any] = {"id": "c", "title": {"en": "C"}, "met_by": ["replied"]}
    base.setdefault("within", "3 working hours")
    return Commitment.model_validate({**base, **settings})


def case(received: datetime, **kw: Any) -> CaseFacts:
    return CaseFacts(
        case_type=kw.pop("case_type", "enquiry"),
        channel=kw.pop("channel", "email"),
        received_at=received,
        **kw,
    )


def ev(kind: str, when: datetime, **data: object) -> Event:
    return Event(kind=kind, at=when, data=data)


def test_running_clock_has_due_and_warning_at_80_percent() -> None:
    clock = evaluate(rule(), case(at(23, 9)), [], OFFICE, at(23, 10))
    assert clock.state is ClockState.RUNNING
    assert clock.due_at == at(23, 12)
    assert clock.warn_at == at(23, 11, 24)  # 80% of 3 working hours = 2h24m
    assert (
        clock.reason
        == "due Mon 23 Nov 2026 12:00: 3 working hours after received on Mon 23 Nov 2026 09:00"
    )


@pytest.mark.parametrize(
    ("applies", "facts", "reason"),
    [
        ({"case_types": ["complaint"]}, {}, "applies only to complaint cases"),
        (
            {"channels": ["letter", "web_form"]},
            {},
            "applies only to cases received by letter, web_form",
        ),
        (
            {"received": "in_hours"},
            {"received": at(23, 18)},
            "applies only to cases received in working hours",
        ),
        ({"received": "out_of_hours"}, {}, "applies only to cases received out of working hours"),
        (
            {"fields": {"late_registration": False}},
            {"fields": {"late_registration": True}},
            "applies only when late_registration is False",
        ),
    ],
)
def test_conditions_make_a_clock_not_applicable(
    applies: dict[str, Any], facts: dict[str, Any], reason: str
) -> None:
    received = facts.pop("received", at(23, 10))
    clock = evaluate(rule(applies=applies), case(received, **facts), [], OFFICE, at(23, 11))
    assert clock.state is ClockState.NOT_APPLICABLE
    assert clock.reason == reason
    assert clock.due_at is None


def test_field_condition_that_holds_applies() -> None:
    commitment = rule(applies={"fields": {"late_registration": False}})
    facts = case(at(23, 10), fields={"late_registration": False})
    assert evaluate(commitment, facts, [], OFFICE, at(23, 11)).state is ClockState.RUNNING


def test_met_on_time_late_and_breached() -> None:
    commitment, facts = rule(), case(at(23, 9))
    on_time = evaluate(commitment, facts, [ev("replied", at(23, 11))], OFFICE, at(24, 9))
    assert (on_time.state, on_time.met_at, on_time.due_at) == (
        ClockState.MET,
        at(23, 11),
        at(23, 12),
    )
    late = evaluate(commitment, facts, [ev("replied", at(23, 13))], OFFICE, at(24, 9))
    assert (late.state, late.met_at, late.met_late) == (ClockState.BREACHED, at(23, 13), True)
    breached = evaluate(commitment, facts, [], OFFICE, at(23, 12))
    assert (breached.state, breached.met_at) == (ClockState.BREACHED, None)


def test_events_after_now_are_not_seen() -> None:
    clock = evaluate(rule(), case(at(23, 9)), [ev("replied", at(23, 11))], OFFICE, at(23, 10))
    assert clock.state is ClockState.RUNNING


def test_any_of_met_by() -> None:
    commitment = rule(met_by=["replied", "resolved_at_first_contact"])
    events = [ev("resolved_at_first_contact", at(23, 9, 5))]
    assert evaluate(commitment, case(at(23, 9)), events, OFFICE, at(23, 10)).state is ClockState.MET


def test_chain_step_is_pending_until_the_previous_step_happens() -> None:
    commitment = rule(
        starts="first update_sent", met_by=["formal_response_sent"], within="2 working days"
    )
    pending = evaluate(commitment, case(at(23, 9)), [], OFFICE, at(23, 10))
    assert (pending.state, pending.reason) == (
        ClockState.PENDING,
        "starts when update_sent happens",
    )
    events = [ev("update_sent", at(24, 15)), ev("update_sent", at(26, 10))]
    running = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(26, 11))
    assert running.started_at == at(24, 15)
    assert running.due_at == at(26, 17)  # Tue is day 0: Wed, Thu


def test_last_start_takes_the_latest_event() -> None:
    commitment = rule(starts="last update_sent", within="1 working day")
    events = [ev("update_sent", at(23, 10)), ev("update_sent", at(25, 10))]
    assert evaluate(commitment, case(at(23, 9)), events, OFFICE, at(25, 11)).due_at == at(26, 17)


def test_deadline_before_a_date_field() -> None:
    commitment = rule(
        starts={"before": "exam_date"}, within="5 working days", met_by=["registration_confirmed"]
    )
    facts = case(at(23, 10), fields={"exam_date": date(2026, 12, 4)})
    clock = evaluate(commitment, facts, [], OFFICE, at(23, 11))
    assert clock.due_at == at(27, 17)  # Fri 4 Dec: Thu 3, Wed 2, Tue 1, Mon 30, Fri 27
    assert "5 working days before exam_date" in clock.reason
    missing = evaluate(commitment, case(at(23, 10)), [], OFFICE, at(23, 11))
    assert (missing.state, missing.reason) == (ClockState.PENDING, "waits for the case's exam_date")


def test_deadline_after_a_date_field() -> None:
    commitment = rule(
        starts={"after": "arrived_on"}, within="5 working days", met_by=["certificates_dispatched"]
    )
    facts = case(at(23, 10), fields={"arrived_on": date(2026, 11, 27)})
    assert evaluate(commitment, facts, [], OFFICE, at(27, 11)).due_at == at(4, 17, month=12)


def test_restart_on_new_information() -> None:
    commitment = rule(
        starts="first info_complete", restart_on=["info_complete"], within="1 working day"
    )
    events = [ev("info_complete", at(23, 10)), ev("info_complete", at(25, 15))]
    clock = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(25, 16))
    assert (clock.started_at, clock.due_at) == (at(25, 15), at(26, 17))


def test_restart_after_the_clock_was_met_does_not_reopen_it() -> None:
    commitment = rule(
        starts="first info_complete", restart_on=["info_complete"], within="1 working day"
    )
    events = [
        ev("info_complete", at(23, 10)),
        ev("replied", at(23, 12)),
        ev("info_complete", at(25, 15)),
    ]
    clock = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(25, 16))
    assert (clock.state, clock.due_at) == (ClockState.MET, at(24, 17))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(23, 15, 59), at(24, 17)),  # before the cut-off: Mon is day 0
        (at(23, 16, 0), at(25, 17)),  # at the cut-off: counts from Tue 09:00
        (at(27, 20), at(1, 17, month=12)),  # Fri evening: counts from Mon 30 Nov
    ],
)
def test_cutoff_moves_late_arrivals_to_the_next_working_day(
    received: datetime, due: datetime
) -> None:
    commitment = rule(within="1 working day", cutoff="16:00")
    assert evaluate(commitment, case(received), [], OFFICE, received).due_at == due


def test_pause_while_awaiting_the_customer_moves_the_due_time() -> None:
    commitment = rule(pause_while=["awaiting_customer"])
    events = [ev("info_requested", at(23, 10)), ev("customer_replied", at(24, 9, 30))]
    paused = evaluate(commitment, case(at(23, 9)), events[:1], OFFICE, at(23, 15))
    assert (paused.state, paused.due_at) == (ClockState.PAUSED, None)
    assert "paused since Mon 23 Nov 2026 10:00" in paused.reason
    # 1 working hour used before the pause, 2 left after it ended Tue 09:30
    resumed = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(24, 10))
    assert (resumed.state, resumed.due_at) == (ClockState.RUNNING, at(24, 11, 30))


def test_pause_still_open_when_met_counts_until_the_meeting() -> None:
    commitment = rule(pause_while=["awaiting_customer"])
    events = [ev("info_requested", at(23, 10)), ev("replied", at(24, 10))]
    clock = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(24, 11))
    assert clock.state is ClockState.MET
    assert clock.due_at == at(24, 12)  # paused Mon 10:00 to Tue 10:00 = 8 working hours


def test_pause_in_elapsed_time() -> None:
    commitment = rule(within="2 days", pause_while=["awaiting_customer"])
    events = [ev("info_requested", at(23, 12)), ev("info_complete", at(24, 12))]
    clock = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(24, 13))
    assert clock.due_at == at(26, 9)


def test_delay_notice_must_carry_a_reason_and_a_new_date() -> None:
    commitment = rule(within="5 days", met_by=["resolved", "delay_notice_sent"])
    facts = case(at(23, 9))
    bare = [ev("delay_notice_sent", at(25, 10), reason="waiting for a supplier")]
    assert evaluate(commitment, facts, bare, OFFICE, at(25, 11)).state is ClockState.RUNNING
    full = [ev("delay_notice_sent", at(25, 10), reason="supplier", new_date="2026-12-04")]
    assert evaluate(commitment, facts, full, OFFICE, at(25, 11)).state is ClockState.MET


def test_stated_date_clock_is_due_at_the_end_of_the_promised_day() -> None:
    commitment = rule(starts="last delay_notice_sent", within="stated date", met_by=["resolved"])
    events = [ev("delay_notice_sent", at(25, 10), reason="supplier", new_date=date(2026, 12, 4))]
    clock = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(25, 11))
    assert clock.due_at == at(5, 0, month=12)


@pytest.mark.parametrize(
    ("within", "due"),
    [
        ({"earliest": ["2 working days", "48 hours"]}, at(29, 9)),  # Sun 09:00 beats Tue 17:00
        ({"latest": ["2 working days", "48 hours"]}, at(1, 17, month=12)),
    ],
)
def test_earliest_or_latest_of_several_limits(within: dict[str, list[str]], due: datetime) -> None:
    clock = evaluate(rule(within=within), case(at(27, 9)), [], OFFICE, at(27, 10))
    assert clock.due_at == due


def test_extension_is_capped_and_granted_at_most_the_allowed_times() -> None:
    commitment = rule(within="2 working days", extension={"max": "3 working days", "times": 1})
    events = [
        ev("extension_granted", at(24, 10), by="5 working days", reason="expert report"),
        ev("extension_granted", at(25, 10), by="1 working day", reason="again"),
    ]
    clock = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(25, 11))
    assert clock.due_at == at(30, 17)  # Wed 25 close, plus 3 (capped from 5): Thu, Fri, Mon


def test_extension_without_a_reason_is_ignored_when_one_is_required() -> None:
    commitment = rule(within="2 working days", extension={"max": "3 working days"})
    events = [ev("extension_granted", at(24, 10), by="1 working day")]
    assert evaluate(commitment, case(at(23, 9)), events, OFFICE, at(24, 11)).due_at == at(25, 17)


def test_repeating_clock_counts_cycles_and_misses() -> None:
    commitment = rule(
        starts="first acknowledged",
        met_by=["update_sent"],
        within="1 working day",
        repeat={"every": "2 working days", "until": ["resolved"]},
    )
    events = [ev("acknowledged", at(23, 9)), ev("update_sent", at(24, 10))]
    running = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(25, 10))
    assert (running.cycle, running.due_at, running.state) == (2, at(26, 17), ClockState.RUNNING)
    late = [*events, ev("update_sent", at(27, 10))]
    third = evaluate(commitment, case(at(23, 9)), late, OFFICE, at(27, 11))
    assert (third.cycle, third.missed_cycles, third.due_at) == (3, 1, at(1, 17, month=12))
    ended = evaluate(
        commitment, case(at(23, 9)), [*late, ev("resolved", at(30, 9))], OFFICE, at(30, 10)
    )
    assert (ended.state, ended.missed_cycles) == (ClockState.BREACHED, 1)


def test_repeating_clock_met_when_every_cycle_was_on_time() -> None:
    commitment = rule(
        starts="first acknowledged",
        met_by=["update_sent"],
        within="1 working day",
        repeat={"every": "2 working days", "until": ["resolved"]},
    )
    events = [
        ev("acknowledged", at(23, 9)),
        ev("update_sent", at(24, 10)),
        ev("resolved", at(25, 10)),
    ]
    clock = evaluate(commitment, case(at(23, 9)), events, OFFICE, at(26, 10))
    assert (clock.state, clock.met_at) == (ClockState.MET, at(25, 10))


@pytest.mark.parametrize(
    ("warn", "expected"),
    [
        ("2 working hours", at(25, 15)),
        ("1 day", at(24, 17)),
        ("1 working day", at(24, 17)),
        ("50%", at(24, 13)),
        (None, None),
    ],
)
def test_warning_before_the_due_time(warn: str | None, expected: datetime | None) -> None:
    commitment = rule(within="2 working days", warn=warn)  # due Wed 25 17:00
    assert evaluate(commitment, case(at(23, 9)), [], OFFICE, at(23, 10)).warn_at == expected


def test_elapsed_hours_are_real_time_across_the_autumn_clock_change() -> None:
    # Sat 24 Oct 2026 12:00 BST is 11:00 UTC; 48 real hours later is Mon 11:00 UTC (GMT)
    commitment = rule(within="48 hours")
    start = datetime(2026, 10, 24, 11, tzinfo=UTC)
    due = evaluate(commitment, case(start), [], OFFICE, start).due_at
    assert due == datetime(2026, 10, 26, 11, tzinfo=UTC)


def test_same_clock_working_days() -> None:
    commitment = rule(within="2 working days, same clock")
    assert evaluate(commitment, case(at(27, 11)), [], OFFICE, at(27, 12)).due_at == at(
        1, 11, month=12
    )


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(rule(), case(at(23, 9)), [], OFFICE, datetime(2026, 11, 23, 10))  # noqa: DTZ001


def test_clock_is_a_pure_function_of_its_inputs() -> None:
    events = [ev("replied", at(23, 11))]
    first = evaluate(rule(), case(at(23, 9)), events, OFFICE, at(24, 9))
    assert first == evaluate(
        rule(), case(at(23, 9)), list(reversed(events)), OFFICE, at(24, 9) + timedelta(0)
    )


def test_inputs_in_any_zone_give_the_same_clock_as_in_utc() -> None:
    """Python adds to an aware datetime in wall-clock time; the core must not."""
    london = ZoneInfo("Europe/London")
    start = datetime(2026, 10, 24, 12, tzinfo=london)  # Saturday before the clocks go back
    commitment = rule(within="48 hours", pause_while=["awaiting_customer"])
    events = [
        ev("info_requested", datetime(2026, 10, 25, 0, 30, tzinfo=london)),
        ev("customer_replied", datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london)),
    ]
    in_london = evaluate(commitment, case(start), events, OFFICE, start + timedelta(days=1))
    in_utc = evaluate(
        commitment,
        case(start.astimezone(UTC)),
        [Event(kind=e.kind, at=e.at.astimezone(UTC)) for e in events],
        OFFICE,
        (start + timedelta(days=1)).astimezone(UTC),
    )
    assert in_london == in_utc
    # 48 real hours plus a 2-hour pause (00:30 BST to 01:30 GMT): Mon 26 Oct 13:00 UTC
    assert in_london.due_at == datetime(2026, 10, 26, 13, tzinfo=UTC)
    assert in_london.due_at.tzinfo is UTC
