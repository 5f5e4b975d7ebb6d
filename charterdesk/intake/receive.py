"""The one door every mail channel (IMAP, LMTP, provider webhooks) calls.

Each mail becomes a case, a message on a case, a bounce recorded on the mail it answers,
a duplicate (nothing written), or a recorded rejection; many mails (``receive_many``) in
one transaction, plain new cases written together. Bad mail never raises; a database
that cannot be written to does (``DatabaseError``), so that the channel answers "try
again later" and the mail is delivered again. See docs/decisions/0006-intake.md.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from charterdesk.cases.actions import add_note, receive_customer_reply
from charterdesk.cases.models import Case, Event, Message, Organization
from charterdesk.intake.arrival import arrival
from charterdesk.intake.automatic import loop_reason
from charterdesk.intake.batch import Facts, load_facts, new_case, prepare
from charterdesk.intake.bounces import original_of, record_bounce
from charterdesk.intake.bulk_open import NewCase, open_many
from charterdesk.intake.headers import addresses, decoded, message_ids, raw_value
from charterdesk.intake.models import Bounce, RejectedMail
from charterdesk.intake.opening import open_from_mail
from charterdesk.intake.outcome import Outcome, OutcomeKind
from charterdesk.intake.parsing import (
    RECIPIENT_HEADERS,
    ParsedMail,
    parse_mail,
    read_headers,
    synthetic_id,
)
from charterdesk.intake.routing import Router, our_addresses, references_in, route, thread
from charterdesk.intake.storing import author_of, store_incoming, store_parts

__all__ = ["Outcome", "OutcomeKind", "receive", "receive_alone", "receive_many"]

logger = logging.getLogger(__name__)
#: How much of a mail that is too large is kept with its rejection.
KEPT_OF_OVERSIZE = 64 * 1024


def receive(
    raw: bytes, *, recipients: Sequence[str] = (), now: datetime, source: str = ""
) -> Outcome:
    """Turn one raw RFC 5322 message into a case, a message, a bounce or a rejection.

    ``recipients`` are the envelope recipients (LMTP ``RCPT TO``, the IMAP mailbox's
    address); without them the mail is routed by its Delivered-To, X-Original-To, To and
    Cc headers. ``source`` (``imap``, ``lmtp``, ``webhook``) is kept for the record."""
    return receive_many([(raw, recipients)], now=now, source=source)[0]


def receive_many(
    mails: Sequence[tuple[bytes, Sequence[str]]], *, now: datetime, source: str = ""
) -> list[Outcome]:
    """:func:`receive` for each (raw mail, envelope recipients), in order, in one
    transaction: the same rows as one call per mail, with far fewer statements.

    The plain mails (new cases with nothing to note, see :mod:`charterdesk.intake.batch`)
    are read from the database together and written together; any other mail is
    received on its own (in a savepoint) after those before it are written, and the
    database is read again after it. A ``DatabaseError`` rolls back the whole batch and
    is raised (the channel retries every mail of it); a mail that breaks intake is
    recorded as ``failed``, the others go on."""
    with transaction.atomic():
        return _Batch(now, source).receive(mails)


def receive_alone(
    raw: bytes, *, recipients: Sequence[str] = (), now: datetime, source: str = ""
) -> Outcome:
    """One mail the long way, never in bulk: what the batch path must agree with
    (``tests/intake/test_batch.py``), and what it does for any mail that is not plain."""
    with transaction.atomic():
        return _alone(raw, list(recipients), now, source)


def _alone(
    raw: bytes, recipients: list[str], now: datetime, source: str, router: Router | None = None
) -> Outcome:
    try:
        with transaction.atomic():
            return _receive(raw, recipients, now, source, router or Router())
    except DatabaseError:
        raise  # nothing was written: the channel retries
    except Exception as error:  # a mail we did not foresee: keep it, never lose it
        logger.exception("intake failed on a mail from %s", source or "an unknown source")
        with transaction.atomic():
            return _failed(raw, recipients, now, source, error)


class _Batch:
    """One call of :func:`receive_many`."""

    def __init__(self, now: datetime, source: str) -> None:
        self.now, self.source = now, source
        self.pending: list[tuple[int, NewCase, list[str]]] = []  # plain mails not yet written
        self.seen: set[str] = set()  # Message-IDs of the batch's mails so far

    def receive(self, mails: Sequence[tuple[bytes, Sequence[str]]]) -> list[Outcome]:
        self.router = router = Router()
        prepared = [prepare(raw, recipients, router) for raw, recipients in mails]
        outcomes: list[Outcome | None] = [None] * len(prepared)
        facts: dict[int, Facts] | None = None
        for index, mail in enumerate(prepared):
            case = None
            if mail.plain and mail.found is not None:
                if facts is None:  # (again) after a mail received on its own
                    facts = load_facts(prepared[index:], self.now)
                case = new_case(mail, facts[mail.found.organization.pk], self.seen, self.now)
            if case is not None:
                self.pending.append((index, case, mail.recipients))
            else:
                self._write(outcomes)
                outcomes[index] = _alone(
                    mail.raw, mail.recipients, self.now, self.source, self.router
                )
                facts = None
            if mail.mail is not None:
                self.seen.add(mail.mail.message_id)
        self._write(outcomes)
        assert all(outcome is not None for outcome in outcomes)
        return [outcome for outcome in outcomes if outcome is not None]

    def _write(self, outcomes: list[Outcome | None]) -> None:
        """Write the plain mails so far together; if that breaks (a bug, not the
        database), each is received on its own instead, where a failure is recorded.
        (The database is read again after this: see :meth:`receive`.)"""
        pending, self.pending = self.pending, []
        if not pending:
            return
        try:
            with transaction.atomic():
                written = open_many([case for _i, case, _r in pending], self.now)
        except DatabaseError:
            raise
        except Exception:
            logger.exception(
                "intake: %d mails written together failed; one at a time", len(pending)
            )
            for index, case, recipients in pending:
                outcomes[index] = _alone(case.raw, recipients, self.now, self.source, self.router)
            return
        for (index, _case, _recipients), outcome in zip(pending, written, strict=True):
            outcomes[index] = outcome


def _receive(
    raw: bytes, recipients: list[str], now: datetime, source: str, router: Router
) -> Outcome:
    if len(raw) > int(settings.CHARTERDESK_MAX_MESSAGE_BYTES):
        return _too_large(raw, recipients, now, source)
    mail = parse_mail(raw)
    found = router.route(recipients or mail.header_recipients)
    rejection = _Rejection.of(raw, mail, recipients or mail.header_recipients, now, source)
    if found is None:
        return rejection.record(None, "unknown-recipient", "no organization receives here")
    org = found.organization
    _one_at_a_time(org, mail.message_id)
    before = _stored(org, mail.message_id)
    if before is not None and before[0] == Message.Direction.IN:
        return Outcome("duplicate", "duplicate", before[1], f"{mail.message_id} already received")
    if before is not None or mail.desk_case:  # one of our Message-IDs, or our header
        return rejection.record(org, "own-mail", "our own mail came back")
    if mail.report is not None:
        return _bounce(org, mail, raw, now, source, rejection)
    automatic = mail.automatic or loop_reason(mail.x_loop, our_addresses(org))
    case = thread(org, mail.thread_ids, references_in(mail.subject, found.tag))
    if case is not None:
        return _continue(case, mail, raw, now, automatic)
    if automatic:
        return rejection.record(org, "auto-reply", f"automatic mail ({automatic}) to no case")
    return open_from_mail(found, mail, raw, now)


def _one_at_a_time(org: Organization, message_id: str) -> None:
    """Two deliveries of one mail at once (two IMAP workers, a retried LMTP transaction)
    take turns, so the second finds the first's message and is a duplicate. On SQLite
    the IMMEDIATE transaction already lets one writer in at a time."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"intake:{org.pk}:{message_id}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


