"""What the tracking page shows (E9, E8), read with a fixed handful of queries: the
promises that apply with their dates, the steps taken in plain words, the conversation,
and where else the customer may turn (A12, A6). All of it in the page's language; times
in the organization's zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Attachment, Case, Clock, Event, Message
from charterdesk.core.charter import Charter, ExternalBody
from charterdesk.core.events import as_date
from charterdesk.localized import local_time, translated
from charterdesk.portal.words import DETAIL_WORDS, SHOWN_DETAILS, STATE_WORDS, STEP_WORDS

#: Events after which the organization has given its final word (A12's "after").
FINAL_RESPONSES = ("formal_response_sent", "resolved", "resolved_at_first_contact")


@dataclass(frozen=True, slots=True)
class PromiseLine:
    commitment: str
    title: str
    texts: list[str]
    state: str
    state_words: str
    due: str  # local time, or "" when there is no due time yet
    met: str


@dataclass(frozen=True, slots=True)
class Step:
    kind: str
    at: str
    words: str
    details: list[tuple[str, list[str]]]


@dataclass(frozen=True, slots=True)
class Said:
    incoming: bool
    author: str
    at: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Body:
    kind: str
    name: str
    url: str
    binding: bool


def state_now(clock: Clock, now: datetime) -> str:
    if clock.state == "running" and clock.due_at is not None and clock.due_at <= now:
        return "breached"
    return clock.state


def promises_of(case: Case, language: str, now: datetime) -> list[PromiseLine]:
    """Each commitment that applies to the case and has started: what it promises, by
    when, and how it stands."""
    charter = parsed(case.charter).charter
    zone = case.organization.timezone
    order = {c.id: i for i, c in enumerate(charter.commitments)}
    lines = []
    clocks = Clock.objects.filter(organization_id=case.organization_id, case=case)
    for clock in sorted(clocks, key=lambda c: order.get(c.commitment, len(order))):
        state = state_now(clock, now)
        if state not in STATE_WORDS:
            continue
        try:
            commitment = charter.commitment(clock.commitment)
        except KeyError:
            continue
        lines.append(
            PromiseLine(
                commitment=commitment.id,
                title=translated(commitment.title, language),
                texts=[translated(text, language) for text in commitment.texts()],
                state=state,
                state_words=str(STATE_WORDS[state]),
                due=local_time(clock.due_at, zone, language) if clock.due_at else "",
                met=local_time(clock.met_at, zone, language) if clock.met_at else "",
            )
        )
    return lines


def steps_of(case: Case, language: str) -> list[Step]:
    """Every step taken, oldest first, in the customer's words; internal ones left out."""
    charter = parsed(case.charter).charter
    zone = case.organization.timezone
    events = Event.objects.filter(organization_id=case.organization_id, case=case)
    steps = []
    for event in events.order_by("at", "pk"):
        words = _step_words(event.kind, charter, language)
        if words is None:
            continue
        at = local_time(event.at, zone, language)
        steps.append(Step(event.kind, at, words, _details(event, zone)))
    return steps


def _step_words(kind: str, charter: Charter, language: str) -> str | None:
    if kind in STEP_WORDS:
        return str(STEP_WORDS[kind])
    if kind in charter.events:
        return translated(charter.events[kind], language)
    return None


def _details(event: Event, zone: str) -> list[tuple[str, list[str]]]:
    details = []
    for key in SHOWN_DETAILS.get(event.kind, ()):
        value = event.data.get(key)
        if value in (None, "", []):
            continue
        details.append((str(DETAIL_WORDS[key]), _shown(key, value)))
    return details


def _shown(key: str, value: object) -> list[str]:
    if key in ("new_date", "review_on"):
        day = as_date(value)
        return [str(formats.date_format(day, "DATE_FORMAT")) if day else str(value)]
    if key == "owner":
        return [first_name(str(value))]
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def first_name(name: str) -> str:
    """Staff are named by their first name only."""
    words = name.split()
    return words[0] if words else ""


def conversation_of(case: Case, language: str) -> list[Said]:
    """The messages in and out, oldest first; at the same instant what the customer sent
    comes before the answer to it."""
    charter = parsed(case.charter).charter
    ours = translated(charter.organization.name, language)
    zone = case.organization.timezone
    messages = (
        Message.objects.filter(organization_id=case.organization_id, case=case)
        .defer("raw")
        .prefetch_related("attachments")
    )
    ordered = sorted(messages, key=lambda m: (m.at, m.direction != Message.Direction.IN, m.pk))
    return [
        Said(
            incoming=message.direction == Message.Direction.IN,
            author=""
            if message.direction == Message.Direction.IN
            else (first_name(message.author) or ours),
            at=local_time(message.at, zone, language),
            body=message.body,
            attachments=list(message.attachments.all()),
        )
        for message in ordered
    ]


def open_question(case: Case) -> str:
    """The question the desk is waiting for an answer to, if it is waiting."""
    if case.status != Case.Status.AWAITING_CUSTOMER:
        return ""
    event = Event.objects.filter(case=case, kind="info_requested").order_by("-at", "-pk").first()
    return str(event.data.get("question", "")) if event else ""


def escalation_route(case: Case, language: str) -> list[Body]:
    """The ombudsman and regulators the customer may turn to, as the charter says when:
    for this case type, on its topic (a case field ``about_<topic>`` or ``<topic>`` that
    is set, e.g. A6's personal data), anytime or after the final response (A12)."""
    charter = parsed(case.charter).charter
    kinds = set(
        Event.objects.filter(case=case, kind__in=FINAL_RESPONSES).values_list("kind", flat=True)
    )
    return [
        Body(body.kind, translated(body.name, language), body.url or "", body.binding)
        for body in charter.external_bodies
        if _open_to(body, case, final=bool(kinds))
    ]


def _open_to(body: ExternalBody, case: Case, *, final: bool) -> bool:
    if body.case_types is not None and case.case_type not in body.case_types:
        return False
    if body.topics and not any(
        case.fields.get(f"about_{topic}") or case.fields.get(topic) for topic in body.topics
    ):
        return False
    return body.after == "anytime" or final
