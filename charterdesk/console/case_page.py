"""What the case page shows, read in a fixed number of queries: the case with its
contact, assignee and charter version; its clocks; its messages with their
attachments; its events with their actors; the organization's members.

A clock's reason is shown in the reader's language: the case's commitments are
evaluated again at the page's instant from the events the timeline reads (once for
both), and each clock's explanation in parts is put into words
(:mod:`charterdesk.console.clock_reasons`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.http import Http404
from django.utils import translation

from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import clocks_of
from charterdesk.cases.models import Case, Clock, Event, Membership, Message, Organization
from charterdesk.console.clock_reasons import reason_text
from charterdesk.console.labels import DATA_LABELS, event_label
from charterdesk.console.queue import state_now
from charterdesk.core.charter import Charter
from charterdesk.core.clocks import Clock as Evaluated
from charterdesk.core.clocks import ClockState
from charterdesk.core.events import Event as CoreEvent
from charterdesk.localized import local_time, translated


@dataclass(frozen=True, slots=True)
class ClockLine:
    clock: Clock
    promises: str  # the promise ids it keeps, e.g. "A9"
    title: str
    state: str  # as it stands now (a running clock past its due time is breached)
    reason: str = ""  # in the reader's language (else the stored English)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    event: Event
    label: str
    details: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class ReplyTemplate:
    key: str
    label: str
    text: str


def case_of(org: Organization, reference: str) -> Case:
    case = (
        Case.objects.select_related("contact", "assignee", "charter")
        .filter(organization=org, reference=reference)
        .first()
    )
    if case is None:
        raise Http404("no such case")
    case.organization = org  # already read: the actions need its time zone
    return case


def members_of(org: Organization) -> list[Membership]:
    return list(
        Membership.objects.filter(organization=org)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def clock_lines(case: Case, now: datetime) -> tuple[list[ClockLine], list[ClockLine]]:
    """The case's clocks that apply (soonest due first), and those that do not."""
    charter = parsed(case.charter).charter
    language = translation.get_language() or "en"
    order = {c.id: i for i, c in enumerate(charter.commitments)}
    rows = Clock.objects.filter(organization_id=case.organization_id, case=case)
    fresh = _evaluated(case, now)
    zone = case.organization.timezone
    lines = [_line(row, charter, language, now, fresh, zone) for row in rows]
    indexed = {line.clock.commitment for line in lines}
    lines += [  # the index keeps no row for a commitment that does not apply
        _line(_not_indexed(case, clock), charter, language, now, fresh, zone)
        for commitment, clock in fresh.items()
        if commitment not in indexed and clock.state is ClockState.NOT_APPLICABLE
    ]
    lines.sort(
        key=lambda line: (
            line.clock.due_at is None or line.state == ClockState.MET.value,
            line.clock.due_at or line.clock.met_at or case.received_at,
            order.get(line.clock.commitment, len(order)),
        )
    )
    applies = [line for line in lines if line.state != ClockState.NOT_APPLICABLE.value]
    others = [line for line in lines if line.state == ClockState.NOT_APPLICABLE.value]
    return applies, others


def _not_indexed(case: Case, clock: Evaluated) -> Clock:
    """A commitment's clock as a row would hold it, for showing (not saved)."""
    return Clock(
        organization_id=case.organization_id,
        case_id=case.pk,
        commitment=clock.commitment_id,
        state=clock.state.value,
        reason=clock.reason,
    )


def _line(
    row: Clock,
    charter: Charter,
    language: str,
    now: datetime,
    fresh: Mapping[str, Evaluated],
    zone: str,
) -> ClockLine:
    try:
        commitment = charter.commitment(row.commitment)
    except KeyError:  # a clock of a commitment the charter no longer has
        return ClockLine(row, "", row.commitment, row.state, row.reason)
    # the stored row says the state and due time (as the queue does); the reason is the
    # fresh evaluation's, even should the index lag behind the events
    evaluated = fresh.get(row.commitment)
    reason = row.reason
    if evaluated is not None:
        reason = reason_text(evaluated.why, charter, zone, language)
    return ClockLine(
        clock=row,
        promises=" ".join(commitment.promise),
        title=translated(commitment.title, language),
        state=state_now(row.state, row.due_at, row.warn_at, now),
        reason=reason,
    )


def _evaluated(case: Case, now: datetime) -> dict[str, Evaluated]:
    """The case's commitments evaluated at ``now`` from the events the page reads for
    its timeline (no query of their own)."""
    events = [CoreEvent(kind=e.kind, at=e.at, data=e.data) for e in _events(case)]
    return clocks_of(case, events, now)


def _events(case: Case) -> list[Event]:
    """The case's events with their actors, in time order: read once for the clocks'
    reasons and the timeline (kept on this Case object; a page reads a case afresh)."""
    kept: list[Event] | None = getattr(case, "_page_events", None)
    if kept is None:
        kept = list(
            Event.objects.filter(organization_id=case.organization_id, case=case)
            .select_related("actor")
            .order_by("at", "pk")
        )
        case._page_events = kept  # type: ignore[attr-defined]
    return kept


def messages_of(case: Case) -> list[Message]:
    return list(
        Message.objects.filter(organization_id=case.organization_id, case=case)
        .defer("raw")
        .prefetch_related("attachments")
        .order_by("at", "pk")
    )


def timeline_of(case: Case) -> list[TimelineEntry]:
    charter = parsed(case.charter).charter
    language = translation.get_language() or "en"
    return [
        TimelineEntry(event, event_label(event.kind, charter, language), _details(event.data))
        for event in _events(case)
    ]


#: Data kept for the desk's own use (ids), not for reading.
HIDDEN_DATA = frozenset({"message", "owner_id"})


def _details(data: Mapping[str, object]) -> list[tuple[str, str]]:
    details = []
    for key, value in data.items():
        if key in HIDDEN_DATA:
            continue
        label = str(DATA_LABELS.get(key, key.replace("_", " ")))
        if isinstance(value, list):
            shown = "; ".join(str(item) for item in value)
        else:
            shown = "" if value is None else str(value)
        details.append((label, shown))
    return details


class _Blank(dict[str, str]):
    """Placeholders the console cannot fill stay in the text for the agent to edit."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def reply_templates(case: Case, zone: str) -> list[ReplyTemplate]:
    """The charter's texts in the case's language, with what the desk knows filled in."""
    charter = parsed(case.charter).charter
    known = _Blank(reference=case.reference)
    if case.contact is not None and case.contact.name:
        known["name"] = case.contact.name
    if case.next_due_at is not None:  # as the desk writes dates to customers
        known["due"] = local_time(case.next_due_at, zone, case.language)
    templates = []
    for key, texts in charter.texts.items():
        text = translated(texts, case.language)
        try:
            filled = text.format_map(known)
        except (ValueError, IndexError):  # braces that are not placeholders
            filled = text
        templates.append(ReplyTemplate(key, key.replace("_", " ").capitalize(), filled))
    return templates
