"""IMAP polling: each organization's mailbox, in batches through :func:`receive_many`.

Crash safety comes from the order of three steps, per batch (up to :data:`BATCH` messages):
fetch them without marking them seen (``BODY.PEEK``), hand them to :func:`receive_many`,
which commits them together, and only then flag them ``\\Seen`` (or move them to the
processed folder), in one command. A poller killed between the commit and the flag leaves
the batch unseen; the next poll hands it over again and intake answers "duplicate" (by
Message-ID) for each. Nothing is lost, nothing is doubled.

Mailboxes are configured only from the environment, one variable per organization, so
their passwords live where the other secrets do::

    CHARTERDESK_IMAP_<SLUG>=imaps://user:password@imap.example.org:993/INBOX

``<SLUG>`` is the organization's slug in capitals with ``-`` as ``_`` (``lt-pro`` is
``CHARTERDESK_IMAP_LT_PRO``). Schemes: ``imaps`` (TLS, port 993 by default),
``imap+starttls`` (port 143, upgraded with STARTTLS) and ``imap`` (no TLS at all: only for
a server on the same machine). User and password are percent-encoded where needed. The
path names the folder (default ``INBOX``); ``?processed=Processed`` moves each handled
message to that folder instead of flagging it ``\\Seen``.
"""

from __future__ import annotations

import logging
import ssl
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from django.db import DatabaseError
from imap_tools import AND, MailMessageFlags
from imap_tools.errors import MailboxFlagError
from imap_tools.mailbox import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.message import MailMessage
from imap_tools.utils import check_command_status

from charterdesk.intake.headers import addresses
from charterdesk.intake.parsing import RECIPIENT_HEADERS, read_headers
from charterdesk.intake.receive import Outcome, receive_many
from charterdesk.intake.routing import split_address

logger = logging.getLogger(__name__)

ENVIRONMENT_PREFIX = "CHARTERDESK_IMAP_"
#: Messages received in one transaction and flagged together (fewer if they are large).
BATCH = 100
#: A batch ends once its messages hold this many bytes (mail can be 25 MB each).
BATCH_BYTES = 64 * 1024 * 1024
#: Messages fetched from the server at a time.
FETCH = 50
Security = Literal["tls", "starttls", "none"]
_SCHEMES: dict[str, tuple[Security, int]] = {
    "imaps": ("tls", 993),
    "imap+starttls": ("starttls", 143),
    "imap": ("none", 143),
}


@dataclass(frozen=True, kw_only=True)
class MailboxConfig:
    """Where one organization's mail waits, and what to do with a handled message."""

    organization: str  # the organization's slug
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    security: Security = "tls"
    #: Move handled messages here; empty: flag them ``\\Seen`` and leave them in place.
    processed_folder: str = ""
    timeout: float = 30.0

    @classmethod
    def from_url(cls, organization: str, url: str) -> MailboxConfig:
        """Read ``imaps://user:password@host:port/FOLDER?processed=FOLDER``; a ValueError
        names what is wrong (never the password)."""
        parts = urlsplit(url.strip())
        if parts.scheme not in _SCHEMES:
            raise ValueError(
                f"{organization}: the scheme must be one of {', '.join(_SCHEMES)}, "
                f"not {parts.scheme!r}"
            )
        security, default_port = _SCHEMES[parts.scheme]
        try:
            port = parts.port or default_port
        except ValueError as error:
            raise ValueError(f"{organization}: bad port in the IMAP address") from error
        if not parts.hostname or not parts.username or parts.password is None:
            raise ValueError(f"{organization}: the IMAP address needs user:password@host")
        processed = parse_qs(parts.query).get("processed", [""])[0]
        return cls(
            organization=organization,
            host=parts.hostname,
            port=port,
            user=unquote(parts.username),
            password=unquote(parts.password),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            security=security,
            processed_folder=processed,
        )


def environment_key(slug: str) -> str:
    return ENVIRONMENT_PREFIX + slug.upper().replace("-", "_")


def mailboxes_from_environment(
    environ: Mapping[str, str], slugs: Sequence[str]
) -> tuple[list[MailboxConfig], list[str]]:
    """The configured mailboxes of the organizations ``slugs``, and the problems found
    (a bad address, a variable that names no organization)."""
    configs: list[MailboxConfig] = []
    problems: list[str] = []
    known = {environment_key(slug): slug for slug in slugs}
    for key, value in sorted(environ.items()):
        if not key.startswith(ENVIRONMENT_PREFIX):
            continue
        if key not in known:
            problems.append(f"{key} names no organization")
            continue
        try:
            configs.append(MailboxConfig.from_url(known[key], value))
        except ValueError as error:
            problems.append(f"{key}: {error}")
    return configs, problems


@dataclass
class PollResult:
    """What one poll of one mailbox did: outcomes by kind, ``failed`` for messages left
    in place after an unexpected error, and why the poll stopped early if it did."""

    organization: str
    counts: Counter[str] = field(default_factory=Counter)
    stopped: str = ""

    @property
    def handled(self) -> int:
        return sum(n for kind, n in self.counts.items() if kind != "failed")


