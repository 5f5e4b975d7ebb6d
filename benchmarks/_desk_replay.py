"""Stories played through the desk's real services, and the rows compared.

Slow (a transaction and several queries per action), so only for samples:
``tests/cases/test_desk_history.py`` plays one with :func:`replay`, takes a
:func:`snapshot`, writes the same stories with ``desk_history.write_bulk`` and checks
that the two snapshots are equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from _desk_rows import customer_message_id
from _desk_stories import Step, Story
from desk_history import Desk, contact_for

from charterdesk.cases import actions
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Clock,
    Contact,
    Event,
    Message,
    OutboxMessage,
    ReferenceCounter,
)
from charterdesk.cases.services import open_case, record_event
from charterdesk.portal.models import CaseAccess


def replay(stories: Iterable[Story], desk: Desk) -> None:
    """Open each story's case and take each of its steps through the services."""
    for story in stories:
        org = desk.orgs[story.org]
        contact = contact_for(story, org)
        contact.save()
        case = open_case(
            org,
            case_type=story.case_type,
            channel=story.channel,
            received_at=story.received_at,
            now=story.entered_at,
            subject=story.subject,
            fields=story.fields,
            contact=contact,
            language=story.language,
        )
        for step in story.steps:
            _take(case, story, step, desk)


def _take(case: Case, story: Story, step: Step, desk: Desk) -> None:
    actor, at, args = desk.user(story.org, step.actor), step.at, step.args
    match step.action:
        case "acknowledge" if case.contact and case.contact.email:
            actions.acknowledge(case, now=at, actor=actor)
        case "acknowledge":
            record_event(case, "acknowledged", at=at, now=at, actor=actor)
        case "assign":
            actions.assign(case, to=desk.user(story.org, args["to"]), now=at, actor=actor)
        case "reply":
            actions.reply(case, body=args["body"], now=at, actor=actor, kind=args["kind"])
        case "request_information":
            actions.request_information(case, question=args["question"], now=at, actor=actor)
        case "customer_reply":
            index = Message.objects.filter(case=case).count()
            message_id = customer_message_id(story, index)
            actions.receive_customer_reply(
                case, body=args["body"], at=at, now=at, message_id=message_id
            )
        case "information_complete":
            actions.mark_information_complete(case, now=at, actor=actor)
        case "delay_notice":
            actions.send_delay_notice(
                case, reason=args["reason"], new_date=args["new_date"], now=at, actor=actor
            )
        case "hand_off":
            to = desk.user(story.org, args["to"])
            assert to is not None
            actions.hand_off(case, to=to, new_date=args["new_date"], now=at, actor=actor)
        case "resolve":
            actions.resolve(
                case,
                result=args["result"],
                steps=args["steps"],
                now=at,
                actor=actor,
                first_contact=args["first_contact"],
            )
        case "note":
            actions.add_note(case, text=args["text"], now=at, actor=actor)
        case "event":
            record_event(case, args["kind"], at=at, now=at, data=args["data"], actor=actor)
        case _:
            raise ValueError(f"no action {step.action!r}")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the stories left, keys replaced by what they name (a case's reference,
    an event's or message's place in its case), so two runs can be compared."""
    refs = dict(Case.objects.values_list("pk", "reference"))
    events = _places(Event.objects.order_by("case_id", "pk").values_list("pk", "case_id"), refs)
    messages = _places(Message.objects.order_by("case_id", "pk").values_list("pk", "case_id"), refs)
    ids = {
        mid: f"message-id {messages[pk]}"
        for pk, mid in Message.objects.values_list("pk", "message_id")
    }
    users = {None: None, **{u.pk: u.username for u in _users()}}

    def json(value: Any, names: dict[str, dict[Any, Any]]) -> Any:
        if isinstance(value, dict):
            return {
                k: names[k].get(v, v) if k in names else json(v, names) for k, v in value.items()
            }
        if isinstance(value, list):
            return [ids.get(v, v) if isinstance(v, str) else v for v in value]
        return ids.get(value, value) if isinstance(value, str) else value

    keyed = {"event": events, "message": messages, "message_id": ids, "in_reply_to": ids}
    links = re.compile(r"/track/[A-Za-z0-9_-]{43}/")  # a new secret each time

    def mail(payload: dict[str, Any]) -> Any:
        return json({**payload, "body": links.sub("/track/<secret>/", payload["body"])}, keyed)

    return {
        "contacts": sorted(Contact.objects.values_list("name", "email", "phone", "language")),
        "counters": sorted(
            ReferenceCounter.objects.values_list("organization__slug", "year", "last")
        ),
        "cases": sorted(
            (
                c.reference,
                c.case_type,
                c.channel,
                c.language,
                c.status,
                c.priority,
                c.subject,
                c.fields,
                c.contact.email if c.contact else None,
                users[c.assignee_id],
                c.received_at,
                c.next_due_at,
                c.charter_id,
            )
            for c in Case.objects.select_related("contact")
        ),
        "events": sorted(
            (events[e.pk], e.kind, e.at, json(e.data, keyed), users[e.actor_id])
            for e in Event.objects.all()
        ),
        "audit": sorted(
            (a.target, a.action, a.at, json(a.data, keyed), users[a.actor_id])
            for a in AuditEntry.objects.filter(target__startswith="case:")
        ),
        "messages": sorted(
            (messages[m.pk], m.direction, m.channel, m.author, m.body, ids[m.message_id], m.at)
            for m in Message.objects.all()
        ),
        "outbox": sorted(
            (
                refs[o.case_id],
                o.kind,
                messages[int(o.key.split(":")[1])],
                mail(o.payload),
                o.status,
                o.next_attempt_at,
            )
            for o in OutboxMessage.objects.filter(kind="mail")
        ),
        "links": sorted(
            (refs[a.case_id], a.created_at, a.expires_at, a.revoked)
            for a in CaseAccess.objects.all()
        ),
        "clocks": sorted(
            (
                refs[c.case_id],
                c.commitment,
                c.state,
                c.started_at,
                c.due_at,
                c.warn_at,
                c.met_at,
                c.reason,
                c.cycle,
                c.missed_cycles,
            )
            for c in Clock.objects.all()
        ),
    }


def _places(rows: Iterable[tuple[int, int]], refs: dict[int, str]) -> dict[int, str]:
    places: dict[int, str] = {}
    count: dict[int, int] = {}
    for pk, case_id in rows:
        count[case_id] = count.get(case_id, 0) + 1
        places[pk] = f"{refs[case_id]}#{count[case_id]}"
    return places


def _users() -> Iterable[Any]:
    from django.contrib.auth.models import User

    return User.objects.all()


def forget_cases() -> None:
    """Delete every case and what hangs on it (contacts, audit entries, counters too)."""
    Case.objects.all().delete()
    for model in (Contact, AuditEntry, ReferenceCounter):
        model.objects.all().delete()
