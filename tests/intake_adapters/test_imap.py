"""IMAP polling against a real dovecot: every message handed to intake once, flagged only
after it is committed, and a poller killed in between neither loses nor doubles mail."""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from charterdesk.cases.models import Case, Message
from charterdesk.intake.adapters import imap
from charterdesk.intake.adapters.imap import (
    MailboxConfig,
    environment_key,
    mailboxes_from_environment,
    poll,
)
from charterdesk.intake.receive import Outcome
from charterdesk.intake.routing import our_addresses
from tests.seeds import install

from .conftest import customer_mail

pytestmark = pytest.mark.django_db


def now() -> datetime:
    return timezone.now()


def complaints(count: int) -> list[bytes]:
    return [
        customer_mail(subject=f"Reclamație {n}", body=f"Reclamația numărul {n}.")
        for n in range(count)
    ]


class Killed(BaseException):
    """The process dying: nothing after it runs, no ``except Exception`` catches it."""


def test_each_message_becomes_a_case_once_and_is_flagged_seen(imap_mailbox):
    org = install("leviatan")
    mailbox = imap_mailbox("leviatan")
    mailbox.append(*complaints(3))

    result = poll(mailbox.config, clock=now, own_addresses=our_addresses(org))

    assert result.counts == Counter(case=3)
    assert Case.objects.filter(organization=org, channel="email").count() == 3
    assert mailbox.status() == {"MESSAGES": 3, "UNSEEN": 0}
    again = poll(mailbox.config, clock=now, own_addresses=our_addresses(org))
    assert again.counts == Counter()
    assert Case.objects.count() == 3


def test_killed_between_saving_and_flagging_loses_nothing_and_doubles_nothing(
    imap_mailbox, monkeypatch
):
    org = install("leviatan")
    mailbox = imap_mailbox("leviatan")
    mailbox.append(*complaints(5))
    real_receive_many = imap.receive_many
    batches: list[list[Outcome]] = []

    def receive_then_die_after_the_second_batch(
        mails: list[tuple[bytes, list[str]]], **kwargs: object
    ) -> list[Outcome]:
        outcomes = real_receive_many(mails, **kwargs)  # type: ignore[arg-type]
        batches.append(outcomes)
        if len(batches) == 2:
            raise Killed  # saved and committed, never flagged
        return outcomes

    monkeypatch.setattr(imap, "receive_many", receive_then_die_after_the_second_batch)
    with pytest.raises(Killed):
        poll(mailbox.config, clock=now, own_addresses=our_addresses(org), batch=2)
    assert Case.objects.count() == 4
    # the first batch flagged; the second saved but unseen; the fifth never received
    assert mailbox.status() == {"MESSAGES": 5, "UNSEEN": 3}

    monkeypatch.setattr(imap, "receive_many", real_receive_many)  # the poller restarts
    result = poll(mailbox.config, clock=now, own_addresses=our_addresses(org), batch=2)

    assert result.counts == Counter(duplicate=2, case=1)
    assert Case.objects.count() == 5
    assert Message.objects.filter(direction="in").count() == 5
    subjects = sorted(Case.objects.values_list("subject", flat=True))
    assert subjects == [f"Reclamație {n}" for n in range(5)]
    assert mailbox.status() == {"MESSAGES": 5, "UNSEEN": 0}


def test_database_down_stops_the_poll_and_leaves_the_mail_for_the_next(imap_mailbox, monkeypatch):
    org = install("leviatan")
    mailbox = imap_mailbox("leviatan")
    mailbox.append(*complaints(2))

    def database_down(mails: object, **kwargs: object) -> list[Outcome]:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(imap, "receive_many", database_down)
    result = poll(mailbox.config, clock=now, own_addresses=our_addresses(org))
    assert result.stopped.startswith("database")
    assert mailbox.status() == {"MESSAGES": 2, "UNSEEN": 2}

    monkeypatch.undo()
    result = poll(mailbox.config, clock=now, own_addresses=our_addresses(org))
    assert result.counts == Counter(case=2)
    assert mailbox.status()["UNSEEN"] == 0


