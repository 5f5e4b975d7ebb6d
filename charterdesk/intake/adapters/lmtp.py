"""An LMTP listener (RFC 2033) that a mail server delivers to, built on ``aiosmtpd``.

LMTP answers for each recipient: after DATA, one reply per accepted recipient, in order.
- RCPT TO an address no organization receives at: ``550 5.1.1``, for that recipient only.
- Each accepted recipient's copy goes through intake with that recipient; ``250 2.0.0``
  once it is committed (a case, a message, a duplicate, a bounce or a recorded
  rejection: never a silent drop).
- Group commit: copies that arrive while an earlier group is being written (over other
  connections: a mail server delivers over several at once) wait, and are then written
  together by one :func:`receive_many`, in one transaction; each is answered after that
  commit. Over one connection, each mail is its own group.
- The database unreachable (any ``DatabaseError``): ``451 4.3.0``, so the mail server keeps
  the message and tries again later.
- The size limit is announced in the LHLO answer (``SIZE``); a larger ``MAIL FROM ...
  SIZE=`` or a larger message is refused with ``552`` (the sending server tells the
  sender). Lines longer than RFC 5321's 1000 octets are accepted (see ``LONGEST_LINE``).

Intake is synchronous Django code: it runs through ``sync_to_async`` with
``thread_sensitive=True``, one group at a time in one thread, whatever the number of
connections. Started by ``manage.py run_lmtp`` (see :class:`LmtpListener`).

The same listener also speaks plain SMTP (``run_lmtp --smtp``), for trying the desk by
hand or behind a relay that cannot do LMTP. SMTP has one answer per message: 250 if every
recipient's copy is committed, else the first refusal (a 451 makes the sender try every
recipient again; those already delivered come back as duplicates and are dropped).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, AnyStr, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.db import DatabaseError, connections
from django.utils import timezone

from charterdesk.intake.receive import Outcome, receive_many
from charterdesk.intake.routing import route

logger = logging.getLogger(__name__)
T = TypeVar("T")

TRY_LATER = "451 4.3.0 Temporary local problem: please try again later"
#: The most copies written together in one transaction.
GROUP = 100
#: What aiosmtpd answers once to a refused DATA; LMTP owes one answer per recipient.
_DATA_REFUSALS = ("552 Error: Too much mail data", "500 Line too long")


#: Longest line accepted. RFC 5321 says 1000 octets, but real mail breaks it (HTML or base64
#: written as one line), and a permanent refusal would bounce a customer's mail; the size
#: limit still bounds the whole message. Commands keep their own limit (512).
LONGEST_LINE = 1024 * 1024


class DeskSMTP(SMTP):
    """aiosmtpd's SMTP with long lines accepted."""

    line_length_limit = LONGEST_LINE


class DeskLMTP(LMTP):
    """aiosmtpd's LMTP with long lines accepted, and a refused DATA answered once per
    recipient as RFC 2033 asks."""

    line_length_limit = LONGEST_LINE

    async def push(self, status: AnyStr) -> None:
        envelope = self.envelope
        if (
            isinstance(status, str)
            and status.startswith(_DATA_REFUSALS)
            and envelope is not None
            and len(envelope.rcpt_tos) > 1
        ):
            await super().push("\r\n".join([status] * len(envelope.rcpt_tos)))
            return
        await super().push(status)


