"""What staff do to a case, through the services: each promise the desk keeps (not only
the core) is named here by its id."""

from __future__ import annotations

from datetime import date

import pytest

from charterdesk.cases import actions
from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Clock,
    Contact,
    Event,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.cases.services import CaseError, open_case
from tests.helpers import utc

from .conftest import happened

pytestmark = pytest.mark.django_db


def customer(org: Organization, language: str = "en", email: str = "ana@example.com") -> Contact:
    return Contact.objects.create(organization=org, name="Ana Pop", email=email, language=language)


def arrived_from(org: Organization, case_type: str, channel: str, at, **kw) -> Case:
    return open_case(
        org, case_type=case_type, channel=channel, received_at=at, now=at, subject="Help", **kw
    )


def clock(case: Case, commitment: str) -> Clock:
    return Clock.objects.get(case=case, commitment=commitment)


def kinds(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("at", "pk").values_list("kind", flat=True))


def mails(case: Case) -> list[dict]:
    rows = OutboxMessage.objects.filter(case=case, kind="mail").order_by("pk")
    return [row.payload for row in rows]


def test_L5_email_acknowledged_automatically_in_the_customers_language(leviatan) -> None:
    case = arrived_from(
        leviatan,
        "enquiry",
        "email",
        utc(2026, 11, 23, 9),
        contact=customer(leviatan, "ro"),
        language="ro",
    )
    assert kinds(case) == ["received", "acknowledged"]
    assert clock(case, "email-acknowledged").state == "met"
    (mail,) = mails(case)
    assert mail["to"] == ["ana@example.com"]
    assert mail["automatic"] is True
    assert mail["subject"].startswith(f"[{case.reference}]")
    # Leviatan's Romanian text, with the reference and the reply-by time in Bucharest
    assert f"Numărul dosarului este {case.reference}" in mail["body"]
    assert "Mie 25 Noi 2026, 18:00" in mail["body"]  # 2 working days: close of Wednesday
    assert mail["message_id"].endswith("@leviatan.ro>")


def test_acknowledgement_needs_an_address_and_goes_once(leviatan) -> None:
    silent = arrived_from(leviatan, "enquiry", "email", utc(2026, 11, 23, 9))
    assert kinds(silent) == ["received"]  # nobody to tell
    case = arrived_from(
        leviatan, "enquiry", "email", utc(2026, 11, 23, 9), contact=customer(leviatan)
    )
    assert actions.acknowledge(case, now=utc(2026, 11, 23, 10), actor=None) is None
    assert kinds(case).count("acknowledged") == 1


def test_no_automatic_acknowledgement_when_intake_says_not_to(leviatan) -> None:
    case = arrived_from(
        leviatan,
        "enquiry",
        "email",
        utc(2026, 11, 23, 9),
        contact=customer(leviatan),
        acknowledge_now=False,
    )
    assert kinds(case) == ["received"]
    assert mails(case) == []


def test_L8_hand_off_tells_the_customer_who_will_help_and_by_when(leviatan, member) -> None:
    agent, colleague = member(leviatan, "agent"), member(leviatan, "supervisor", "maria")
    colleague.first_name, colleague.last_name = "Maria", "Ionescu"
    colleague.save()
    case = arrived_from(
        leviatan, "enquiry", "in_person", utc(2026, 11, 23, 9), contact=customer(leviatan)
    )
    actions.hand_off(
        case, to=colleague, new_date=date(2026, 11, 27), now=utc(2026, 11, 23, 10), actor=agent
    )
    case.refresh_from_db()
    assert case.assignee == colleague
    assert clock(case, "first-contact").state == "met"
    kept = clock(case, "handed-off-date-kept")
    assert kept.state == "running"
    assert kept.due_at == utc(2026, 11, 27, 22)  # the end of Fri 27 Nov in Bucharest
    body = mails(case)[-1]["body"]
    assert "Maria Ionescu" in body
    assert "27" in body


