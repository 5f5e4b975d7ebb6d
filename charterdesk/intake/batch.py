"""Which mails of a batch are plain new cases, and what the database says about them.

:func:`charterdesk.intake.receive.receive_many` hands each mail here first. A mail is
*plain* when it opens a new case with nothing to note: read without problems, routed,
not automatic, not ours, not a bounce, naming no case reference, every attachment
acceptable. Whether it is still plain then depends on the database, read once for all the
batch's plain mails of an organization (:func:`load_facts`): its Message-ID and the ids it
answers are not stored, and its sender has not had the cap of acknowledgements.
Everything else goes the way of one mail at a time (``receive._receive``).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, Contact, Event, Message
from charterdesk.conduct.selectors import restricted_addresses
from charterdesk.intake.arrival import arrival
from charterdesk.intake.automatic import loop_reason
from charterdesk.intake.bulk_open import NewCase
from charterdesk.intake.filetypes import Verdict, check
from charterdesk.intake.language import guess_language
from charterdesk.intake.opening import ACKNOWLEDGEMENTS_CAP, CAP_WINDOW, case_type_for
from charterdesk.intake.parsing import ParsedMail, Part, parse_mail
from charterdesk.intake.plain_rows import columns, instance
from charterdesk.intake.quoted import split_quoted
from charterdesk.intake.routing import Route, Router, our_addresses, references_in

logger = logging.getLogger(__name__)
_CHUNK = 500  # ids per query (SQLite's limit on parameters is far above)


@dataclass(slots=True)
class Prepared:
    """One mail of a batch, read; ``plain`` unless it must go one at a time."""

    raw: bytes
    recipients: list[str]
    mail: ParsedMail | None = None
    found: Route | None = None
    language: str | None = None
    case_type: str = ""
    attachments: list[tuple[Part, Verdict]] = field(default_factory=list)
    plain: bool = False


@dataclass(slots=True)
class Facts:
    """What the database holds about the plain mails of one organization."""

    stored_ids: set[str]  # of the Message-IDs asked about, those of a stored message
    contacts: dict[str, Contact]  # by address: the first contact, or one made in this batch
    acknowledged: Counter[str]  # automatic acknowledgements in the cap window, by address
    restricted: set[str] = field(default_factory=set)  # senders whose contact is restricted


def prepare(raw: bytes, recipients: Sequence[str], router: Router) -> Prepared:
    """Read the mail and decide whether it may be plain (never raises: a mail it cannot
    read goes one at a time, which records what went wrong)."""
    prepared = Prepared(raw, list(recipients))
    if len(raw) > int(settings.CHARTERDESK_MAX_MESSAGE_BYTES):
        return prepared
    try:
        mail = parse_mail(raw)
        found = router.route(prepared.recipients or mail.header_recipients)
    except Exception:  # one at a time, it is recorded as failed
        logger.debug("intake: a mail left to be received on its own", exc_info=True)
        return prepared
    prepared.mail, prepared.found = mail, found
    if found is None or mail.problems or mail.desk_case or mail.report is not None:
        return prepared
    if not mail.sender or mail.automatic or references_in(mail.subject, found.tag):
        return prepared
    if loop_reason(mail.x_loop, our_addresses(found.organization)):
        return prepared
    limit = int(settings.CHARTERDESK_MAX_ATTACHMENT_BYTES)
    for part in mail.attachments:
        verdict = check(part.data, part.content_type, part.filename or "attachment")
        if len(part.data) > limit or verdict.kind is None:
            return prepared  # the case gets a note saying why: one at a time
        prepared.attachments.append((part, verdict))
    org = found.organization
    assert org.charter is not None  # routes come from charters in force
    charter = parsed(org.charter).charter
    new_text, _quoted = split_quoted(mail.text)
    prepared.language = guess_language(
        f"{mail.subject}\n{new_text}", charter.organization.languages
    )
    prepared.case_type = case_type_for(charter, found.channel)
    prepared.plain = True
    return prepared


def load_facts(mails: Iterable[Prepared], now: datetime) -> dict[int, Facts]:
    """For the plain mails, by organization: which of their Message-IDs (theirs and those
    they answer) are stored, their senders' contacts and recent acknowledgements. On
    PostgreSQL, each mail's (organization, Message-ID) lock is taken first (in one order,
    one statement), as one mail at a time takes it (``receive._one_at_a_time``)."""
    by_org: dict[int, list[ParsedMail]] = defaultdict(list)
    for prepared in mails:
        if prepared.plain and prepared.mail is not None and prepared.found is not None:
            by_org[prepared.found.organization.pk].append(prepared.mail)
    facts = {}
    for org_id, parsed_mails in by_org.items():
        _lock(org_id, {mail.message_id for mail in parsed_mails})
        ids = {mid for mail in parsed_mails for mid in (mail.message_id, *mail.thread_ids)}
        stored = _stored_ids(org_id, ids)
        senders = sorted(
            {
                mail.sender[:254]
                for mail in parsed_mails
                if not any(mid in stored for mid in (mail.message_id, *mail.thread_ids))
            }
        )  # (a duplicate or a reply needs none of the rest)
        facts[org_id] = Facts(
            stored_ids=stored,
            contacts=_contacts(org_id, senders) if senders else {},
            acknowledged=_acknowledged(org_id, senders, now) if senders else Counter(),
            restricted=restricted_addresses(org_id, senders, now) if senders else set(),
        )
    return facts


def new_case(prepared: Prepared, facts: Facts, seen: set[str], now: datetime) -> NewCase | None:
    """The case a plain mail opens, or None if the database (or an earlier mail of the
    batch, in ``seen``) says it is not plain after all. Counts the acknowledgement."""
    mail, found = prepared.mail, prepared.found
    assert mail is not None
    assert found is not None
    asked = (mail.message_id, *mail.thread_ids)
    if any(mid in facts.stored_ids or mid in seen for mid in asked):
        return None  # a duplicate, our own mail, or a reply: one at a time
    org = found.organization
    assert org.charter is not None
    email = mail.sender[:254]
    if email in facts.restricted:
        return None  # a restricted contact (A3, N7): one at a time, open_case decides
    automatic = parsed(org.charter).charter.channels[found.channel].auto_acknowledge
    if automatic and facts.acknowledged[email] >= ACKNOWLEDGEMENTS_CAP:
        return None  # capped: the case gets a note, one at a time
    contact = facts.contacts.get(email)
    if contact is None:
        contact = Contact(
            organization=org,
            email=email,
            name=mail.sender_name[:200],
            language=prepared.language or "",
        )
        facts.contacts[email] = contact
    acknowledge = automatic and bool(contact.email)
    if acknowledge:
        facts.acknowledged[email] += 1
    return NewCase(
        raw=prepared.raw,
        mail=mail,
        found=found,
        contact=contact,
        language=prepared.language,
        case_type=prepared.case_type,
        received_at=arrival((mail.received, mail.date), now, None),
        acknowledge=acknowledge,
        attachments=prepared.attachments,
    )


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _stored_ids(org_id: int, ids: set[str]) -> set[str]:
    found: set[str] = set()
    table = Message._meta.db_table
    for chunk in _chunks(sorted(ids)):
        marks = ", ".join(["%s"] * len(chunk))
        sql = (
            f"SELECT message_id FROM {table} WHERE organization_id = %s AND message_id IN ({marks})"
        )
        found.update(mid for (mid,) in _rows(sql, [org_id, *chunk]))
    return found


def _contacts(org_id: int, senders: Sequence[str]) -> dict[str, Contact]:
    """The first contact (by pk) of each sender address: ``Contact.objects.filter(...)``
    in plain SQL (docs/decisions/0013-plain-sql-on-hot-paths.md)."""
    found: dict[str, Contact] = {}
    table = Contact._meta.db_table
    for chunk in _chunks(senders):
        marks = ", ".join(["%s"] * len(chunk))
        sql = (
            f"SELECT {columns(Contact, 'p')} FROM {table} p"
            f" WHERE p.organization_id = %s AND p.email IN ({marks}) ORDER BY p.id"
        )
        for row in _rows(sql, [org_id, *chunk]):
            contact = instance(Contact, row)
            found.setdefault(contact.email, contact)
    return found


def _acknowledged(org_id: int, senders: Sequence[str], now: datetime) -> Counter[str]:
    """As ``opening._acknowledged_lately`` counts, for every sender at once (written out:
    the ORM spends longer building this join than the database spends on it)."""
    counts: Counter[str] = Counter()
    since = connection.ops.adapt_datetimefield_value(now - CAP_WINDOW)
    events, cases = Event._meta.db_table, Case._meta.db_table
    contacts = Contact._meta.db_table
    for chunk in _chunks(senders):
        marks = ", ".join(["%s"] * len(chunk))
        sql = (
            f"SELECT p.email, COUNT(*) FROM {events} e"
            f" JOIN {cases} c ON c.id = e.case_id JOIN {contacts} p ON p.id = c.contact_id"
            " WHERE e.organization_id = %s AND e.kind = 'acknowledged'"
            f" AND e.actor_id IS NULL AND e.at > %s AND p.email IN ({marks})"
            " GROUP BY p.email"
        )
        for email, count in _rows(sql, [org_id, since, *chunk]):
            counts[email] += count
    return counts


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _lock(org_id: int, message_ids: set[str]) -> None:
    if connection.vendor != "postgresql" or not message_ids:
        return
    keys = sorted({
        int.from_bytes(
            hashlib.sha256(f"intake:{org_id}:{mid}".encode()).digest()[:8], "big", signed=True
        )
        for mid in message_ids
    })  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key",  # in order
            [keys],
        )
