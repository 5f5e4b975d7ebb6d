"""What staff do to a case, one function each (Zulip's ``do_*`` style).

Each checks the actor's role, runs in one transaction, records the event the charter's
clocks are evaluated over, and tells the customer through the outbox where the charter
says they are told. Absences and cover (T14) live in :mod:`charterdesk.cases.absences`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.absences import cover_absences, reassign_to_cover, record_absence
from charterdesk.cases.charters import NotAllowed, parsed
from charterdesk.cases.customer_mail import compose, tell_customer
from charterdesk.cases.models import Case, Event, Membership, Message
from charterdesk.cases.services import CaseError, acknowledge, record_event

__all__ = [
    "acknowledge",
    "add_note",
    "apologise",
    "assign",
    "classify_cause",
    "cover_absences",
    "escalate",
    "hand_off",
    "mark_information_complete",
    "reassign_to_cover",
    "receive_customer_reply",
    "record_absence",
    "reply",
    "request_information",
    "resolve",
    "send_delay_notice",
]

ReplyKind = Literal["replied", "update_sent", "formal_response_sent"]
WORKING_ROLES = (Membership.Role.OWNER, Membership.Role.SUPERVISOR, Membership.Role.AGENT)


#: Inside :func:`roles_remembered`: the roles read so far, by (organization, user).
_remembered: ContextVar[dict[tuple[int, int], str | None] | None] = ContextVar(
    "remembered_roles", default=None
)


@contextmanager
def roles_remembered() -> Iterator[None]:
    """Within this block each person's role in an organization is read once, for a batch
    of actions during which no membership changes (the demo's history).
    Outside it every action reads the roles it checks."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def role_of(user: User | None, case: Case) -> str | None:
    if user is None:
        return None
    return _roles(case, user)[user.pk]


def _roles(case: Case, *users: User) -> dict[int, str | None]:
    """The role of each of ``users`` in the case's organization (None: not a member), in
    one query (none for those :func:`roles_remembered` has already read)."""
    org = case.organization_id
    remembered = _remembered.get()
    known = remembered if remembered is not None else {}
    found = {user.pk: known[org, user.pk] for user in users if (org, user.pk) in known}
    missing = {user.pk for user in users} - found.keys()
    if missing:
        rows = Membership.objects.filter(organization_id=org, user_id__in=missing)
        read: dict[int, str | None] = dict.fromkeys(missing)
        read.update(rows.values_list("user_id", "role"))
        found.update(read)
        if remembered is not None:
            remembered.update({(org, pk): role for pk, role in read.items()})
    return found


def _require_staff(actor: User | None, case: Case, *, to: User | None = None) -> None:
    """Anyone who works cases may act; a viewer may not. ``None`` is the desk itself.
    ``to``, whom the case is given to, must work cases here too (one query for both)."""
    roles = _roles(case, *[user for user in (actor, to) if user is not None])
    if actor is not None and roles[actor.pk] not in WORKING_ROLES:
        raise NotAllowed("viewers cannot act on cases")
    if to is not None and roles[to.pk] not in WORKING_ROLES:
        raise CaseError("not-a-colleague", f"{to.username} does not work cases here")


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise CaseError("missing-data", f"{what} is required")
    return value


def _not_before(new_date: date, now: datetime, case: Case) -> date:
    today = now.astimezone(ZoneInfo(case.organization.timezone)).date()
    if new_date < today:
        raise CaseError("bad-date", "the new date is in the past")
    return new_date


@transaction.atomic
def assign(case: Case, *, to: User | None, now: datetime, actor: User | None) -> None:
    _require_staff(actor, case, to=to)
    if case.assignee_id == (to.pk if to else None):
        return
    case.assignee = to
    case.save(update_fields=["assignee"])
    data = {"owner": _name(to), "owner_id": to.pk} if to else {}
    record_event(case, "assigned", at=now, now=now, data=data, actor=actor)


@transaction.atomic
def reply(
    case: Case, *, body: str, now: datetime, actor: User | None, kind: ReplyKind = "replied"
) -> Message:
    """A reply, a progress update or a formal response: sent to the customer and recorded."""
    _require_staff(actor, case)
    if kind not in ("replied", "update_sent", "formal_response_sent"):
        raise CaseError("bad-kind", f"{kind!r} is not a kind of reply")
    message = tell_customer(
        case, body=_text(body, "the reply"), now=now, author=_name(actor) if actor else ""
    )
    record_event(case, kind, at=now, now=now, data={"message": message.pk}, actor=actor)
    return message


DEFAULT_HAND_OFF = _("Your case {reference} is now with {owner}, who will answer by {new_date}.")


@transaction.atomic
def hand_off(case: Case, *, to: User, new_date: date, now: datetime, actor: User | None) -> Event:
    """L8: the customer is told who will help and by when."""
    _require_staff(actor, case, to=to)
    _not_before(new_date, now, case)
    case.assignee = to
    case.save(update_fields=["assignee"])
    data = {"owner": _name(to), "owner_id": to.pk, "new_date": new_date}
    event = record_event(case, "handed_off", at=now, now=now, data=data, actor=actor)
    body = compose(case, "hand_off", DEFAULT_HAND_OFF, {"owner": _name(to), "new_date": new_date})
    tell_customer(case, body=body, now=now, author=_name(actor) if actor else "")
    return event


DEFAULT_DELAY_NOTICE = _(
    "We have not been able to finish {reference} yet because {reason}. We will do so by {new_date}."
)


@transaction.atomic
def send_delay_notice(
    case: Case, *, reason: str, new_date: date, now: datetime, actor: User | None
) -> Event:
    """L4, E7: why it is late, and the precise date it will be done by."""
    _require_staff(actor, case)
    reason = _text(reason, "the reason")
    _not_before(new_date, now, case)
    data = {"reason": reason, "new_date": new_date}
    event = record_event(case, "delay_notice_sent", at=now, now=now, data=data, actor=actor)
    values = {"reason": reason, "new_date": new_date}
    body = compose(case, "delay_notice", DEFAULT_DELAY_NOTICE, values)
    tell_customer(case, body=body, now=now, author=_name(actor) if actor else "")
    return event


@transaction.atomic
def request_information(case: Case, *, question: str, now: datetime, actor: User | None) -> Event:
    """E6, T18: ask the customer for what is missing; clocks pause or restart as the
    charter says (``pause_while: awaiting_customer``, ``restart_on: info_complete``)."""
    _require_staff(actor, case)
    question = _text(question, "the question")
    event = record_event(
        case, "info_requested", at=now, now=now, data={"question": question}, actor=actor
    )
    tell_customer(case, body=question, now=now, author=_name(actor) if actor else "")
    return event


@transaction.atomic
def mark_information_complete(case: Case, *, now: datetime, actor: User | None) -> Event:
    _require_staff(actor, case)
    return record_event(case, "info_complete", at=now, now=now, actor=actor)


@transaction.atomic
def receive_customer_reply(
    case: Case,
    *,
    body: str,
    at: datetime,
    now: datetime,
    raw: bytes | None = None,
    message_id: str = "",
    author: str = "",
) -> Message:
    """The customer wrote again; an awaited answer stops the ``awaiting_customer`` pause."""
    message = Message.objects.create(
        organization_id=case.organization_id,
        case=case,
        direction=Message.Direction.IN,
        channel=case.channel,
        author=author or (case.contact.name if case.contact else ""),
        body=body,
        raw=raw,
        message_id=message_id,
        at=at,
    )
    record_event(case, "customer_replied", at=at, now=now, data={"message": message.pk})
    return message


DEFAULT_RESOLUTION = _("Your case {reference} is resolved. Result: {result}. Steps taken: {steps}.")


@transaction.atomic
def resolve(
    case: Case,
    *,
    result: str,
    steps: list[str],
    now: datetime,
    actor: User | None,
    first_contact: bool = False,
) -> Event:
    """E8: the customer is told the result and every step taken; E3, L8: at first contact."""
    _require_staff(actor, case)
    result = _text(result, "the result")
    steps = [step.strip() for step in steps if step.strip()]
    texts = parsed(case.charter).charter.texts
    if (
        not first_contact
        and not steps
        and "{steps}" in " ".join(texts.get("resolution", {}).values())
    ):
        raise CaseError("missing-steps", "this charter promises every step taken: list them")
    kind = "resolved_at_first_contact" if first_contact else "resolved"
    data = {"result": result, "steps": steps}
    event = record_event(case, kind, at=now, now=now, data=data, actor=actor)
    body = compose(case, "resolution", DEFAULT_RESOLUTION, {"result": result, "steps": steps})
    tell_customer(case, body=body, now=now, author=_name(actor) if actor else "")
    return event


DEFAULT_APOLOGY = _("We got this wrong, and we are sorry. To put it right we will {remedy}.")


@transaction.atomic
def apologise(case: Case, *, remedy: str, now: datetime, actor: User | None) -> Event:
    """L12: an apology, and what will be done to put it right."""
    _require_staff(actor, case)
    remedy = _text(remedy, "the remedy")
    record_event(case, "apology_made", at=now, now=now, actor=actor)
    event = record_event(
        case, "remedy_offered", at=now, now=now, data={"remedy": remedy}, actor=actor
    )
    body = compose(case, "apology", DEFAULT_APOLOGY, {"remedy": remedy})
    tell_customer(case, body=body, now=now, author=_name(actor) if actor else "")
    return event


@transaction.atomic
def classify_cause(case: Case, *, cause: str, now: datetime, actor: User | None) -> Event:
    """L13: what went wrong, so that complaints can be learned from."""
    _require_staff(actor, case)
    cause = _text(cause, "the cause")
    return record_event(
        case, "cause_classified", at=now, now=now, data={"cause": cause}, actor=actor
    )


@transaction.atomic
def add_note(case: Case, *, text: str, now: datetime, actor: User | None) -> Event:
    """An internal note: on the timeline, never sent to the customer."""
    _require_staff(actor, case)
    return record_event(
        case, "noted", at=now, now=now, data={"text": _text(text, "the note")}, actor=actor
    )


@transaction.atomic
def escalate(case: Case, *, to_role: str, now: datetime, commitment: str) -> Event:
    """A breach action from the charter (``on_breach: [{escalate: supervisor}]``)."""
    data = {"to": to_role, "commitment": commitment}
    return record_event(case, "escalated", at=now, now=now, data=data)
