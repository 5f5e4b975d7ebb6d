"""Fixtures of the adapter tests: a real IMAP server (dovecot, started by
scripts/test-dovecot.sh unless CHARTERDESK_TEST_IMAP names one), a real LMTP listener on
loopback, seed organizations, and mail as customers write it."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from django.utils import timezone
from imap_tools import MailBoxUnencrypted

from charterdesk.intake.adapters.imap import MailboxConfig
from charterdesk.intake.adapters.lmtp import LmtpListener

REPO = Path(__file__).parents[2]
CHARTERS = REPO / "charters"
#: The password of every user of the test dovecot (scripts/test-dovecot.sh).
IMAP_PASSWORD = "charterdesk"


def customer_mail(
    *,
    to: str = "contact@leviatan.ro",
    sender: str = "Ana Popescu <ana.popescu@example.ro>",
    subject: str = "Factura dublă",
    body: str = "Bună ziua, am fost taxată de două ori pentru aceeași factură.",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain customer mail, as bytes with CRLF line ends (as servers store them)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="example.ro")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture(autouse=True)
def media(media: Path) -> Path:
    """Attachments in a temporary folder for every test here (tests/conftest.py)."""
    return media


# --- the IMAP server -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def imap_server() -> tuple[str, int]:
    """host, port of the test IMAP server: CHARTERDESK_TEST_IMAP, else the one
    scripts/test-dovecot.sh starts (installing dovecot if needed). Skipped only outside CI
    when it cannot be had."""
    address = os.environ.get("CHARTERDESK_TEST_IMAP", "").strip()
    if not address:
        started = subprocess.run(
            ["bash", str(REPO / "scripts" / "test-dovecot.sh")],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if started.returncode != 0:
            problem = f"no test IMAP server: {started.stderr.strip()[-2000:]}"
            if os.environ.get("CI"):
                pytest.fail(problem)
            pytest.skip(problem)
        address = started.stdout.strip().splitlines()[-1]
    host, _, port = address.rpartition(":")
    return host, int(port)


@dataclass
class TestMailbox:
    """One dovecot user's mailbox, emptied for the test."""

    config: MailboxConfig

    def client(self) -> MailBoxUnencrypted:
        box = MailBoxUnencrypted(self.config.host, self.config.port, timeout=10)
        return box.login(self.config.user, self.config.password)

    def append(self, *messages: bytes) -> None:
        with self.client() as box:
            for raw in messages:
                box.append(raw, "INBOX")

    def status(self, folder: str = "INBOX") -> dict[str, int]:
        with self.client() as box:
            return dict(box.folder.status(folder, ["MESSAGES", "UNSEEN"]))

    def empty(self) -> None:
        with self.client() as box:
            for folder in ("INBOX", "Processed"):
                box.folder.set(folder)
                box.delete(box.uids("ALL"))


@pytest.fixture
def imap_mailbox(imap_server: tuple[str, int]) -> Callable[..., TestMailbox]:
    """``imap_mailbox("leviatan")``: that dovecot user's mailbox, empty, as ``slug``'s."""

    def make(user: str, slug: str | None = None, processed_folder: str = "") -> TestMailbox:
        host, port = imap_server
        mailbox = TestMailbox(
            MailboxConfig(
                organization=slug or user,
                host=host,
                port=port,
                user=user,
                password=IMAP_PASSWORD,
                security="none",
                processed_folder=processed_folder,
                timeout=10,
            )
        )
        mailbox.empty()
        return mailbox

    return make


# --- the LMTP listener ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


#: The listener's size limit in these tests (small, so that a refused message is cheap).
LMTP_MAX_BYTES = 200_000


@pytest.fixture
def lmtp_listener(transactional_db: None) -> Iterator[LmtpListener]:
    """The LMTP listener on 127.0.0.1 and a free port. Deliveries run in another thread, so
    the tests use committed data (``transactional_db``)."""
    listener = LmtpListener(host="127.0.0.1", port=free_port(), max_bytes=LMTP_MAX_BYTES)
    listener.start()
    try:
        yield listener
    finally:
        listener.stop()
