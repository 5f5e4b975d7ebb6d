"""Fixtures of the intake tests: the five seed organizations, attachments stored in a
temporary folder, and earlier cases for the corpus's replies and bounces to answer.

The corpus (``corpus/*.eml``, described in ``corpus/README.md``) is received at
:data:`NOW`, after :func:`earlier_cases`; other tests (IMAP, LMTP) can reuse both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from charterdesk.cases.models import Case, Contact, Message, Organization, OutboxMessage
from charterdesk.cases.services import open_case
from tests.seeds import install

CHARTERS = Path(__file__).parents[2] / "charters"
CORPUS = Path(__file__).parent / "corpus"
SEEDS = ("leviatan", "eurolux", "lt-pro", "ask4", "anlp")
#: When the corpus is received: Tuesday 10 March 2026, 12:00 UTC.
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
#: When the earlier cases arrived.
EARLIER = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: The earlier cases: reference, customer, and the Message-IDs of the customer's mail and
#: of our acknowledgement (the corpus's replies answer these).
HISTORY = {
    "leviatan": [
        ("LEV-2026-000001", "ion.popescu@example.ro", "<first.1@mail.example.ro>",
         "<ack.LEV-2026-000001@leviatan.ro>"),
        ("LEV-2026-000002", "nobody@invalid.example.ro", "<first.2@mail.example.ro>",
         "<ack.LEV-2026-000002@leviatan.ro>"),
    ],
    "eurolux": [
        ("EUR-2026-000001", "aysel.mammadova@example.az", "<first.1@mail.example.az>",
         "<ack.EUR-2026-000001@eurolux.az>"),
    ],
    "lt-pro": [
        ("LTP-2026-000001", "ivan.petrov@example.ru", "<first.1@mail.example.ru>",
         "<ack.LTP-2026-000001@lt-pro.ru>"),
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def media(media: Path) -> Path:
    """Attachments in a temporary folder for every test here (tests/conftest.py)."""
    return media


@pytest.fixture
def orgs(db: None) -> dict[str, Organization]:
    return {name: install(name) for name in SEEDS}


def earlier_cases(orgs: dict[str, Organization]) -> dict[str, Case]:
    """The cases of :data:`HISTORY`, each with the customer's mail and our acknowledgement
    (its outbox row included), with the Message-IDs the corpus refers to."""
    cases = {}
    for slug, rows in HISTORY.items():
        org = orgs[slug]
        for reference, customer, theirs, ours in rows:
            contact = Contact.objects.create(organization=org, email=customer)
            case = open_case(
                org, case_type="enquiry", channel="email", received_at=EARLIER, now=EARLIER,
                subject="Earlier question", contact=contact,
            )  # fmt: skip
            assert case.reference == reference
            Message.objects.create(
                organization=org, case=case, direction="in", channel="email",
                body="Earlier question", message_id=theirs, at=EARLIER,
            )  # fmt: skip
            ack = Message.objects.get(case=case, direction="out")
            Message.objects.filter(pk=ack.pk).update(message_id=ours)
            row = OutboxMessage.objects.get(case=case, payload__message=ack.pk)
            row.payload = {**row.payload, "message_id": ours}
            row.status = OutboxMessage.Status.SENT
            row.save()
            cases[reference] = case
    return cases


@pytest.fixture
def history(orgs: dict[str, Organization]) -> dict[str, Case]:
    return earlier_cases(orgs)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.eml"))