class DeliveryHandler:
    """aiosmtpd handler: check recipients, hand each one's copy to :func:`receive`."""

    def __init__(
        self, *, clock: Callable[[], datetime] = timezone.now, one_answer: bool = False
    ) -> None:
        self.clock = clock
        #: SMTP: one answer for the whole message instead of one per recipient.
        self.one_answer = one_answer
        #: Copies waiting for the group being written (all on the listener's event loop).
        self._waiting: list[tuple[bytes, str, asyncio.Future[Outcome]]] = []
        self._writing = False
        #: RCPT checks only read: they run in a thread of their own (with a database
        #: connection of its own), so that they do not queue behind a group being written
        #: and the copies of other connections can join the next group.
        self.checks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lmtp-rcpt")

    def close(self) -> None:
        """Close the checking thread's database connection, and the thread."""
        try:
            self.checks.submit(connections.close_all).result(timeout=30)
        finally:
            self.checks.shutdown(wait=False)

    async def handle_RCPT(  # aiosmtpd's hook name
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        try:
            known = await sync_to_async(
                self._is_known, thread_sensitive=False, executor=self.checks
            )(address)
        except DatabaseError as error:
            logger.warning("LMTP: cannot check <%s>: %s", address, error)
            return TRY_LATER
        if not known:
            return f"550 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        answers = []
        for recipient in envelope.rcpt_tos:
            try:
                outcome = await self._delivered(raw, recipient)
            except DatabaseError as error:
                logger.warning("LMTP: <%s> deferred, database error: %s", recipient, error)
                answers.append(TRY_LATER)
                continue
            except Exception:  # a bug, not bad mail: keep the mail at the server
                logger.exception("LMTP: <%s> deferred", recipient)
                answers.append(TRY_LATER)
                continue
            answers.append(f"250 2.0.0 <{recipient}> {_summary(outcome)}")
        if self.one_answer:
            return next((answer for answer in answers if not answer.startswith("250")), answers[0])
        return "\r\n".join(answers)

    def _is_known(self, address: str) -> bool:
        """An address an organization receives at (a ``+reference`` tag allowed)."""
        return _again_on_a_new_connection(lambda: route([address]) is not None)

    async def _delivered(self, raw: bytes, recipient: str) -> Outcome:
        """The outcome of this copy, once it is committed, with whatever other copies
        waited for the same group. The first copy to find no group being written writes
        groups until none is left waiting; the others wait for theirs."""
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((raw, recipient, future))
        if not self._writing:
            self._writing = True
            try:
                while self._waiting:
                    group, self._waiting = self._waiting[:GROUP], self._waiting[GROUP:]
                    await self._write(group)
            except BaseException:  # this session was cancelled: no copy is left waiting
                left, self._waiting = self._waiting, []
                _fail(left, ConnectionAbortedError("delivery interrupted"))
                raise
            finally:
                self._writing = False
        return await future

    async def _write(self, group: list[tuple[bytes, str, asyncio.Future[Outcome]]]) -> None:
        try:
            outcomes = await sync_to_async(self._deliver, thread_sensitive=True)(
                [(raw, recipient) for raw, recipient, _ in group]
            )
        except Exception as error:  # the whole group was rolled back: each copy is told
            _fail(group, error)
            return
        except BaseException:  # cancelled: whether it was written is not known (try later)
            _fail(group, ConnectionAbortedError("delivery interrupted"))
            raise
        for (_, _, future), outcome in zip(group, outcomes, strict=True):
            future.set_result(outcome)

    def _deliver(self, copies: list[tuple[bytes, str]]) -> list[Outcome]:
        mails = [(raw, [recipient]) for raw, recipient in copies]
        return _again_on_a_new_connection(
            lambda: receive_many(mails, now=self.clock(), source="lmtp")
        )


def _fail(copies: list[tuple[bytes, str, asyncio.Future[Outcome]]], error: Exception) -> None:
    for _, _, future in copies:
        if not future.done():
            future.set_exception(error)


def _again_on_a_new_connection(work: Callable[[], T]) -> T:
    """``work()``; if it failed because the database connection broke (the server
    restarted, or dropped it while idle), once more on a new connection: ``receive``
    rolled back, so nothing is doubled. A database that still fails raises, and the mail
    server is told to try later. A sound connection is kept whatever its age, unlike
    Django's ``close_old_connections``: reconnecting for every mail would cost more than
    the delivery itself. A connection that broke inside the transaction is closed by
    Django's rollback already: one that was open before and is closed or another after
    counts as broken too."""
    before = {c.alias: c.connection for c in connections.all(initialized_only=True)}
    try:
        return work()
    except DatabaseError:
        dropped = False
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None and not connection.is_usable():
                connection.close()
                dropped = True
            elif before.get(connection.alias) not in (None, connection.connection):
                dropped = True  # the one it had broke, and was closed or replaced
        if not dropped:
            raise
    return work()


def _summary(outcome: Outcome) -> str:
    said = outcome.case_reference or outcome.code
    return f"{outcome.kind} {said}".replace("\r", " ").replace("\n", " ")[:200]


class LmtpListener(Controller):
    """The LMTP server on ``host:port`` in a thread of its own: ``start()``, ``stop()``.
    ``smtp=True`` speaks SMTP instead."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8024,
        max_bytes: int,
        clock: Callable[[], datetime] = timezone.now,
        smtp: bool = False,
        **kwargs: Any,
    ) -> None:
        self.smtp = smtp
        super().__init__(
            DeliveryHandler(clock=clock, one_answer=smtp),
            hostname=host,
            port=port,
            data_size_limit=max_bytes,
            decode_data=False,
            **kwargs,
        )

    def stop(self, no_assert: bool = False) -> None:
        """Stop listening, and close the database connection deliveries used."""
        if self.loop.is_running():
            closing = sync_to_async(connections.close_all, thread_sensitive=True)()
            try:
                asyncio.run_coroutine_threadsafe(closing, self.loop).result(timeout=30)
            except Exception as error:  # stopping anyway
                logger.warning("LMTP: closing database connections: %s", error)
        try:
            self.handler.close()
        except Exception as error:  # stopping anyway
            logger.warning("LMTP: closing the recipient checks' connection: %s", error)
        super().stop(no_assert)

    def factory(self) -> SMTP:
        if self.smtp:
            return DeskSMTP(self.handler, **self.SMTP_kwargs)
        return DeskLMTP(self.handler, **self.SMTP_kwargs)
