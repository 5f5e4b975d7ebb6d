"""ASK4 (internet provider, England; charter published in Polish): promises A1-A12.

Calendar ``office``: Mon-Fri 09:00-17:30 Europe/London, England's bank holidays
(2026: Mon 25 May spring, Mon 31 Aug summer). London is on BST (UTC+1) from 29 Mar
to 25 Oct 2026, so 17:30 local is 16:30 UTC in every scenario below.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from charterdesk.core.clocks import ClockState
from charterdesk.core.events import BUILTIN_EVENTS, STATES, CaseFacts, Event
from tests.helpers import utc

from .conftest import Desk, case, event

# The complaint chain A8 -> A9 -> A10: a complaint letter that arrives on the Friday
# evening before the summer bank holiday (Fri 28 Aug 2026 18:40 BST = 17:40 UTC).
LETTER = case("complaint", "letter", utc(2026, 8, 28, 17, 40), summary="No internet for 3 days")
ACK = event("acknowledged", utc(2026, 8, 29, 10, 0))  # Sat 29 Aug 11:00 BST
UPDATE = event("update_sent", utc(2026, 9, 3, 14, 0))  # Thu 3 Sep 15:00 BST
RESPONSE = event("formal_response_sent", utc(2026, 9, 14, 15, 0))  # Mon 14 Sep 16:00 BST


# -- A8: receipt confirmed within 24 hours --------------------------------------------


def test_A8_receipt_due_24_real_hours_after_a_letter_arrives_on_a_friday_evening(
    ask4: Desk,
) -> None:
    # 24 hours are elapsed time: the weekend and the bank holiday do not stop them;
    # Fri 28 Aug 17:40 UTC + 24 h = Sat 29 Aug 17:40 UTC; warning at 80% = 19h12m
    clock = ask4.clock("complaint-receipt", LETTER, [], now=utc(2026, 8, 29, 8, 0))
    assert clock.state is ClockState.RUNNING
    assert clock.started_at == utc(2026, 8, 28, 17, 40)
    assert clock.due_at == utc(2026, 8, 29, 17, 40)
    assert clock.warn_at == utc(2026, 8, 29, 12, 52)


@pytest.mark.parametrize(
    ("acknowledged_at", "state"),
    [
        (utc(2026, 8, 29, 10, 0), ClockState.MET),  # Saturday morning: in time
        (utc(2026, 8, 29, 17, 40), ClockState.MET),  # exactly at the due instant
        (utc(2026, 8, 31, 8, 0), ClockState.BREACHED),  # on the bank holiday: late
    ],
)
def test_A8_receipt_met_or_breached_by_the_acknowledgement(
    ask4: Desk, acknowledged_at: datetime, state: ClockState
) -> None:
    ack = event("acknowledged", acknowledged_at)
    clock = ask4.clock("complaint-receipt", LETTER, [ack], now=utc(2026, 9, 1, 12, 0))
    assert clock.state is state
    assert clock.met_at == acknowledged_at
    assert clock.due_at == utc(2026, 8, 29, 17, 40)


def test_A8_receipt_breached_when_nobody_acknowledges_in_24_hours(ask4: Desk) -> None:
    clock = ask4.clock("complaint-receipt", LETTER, [], now=utc(2026, 8, 29, 17, 40))
    assert clock.state is ClockState.BREACHED
    assert clock.met_at is None


# -- A9: progress update within 3 working days of the confirmation ----------------------


def test_A9_progress_update_pending_until_receipt_is_confirmed(ask4: Desk) -> None:
    clock = ask4.clock("complaint-progress-update", LETTER, [], now=utc(2026, 8, 29, 8, 0))
    assert clock.state is ClockState.PENDING
    assert clock.due_at is None
    assert clock.reason == "starts when acknowledged happens"


def test_A9_progress_update_due_three_working_days_after_confirmation(ask4: Desk) -> None:
    # confirmed Sat 29 Aug (day 0); Mon 31 Aug is the summer bank holiday, so the working
    # days are Tue 1, Wed 2, Thu 3 Sep; close 17:30 BST = 16:30 UTC.
    # Warning at 80% of the 25h30m of working time: 20h24m = Tue + Wed + 3h24m of Thursday.
    clock = ask4.clock("complaint-progress-update", LETTER, [ACK], now=utc(2026, 8, 31, 12, 0))
    assert clock.state is ClockState.RUNNING
    assert clock.started_at == ACK.at
    assert clock.due_at == utc(2026, 9, 3, 16, 30)
    assert clock.warn_at == utc(2026, 9, 3, 11, 24)


@pytest.mark.parametrize(
    ("update_at", "state"),
    [
        (utc(2026, 9, 3, 14, 0), ClockState.MET),
        (utc(2026, 9, 3, 16, 30), ClockState.MET),  # at the close of the 3rd working day
        (utc(2026, 9, 4, 8, 0), ClockState.BREACHED),  # Friday 09:00 BST: one day late
    ],
)
def test_A9_progress_update_met_or_breached(
    ask4: Desk, update_at: datetime, state: ClockState
) -> None:
    update = event("update_sent", update_at)
    clock = ask4.clock("complaint-progress-update", LETTER, [ACK, update], utc(2026, 9, 7))
    assert (clock.state, clock.met_at, clock.due_at) == (state, update_at, utc(2026, 9, 3, 16, 30))


# -- A10: formal response within 7 working days of the first update --------------------


def test_A10_formal_response_pending_before_the_first_update(ask4: Desk) -> None:
    clock = ask4.clock("complaint-formal-response", LETTER, [ACK], now=utc(2026, 9, 2, 12, 0))
    assert clock.state is ClockState.PENDING
    assert clock.reason == "starts when update_sent happens"


def test_A10_formal_response_due_seven_working_days_after_the_first_update(ask4: Desk) -> None:
    # first update Thu 3 Sep (day 0): Fri 4, Mon 7, Tue 8, Wed 9, Thu 10, Fri 11, Mon 14 Sep
    # is the 7th working day; close 17:30 BST = 16:30 UTC. The warning ("2 working days")
    # is at the close of the 2nd working day before that: Thu 10 Sep.
    clock = ask4.clock("complaint-formal-response", LETTER, [ACK, UPDATE], utc(2026, 9, 4, 9))
    assert clock.state is ClockState.RUNNING
    assert clock.started_at == UPDATE.at
    assert clock.due_at == utc(2026, 9, 14, 16, 30)
    assert clock.warn_at == utc(2026, 9, 10, 16, 30)


def test_A10_a_second_update_does_not_restart_the_formal_response_clock(ask4: Desk) -> None:
    second = event("update_sent", utc(2026, 9, 9, 9, 0))
    clock = ask4.clock("complaint-formal-response", LETTER, [ACK, UPDATE, second], utc(2026, 9, 10))
    assert clock.due_at == utc(2026, 9, 14, 16, 30)


@pytest.mark.parametrize(
    ("events", "now", "state", "met_at"),
    [
        ([ACK, UPDATE, RESPONSE], utc(2026, 9, 20), ClockState.MET, RESPONSE.at),
        (
            [ACK, UPDATE, event("formal_response_sent", utc(2026, 9, 15, 8, 30))],
            utc(2026, 9, 20),
            ClockState.BREACHED,
            utc(2026, 9, 15, 8, 30),
        ),
        ([ACK, UPDATE], utc(2026, 9, 14, 16, 29), ClockState.RUNNING, None),
        ([ACK, UPDATE], utc(2026, 9, 14, 16, 30), ClockState.BREACHED, None),
    ],
)
def test_A10_formal_response_met_or_breached(
    ask4: Desk, events: list[Event], now: datetime, state: ClockState, met_at: datetime | None
) -> None:
    clock = ask4.clock("complaint-formal-response", LETTER, events, now)
    assert (clock.state, clock.met_at) == (state, met_at)
    assert clock.due_at == utc(2026, 9, 14, 16, 30)


@pytest.mark.parametrize(
    ("facts", "ack", "update", "a8_due", "a9_due", "a10_due"),
    [
        # Letter Fri 28 Aug 18:40 BST before the summer bank holiday (Mon 31 Aug).
        # A9: day 0 Sat 29 -> Tue 1, Wed 2, Thu 3 Sep. A10: day 0 Thu 3 -> Mon 14 Sep.
        (
            LETTER,
            ACK.at,
            UPDATE.at,
            utc(2026, 8, 29, 17, 40),
            utc(2026, 9, 3, 16, 30),
            utc(2026, 9, 14, 16, 30),
        ),
        # Web form Fri 22 May 20:15 BST before the spring bank holiday (Mon 25 May);
        # acknowledged automatically a minute later (day 0 Fri 22) -> Tue 26, Wed 27,
        # Thu 28 May. Update Wed 27 May (day 0) -> Thu 28, Fri 29, Mon 1, Tue 2, Wed 3,
        # Thu 4, Fri 5 Jun is the 7th working day.
        (
            case("complaint", "web_form", utc(2026, 5, 22, 19, 15), summary="Slow Wi-Fi"),
            utc(2026, 5, 22, 19, 16),
            utc(2026, 5, 27, 10, 0),
            utc(2026, 5, 23, 19, 15),
            utc(2026, 5, 28, 16, 30),
            utc(2026, 6, 5, 16, 30),
        ),
    ],
    ids=["summer-bank-holiday-letter", "spring-bank-holiday-web-form"],
)
def test_A8_A9_A10_chain_each_clock_starts_when_the_previous_step_happened(
    ask4: Desk,
    facts: CaseFacts,
    ack: datetime,
    update: datetime,
    a8_due: datetime,
    a9_due: datetime,
    a10_due: datetime,
) -> None:
    events = [event("acknowledged", ack), event("update_sent", update)]
    now = utc(2026, 12, 1)
    receipt = ask4.clock("complaint-receipt", facts, events, now)
    progress = ask4.clock("complaint-progress-update", facts, events, now)
    formal = ask4.clock("complaint-formal-response", facts, events, now)
    assert (receipt.state, receipt.due_at, receipt.met_at) == (ClockState.MET, a8_due, ack)
    assert (progress.started_at, progress.due_at, progress.met_at) == (ack, a9_due, update)
    assert progress.state is ClockState.MET
    assert (formal.started_at, formal.due_at, formal.state) == (
        update,
        a10_due,
        ClockState.BREACHED,
    )


# -- Charter rules -------------------------------------------------------------------


def test_A7_complaints_only_by_online_form_or_letter(ask4: Desk) -> None:
    charter = ask4.charter
    for commitment_id in ask4.commitments_keeping("A8") + ask4.commitments_keeping("A10"):
        assert ask4.possible_cases(commitment_id) == {
            ("complaint", "web_form"),
            ("complaint", "letter"),
        }
    for refusing in ("phone", "email"):
        channel = charter.channels[refusing]
        assert not channel.accepts_case("complaint")
        assert channel.accepts_case("enquiry")
        assert channel.redirect_to == "web_form"  # the caller is sent to the online form
    assert charter.channels["web_form"].accepts_case("complaint")
    assert charter.channels["letter"].accepts_case("complaint")
    assert "{form_url}" in charter.texts["complaint_by_form"]["pl"]


def test_A5_a_complaint_carries_a_summary_and_the_evidence(ask4: Desk) -> None:
    fields = {f.name: f for f in ask4.charter.case_types["complaint"].fields}
    assert fields["summary"].required
    assert fields["summary"].kind == "long_text"
    evidence = ["case_references", "staff_names", "dates_and_times", "phone_numbers", "emails_sent"]
    assert set(evidence) <= set(fields)
    assert not any(fields[name].required for name in evidence)  # "the more the better"
    assert all("pl" in fields[name].label and "en" in fields[name].label for name in fields)


def test_A6_personal_data_complaints_may_go_to_the_ico(ask4: Desk) -> None:
    (ico,) = [b for b in ask4.charter.external_bodies if "personal_data" in b.topics]
    assert ico.kind == "regulator"
    assert "Information Commissioner" in ico.name["en"]
    assert ico.url is not None
    assert ico.url.startswith("https://ico.org.uk")
    assert ico.case_types == ["complaint"]
    assert ico.after == "anytime"  # the right exists at once, not only after our answer
    fields = {f.name: f for f in ask4.charter.case_types["complaint"].fields}
    assert fields["about_personal_data"].kind == "boolean"


def test_A11_the_customer_may_escalate_or_appeal_the_decision(ask4: Desk) -> None:
    appeal = ask4.charter.appeal
    assert appeal is not None
    assert appeal.case_types == ["complaint"]
    assert "appealed" in BUILTIN_EVENTS
    assert [step.role for step in ask4.charter.escalation] == ["agent", "supervisor", "owner"]


def test_A12_ombudsman_services_communications_is_the_binding_last_resort(ask4: Desk) -> None:
    (ombudsman,) = [b for b in ask4.charter.external_bodies if b.kind == "ombudsman"]
    assert ombudsman.name["en"] == "Ombudsman Services: Communications"
    assert ombudsman.after == "final_response"  # the last resort
    assert ombudsman.binding  # ASK4 follows its decision
    assert ombudsman.case_types == ["complaint"]


def test_A3_help_may_be_refused_to_an_abusive_customer(ask4: Desk) -> None:
    conduct = ask4.charter.conduct
    assert conduct is not None
    assert conduct.may_refuse
    assert not conduct.ends_all_contact
    # a restriction must say why and when it will be reviewed
    assert BUILTIN_EVENTS["contact_restricted"] == ("reason", "review_on")
    assert STATES["contact_restricted"] == ("contact_restricted", ("contact_restored",))
    bare = event("contact_restricted", utc(2026, 9, 1, 10))
    assert bare.missing_data(BUILTIN_EVENTS["contact_restricted"]) == ["reason", "review_on"]


def test_A4_customers_who_used_support_are_surveyed_and_results_published(ask4: Desk) -> None:
    survey = ask4.charter.survey
    assert survey is not None
    assert (survey.after, survey.delay) == ("resolved", "1 day")
    assert [q.id for q in survey.questions] == ["satisfied", "clear"]
    assert ask4.charter.publication.results_page
    assert BUILTIN_EVENTS["rated"] == ("score",)


def test_A1_root_cause_is_recorded_when_a_cause_is_classified(ask4: Desk) -> None:
    # The charter has no rule of its own for A1; the core makes a classification name
    # its cause. Asking for it on every complaint is the desk's part, tested there.
    assert BUILTIN_EVENTS["cause_classified"] == ("cause",)
    assert event("cause_classified", utc(2026, 9, 1)).missing_data(("cause",)) == ["cause"]


def test_A2_jargon_free_texts_in_the_customers_languages(ask4: Desk) -> None:
    # Plain language itself is judged by people (the survey asks "were our explanations
    # easy to understand?"); the charter gives every customer text in Polish and English.
    assert ask4.charter.organization.languages == ["pl", "en"]
    assert ask4.loaded.warnings == ()  # no missing translation anywhere
    survey = ask4.charter.survey
    assert survey is not None
    assert "clear" in {q.id for q in survey.questions}