def test_L8_hand_off_only_to_a_colleague_and_never_into_the_past(leviatan, member) -> None:
    agent, viewer = member(leviatan, "agent"), member(leviatan, "viewer")
    case = arrived_from(leviatan, "enquiry", "in_person", utc(2026, 11, 23, 9))
    with pytest.raises(CaseError) as refused:
        actions.hand_off(
            case, to=viewer, new_date=date(2026, 11, 27), now=utc(2026, 11, 23, 10), actor=agent
        )
    assert refused.value.code == "not-a-colleague"
    with pytest.raises(CaseError) as past:
        actions.hand_off(
            case, to=agent, new_date=date(2026, 11, 20), now=utc(2026, 11, 23, 10), actor=agent
        )
    assert past.value.code == "bad-date"
    assert kinds(case) == ["received"]


def test_L8_E3_resolved_at_first_contact(eurolux, member) -> None:
    agent = member(eurolux, "agent")
    case = arrived_from(eurolux, "complaint", "phone", utc(2026, 11, 23, 6))
    actions.resolve(
        case,
        result="Refund given",
        steps=[],
        first_contact=True,
        now=utc(2026, 11, 23, 6, 5),
        actor=agent,
    )
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    assert clock(case, "complaint-registered").state == "met"
    assert clock(case, "complaint-resolved").state == "met"


def test_L4_delay_notice_explains_why_and_when(leviatan, member) -> None:
    agent = member(leviatan, "agent")
    case = arrived_from(
        leviatan, "enquiry", "letter", utc(2026, 11, 23, 9), contact=customer(leviatan)
    )
    actions.send_delay_notice(
        case,
        reason="the supplier is late",
        new_date=date(2026, 12, 4),
        now=utc(2026, 11, 26, 9),
        actor=agent,
    )
    assert clock(case, "delay-explained").state == "met"
    assert clock(case, "new-date-kept").state == "running"
    body = mails(case)[-1]["body"]
    assert "because the supplier is late" in body
    assert case.reference in body


def test_E7_delay_notice_needs_a_reason(eurolux, member) -> None:
    agent = member(eurolux, "agent")
    case = arrived_from(eurolux, "complaint", "web_form", utc(2026, 11, 23, 6))
    with pytest.raises(CaseError) as refused:
        actions.send_delay_notice(
            case, reason="  ", new_date=date(2026, 12, 10), now=utc(2026, 11, 30, 6), actor=agent
        )
    assert refused.value.code == "missing-data"
    actions.send_delay_notice(
        case,
        reason="a part is on order",
        new_date=date(2026, 12, 10),
        now=utc(2026, 11, 30, 6),
        actor=agent,
    )
    assert clock(case, "complaint-resolved").state == "met"
    assert clock(case, "resolution-date-kept").state == "running"


