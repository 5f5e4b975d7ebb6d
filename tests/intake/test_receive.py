"""receive(): routing, threading, duplicates, loops, bounces, attachments and rejections,
each on the database, with the five seed organizations."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection

from charterdesk.cases.actions import request_information
from charterdesk.cases.models import (
    Attachment,
    Case,
    Event,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.intake import batch as batch_module
from charterdesk.intake import receive as receive_module
from charterdesk.intake.models import Bounce, MessageHtml, RejectedMail
from charterdesk.intake.receive import receive

from .conftest import CORPUS, NOW


def mail(
    *,
    to: str = "contact@leviatan.ro",
    sender: str = "Ion Popescu <ion@example.ro>",
    subject: str = "Question",
    body: str = "Hello, I have a question about my order.",
    message_id: str | None = "<m1@example.ro>",
    date: str = "Tue, 10 Mar 2026 11:00:00 +0200",
    extra: str = "",
) -> bytes:
    headers = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Date: {date}"]
    if message_id:
        headers.append(f"Message-ID: {message_id}")
    headers += [line for line in extra.split("\n") if line]
    headers.append("Content-Type: text/plain; charset=utf-8")
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def events(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("pk").values_list("kind", flat=True))


def test_a_new_mail_opens_a_case_acknowledged_in_its_language(
    orgs: dict[str, Organization],
) -> None:
    outcome = receive(corpus("06-ro-diacritics.eml"), now=NOW, source="lmtp")
    assert (outcome.kind, outcome.code) == ("case", "opened")
    case = Case.objects.get(reference=outcome.case_reference)
    assert (case.organization.slug, case.channel, case.case_type) == (
        "leviatan",
        "email",
        "enquiry",
    )
    assert case.language == "ro"
    assert case.subject == "Factură greșită"
    assert case.contact is not None
    assert (case.contact.email, case.contact.name) == ("stefan.taranu@example.ro", "Ștefan Țăranu")
    assert case.received_at == NOW - timedelta(hours=2, minutes=40)  # the Date header
    incoming = Message.objects.get(case=case, direction="in")
    assert incoming.raw is not None
    assert bytes(incoming.raw) == corpus("06-ro-diacritics.eml")
    assert incoming.message_id == "<0102018e2a1b2c3d-stefan@email.example.ro>"
    assert "suma este greșită" in incoming.body
    ack = OutboxMessage.objects.get(case=case, kind="mail")
    assert ack.payload["to"] == ["stefan.taranu@example.ro"]
    assert ack.payload["language"] == "ro"
    assert ack.payload["in_reply_to"] == incoming.message_id  # threads under the customer's
    assert ack.payload["automatic"] is True
    assert events(case)[:2] == ["received", "acknowledged"]


def test_ask4_email_opens_only_enquiries(orgs: dict[str, Organization]) -> None:  # A7
    outcome = receive(mail(to="support@ask4.com", subject="Reklamacja!"), now=NOW)
    assert Case.objects.get(reference=outcome.case_reference).case_type == "enquiry"


def test_the_received_time_is_never_in_the_future_nor_absurd(
    orgs: dict[str, Organization],
) -> None:
    future = receive(mail(date="Tue, 10 Mar 2026 23:00:00 +0000"), now=NOW)
    ancient = receive(mail(message_id="<m2@x>", date="Thu, 1 Jan 1970 00:00:00 +0000"), now=NOW)
    garbage = receive(mail(message_id="<m3@x>", date="the day before yesterday"), now=NOW)
    for outcome in (future, ancient, garbage):
        assert Case.objects.get(reference=outcome.case_reference).received_at == NOW


def test_our_mail_servers_received_stamp_wins_over_the_senders_clock(
    orgs: dict[str, Organization],
) -> None:
    stamp = "Received: from mx by mail.leviatan.ro; Tue, 10 Mar 2026 11:59:00 +0000"
    outcome = receive(mail(date="Tue, 10 Mar 2026 08:00:00 +0000", extra=stamp), now=NOW)
    case = Case.objects.get(reference=outcome.case_reference)
    assert case.received_at == NOW - timedelta(minutes=1)


def test_envelope_recipients_route_before_headers(orgs: dict[str, Organization]) -> None:
    outcome = receive(mail(to="contact@leviatan.ro"), recipients=["info@lt-pro.ru"], now=NOW)
    assert outcome.case_reference is not None
    assert outcome.case_reference.startswith("LTP-")


def test_an_unknown_recipient_is_a_recorded_rejection(orgs: dict[str, Organization]) -> None:
    raw = mail(to="sales@example.com")
    outcome = receive(raw, now=NOW, source="imap")
    assert (outcome.kind, outcome.code) == ("rejected", "unknown-recipient")
    rejected = RejectedMail.objects.get()
    assert rejected.organization is None
    assert (rejected.sender, rejected.source, bytes(rejected.raw)) == (
        "ion@example.ro",
        "imap",
        raw,
    )
    assert receive(raw, now=NOW).code == "unknown-recipient"
    assert RejectedMail.objects.count() == 1  # delivered again, recorded once


def test_a_duplicate_writes_nothing(orgs: dict[str, Organization]) -> None:
    receive(mail(), now=NOW)
    counts = [model.objects.count() for model in (Case, Message, Event, OutboxMessage)]
    outcome = receive(mail(body="the same Message-ID, delivered again"), now=NOW)
    assert outcome.kind == "duplicate"
    assert [model.objects.count() for model in (Case, Message, Event, OutboxMessage)] == counts


def test_a_message_id_is_only_a_duplicate_within_its_organization(
    orgs: dict[str, Organization],
) -> None:
    first = receive(mail(to="contact@leviatan.ro"), now=NOW)
    second = receive(mail(to="contact@leviatan.ro"), recipients=["admin@anlp.org"], now=NOW)
    assert (first.kind, second.kind) == ("case", "case")


def test_a_reply_threads_by_our_message_id(history: dict[str, Case]) -> None:
    case = history["LEV-2026-000001"]
    raw = mail(
        sender="ion.popescu@example.ro",
        subject="Re: something else entirely",
        extra="In-Reply-To: <ack.LEV-2026-000001@leviatan.ro>",
        body="Thank you.\n\nOn Mon, 2 Mar 2026, Leviatan <contact@leviatan.ro> wrote:\n> Hello",
    )
    outcome = receive(raw, now=NOW)
    assert (outcome.kind, outcome.code, outcome.case_reference) == (
        "message",
        "threaded",
        "LEV-2026-000001",
    )
    assert events(case)[-1] == "customer_replied"
    reply = Message.objects.filter(case=case, direction="in").latest("pk")
    assert reply.body.endswith("> Hello")  # the whole text is kept


def test_a_reply_never_threads_into_another_organization(history: dict[str, Case]) -> None:
    eurolux_case = history["EUR-2026-000001"]
    before = (events(eurolux_case), eurolux_case.messages.count())
    outcome = receive(corpus("36-reply-with-another-orgs-reference.eml"), now=NOW)
    assert outcome.kind == "case"
    assert outcome.case_reference is not None
    assert outcome.case_reference.startswith("LEV-")
    assert (events(eurolux_case), eurolux_case.messages.count()) == before
    tag = receive(mail(message_id="<t@x>", to="contact+EUR-2026-000001@leviatan.ro"), now=NOW)
    assert tag.kind == "case"
    assert tag.case_reference != "EUR-2026-000001"
    assert (events(eurolux_case), eurolux_case.messages.count()) == before


def test_an_automatic_reply_does_not_resume_a_paused_case(history: dict[str, Case]) -> None:
    case = history["LEV-2026-000001"]
    request_information(case, question="Which invoice?", now=NOW - timedelta(hours=1), actor=None)
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_CUSTOMER
    outcome = receive(corpus("22-out-of-office-threaded.eml"), now=NOW)
    assert (outcome.kind, outcome.code) == ("message", "automatic-reply")
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_CUSTOMER
    assert "customer_replied" not in events(case)
    assert events(case)[-1] == "noted"
    assert OutboxMessage.objects.filter(case=case).count() == 2  # the ack, the question: no more
    receive(corpus("34-reply-by-subject-reference.eml"), now=NOW)
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


@pytest.mark.parametrize(
    "extra",
    [
        "Auto-Submitted: auto-generated",
        "Precedence: junk",
        "X-Autorespond: yes",
        "Return-Path: <>",
        "X-Loop: Contact@Leviatan.ro",
    ],
)
def test_automatic_mail_to_no_case_is_never_answered(
    orgs: dict[str, Organization], extra: str
) -> None:
    outcome = receive(mail(extra=extra), now=NOW)
    assert (outcome.kind, outcome.code) == ("rejected", "auto-reply")
    assert not OutboxMessage.objects.exists()
    assert not Case.objects.exists()


def test_auto_submitted_no_is_a_person(orgs: dict[str, Organization]) -> None:
    assert receive(mail(extra="Auto-Submitted: no"), now=NOW).kind == "case"


def test_acknowledgements_to_one_sender_are_capped(orgs: dict[str, Organization]) -> None:
    outcomes = [receive(mail(message_id=f"<flood.{n}@x>"), now=NOW) for n in range(5)]
    assert [outcome.kind for outcome in outcomes] == ["case"] * 5
    assert OutboxMessage.objects.filter(kind="mail").count() == 3
    last = Case.objects.get(reference=outcomes[-1].case_reference)
    assert "acknowledged" not in events(last)
    note = Event.objects.get(case=last, kind="noted")
    assert "ion@example.ro" in note.data["text"]
    tomorrow = NOW + timedelta(hours=25)
    later = receive(
        mail(message_id="<next.day@x>", date="Wed, 11 Mar 2026 13:00:00 +0000"), now=tomorrow
    )
    assert "acknowledged" in events(Case.objects.get(reference=later.case_reference))


def test_our_own_mail_coming_back_is_not_answered(history: dict[str, Case]) -> None:
    outcome = receive(corpus("30-own-mail-back.eml"), now=NOW)
    assert (outcome.kind, outcome.code) == ("rejected", "own-mail")
    assert RejectedMail.objects.get().organization == history["LEV-2026-000001"].organization


def test_a_bounce_is_recorded_on_the_mail_it_answers(history: dict[str, Case]) -> None:
    case = history["LEV-2026-000002"]
    outcome = receive(corpus("28-bounce-rfc3464.eml"), now=NOW, source="imap")
    assert (outcome.kind, outcome.case_reference) == ("bounce", "LEV-2026-000002")
    bounce = Bounce.objects.get()
    assert bounce.message.message_id == "<ack.LEV-2026-000002@leviatan.ro>"
    assert (bounce.status, bounce.action, bounce.recipient) == (
        "5.1.1",
        "failed",
        "nobody@invalid.example.ro",
    )
    row = OutboxMessage.objects.get(payload__message=bounce.message.pk)
    assert "5.1.1" in row.last_error
    assert events(case)[-1] == "noted"
    assert receive(corpus("28-bounce-rfc3464.eml"), now=NOW).kind == "duplicate"
    assert Bounce.objects.count() == 1


def test_a_bounce_of_another_organizations_mail_is_not_recorded_there(
    history: dict[str, Case],
) -> None:
    raw = corpus("28-bounce-rfc3464.eml").replace(b"To: contact@leviatan.ro", b"To: info@lt-pro.ru")
    outcome = receive(raw, now=NOW)
    assert (outcome.kind, outcome.code) == ("rejected", "unmatched-bounce")
    assert not Bounce.objects.exists()


def test_attachments_are_stored_under_generated_names(
    orgs: dict[str, Organization], media: Path
) -> None:
    outcome = receive(corpus("09-rfc2047-and-2231-filenames.eml"), now=NOW)
    stored = list(Attachment.objects.filter(message__case__reference=outcome.case_reference))
    assert sorted(a.filename for a in stored) == [
        "Factură 2211 – corectată.pdf",
        "Ședință foto.png",
    ]
    assert sorted(a.content_type for a in stored) == ["application/pdf", "image/png"]
    for attachment in stored:
        assert attachment.filename not in attachment.file.name
        assert (media / attachment.file.name).stat().st_size == attachment.size


def test_a_program_named_pdf_is_refused_and_noted(orgs: dict[str, Organization]) -> None:
    outcome = receive(corpus("19-spoofed-exe-named-pdf.eml"), now=NOW)
    case = Case.objects.get(reference=outcome.case_reference)
    assert not Attachment.objects.exists()
    note = Event.objects.get(case=case, kind="noted")
    assert "invoice.pdf" in note.data["text"]


def test_an_attachment_over_the_limit_is_left_out_and_noted(
    orgs: dict[str, Organization], settings: Any
) -> None:
    settings.CHARTERDESK_MAX_ATTACHMENT_BYTES = 64 * 1024
    outcome = receive(corpus("20-attachment-over-limit.eml"), now=NOW)
    case = Case.objects.get(reference=outcome.case_reference)
    assert not Attachment.objects.exists()
    assert "scan.pdf" in Event.objects.get(case=case, kind="noted").data["text"]


def test_a_mail_over_the_limit_is_kept_in_part_with_its_size(
    orgs: dict[str, Organization], settings: Any
) -> None:
    settings.CHARTERDESK_MAX_MESSAGE_BYTES = 256 * 1024
    raw = corpus("21-message-over-limit.eml")
    outcome = receive(raw, now=NOW)
    assert (outcome.kind, outcome.code) == ("rejected", "too-large")
    rejected = RejectedMail.objects.get()
    assert rejected.organization is not None
    assert rejected.organization.slug == "leviatan"
    assert (len(rejected.raw), rejected.size) == (64 * 1024, len(raw))
    assert (rejected.message_id, rejected.sender) == ("<too.large@example.ro>", "sorin@example.ro")


def test_html_is_kept_clean_and_read_as_text(orgs: dict[str, Organization]) -> None:
    outcome = receive(corpus("15-html-only-scripts-remote-images.eml"), now=NOW)
    message = Message.objects.get(case__reference=outcome.case_reference, direction="in")
    assert message.body.startswith("Hello Leviatan,")
    html = MessageHtml.objects.get(message=message).html
    assert "<script" not in html
    assert "tracker.example.com" not in html
    assert "onload" not in html
    assert "<b>question</b>" in html


def test_a_mail_without_a_sender_opens_a_case_with_the_problem_noted(
    orgs: dict[str, Organization],
) -> None:
    outcome = receive(corpus("14-no-from.eml"), now=NOW)
    case = Case.objects.get(reference=outcome.case_reference)
    assert case.contact is None
    assert "acknowledged" not in events(case)
    assert "From" in Event.objects.get(case=case, kind="noted").data["text"]


def test_a_failure_inside_intake_is_recorded_not_raised(
    orgs: dict[str, Organization], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(raw: bytes) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(receive_module, "parse_mail", broken)
    monkeypatch.setattr(batch_module, "parse_mail", broken)
    outcome = receive(mail(), recipients=["contact@leviatan.ro"], now=NOW)
    assert (outcome.kind, outcome.code) == ("rejected", "failed")
    rejected = RejectedMail.objects.get()
    assert "a bug" in rejected.detail
    assert rejected.organization is not None
    assert not Case.objects.exists()


def test_a_database_that_cannot_be_written_raises_so_the_channel_retries(
    orgs: dict[str, Organization], monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object) -> None:
        raise OperationalError("the database is down")

    monkeypatch.setattr(receive_module, "route", down)
    monkeypatch.setattr(receive_module, "Router", down)
    with pytest.raises(OperationalError):
        receive(mail(), now=NOW)


def test_a_new_charter_address_routes_at_once(orgs: dict[str, Organization]) -> None:
    from charterdesk.cases.charters import approve_charter, propose_charter

    from .conftest import CHARTERS

    text = (CHARTERS / "leviatan.yaml").read_text(encoding="utf-8")
    assert receive(mail(to="hello@leviatan.ro"), now=NOW).code == "unknown-recipient"
    changed = text.replace("address: contact@leviatan.ro", "address: hello@leviatan.ro")
    approve_charter(propose_charter(changed, "charters/leviatan.yaml"), by=None)
    assert receive(mail(message_id="<m9@x>", to="hello@leviatan.ro"), now=NOW).kind == "case"


def test_a_reply_costs_a_handful_of_queries(
    history: dict[str, Case], django_assert_max_num_queries: Any
) -> None:
    raw = corpus("32-reply-by-in-reply-to.eml")
    with django_assert_max_num_queries(25):
        receive(raw, now=NOW)
    # 3 reads, the savepoints of batch and mail, and PostgreSQL's lock on the Message-ID
    with django_assert_max_num_queries(7 + (connection.vendor == "postgresql")):
        assert receive(raw, now=NOW).kind == "duplicate"
