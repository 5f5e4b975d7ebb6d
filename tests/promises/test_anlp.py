"""ANLP International CIC (membership association, England; charter in Serbian): N1-N11.

Calendar ``office``: Mon-Thu 09:00-17:00, Fri 09:00-13:00 Europe/London, England's
bank holidays (2026: Mon 31 Aug; Fri 25 Dec, Mon 28 Dec Boxing Day observed; 2027:
Fri 1 Jan). BST (UTC+1) until Sun 25 Oct 2026, GMT (= UTC) after. The reply
commitments have ``cutoff: "17:00"``: what arrives at or after 17:00 counts from the
next working day, and anything else out of hours from the next working moment (N5).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from charterdesk.core.clocks import ClockState
from charterdesk.core.events import BUILTIN_EVENTS
from tests.helpers import utc

from .conftest import Desk, case, event

# -- N3 / N5: emails answered within 3 working days, the 17:00 cut-off ------------------


@pytest.mark.parametrize(
    ("received", "started", "due"),
    [
        # Thu 15 Oct 2026 16:00 BST, before the cut-off (day 0 Thu): Fri 16, Mon 19,
        # Tue 20 Oct; close 17:00 BST = 16:00 UTC
        (utc(2026, 10, 15, 15, 0), utc(2026, 10, 15, 15, 0), utc(2026, 10, 20, 16, 0)),
        # Thu 15 Oct 17:00 BST, at the cut-off: counts from Fri 16 09:00 BST: Mon, Tue, Wed
        (utc(2026, 10, 15, 16, 0), utc(2026, 10, 16, 8, 0), utc(2026, 10, 21, 16, 0)),
        # Thu 15 Oct 18:30 BST: the same
        (utc(2026, 10, 15, 17, 30), utc(2026, 10, 16, 8, 0), utc(2026, 10, 21, 16, 0)),
        # Fri 16 Oct 12:00 BST, in hours (day 0 Fri): Mon 19, Tue 20, Wed 21 Oct
        (utc(2026, 10, 16, 11, 0), utc(2026, 10, 16, 11, 0), utc(2026, 10, 21, 16, 0)),
        # Fri 16 Oct 18:30 BST counts from Monday 19 Oct 09:00 BST: Tue 20, Wed 21, Thu 22
        (utc(2026, 10, 16, 17, 30), utc(2026, 10, 19, 8, 0), utc(2026, 10, 22, 16, 0)),
        # Fri 28 Aug 18:30 BST before the summer bank holiday counts from Tue 1 Sep:
        # Wed 2, Thu 3, Fri 4 Sep, Friday close 13:00 BST = 12:00 UTC
        (utc(2026, 8, 28, 17, 30), utc(2026, 9, 1, 8, 0), utc(2026, 9, 4, 12, 0)),
    ],
    ids=["thu-16:00", "thu-17:00", "thu-18:30", "fri-12:00", "fri-18:30", "before-bank-holiday"],
)
def test_N3_email_answered_within_three_working_days_with_the_cutoff(
    anlp: Desk, received: datetime, started: datetime, due: datetime
) -> None:
    email = case("enquiry", "email", received)
    clock = anlp.clock("email-answered", email, [], received)
    assert (clock.started_at, clock.due_at) == (started, due)
    replied = event("replied", due)
    assert anlp.clock("email-answered", email, [replied], due).state is ClockState.MET


def test_N5_friday_evening_email_counts_from_monday_unlike_one_at_four(anlp: Desk) -> None:
    thursday_at_four = case("enquiry", "email", utc(2026, 10, 15, 15, 0))
    at_four = anlp.clock("email-answered", thursday_at_four, [], utc(2026, 10, 15, 15, 0))
    friday_evening = case("enquiry", "email", utc(2026, 10, 16, 17, 30))
    evening = anlp.clock("email-answered", friday_evening, [], utc(2026, 10, 16, 17, 30))
    assert at_four.due_at == utc(2026, 10, 20, 16, 0)  # Thursday 16:00 BST: from Thursday
    assert evening.started_at == utc(2026, 10, 19, 8, 0)  # Friday 18:30 BST: from Monday
    assert evening.due_at == utc(2026, 10, 22, 16, 0)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Sat 17 Oct 10:00 BST: like Fri 18:30, counts from Mon 19 Oct -> Thu 22 Oct
        (utc(2026, 10, 17, 9, 0), utc(2026, 10, 22, 16, 0)),
        # Fri 16 Oct 16:00 BST, after Friday's 13:00 close -> Thu 22 Oct
        (utc(2026, 10, 16, 15, 0), utc(2026, 10, 22, 16, 0)),
        # Mon 31 Aug 10:00 BST, the bank holiday, counts from Tue 1 Sep -> Fri 4 Sep 13:00
        (utc(2026, 8, 31, 9, 0), utc(2026, 9, 4, 12, 0)),
    ],
    ids=["saturday-morning", "friday-afternoon", "bank-holiday-morning"],
)
def test_N5_email_out_of_hours_before_the_cutoff_counts_from_the_next_working_day(
    anlp: Desk, received: datetime, due: datetime
) -> None:
    # Out of hours is not only "after 17:00": a weekend or bank-holiday morning, or a
    # Friday afternoon after the 13:00 close, counts from the next working moment too, so
    # it is never due before a Friday-evening email. (Found by these tests: the cut-off
    # used to look only at the time of day.)
    email = case("enquiry", "email", received)
    assert anlp.clock("email-answered", email, [], received).due_at == due


@pytest.mark.parametrize(
    "received",
    [
        utc(2026, 10, 16, 17, 30),  # Fri 18:30 BST
        utc(2026, 10, 16, 15, 0),  # Fri 16:00 BST: Friday closes at 13:00
        utc(2026, 10, 17, 9, 0),  # Sat 10:00 BST
    ],
)
def test_N5_out_of_hours_contact_dealt_with_on_the_next_working_day(
    anlp: Desk, received: datetime
) -> None:
    # the next working day is Mon 19 Oct; close 17:00 BST = 16:00 UTC
    email = case("membership", "email", received)
    clock = anlp.clock("out-of-hours-handled", email, [], received)
    assert (clock.state, clock.due_at) == (ClockState.RUNNING, utc(2026, 10, 19, 16, 0))
    ack = event("acknowledged", utc(2026, 10, 19, 9, 0))
    assert (
        anlp.clock("out-of-hours-handled", email, [ack], utc(2026, 10, 20)).state is ClockState.MET
    )


def test_N5_contact_in_working_hours_is_not_on_the_out_of_hours_clock(anlp: Desk) -> None:
    email = case("enquiry", "email", utc(2026, 10, 15, 15, 0))  # Thu 16:00 BST
    clock = anlp.clock("out-of-hours-handled", email, [], utc(2026, 10, 15, 15, 0))
    assert clock.state is ClockState.NOT_APPLICABLE


# -- N2: phone messages answered within 3 working days ---------------------------------


@pytest.mark.parametrize(
    ("channel", "received", "due"),
    [
        # Wed 23 Dec 2026 16:30 GMT (day 0): Thu 24 Dec; (Fri 25, Mon 28 Dec bank
        # holidays) Tue 29, Wed 30 Dec; close 17:00 GMT
        ("voicemail", utc(2026, 12, 23, 16, 30), utc(2026, 12, 30, 17, 0)),
        # Thu 24 Dec 17:30 GMT: after the cut-off; the next working moment is Tue 29 Dec
        # 09:00 (day 0): Wed 30, Thu 31 Dec, (Fri 1 Jan holiday) Mon 4 Jan 2027
        ("voicemail", utc(2026, 12, 24, 17, 30), utc(2027, 1, 4, 17, 0)),
        # a missed call on Tue 13 Oct 11:00 BST: Wed 14, Thu 15, Fri 16 Oct close 13:00 BST
        ("phone", utc(2026, 10, 13, 10, 0), utc(2026, 10, 16, 12, 0)),
    ],
)
def test_N2_phone_messages_answered_within_three_working_days(
    anlp: Desk, channel: str, received: datetime, due: datetime
) -> None:
    message = case("enquiry", channel, received)
    clock = anlp.clock("phone-message-answered", message, [], received)
    assert clock.due_at == due
    callback = event("callback_made", due)
    assert anlp.clock("phone-message-answered", message, [callback], due).state is ClockState.MET


# -- N4: the answer may be the support pages -------------------------------------------


def test_N4_answered_with_support_articles_meets_the_email_promise(anlp: Desk) -> None:
    email = case("membership", "email", utc(2026, 10, 12, 9, 0))  # Mon 12 Oct 10:00 BST
    articles = event(
        "answered_with_articles",
        utc(2026, 10, 12, 10, 0),
        articles=["https://anlp.org/support/renewing-membership"],
    )
    clock = anlp.clock("email-answered", email, [articles], utc(2026, 10, 13))
    assert (clock.state, clock.met_at) == (ClockState.MET, articles.at)
    assert "{articles}" in anlp.charter.texts["support_pages"]["sr-Latn"]


def test_N4_an_answer_with_articles_must_name_them(anlp: Desk) -> None:
    assert BUILTIN_EVENTS["answered_with_articles"] == ("articles",)
    email = case("membership", "email", utc(2026, 10, 12, 9, 0))
    bare = event("answered_with_articles", utc(2026, 10, 12, 10, 0))
    clock = anlp.clock("email-answered", email, [bare], utc(2026, 10, 13))
    assert (clock.state, clock.due_at) == (ClockState.RUNNING, utc(2026, 10, 15, 16, 0))


def test_N4_an_answer_with_an_empty_list_of_articles_does_not_count(anlp: Desk) -> None:
    email = case("membership", "email", utc(2026, 10, 12, 9, 0))
    empty = event("answered_with_articles", utc(2026, 10, 12, 10, 0), articles=[])
    clock = anlp.clock("email-answered", email, [empty], utc(2026, 10, 13))
    assert (clock.state, clock.met_at) == (ClockState.RUNNING, None)


# -- N6: the completion date, and any unexpected delay ---------------------------------


def test_N6_completion_by_the_date_given_in_a_delay_notice(anlp: Desk) -> None:
    # new date Thu 10 Dec 2026 (GMT): due at the end of that day, Fri 11 Dec 00:00 UTC;
    # an unexpected delay (a second notice) moves it to the end of Thu 17 Dec
    request = case("membership", "email", utc(2026, 11, 30, 10, 0))
    first = event(
        "delay_notice_sent",
        utc(2026, 12, 1, 10, 0),
        reason="Awaiting your accreditation documents",
        new_date=date(2026, 12, 10),
    )
    second = event(
        "delay_notice_sent",
        utc(2026, 12, 9, 10, 0),
        reason="The assessor is ill",
        new_date=date(2026, 12, 17),
    )
    resolved = event("resolved", utc(2026, 12, 17, 16, 0), result="Membership renewed")
    before = anlp.clock("completion-date-kept", request, [first], utc(2026, 12, 2))
    assert (before.state, before.due_at) == (ClockState.RUNNING, utc(2026, 12, 11, 0, 0))
    after = anlp.clock(
        "completion-date-kept", request, [first, second, resolved], utc(2026, 12, 20)
    )
    assert (after.due_at, after.state, after.met_at) == (
        utc(2026, 12, 18, 0, 0),
        ClockState.MET,
        resolved.at,
    )


def test_N6_a_date_in_summer_time_ends_at_local_midnight(anlp: Desk) -> None:
    # new date Tue 20 Oct 2026 (BST): the day ends Wed 21 Oct 00:00 BST = Tue 20 Oct 23:00 UTC
    request = case("membership", "email", utc(2026, 10, 12, 9, 0))
    notice = event(
        "delay_notice_sent", utc(2026, 10, 13, 9), reason="Board meets", new_date="2026-10-20"
    )
    clock = anlp.clock("completion-date-kept", request, [notice], utc(2026, 10, 14))
    assert clock.due_at == utc(2026, 10, 20, 23, 0)


def test_N6_customers_told_the_normal_processing_time_and_when_to_expect_completion(
    anlp: Desk,
) -> None:
    for text in anlp.charter.texts["acknowledgement"].values():
        assert "{processing_time}" in text
        assert "{due}" in text


# -- N7: abuse ends all contact --------------------------------------------------------


def test_N7_abuse_service_refused_and_all_contact_ended(anlp: Desk) -> None:
    conduct = anlp.charter.conduct
    assert conduct is not None
    assert conduct.may_refuse
    assert conduct.ends_all_contact
    assert BUILTIN_EVENTS["contact_restricted"] == ("reason", "review_on")


def test_N7_no_answer_is_owed_once_contact_is_ended_for_abuse(anlp: Desk) -> None:
    # Every clock pauses while contact is restricted, so ending contact for abuse does
    # not breach the reply promise. (Found by these tests: the reply clocks breached.)
    email = case("enquiry", "email", utc(2026, 10, 12, 9, 0))  # Mon 12 Oct 10:00 BST
    ended = event(
        "contact_restricted",
        utc(2026, 10, 12, 10, 0),
        reason="Abusive emails",
        review_on=date(2027, 4, 12),
    )
    clock = anlp.clock("email-answered", email, [ended], utc(2026, 10, 19))
    assert clock.state is ClockState.PAUSED


def test_N7_contact_restored_resumes_the_reply_clock_where_it_stopped(anlp: Desk) -> None:
    # due Thu 15 Oct 17:00 BST; restricted Mon 11:00 - Tue 15:00 BST: 6 + 6 = 12 working
    # hours, added from Thursday's close: Fri 09:00-13:00 (4 h), Mon 19 Oct 09:00-17:00
    # (8 h): due Mon 19 Oct 17:00 BST = 16:00 UTC
    email = case("enquiry", "email", utc(2026, 10, 12, 9, 0))
    ended = event(
        "contact_restricted", utc(2026, 10, 12, 10, 0), reason="Abusive", review_on="2026-10-13"
    )
    restored = event("contact_restored", utc(2026, 10, 13, 14, 0))
    clock = anlp.clock("email-answered", email, [ended, restored], utc(2026, 10, 14))
    assert (clock.state, clock.due_at) == (ClockState.RUNNING, utc(2026, 10, 19, 16, 0))


# -- N1, N10, N11 ----------------------------------------------------------------------


def test_N1_everyone_treated_promptly_whoever_they_are(anlp: Desk) -> None:
    # No commitment looks at who the customer is: no field conditions, no case-type
    # exclusions on the reply clocks, and every channel is on a reply clock. Courtesy
    # itself is the staff's part.
    charter = anlp.charter
    assert all(not c.applies.fields for c in charter.commitments)
    covered = {
        channel
        for commitment_id in ("phone-message-answered", "email-answered")
        for _, channel in anlp.possible_cases(commitment_id)
    }
    assert covered == set(charter.channels)
    for commitment_id in ("phone-message-answered", "email-answered"):
        assert anlp.commitment(commitment_id).applies.case_types is None


def test_N10_the_team_approves_the_policy_and_the_director_sees_it_followed(anlp: Desk) -> None:
    governance = anlp.charter.governance
    assert governance is not None
    assert governance.approvers == ["ANLP tim"]
    assert governance.accountable == "Generalni direktor"
    assert governance.last_updated == date(2021, 7, 8)
    assert anlp.charter.version == "2021-07-08"


def test_N11_compliance_monitored_and_performance_reviewed_regularly(anlp: Desk) -> None:
    governance = anlp.charter.governance
    assert governance is not None
    assert governance.review_every == "1 year"
    assert anlp.commitment("email-answered").target == "95%"
    assert anlp.charter.survey is not None
    assert anlp.charter.publication.results_page
