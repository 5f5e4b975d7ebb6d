"""Erasure: a contact's personal data goes, the statistics stay (the report tables are
the same afterwards, rebuilt from scratch), and a legal hold stops it."""

from __future__ import annotations

import json
import os

import pytest

from charterdesk.cases.clock_index import refresh_clocks
from charterdesk.cases.models import Attachment, AuditEntry, Case, Clock, Event, Message
from charterdesk.privacy.erasure import ERASED, erase_contact
from charterdesk.privacy.export import export_document
from charterdesk.privacy.holds import PrivacyError, place_hold, release_hold
from charterdesk.privacy.models import ErasedCase, ErasureRecord
from charterdesk.reports.rebuild import TABLES, rebuild_reports
from tests.helpers import utc

from .conftest import NOW, tell_story

pytestmark = pytest.mark.django_db


def report_rows(org) -> dict[str, list[tuple]]:
    """Every row of every report table of the organization, without keys."""
    rows = {}
    for table in TABLES:
        names = [f.name for f in table._meta.concrete_fields if f.name not in ("id",)]
        rows[table.__name__] = sorted(
            tuple(str(value) for value in row)
            for row in table.objects.filter(organization=org).values_list(*names)
        )
    return rows


def clock_rows(case: Case) -> list[tuple]:
    return list(
        Clock.objects.filter(case=case)
        .order_by("commitment")
        .values_list("commitment", "state", "started_at", "due_at", "met_at", "cycle")
    )


@pytest.fixture
def stories(ask4, member):
    agent = member(ask4, "agent")
    cy = tell_story(
        ask4,
        agent,
        name="Cy Rhys",
        email="cy@example.com",
        secret="Sapphire",
        at=utc(2026, 8, 3, 9),
    )
    kept = tell_story(
        ask4,
        agent,
        name="Di Evans",
        email="di@example.com",
        secret="Obsidian",
        at=utc(2026, 8, 4, 9),
        resolve=False,
    )
    return cy, kept


def test_L10_erasure_removes_personal_data_and_keeps_every_figure(
    ask4, member, stories, media
) -> None:
    cy, kept = stories
    supervisor = member(ask4, "supervisor")
    refresh_clocks(cy.case, NOW)
    rebuild_reports(NOW, ask4)
    figures, clocks = report_rows(ask4), clock_rows(cy.case)
    assert figures["ComplianceCount"]
    assert figures["CauseRecord"]
    events = list(Event.objects.filter(case=cy.case).order_by("pk").values_list("kind", "at"))
    files = [a.file.path for a in Attachment.objects.filter(message__case=cy.case)]
    assert files
    assert all(os.path.exists(path) for path in files)

    record = erase_contact(cy.contact, reason="request of 1 Sep", actor=supervisor, now=NOW)

    # the personal data is gone: nothing of the secret anywhere in the contact's export
    cy.contact.refresh_from_db()
    assert (cy.contact.name, cy.contact.email, cy.contact.phone) == ("", "", "")
    document, exported = export_document(cy.contact, NOW)
    assert "Sapphire" not in json.dumps(document, ensure_ascii=False)
    assert exported == {}  # no raw mail, no file
    case = Case.objects.get(pk=cy.case.pk)
    assert case.subject == ""
    assert case.fields == {"summary": ERASED}
    assert not Message.objects.filter(case=case, raw__isnull=False).exists()
    assert set(Message.objects.filter(case=case).values_list("body", flat=True)) == {ERASED}
    assert not Attachment.objects.filter(message__case=case).exists()
    assert not any(os.path.exists(path) for path in files)
    # the statistics are not: events' kinds and times, clocks, every report row
    assert list(Event.objects.filter(case=case).order_by("pk").values_list("kind", "at")) == events
    cause = Event.objects.get(case=case, kind="cause_classified")
    assert cause.data == {"cause": "billing"}  # reports read it
    delay = Event.objects.get(case=case, kind="delay_notice_sent")
    assert delay.data["reason"] == ERASED
    assert delay.data["new_date"]
    refresh_clocks(case, NOW)  # evaluated again from the erased events: the same
    assert clock_rows(case) == clocks
    rebuild_reports(NOW, ask4)
    assert report_rows(ask4) == figures
    # the other customer is untouched
    assert Message.objects.filter(case=kept.case, body="My Obsidian problem").exists()
    # recorded and audited
    assert record.cases == [cy.case.reference]
    assert record.counts["attachments"] == 1
    assert record.counts["raw_mail"] == 2
    audit = AuditEntry.objects.get(action="privacy:erased_request")
    assert (audit.actor, audit.target) == (supervisor, f"contact:{cy.contact.pk}")
    assert "Sapphire" not in json.dumps(audit.data)


def test_erasing_twice_changes_nothing_more(ask4, member, stories) -> None:
    cy, _kept = stories
    supervisor = member(ask4, "supervisor")
    erase_contact(cy.contact, reason="request", actor=supervisor, now=NOW)
    again = erase_contact(cy.contact, reason="request again", actor=supervisor, now=NOW)
    assert again.counts == {}
    assert ErasedCase.objects.count() == 1


@pytest.mark.parametrize("on", ["contact", "case"])
def test_a_legal_hold_blocks_erasure_with_a_clear_message(ask4, member, stories, on: str) -> None:
    cy, _kept = stories
    supervisor = member(ask4, "supervisor")
    target = {"contact": cy.contact} if on == "contact" else {"case": cy.case}
    hold = place_hold(reason="claim 2026/17 in court", actor=supervisor, now=NOW, **target)
    with pytest.raises(PrivacyError) as refused:
        erase_contact(cy.contact, reason="request", actor=supervisor, now=NOW)
    assert refused.value.code == "held"
    assert "claim 2026/17 in court" in str(refused.value)
    assert "release the hold" in str(refused.value)
    assert Message.objects.filter(case=cy.case, body="My Sapphire problem").exists()
    assert not ErasureRecord.objects.exists()
    release_hold(hold, reason="claim settled", actor=supervisor, now=NOW)
    erase_contact(cy.contact, reason="request", actor=supervisor, now=NOW)
    assert not Message.objects.filter(case=cy.case, body="My Sapphire problem").exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="privacy:").values_list("action", flat=True)
    )
    assert actions == ["privacy:hold_placed", "privacy:hold_released", "privacy:erased_request"]


def test_erasure_needs_a_reason_and_a_supervisor(ask4, member, stories) -> None:
    from charterdesk.cases.charters import NotAllowed

    cy, _kept = stories
    with pytest.raises(NotAllowed):
        erase_contact(cy.contact, reason="x", actor=member(ask4, "agent", name="a2"), now=NOW)
    with pytest.raises(PrivacyError):
        erase_contact(cy.contact, reason=" ", actor=member(ask4, "owner"), now=NOW)


def test_T11_free_text_fields_go_dates_and_compared_fields_stay(db: None) -> None:
    from charterdesk.cases.services import open_case
    from charterdesk.privacy.erasure import erased_fields
    from tests.seeds import install

    lt_pro = install("lt-pro")
    case = open_case(
        lt_pro,
        case_type="exam_registration",
        channel="email",
        received_at=utc(2026, 9, 1, 9),
        now=utc(2026, 9, 1, 9),
        fields={"exam_date": "2026-10-10", "late_registration": False, "passport": "4510 123456"},
    )
    # the date drives T21's clock, the boolean a commitment's condition; the unknown text goes
    assert erased_fields(case) == {
        "exam_date": "2026-10-10",
        "late_registration": False,
        "passport": ERASED,
    }