def _stored(org: Organization, message_id: str) -> tuple[str, str] | None:
    """(direction, case reference) of a message of this organization with this id."""
    return (
        Message.objects.filter(organization=org, message_id=message_id)
        .values_list("direction", "case__reference")
        .order_by("direction")  # "in" before "out": a mail received is a duplicate
        .first()
    )


def _bounce(
    org: Organization,
    mail: ParsedMail,
    raw: bytes,
    now: datetime,
    source: str,
    rejection: _Rejection,
) -> Outcome:
    """A bounce goes on our message it answers, in this organization, once."""
    assert mail.report is not None
    if Bounce.objects.filter(organization=org, report_id=mail.message_id).exists():
        return Outcome("duplicate", "duplicate", None, f"{mail.message_id} already recorded")
    original = original_of(org, mail.report)
    if original is None:
        return rejection.record(org, "unmatched-bounce", "a bounce of no mail of ours")
    return record_bounce(original, mail.report, mail, raw, now, source)


def _continue(case: Case, mail: ParsedMail, raw: bytes, now: datetime, automatic: str) -> Outcome:
    """A reply threads into its case. An automatic one is kept but records no
    ``customer_replied``: an out-of-office must not resume a clock paused for the customer."""
    last = Event.objects.filter(case=case).order_by("-at").values_list("at", flat=True).first()
    at = arrival((mail.received, mail.date), now, last)
    if automatic:
        message = store_incoming(case, mail, raw, at)
        note = _("Automatic reply received (%(reason)s).") % {"reason": automatic}
        add_note(case, text=note, now=now, actor=None)
        code = "automatic-reply"
    else:
        message = receive_customer_reply(
            case,
            body=mail.text,
            at=at,
            now=now,
            raw=raw,
            message_id=mail.message_id,
            author=author_of(mail),
        )
        code = "threaded"
    attachments = store_parts(case, message, mail, now)
    detail = f"{code} from {mail.sender or 'an unknown sender'}, {attachments} attachment(s)"
    return Outcome("message", code, case.reference, detail)