class RawMessage(MailMessage):
    """A fetched message kept as the bytes the server holds (imap-tools would parse it
    into ``obj``; intake parses it itself and keeps the raw message whole)."""

    def __init__(self, fetch_data: list[bytes | tuple[bytes, bytes]]) -> None:
        raw, uid_data, flag_data = self._get_message_data_parts(fetch_data)
        self._raw_uid_data = uid_data
        self._raw_flag_data = flag_data
        self.raw: bytes = raw


def _client(config: MailboxConfig) -> BaseMailBox:
    box: BaseMailBox
    if config.security == "tls":
        box = MailBox(
            config.host,
            config.port,
            timeout=config.timeout,
            ssl_context=ssl.create_default_context(),
        )
    elif config.security == "starttls":
        box = MailBoxStartTls(
            config.host,
            config.port,
            timeout=config.timeout,
            ssl_context=ssl.create_default_context(),
        )
    else:
        box = MailBoxUnencrypted(config.host, config.port, timeout=config.timeout)
    box.email_message_class = RawMessage
    return box


@contextmanager
def connected(config: MailboxConfig) -> Iterator[BaseMailBox]:
    """A logged-in client on the configured folder, logged out afterwards."""
    box = _client(config)
    box.login(config.user, config.password, initial_folder=config.folder)
    try:
        yield box
    finally:
        try:
            box.logout()
        except Exception as error:  # a dropped connection: nothing left to close
            logger.info("IMAP logout from %s: %s", config.host, error)


def poll(
    config: MailboxConfig,
    *,
    clock: Callable[[], datetime],
    own_addresses: Sequence[str],
    limit: int | None = None,
    batch: int = BATCH,
) -> PollResult:
    """Hand every waiting message of the mailbox to intake, ``batch`` at a time, then mark
    them handled.

    ``own_addresses`` are the organization's addresses (``routing.our_addresses``): the
    mail in its mailbox is its mail, whatever else the headers name. Empty, the mailbox is
    shared and each mail is routed by its headers. A database failure stops the poll with
    the batch left in place for the next one.
    """
    result = PollResult(config.organization)
    with connected(config) as box:
        criteria = AND(all=True) if config.processed_folder else AND(seen=False)
        messages = box.fetch(criteria, mark_seen=False, limit=limit, bulk=min(batch, FETCH))
        for chunk in _batches(messages, batch):
            try:
                outcomes = _receive_batch(chunk, clock(), own_addresses)
            except DatabaseError as error:
                result.stopped = f"database: {error}"
                logger.warning("IMAP %s: stopped, database error: %s", config.organization, error)
                break
            except Exception:  # intake records bad mail; this is a bug: leave them be
                logger.exception(
                    "IMAP %s: messages %s left unseen",
                    config.organization,
                    ",".join(str(message.uid) for message in chunk),
                )
                result.counts["failed"] += len(chunk)
                continue
            _mark_handled(box, config, chunk)
            result.counts.update(outcome.kind for outcome in outcomes)
    return result


def _batches(messages: Iterator[MailMessage], size: int) -> Iterator[list[RawMessage]]:
    chunk: list[RawMessage] = []
    held = 0
    for message in messages:
        assert isinstance(message, RawMessage)
        chunk.append(message)
        held += len(message.raw)
        if len(chunk) >= size or held >= BATCH_BYTES:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _receive_batch(
    messages: Sequence[RawMessage], now: datetime, own_addresses: Sequence[str]
) -> list[Outcome]:
    return receive_many(
        [(message.raw, envelope_of(message.raw, own_addresses)) for message in messages],
        now=now,
        source="imap",
    )


def envelope_of(raw: bytes, own_addresses: Sequence[str]) -> list[str]:
    """The recipients to route by: the organization's addresses the headers name (as
    written: a reply address keeps its ``+reference``), then all its addresses."""
    own = {split_address(address)[0] for address in own_addresses}
    named = [
        address
        for _, address in addresses(read_headers(raw), *RECIPIENT_HEADERS)
        if split_address(address)[0] in own
    ]
    return list(dict.fromkeys([*named, *own_addresses]))


def _mark_handled(box: BaseMailBox, config: MailboxConfig, messages: Sequence[RawMessage]) -> None:
    """After the commit: flag them seen, or move them to the processed folder (one
    command for the batch)."""
    uids = [message.uid for message in messages]
    if any(uid is None for uid in uids):
        raise ValueError("the IMAP server sent a message without a UID")
    uid_set = ",".join(str(uid) for uid in uids)
    if config.processed_folder:
        box.move(uid_set, config.processed_folder)
    else:
        # imap-tools' flag() expunges after each store; a flag needs no expunge.
        stored = box.client.uid("STORE", uid_set, "+FLAGS", f"({MailMessageFlags.SEEN})")
        check_command_status(stored, MailboxFlagError)
