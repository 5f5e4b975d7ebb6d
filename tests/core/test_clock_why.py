"""Every clock explains itself in parts (``Clock.why``) as well as in English text: the
parts say all the text says (:func:`english` of them is the stored reason, to the byte),
for every kind of reason."""

from __future__ import annotations

from datetime import date

import pytest

from charterdesk.core.clock_why import COUNTED, Why, WhyKind, english
from charterdesk.core.clocks import Clock, evaluate
from charterdesk.core.events import CaseFacts
from tests.core.test_clocks import OFFICE, at, case, ev, rule


def clocks_of_every_kind() -> dict[WhyKind, Clock]:
    """One evaluated clock for each kind of reason (the calendar: ``OFFICE``)."""
    now = at(25, 11)
    delay = ev("delay_notice_sent", at(25, 10), reason="supplier")
    made = [
        evaluate(rule(), case(at(23, 9)), [], OFFICE, now),  # due (breached)
        evaluate(rule(), case(at(23, 9)), [ev("replied", at(23, 10))], OFFICE, now),
        evaluate(rule(), case(at(23, 9)), [ev("replied", at(24, 16))], OFFICE, now),
        evaluate(
            rule(pause_while=["awaiting_customer"]),
            case(at(23, 9)),
            [ev("info_requested", at(23, 10))],
            OFFICE,
            now,
        ),
        evaluate(rule(starts="first acknowledged"), case(at(23, 9)), [], OFFICE, now),
        evaluate(rule(starts={"before": "exam_date"}), case(at(23, 9)), [], OFFICE, now),
        evaluate(
            rule(starts="last delay_notice_sent", within="stated date", met_by=["resolved"]),
            case(at(23, 9)),
            [delay],
            OFFICE,
            now,
        ),
        evaluate(
            rule(
                starts="first acknowledged",
                met_by=["update_sent"],
                within="1 working day",
                repeat={"every": "2 working days", "until": ["resolved"]},
            ),
            case(at(23, 9)),
            [ev("acknowledged", at(23, 9)), ev("update_sent", at(24, 10)), ev("resolved", now)],
            OFFICE,
            now,
        ),
        evaluate(rule(), _internal(), [], OFFICE, now),
        evaluate(
            rule(applies={"case_types": ["complaint", "appeal"]}), case(at(23, 9)), [], OFFICE, now
        ),
        evaluate(rule(applies={"channels": ["letter"]}), case(at(23, 9)), [], OFFICE, now),
        evaluate(rule(applies={"received": "in_hours"}), case(at(23, 18)), [], OFFICE, now),
        evaluate(rule(applies={"received": "out_of_hours"}), case(at(23, 9)), [], OFFICE, now),
        evaluate(rule(applies={"fields": {"urgent": True}}), case(at(23, 9)), [], OFFICE, now),
    ]
    return {clock.why.kind: clock for clock in made}


def _internal() -> CaseFacts:
    return CaseFacts(case_type="data_breach", channel="staff", received_at=at(23, 9), internal=True)


def test_every_kind_of_reason_is_made() -> None:
    assert set(clocks_of_every_kind()) == set(WhyKind)


@pytest.mark.parametrize("kind", list(WhyKind))
def test_the_english_of_the_parts_is_the_stored_reason(kind: WhyKind) -> None:
    clock = clocks_of_every_kind()[kind]
    assert english(clock.why, OFFICE) == clock.reason
    hash(clock.why)  # immutable, and shareable between clocks


def test_counted_reasons_carry_their_instants_rule_and_trigger() -> None:
    clock = evaluate(rule(), case(at(23, 9)), [ev("replied", at(24, 16))], OFFICE, at(25, 11))
    why = clock.why
    assert why.kind in COUNTED
    assert (why.kind, why.at, why.since, why.met_by) == (
        WhyKind.MET_LATE,
        at(23, 12),
        at(23, 9),
        "replied",
    )
    assert why.start is not None
    assert (why.start.event, str(why.start.rule), why.start.rule.amount) == (
        "received",
        "3 working hours",
        3,
    )


def test_a_date_field_reason_names_the_field_and_the_days_before() -> None:
    commitment = rule(starts={"before": "exam_date"}, within="5 working days")
    facts = case(at(23, 10), fields={"exam_date": date(2026, 12, 4)})
    why = evaluate(commitment, facts, [], OFFICE, at(23, 11)).why
    assert why.start is not None
    assert (why.kind, why.start.field, why.start.before, why.at) == (
        WhyKind.DUE,
        "exam_date",
        True,
        at(27, 17),
    )
    after = rule(starts={"after": "arrived_on"}, within="5 working days")
    facts = case(at(23, 10), fields={"arrived_on": date(2026, 11, 27)})
    clock = evaluate(after, facts, [], OFFICE, at(27, 11))
    assert english(clock.why, OFFICE) == clock.reason
    assert clock.why.start is not None
    assert clock.why.start.field == "arrived_on"


def test_reasons_without_times_are_shared() -> None:
    first = evaluate(rule(starts="first acknowledged"), case(at(23, 9)), [], OFFICE, at(23, 10))
    second = evaluate(rule(starts="first acknowledged"), case(at(24, 9)), [], OFFICE, at(24, 10))
    assert first.why == second.why == Why(kind=WhyKind.STARTS_WHEN, event="acknowledged")


def test_N7_a_clock_paused_by_a_restriction_says_so_not_that_it_waits_for_the_customer() -> None:
    paused_by = {
        "info_requested": "while waiting for the customer",
        "contact_restricted": "while contact is restricted",
    }
    for event, words in paused_by.items():
        clock = evaluate(
            rule(pause_while=["awaiting_customer", "contact_restricted"]),
            case(at(23, 9)),
            [ev(event, at(23, 10))],
            OFFICE,
            at(25, 11),
        )
        assert clock.why.kind == WhyKind.PAUSED
        assert clock.why.event == event
        assert clock.reason == f"paused since Mon 23 Nov 2026 10:00 {words}"
        assert english(clock.why, OFFICE) == clock.reason
