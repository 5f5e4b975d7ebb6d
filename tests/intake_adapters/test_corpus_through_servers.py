"""Issue 5: the intake corpus (tests/intake/corpus) through real servers. Through IMAP (a
shared dovecot mailbox, routed by headers) every mail ends as it does when handed to
``receive`` directly; through LMTP the listener refuses at the door what no organization
receives and what is over the size limit (550, 552: the sending server tells the sender),
and everything else ends as it does directly. The counts are printed."""

from __future__ import annotations

import smtplib
from collections import Counter
from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from intake.conftest import NOW, SEEDS, corpus_files, earlier_cases
from intake.test_corpus import EXPECTED, corpus_limits

from charterdesk.intake.adapters import imap
from charterdesk.intake.adapters.imap import poll
from charterdesk.intake.adapters.lmtp import LmtpListener
from charterdesk.intake.models import RejectedMail
from charterdesk.intake.parsing import RECIPIENT_HEADERS
from charterdesk.intake.receive import Outcome
from charterdesk.intake.routing import route
from tests.seeds import install

from .conftest import free_port

#: What the LMTP listener refuses itself, by file: the sending server returns these.
REFUSED_AT_THE_DOOR = {"21-message-over-limit.eml": 552, "38-unknown-recipient.eml": 550}


@pytest.fixture
def history(transactional_db: None, settings: Any) -> None:
    corpus_limits(settings)
    earlier_cases({name: install(name) for name in SEEDS})


def test_the_corpus_through_imap(history, imap_mailbox, monkeypatch):
    mailbox = imap_mailbox("desk", slug="shared")  # one mailbox for every organization
    mailbox.append(*(path.read_bytes() for path in corpus_files()))
    outcomes = spy_on_receive(monkeypatch)

    result = poll(mailbox.config, clock=lambda: NOW, own_addresses=())

    got = {path.name: (o.kind, o.code) for path, o in zip(corpus_files(), outcomes, strict=True)}
    assert got == EXPECTED
    counts = Counter(kind for kind, _ in got.values())
    print(f"\ncorpus through IMAP: {dict(sorted(counts.items()))} ({len(got)} mails)")
    assert result.counts == counts
    assert RejectedMail.objects.filter(source="imap").count() == counts["rejected"]
    assert mailbox.status()["UNSEEN"] == 0


def test_the_corpus_through_lmtp(history):
    listener = LmtpListener(
        host="127.0.0.1",
        port=free_port(),
        max_bytes=int(django_settings.CHARTERDESK_MAX_MESSAGE_BYTES),
        clock=lambda: NOW,
    )
    listener.start()
    try:
        got = {path.name: deliver(listener, path) for path in corpus_files()}
    finally:
        listener.stop()

    expected = {
        name: ("refused", REFUSED_AT_THE_DOOR[name]) if name in REFUSED_AT_THE_DOOR else (kind, 250)
        for name, (kind, _) in EXPECTED.items()
    }
    assert got == expected
    counts = Counter(kind for kind, _ in got.values())
    print(f"\ncorpus through LMTP: {dict(sorted(counts.items()))} ({len(got)} mails)")
    assert RejectedMail.objects.filter(source="lmtp").count() == counts["rejected"]


def spy_on_receive(monkeypatch: pytest.MonkeyPatch) -> list[Outcome]:
    """The outcomes of the IMAP adapter's calls of ``receive_many``, in order."""
    real: Callable[..., list[Outcome]] = imap.receive_many
    outcomes: list[Outcome] = []

    def receive_many(mails: list[tuple[bytes, list[str]]], **kwargs: Any) -> list[Outcome]:
        got = real(mails, **kwargs)
        outcomes.extend(got)
        return got

    monkeypatch.setattr(imap, "receive_many", receive_many)
    return outcomes


def envelope_recipient(raw: bytes) -> str:
    """Where a mail server would deliver it: the first address in its recipient headers
    that an organization receives at, else the first address at all."""
    head = message_from_bytes(raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0] + b"\n\n")
    found = []
    for name in RECIPIENT_HEADERS:
        for value in head.get_all(name, []):
            found += [part.strip().strip("<>") for part in str(value).split(",") if "@" in part]
    addresses = [address.rsplit("<", 1)[-1].strip(">") for address in found]
    return next((a for a in addresses if route([a]) is not None), addresses[0])


def deliver(listener: LmtpListener, path: Path) -> tuple[str, int]:
    """(the outcome's kind from the LMTP answer, the code) for one corpus file."""
    raw = path.read_bytes()
    with smtplib.LMTP(listener.hostname, listener.port, timeout=30) as client:
        client.ehlo()
        client.mail("mailer-daemon@relay.example")
        code, answer = client.rcpt(envelope_recipient(raw))
        if code != 250:
            return "refused", code
        code, answer = client.data(raw)
    if code != 250:
        return "refused", code
    return answer.decode().split()[2], code