def test_E6_an_information_request_pauses_the_clock_and_the_answer_resumes_it(
    eurolux, member
) -> None:
    agent = member(eurolux, "agent")
    case = arrived_from(
        eurolux, "complaint", "web_form", utc(2026, 11, 23, 6), contact=customer(eurolux, "az")
    )
    due_before = clock(case, "complaint-investigated").due_at
    actions.request_information(
        case, question="Which store?", now=utc(2026, 11, 23, 7), actor=agent
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_CUSTOMER
    assert clock(case, "complaint-investigated").state == "paused"
    assert mails(case)[-1]["body"] == "Which store?"
    actions.receive_customer_reply(
        case, body="Nizami street", at=utc(2026, 11, 24, 7), now=utc(2026, 11, 24, 7)
    )
    resumed = clock(case, "complaint-investigated")
    assert resumed.state == "running"
    assert resumed.due_at > due_before  # a working day spent waiting is added back
    assert Message.objects.filter(case=case, direction="in").count() == 1


def test_T18_full_answer_counts_from_when_the_information_is_complete(lt_pro, member) -> None:
    agent = member(lt_pro, "agent")
    case = arrived_from(lt_pro, "complaint", "letter", utc(2026, 11, 2, 7))
    actions.request_information(
        case, question="Your exam date?", now=utc(2026, 11, 2, 8), actor=agent
    )
    actions.receive_customer_reply(
        case, body="12 Nov", at=utc(2026, 11, 9, 8), now=utc(2026, 11, 9, 8)
    )
    actions.mark_information_complete(case, now=utc(2026, 11, 10, 8), actor=agent)
    answered = clock(case, "complaint-answered")
    assert answered.state == "running"
    assert answered.due_at == utc(2026, 12, 10, 8)  # 30 days from complete, not from arrival


def test_E8_resolution_tells_the_result_and_every_step(eurolux, member) -> None:
    agent = member(eurolux, "agent")
    case = arrived_from(
        eurolux, "complaint", "web_form", utc(2026, 11, 23, 6), contact=customer(eurolux)
    )
    with pytest.raises(CaseError) as refused:
        actions.resolve(case, result="Replaced", steps=[], now=utc(2026, 11, 25, 6), actor=agent)
    assert refused.value.code == "missing-steps"
    actions.resolve(
        case,
        result="Replaced",
        steps=["Called the store", "Checked the receipt", ""],
        now=utc(2026, 11, 25, 6),
        actor=agent,
    )
    resolved = Event.objects.get(case=case, kind="resolved")
    assert resolved.data["steps"] == ["Called the store", "Checked the receipt"]
    body = mails(case)[-1]["body"]
    assert "Replaced" in body
    assert "Called the store; Checked the receipt" in body


def test_L12_apology_and_remedy(leviatan, member) -> None:
    agent = member(leviatan, "agent")
    case = arrived_from(
        leviatan, "complaint", "letter", utc(2026, 11, 23, 9), contact=customer(leviatan)
    )
    actions.apologise(case, remedy="refund the fee", now=utc(2026, 11, 24, 9), actor=agent)
    assert kinds(case)[-2:] == ["apology_made", "remedy_offered"]
    assert "we will refund the fee" in mails(case)[-1]["body"]


def test_L13_causes_are_classified(leviatan, member) -> None:
    agent = member(leviatan, "agent")
    case = arrived_from(leviatan, "complaint", "letter", utc(2026, 11, 23, 9))
    with pytest.raises(CaseError):
        actions.classify_cause(case, cause=" ", now=utc(2026, 11, 24, 9), actor=agent)
    actions.classify_cause(case, cause="staff_training", now=utc(2026, 11, 24, 9), actor=agent)
    assert Event.objects.get(case=case, kind="cause_classified").data == {"cause": "staff_training"}


def test_E5_complaints_are_handled_first(eurolux) -> None:
    complaint = arrived_from(eurolux, "complaint", "web_form", utc(2026, 11, 23, 6))
    enquiry = arrived_from(eurolux, "enquiry", "web_form", utc(2026, 11, 23, 5))
    assert complaint.priority > enquiry.priority


def test_a_reply_meets_the_reply_clock_and_goes_by_mail(leviatan, member) -> None:
    agent = member(leviatan, "agent")
    case = arrived_from(
        leviatan, "enquiry", "email", utc(2026, 11, 23, 9), contact=customer(leviatan)
    )
    message = actions.reply(case, body="Here you are.", now=utc(2026, 11, 24, 9), actor=agent)
    assert clock(case, "email-answered").state == "met"
    mail = mails(case)[-1]
    assert mail["message"] == message.pk
    assert mail["automatic"] is False
    assert mail["references"]  # it follows the acknowledgement in the thread


def test_a_viewer_cannot_act_and_nothing_is_written(leviatan, member) -> None:
    viewer = member(leviatan, "viewer")
    case = arrived_from(leviatan, "enquiry", "letter", utc(2026, 11, 23, 9))
    with pytest.raises(NotAllowed):
        actions.reply(case, body="Hi", now=utc(2026, 11, 24, 9), actor=viewer)
    assert kinds(case) == ["received"]
    assert not Message.objects.filter(case=case).exists()


def test_T14_work_due_in_an_absence_goes_to_the_cover_before_it_breaches(lt_pro, member) -> None:
    away, cover, other = (
        member(lt_pro, "agent", "ivan"),
        member(lt_pro, "agent", "olga"),
        member(lt_pro, "agent", "petr"),
    )
    due_soon = arrived_from(lt_pro, "enquiry", "phone", utc(2026, 11, 23, 7))
    due_later = arrived_from(lt_pro, "complaint", "letter", utc(2026, 11, 23, 7))
    happened(due_later, "acknowledged", utc(2026, 11, 23, 7))  # next due in 10 working days
    someone_else = arrived_from(lt_pro, "enquiry", "phone", utc(2026, 11, 23, 7))
    for case, user in ((due_soon, away), (due_later, away), (someone_else, other)):
        actions.assign(case, to=user, now=utc(2026, 11, 23, 7, 1), actor=None)
    actions.record_absence(
        lt_pro,
        user=away,
        starts=date(2026, 11, 24),
        ends=date(2026, 11, 25),
        cover=cover,
        now=utc(2026, 11, 23, 8),
        actor=away,
    )
    # the day before the absence, the phone question due Wed 25 Nov moves to the cover
    assert actions.cover_absences(utc(2026, 11, 23, 12)) == 1
    for case in (due_soon, due_later, someone_else):
        case.refresh_from_db()
    assert due_soon.assignee == cover
    assert due_later.assignee == away  # next due after the absence
    assert someone_else.assignee == other
    moved = Event.objects.filter(case=due_soon, kind="assigned").last()
    assert moved is not None
    assert moved.data["reason"] == "absence"
    assert moved.data["from"] == "ivan"
    assert actions.cover_absences(utc(2026, 11, 23, 13)) == 0  # done once


def test_T14_an_agent_cannot_record_someone_elses_absence(lt_pro, member) -> None:
    agent, colleague = member(lt_pro, "agent", "ivan"), member(lt_pro, "agent", "olga")
    with pytest.raises(NotAllowed):
        actions.record_absence(
            lt_pro,
            user=colleague,
            starts=date(2026, 11, 24),
            ends=date(2026, 11, 25),
            cover=None,
            now=utc(2026, 11, 23, 8),
            actor=agent,
        )


def test_T14_breach_reassigns_to_the_cover_or_a_supervisor(lt_pro, member) -> None:
    agent, supervisor = member(lt_pro, "agent", "ivan"), member(lt_pro, "supervisor", "svetlana")
    case = arrived_from(lt_pro, "enquiry", "phone", utc(2026, 11, 23, 7))
    actions.assign(case, to=agent, now=utc(2026, 11, 23, 7, 1), actor=None)
    taken = actions.reassign_to_cover(
        case, now=utc(2026, 11, 26, 7), commitment="phone-question-answered"
    )
    assert taken == supervisor
    case.refresh_from_db()
    assert case.assignee == supervisor


def test_nobody_to_cover_is_flagged_once(lt_pro, member) -> None:
    away = member(lt_pro, "agent", "ivan")
    case = arrived_from(lt_pro, "enquiry", "phone", utc(2026, 11, 23, 7))
    actions.assign(case, to=away, now=utc(2026, 11, 23, 7, 1), actor=None)
    actions.record_absence(
        lt_pro,
        user=away,
        starts=date(2026, 11, 23),
        ends=date(2026, 11, 27),
        cover=None,
        now=utc(2026, 11, 23, 8),
        actor=away,
    )
    assert actions.cover_absences(utc(2026, 11, 23, 9)) == 0
    assert actions.cover_absences(utc(2026, 11, 23, 10)) == 0
    assert AuditEntry.objects.filter(action="absence_uncovered").count() == 1


def test_breach_escalation_is_on_the_timeline(leviatan) -> None:
    case = arrived_from(leviatan, "complaint", "letter", utc(2026, 11, 23, 9))
    actions.escalate(
        case, to_role="supervisor", now=utc(2026, 12, 8, 9), commitment="complaint-answered"
    )
    assert Event.objects.get(case=case, kind="escalated").data == {
        "to": "supervisor",
        "commitment": "complaint-answered",
    }


def test_a_broken_promise_keeps_the_case_at_the_top_of_the_queue(leviatan, member) -> None:
    agent = member(leviatan, "agent")
    case = arrived_from(leviatan, "enquiry", "letter", utc(2026, 11, 23, 9))
    due = clock(case, "delay-explained").due_at
    # days later, any action evaluates the clocks again: the promise is broken by now
    actions.add_note(case, text="Still looking", now=utc(2026, 12, 3, 9), actor=agent)
    assert clock(case, "delay-explained").state == "breached"
    case.refresh_from_db()
    assert case.next_due_at == due  # not None: breached cases sort first, not last
    actions.send_delay_notice(
        case,
        reason="a supplier",
        new_date=date(2026, 12, 10),
        now=utc(2026, 12, 3, 10),
        actor=agent,
    )
    case.refresh_from_db()
    assert case.next_due_at == clock(case, "new-date-kept").due_at  # late, but kept