@dataclass(frozen=True, slots=True)
class _Rejection:
    """What is kept of a refused mail. Recorded once per (organization, Message-ID, code):
    delivered again, it is not recorded twice."""

    raw: bytes
    sender: str
    subject: str
    message_id: str
    recipients: Sequence[str]
    now: datetime
    source: str
    size: int

    @classmethod
    def of(
        cls, raw: bytes, mail: ParsedMail, recipients: Sequence[str], now: datetime, source: str
    ) -> _Rejection:
        return cls(
            raw, mail.sender, mail.subject, mail.message_id, recipients, now, source, len(raw)
        )

    def record(self, org: Organization | None, code: str, detail: str) -> Outcome:
        earlier = RejectedMail.objects.filter(
            organization=org, message_id=self.message_id, code=code
        )
        if earlier.exists():
            return Outcome("rejected", code, None, f"{detail} (already recorded)")
        RejectedMail.objects.create(
            organization=org,
            code=code,
            detail=detail.replace("\x00", ""),
            sender=self.sender[:320],
            recipients=list(self.recipients)[:20],
            subject=self.subject[:300],
            message_id=self.message_id,
            source=self.source[:20],
            raw=self.raw,
            size=self.size,
            at=self.now,
        )
        return Outcome("rejected", code, None, detail)


def _too_large(raw: bytes, recipients: list[str], now: datetime, source: str) -> Outcome:
    """Refused whole, but recorded with its first 64 KB (headers included) and its size."""
    limit = int(settings.CHARTERDESK_MAX_MESSAGE_BYTES)
    head = read_headers(raw[:KEPT_OF_OVERSIZE])
    recipients = recipients or [address for _, address in addresses(head, *RECIPIENT_HEADERS)]
    found = route(recipients)
    ids = [mid for mid in message_ids(raw_value(head, "Message-ID")) if len(mid) <= 900]
    sender = next(iter(addresses(head, "From")), ("", ""))[1]
    kept = raw[:KEPT_OF_OVERSIZE]
    message_id = ids[0] if ids else synthetic_id(raw)
    subject = decoded(head, "Subject")
    rejection = _Rejection(kept, sender, subject, message_id, recipients, now, source, len(raw))
    detail = f"{len(raw)} bytes, more than the limit of {limit}"
    return rejection.record(found.organization if found else None, "too-large", detail)


def _failed(
    raw: bytes, recipients: list[str], now: datetime, source: str, error: Exception
) -> Outcome:
    """Intake itself failed on this mail: it is recorded, with the error, to look into."""
    try:
        found = route(recipients)
    except DatabaseError:
        raise
    except Exception:
        found = None
    rejection = _Rejection(raw, "", "", synthetic_id(raw), recipients, now, source, len(raw))
    detail = f"intake failed: {type(error).__name__}: {error}"[:2000]
    return rejection.record(found.organization if found else None, "failed", detail)
