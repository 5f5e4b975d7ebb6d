"""A3, N7: recording conduct, deciding, lifting and reviewing; each in the audit log; the
customer told how to appeal in their language; reviews announced once on their date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from charterdesk.cases.charters import NotAllowed, parsed
from charterdesk.cases.models import AuditEntry, Case, Contact, Organization, OutboxMessage
from charterdesk.cases.services import CaseError, open_case
from charterdesk.conduct.models import Restriction
from charterdesk.conduct.review import review_date
from charterdesk.conduct.services import (
    default_review_on,
    lift_restriction,
    record_conduct,
    restrict_contact,
    review_due_restrictions,
    review_restriction,
)
from tests.helpers import utc
from tests.seeds import charter_text, install

from .conftest import NOW


def a_case(org: Organization, channel: str = "email", language: str = "ro") -> Case:
    contact = Contact.objects.create(
        organization=org, name="Ion Popescu", email="ion@example.ro", language=language
    )
    return open_case(
        org, case_type="complaint", channel=channel, received_at=NOW, now=NOW,
        contact=contact, language=language, subject="Factura",
    )  # fmt: skip


def actions(org: Organization) -> list[str]:
    return list(
        AuditEntry.objects.filter(organization=org)
        .exclude(action__startswith="event:")
        .exclude(action="case_opened")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_A3_staff_record_conduct_and_a_viewer_cannot(leviatan: Organization, member) -> None:
    case = a_case(leviatan, "web_form")
    report = record_conduct(
        case, kind="threatening", what_happened="Said he would wait outside.",
        by=member(leviatan, "agent"), now=NOW,
    )  # fmt: skip
    assert (report.case, report.contact, report.kind) == (case, case.contact, "threatening")
    with pytest.raises(NotAllowed):
        record_conduct(
            case, kind="abusive", what_happened="x", by=member(leviatan, "viewer"), now=NOW
        )
    with pytest.raises(CaseError) as blank:
        record_conduct(case, kind="abusive", what_happened="  ", by=report.reported_by, now=NOW)
    assert blank.value.code == "missing-data"
    assert actions(leviatan) == ["conduct_recorded"]


def test_A3_only_a_supervisor_or_owner_restricts(leviatan: Organization, member) -> None:
    case = a_case(leviatan, "web_form")
    with pytest.raises(NotAllowed):
        restrict_contact(
            case, reason="Abuse", channels=["web_form"], review_on=date(2026, 9, 1),
            by=member(leviatan, "agent"), now=NOW,
        )  # fmt: skip
    restriction = restrict_contact(
        case, reason="Abuse", channels=["web_form"], review_on=date(2026, 9, 1),
        by=member(leviatan, "owner"), now=NOW,
    )  # fmt: skip
    assert restriction.channels == ["web_form"]
    assert not restriction.ends_all_contact


def test_A3_a_charter_that_may_not_refuse_allows_no_restriction(db: None, member) -> None:
    text = charter_text("ask4").replace("  may_refuse: true", "  may_refuse: false", 1)
    ask4 = install("ask4", text)
    case = open_case(
        ask4, case_type="complaint", channel="web_form", received_at=NOW, now=NOW,
        contact=Contact.objects.create(organization=ask4, email="a@example.pl"),
    )  # fmt: skip
    with pytest.raises(CaseError) as refused:
        restrict_contact(
            case, reason="Abuse", channels=["web_form"], review_on=date(2026, 9, 1),
            by=member(ask4, "supervisor"), now=NOW,
        )  # fmt: skip
    assert refused.value.code == "may-not-refuse"
    assert "may_refuse" in str(refused.value)
    assert not Restriction.objects.exists()


@pytest.mark.parametrize(
    ("reason", "channels", "review_on", "code"),
    [
        ("", ["web_form"], date(2026, 9, 1), "missing-reason"),
        ("Abuse", [], date(2026, 9, 1), "no-channels"),
        ("Abuse", ["fax"], date(2026, 9, 1), "unknown-channel"),
        ("Abuse", ["web_form"], date(2026, 3, 10), "review-not-after-today"),
    ],
)
def test_A3_a_decision_needs_a_reason_a_scope_and_a_later_review_date(
    leviatan: Organization, member, reason: str, channels: list[str], review_on: date, code: str
) -> None:
    case = a_case(leviatan, "web_form")
    with pytest.raises(CaseError) as refused:
        restrict_contact(
            case, reason=reason, channels=channels, review_on=review_on,
            by=member(leviatan, "supervisor"), now=NOW,
        )  # fmt: skip
    assert refused.value.code == code


def test_A3_the_customer_is_told_in_their_language_how_to_appeal(
    leviatan: Organization, member
) -> None:
    case = a_case(leviatan, "email", language="ro")
    OutboxMessage.objects.all().delete()  # the acknowledgement
    restrict_contact(
        case, reason="Abuse", channels=["email", "phone"], review_on=date(2026, 9, 10),
        by=member(leviatan, "supervisor"), now=NOW,
    )  # fmt: skip
    row = OutboxMessage.objects.get(case=case, kind="mail")
    assert row.payload["to"] == ["ion@example.ro"]
    assert row.payload["language"] == "ro"
    body = row.payload["body"]
    assert "Vă rugăm să vă purtați cu angajații noștri" in body  # the charter's conduct text
    assert case.reference in body  # the appeal says which case to quote
    assert "Abuse" not in body  # the staff's reason stays inside


def test_N7_ending_all_contact_covers_every_channel(anlp: Organization, member) -> None:
    contact = Contact.objects.create(organization=anlp, email="x@example.rs", phone="+38111")
    case = open_case(
        anlp, case_type="enquiry", channel="email", received_at=NOW, now=NOW, contact=contact
    )
    restriction = restrict_contact(
        case, reason="Abuse", channels=[], review_on=date(2026, 9, 10),
        by=member(anlp, "supervisor"), now=NOW,
    )  # fmt: skip
    assert restriction.ends_all_contact
    assert anlp.charter is not None
    assert restriction.channels == list(parsed(anlp.charter).charter.channels)
    assert restriction.covers("phone")
    assert restriction.covers("email")


def test_A3_every_decision_is_audited_and_reviewed_on_its_date(
    leviatan: Organization, member
) -> None:
    supervisor = member(leviatan, "supervisor")
    member(leviatan, "agent")
    case = a_case(leviatan, "web_form")
    restriction = restrict_contact(
        case, reason="Abuse", channels=["web_form"], review_on=date(2026, 9, 10),
        by=supervisor, now=NOW,
    )  # fmt: skip
    assert review_due_restrictions(utc(2026, 9, 9, 20)) == 0  # 22:00 in Bucharest, the day before
    on_the_day = utc(2026, 9, 9, 22)  # midnight in Bucharest
    assert review_due_restrictions(on_the_day) == 1
    told = OutboxMessage.objects.filter(key__startswith=f"conduct-review:{restriction.pk}:")
    assert [row.payload["to"] for row in told] == [[supervisor.email]]  # supervisors only
    assert told[0].payload["audience"] == "staff"
    assert review_due_restrictions(on_the_day + timedelta(hours=1)) == 0  # once
    kept = review_restriction(
        restriction, keep=True, next_review_on=date(2027, 3, 10), note="Still abusive",
        by=supervisor, now=on_the_day + timedelta(hours=9),
    )  # fmt: skip
    assert kept.review_on == date(2027, 3, 10)
    assert kept.lifted_at is None
    assert review_due_restrictions(utc(2027, 3, 10, 8)) == 1  # the new date comes up too
    review_restriction(
        restriction, keep=False, note="Better now", by=supervisor, now=utc(2027, 3, 10, 9)
    )
    assert Restriction.objects.get(pk=restriction.pk).lifted_at == utc(2027, 3, 10, 9)
    with pytest.raises(CaseError):
        lift_restriction(restriction, by=supervisor, now=utc(2027, 3, 11))
    assert actions(leviatan) == [
        "contact_restricted",
        "restriction_review_due",
        "restriction_reviewed",
        "restriction_review_due",
        "restriction_reviewed",
        "contact_restored",
    ]


def test_A3_the_review_date_offered_is_the_charters_review_after(leviatan: Organization) -> None:
    assert default_review_on(leviatan, NOW) == date(2026, 9, 10)  # 6 months by default
    assert review_date(date(2026, 8, 31), "6 months") == date(2027, 2, 28)
    assert review_date(date(2026, 1, 31), "30 days") == date(2026, 3, 2)
    assert review_date(date(2024, 2, 29), "1 year") == date(2025, 2, 28)
