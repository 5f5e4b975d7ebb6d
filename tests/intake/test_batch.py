"""``receive_many`` (mail written together, the IMAP poller's way) and ``receive`` (which is
``receive_many`` of one mail) leave exactly the rows that ``receive_alone``, one mail at a
time the long way, leaves: every case, event, clock, message, attachment, acknowledgement
and outbox row, rejection and bounce, compared field by field.

The mails: the corpus (every charset, malformed mail, auto-replies, bounces, replies to
earlier cases, the flood of four from one sender that the cap stops), then new mail made
to meet the batch path's own hard parts: the same mail twice in one batch, a reply to a
mail earlier in the same batch, several mails from one new sender (one contact, counted
towards the cap), and mail for two organizations in turn.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

import pytest
from django.db import transaction

from charterdesk.cases.models import (
    Attachment,
    AuditEntry,
    Case,
    Clock,
    Contact,
    Event,
    Message,
    Organization,
    OutboxMessage,
    ReferenceCounter,
)
from charterdesk.intake import receive as receive_module
from charterdesk.intake.models import Bounce, MessageHtml, RejectedMail
from charterdesk.intake.outcome import Outcome
from charterdesk.intake.receive import receive, receive_alone, receive_many
from charterdesk.portal.models import CaseAccess

from .conftest import NOW, corpus_files
from .test_corpus import corpus_limits

_TOKEN = re.compile(r"/track/[A-Za-z0-9_-]{20,}/")
Mails = list[tuple[bytes, list[str]]]


def _new_mail(
    number: int,
    *,
    sender: str,
    to: str = "contact@leviatan.ro",
    message_id: str | None = None,
    in_reply_to: str = "",
    html: bool = False,
    pdf: bool = False,
) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"Comanda {number} a sosit deteriorată"
    message["Date"] = f"Tue, 10 Mar 2026 11:{number % 60:02d}:00 +0200"
    message["Message-ID"] = message_id or f"<batch-{number}@example.ro>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    text = f"Bună ziua, comanda {number} a sosit cu un picior rupt. Vă rog să o înlocuiți."
    message.set_content(text)
    if html:
        message.add_alternative(f"<p>{text}<script>alert(1)</script></p>", subtype="html")
    if pdf:
        data = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
        message.add_attachment(
            data, maintype="application", subtype="pdf", filename=f"factura-{number}.pdf"
        )
    return message.as_bytes()


def mails() -> Mails:
    corpus: Mails = [(path.read_bytes(), []) for path in corpus_files()]
    twice = _new_mail(101, sender="Ana <ana@example.ro>", html=True)
    own: Mails = [
        (twice, []),
        (_new_mail(102, sender="Dan <dan@example.ro>", pdf=True), []),
        (twice, ["contact@leviatan.ro"]),  # the same mail again, in the same batch
        (_new_mail(103, sender="Ana <ana@example.ro>", in_reply_to="<batch-101@example.ro>"), []),
        (_new_mail(104, sender="Ana <ana@example.ro>"), []),
        (_new_mail(105, sender="Ana <ana@example.ro>", pdf=True), []),
        (_new_mail(106, sender="Ana <ana@example.ro>"), []),  # her third acknowledgement
        (_new_mail(107, sender="Ana <ana@example.ro>"), []),  # capped
        (_new_mail(108, sender="Ivan <ivan@example.ru>", to="info@lt-pro.ru"), []),
        (_new_mail(109, sender="Dan <dan@example.ro>", html=True), []),
        (_new_mail(110, sender="Ivan <ivan@example.ru>", to="info@lt-pro.ru", pdf=True), []),
        (_new_mail(111, sender="Eve <eve@example.ro>", message_id="<no-one-knows@x>"), []),
    ]
    return corpus + own


def _undone(work: Callable[[], list[Outcome]]) -> tuple[list[Outcome], dict[str, Any]]:
    """What ``work`` returns and leaves in the database; then the database as before."""

    class Undo(Exception):
        pass

    kept: dict[str, Any] = {}
    try:
        with transaction.atomic():
            kept["outcomes"] = work()
            kept["rows"] = snapshot()
            raise Undo
    except Undo:
        pass
    return kept["outcomes"], kept["rows"]


def one_by_one(receiving: Callable[..., Outcome]) -> Callable[[Mails], list[Outcome]]:
    def work(batch: Mails) -> list[Outcome]:
        return [receiving(raw, recipients=to, now=NOW, source="test") for raw, to in batch]

    return work


def in_batches(size: int) -> Callable[[Mails], list[Outcome]]:
    def work(batch: Mails) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for start in range(0, len(batch), size):
            outcomes += receive_many(batch[start : start + size], now=NOW, source="test")
        return outcomes

    return work


def snapshot() -> dict[str, Any]:
    """Every row intake writes, without keys, random names or the time of writing."""
    cases = {case.pk: case.reference for case in Case.objects.all()}
    messages = {m.pk: m for m in Message.objects.all()}
    ours: dict[str, str] = {}  # our new Message-IDs (random) -> a stable name
    for pk in sorted(messages):
        message = messages[pk]
        if message.direction == "out" and message.at == NOW:
            ours[message.message_id] = f"<ours-{cases[message.case_id]}-{len(ours)}>"

    def mid(value: str | None) -> str | None:
        return ours.get(value, value) if value else value

    def message_key(pk: int) -> tuple[str, str, str | None]:
        message = messages[pk]
        return (cases[message.case_id], message.direction, mid(message.message_id))

    events = {e.pk: (cases[e.case_id], e.kind, e.at) for e in Event.objects.all()}

    def event_data(data: dict[str, Any]) -> dict[str, Any]:  # keys differ from run to run
        return {k: message_key(v) if k == "message" else v for k, v in data.items()}

    def audit_data(data: dict[str, Any]) -> dict[str, Any]:
        return {k: events[v] if k == "event" else v for k, v in data.items()}

    def payload(data: dict[str, Any]) -> dict[str, Any]:
        return {
            **data,
            "message": message_key(data["message"]) if "message" in data else None,
            "message_id": mid(data.get("message_id")),
            "in_reply_to": mid(data.get("in_reply_to")),
            "references": [mid(r) for r in data.get("references", [])],
            "body": _TOKEN.sub("/track/TOKEN/", data.get("body", "")),
        }

    def outbox_key(key: str) -> str:
        kind, _, pk = key.partition(":")
        return f"{kind}:{message_key(int(pk))}" if kind == "mail" else key

    return {
        "contacts": sorted(
            Contact.objects.values_list("organization_id", "email", "name", "phone", "language")
        ),
        "counters": sorted(ReferenceCounter.objects.values_list("organization_id", "year", "last")),
        "cases": sorted(
            (
                case.reference,
                case.organization_id,
                case.charter_id,
                case.case_type,
                case.channel,
                case.language,
                case.status,
                case.priority,
                case.subject,
                case.fields,
                case.contact.email if case.contact else None,
                case.assignee_id,
                case.received_at,
                case.next_due_at,
            )
            for case in Case.objects.select_related("contact")
        ),
        "events": [  # in each case's order, which the clocks read them in
            (cases[e.case_id], e.kind, e.at, event_data(e.data), e.actor_id, e.organization_id)
            for e in Event.objects.order_by("case__reference", "at", "pk")
        ],
        "audit": sorted(
            (a.target, a.action, repr(audit_data(a.data)), a.at, a.actor_id, a.organization_id)
            for a in AuditEntry.objects.all()
        ),
        "messages": sorted(
            (
                *message_key(m.pk),
                m.organization_id,
                m.channel,
                m.author,
                _TOKEN.sub("/track/TOKEN/", m.body),
                bytes(m.raw) if m.raw else None,
                m.at,
            )
            for m in messages.values()
        ),
        "html": sorted((message_key(h.message_id), h.html) for h in MessageHtml.objects.all()),
        "attachments": sorted(
            (
                message_key(a.message_id),
                a.filename,
                a.content_type,
                a.size,
                a.file.name.rsplit(".", 1)[-1],
                hashlib.sha256(a.file.read()).hexdigest(),
            )
            for a in Attachment.objects.all()
        ),
        "clocks": sorted(
            (
                cases[c.case_id],
                c.commitment,
                c.state,
                c.started_at,
                c.due_at,
                c.warn_at,
                c.met_at,
                c.reason,
                c.cycle,
                c.missed_cycles,
                c.organization_id,
            )
            for c in Clock.objects.all()
        ),
        "outbox": sorted(
            (
                outbox_key(o.key),
                cases[o.case_id] if o.case_id else None,
                o.kind,
                o.status,
                repr(payload(o.payload)),
                o.next_attempt_at,
                o.attempts,
                o.organization_id,
            )
            for o in OutboxMessage.objects.all()
        ),
        "tracking_links": sorted(
            (cases[a.case_id], a.created_at, a.expires_at, a.revoked)
            for a in CaseAccess.objects.all()
        ),
        "rejected": sorted(
            (
                r.organization_id or 0,
                r.code,
                r.detail,
                r.sender,
                r.recipients,
                r.subject,
                r.message_id,
                r.source,
                bytes(r.raw),
                r.size,
                r.at,
            )
            for r in RejectedMail.objects.all()
        ),
        "bounces": sorted(
            (
                message_key(b.message_id),
                b.action,
                b.status,
                b.diagnostic,
                b.recipient,
                b.report_id,
                b.source,
                bytes(b.raw),
                b.at,
            )
            for b in Bounce.objects.all()
        ),
    }


@pytest.mark.parametrize(
    ("name", "way"),
    [
        ("receive() one by one", one_by_one(receive)),
        ("receive_many, all in one batch", in_batches(1000)),
        ("receive_many, batches of 7", in_batches(7)),
    ],
)
def test_the_batch_path_writes_what_one_mail_at_a_time_writes(
    history: dict[str, Case],
    settings: Any,
    name: str,
    way: Callable[[Mails], list[Outcome]],
) -> None:
    corpus_limits(settings)
    batch = mails()
    expected_outcomes, expected = _undone(lambda: one_by_one(receive_alone)(batch))
    outcomes, rows = _undone(lambda: way(batch))

    assert [(o.kind, o.code, o.case_reference) for o in outcomes] == [
        (o.kind, o.code, o.case_reference) for o in expected_outcomes
    ]
    assert [o.detail for o in outcomes] == [o.detail for o in expected_outcomes]
    for table in expected:
        assert rows[table] == expected[table], f"{name}: {table} differ"
    # the mails were not all trivial: every way of ending is among them
    kinds = {outcome.kind for outcome in outcomes}
    assert kinds == {"case", "message", "duplicate", "bounce", "rejected"}
    assert sum(o.code == "opened" for o in outcomes) >= 30
    assert len(expected["outbox"]) >= 25
    assert expected["attachments"]


def test_most_of_the_batch_is_written_together(
    history: dict[str, Case], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain new cases do not go one at a time (else the test above proves little)."""
    corpus_limits(settings)
    alone: list[bytes] = []
    real_alone = receive_module._alone

    def counting(raw: bytes, *args: Any) -> Outcome:
        alone.append(raw)
        return real_alone(raw, *args)

    monkeypatch.setattr(receive_module, "_alone", counting)
    batch = mails()
    receive_many(batch, now=NOW, source="test")
    together = len(batch) - len(alone)
    assert together >= 25, f"only {together} of {len(batch)} written together"


def test_a_mail_that_breaks_the_batch_path_is_received_alone(
    orgs: dict[str, Organization], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in writing together costs speed, not mail: each is received on its own."""

    def broken(items: Sequence[object], now: object) -> None:
        raise RuntimeError("a bug in the batch path")

    monkeypatch.setattr(receive_module, "open_many", broken)
    batch = [(_new_mail(n, sender=f"C{n} <c{n}@example.ro>"), []) for n in range(3)]
    outcomes = receive_many(batch, now=NOW, source="test")
    assert [o.code for o in outcomes] == ["opened"] * 3
    assert Case.objects.count() == 3
    assert OutboxMessage.objects.count() == 3