def test_processed_folder_receives_the_handled_mail(imap_mailbox):
    org = install("leviatan")
    mailbox = imap_mailbox("leviatan", processed_folder="Processed")
    mailbox.append(*complaints(2))

    result = poll(mailbox.config, clock=now, own_addresses=our_addresses(org))

    assert result.counts == Counter(case=2)
    assert mailbox.status("INBOX")["MESSAGES"] == 0
    assert mailbox.status("Processed")["MESSAGES"] == 2


def test_the_raw_message_is_kept_byte_for_byte(imap_mailbox):
    org = install("leviatan")
    mailbox = imap_mailbox("leviatan")
    raw = customer_mail(subject="Exact bytes", body="Nimic de schimbat.")
    mailbox.append(raw)

    poll(mailbox.config, clock=now, own_addresses=our_addresses(org))

    stored = Message.objects.get(direction="in")
    assert bytes(stored.raw) == raw


def test_mailboxes_come_from_the_environment():
    environ = {
        "CHARTERDESK_IMAP_LT_PRO": "imaps://info%40lt-pro.ru:p%40ss:word@imap.lt-pro.ru/INBOX",
        "CHARTERDESK_IMAP_ASK4": "imap+starttls://desk:secret@mail.ask4.com:1143/Support"
        "?processed=Done",
        "CHARTERDESK_IMAP_NOBODY": "imaps://x:y@example.org/INBOX",
        "CHARTERDESK_IMAP_EUROLUX": "pop3://x:y@example.org/",
        "PATH": "/usr/bin",
    }
    configs, problems = mailboxes_from_environment(environ, ["ask4", "lt-pro", "eurolux"])

    assert configs == [
        MailboxConfig(
            organization="ask4",
            host="mail.ask4.com",
            port=1143,
            user="desk",
            password="secret",
            folder="Support",
            security="starttls",
            processed_folder="Done",
        ),
        MailboxConfig(
            organization="lt-pro",
            host="imap.lt-pro.ru",
            port=993,
            user="info@lt-pro.ru",
            password="p@ss:word",
            security="tls",
        ),
    ]
    assert problems == [
        "CHARTERDESK_IMAP_EUROLUX: eurolux: the scheme must be one of imaps, imap+starttls, "
        "imap, not 'pop3'",
        "CHARTERDESK_IMAP_NOBODY names no organization",
    ]
    assert "secret" not in repr(configs[0])
    assert environment_key("lt-pro") == "CHARTERDESK_IMAP_LT_PRO"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("imaps://host.example/INBOX", "needs user:password@host"),
        ("imaps://user@host.example/INBOX", "needs user:password@host"),
        ("imaps://u:p@host.example:99999/INBOX", "bad port"),
    ],
)
def test_a_bad_mailbox_address_is_named(url: str, problem: str):
    with pytest.raises(ValueError, match=problem):
        MailboxConfig.from_url("ask4", url)


def test_poll_imap_command_polls_the_mailboxes_in_the_environment(imap_mailbox, monkeypatch):
    install("leviatan")
    mailbox = imap_mailbox("leviatan")
    mailbox.append(*complaints(2))
    config = mailbox.config
    monkeypatch.setenv(
        environment_key("leviatan"),
        f"imap://{config.user}:{config.password}@{config.host}:{config.port}/INBOX",
    )
    output = StringIO()

    call_command("poll_imap", "--once", stdout=output)

    assert output.getvalue() == "leviatan: 2 case\n"
    assert Case.objects.count() == 2


def test_poll_imap_command_without_mailboxes_says_how_to_set_one(db, monkeypatch):
    for name in [name for name in os.environ if name.startswith("CHARTERDESK_IMAP_")]:
        monkeypatch.delenv(name)
    with pytest.raises(CommandError, match="CHARTERDESK_IMAP_<SLUG>"):
        call_command("poll_imap", "--once")
