"""The queue: an organization's open cases, what breaches first at the top.

A page is a fixed number of queries whatever its size: the count, the page of cases
with their contacts and assignees, and the clocks of the cases on that page. The
order (``next_due_at`` nulls last, then arrival) and the filters on organization,
status and due time are served by the index on Case (organization, status,
next_due_at); see :mod:`charterdesk.console.queue_order`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull

from charterdesk.cases.models import Case, Clock, Contact, Message, Organization
from charterdesk.console.queue_order import DueFirst
from charterdesk.core.clocks import ClockState

PAGE_SIZE = 50

#: Badge precedence: the first that holds for any of a case's clocks wins.
BADGES = ("breached", "at_risk", "paused", "running", "met")


@dataclass(frozen=True, kw_only=True, slots=True)
class QueueQuery:
    """What the person at the queue asked for; empty strings mean "any"."""

    case_type: str = ""
    channel: str = ""
    assignee: str = ""  # "me", "unassigned", a user id, or "" for anyone
    state: str = ""  # one of BADGES but "met", or ""
    search: str = ""


@dataclass(frozen=True, slots=True)
class QueueRow:
    case: Case
    badge: str
    case_type: str  # in words
    channel: str


def matching(org: Organization, query: QueueQuery, me: User, now: datetime) -> QuerySet[Case]:
    """The organization's cases that pass the filters, of any status, in no order."""
    cases = Case.objects.filter(organization=org)
    if query.case_type:
        cases = cases.filter(case_type=query.case_type)
    if query.channel:
        cases = cases.filter(channel=query.channel)
    cases = cases.filter(_assignee(query.assignee, me))
    cases = cases.filter(_state(org, query.state, now))
    if query.search:
        cases = cases.filter(_search(query.search.strip()))
    return cases


def _assignee(assignee: str, me: User) -> Q:
    if assignee == "me":
        return Q(assignee=me)
    if assignee == "unassigned":
        return Q(assignee__isnull=True)
    if assignee.isdigit():
        return Q(assignee_id=int(assignee))
    return Q()


def _clocks(**conditions: Any) -> Exists:
    return Exists(Clock.objects.filter(case=OuterRef("pk"), **conditions))


def _clocks_in(org: Organization, **conditions: Any) -> Q:
    """Cases with a clock of these conditions, read from the organization's clocks by
    the index on (organization, state, due_at): the few running or paused clocks there
    are, not every clock of each open case (SQLite, asked per case, walked the index on
    (state, warn_at) through every clock ever warned, for each case)."""
    clocks = Clock.objects.filter(organization=org, **conditions).values("case_id")
    return Q(pk__in=clocks)


def _state(org: Organization, state: str, now: datetime) -> Q:
    running = ClockState.RUNNING.value
    if state == "breached":
        # the index row of a clock that ran out since the last sweep still says running;
        # breached clocks are many (every broken promise ever): asked per case
        return Q(next_due_at__lte=now) | Q(_clocks(state=ClockState.BREACHED.value))
    if state == "at_risk":
        return _clocks_in(org, state=running, due_at__gt=now, warn_at__lte=now)
    if state == "running":  # a clock runs and none has run out
        return Q(next_due_at__gt=now)
    if state == "paused":
        return _clocks_in(org, state=ClockState.PAUSED.value)
    return Q()


def _search(text: str) -> Q:
    """Reference, subject, the contact's name or email, or a message's text.

    The contact and the messages are looked up for each case the other filters leave
    (their keys' indexes), as scalar subqueries: with ``EXISTS`` or a join, PostgreSQL
    (which cannot tell how many rows ``LIKE '%...%'`` keeps) read every message and
    contact of every organization into a hash at each query."""
    contact = Contact.objects.filter(
        Q(name__icontains=text) | Q(email__icontains=text), pk=OuterRef("contact_id")
    )
    message = Message.objects.filter(case=OuterRef("pk"), body__icontains=text)
    return (
        Q(reference__icontains=text)
        | Q(subject__icontains=text)
        | Q(IsNull(Subquery(contact.values("pk")[:1]), False))
        | Q(IsNull(Subquery(message.values("pk")[:1]), False))
    )


@dataclass(frozen=True, slots=True)
class QueuePage:
    page: Page[Case]  # which page of how many
    rows: list[QueueRow]


def queue_page(
    cases: QuerySet[Case],
    number: str | int | None,
    now: datetime,
    words: tuple[Mapping[str, str], Mapping[str, str]] = ({}, {}),
) -> QueuePage:
    """One page of the open ``cases`` in queue order, each with its badge and its type
    and channel in ``words`` (two queries for the cases and one for all their clocks)."""
    types, channels = words
    page = Paginator(DueFirst(cases), PAGE_SIZE).get_page(number)
    found = list(page.object_list)
    states = clock_states([case.pk for case in found], now)
    rows = [
        QueueRow(
            case,
            badge_of(states.get(case.pk, [])),
            types.get(case.case_type, case.case_type),
            channels.get(case.channel, case.channel),
        )
        for case in found
    ]
    return QueuePage(page, rows)


def clock_states(case_ids: Iterable[int], now: datetime) -> Mapping[int, list[str]]:
    """The state each clock of these cases is in now, in one query."""
    rows = Clock.objects.filter(case_id__in=list(case_ids)).values_list(
        "case_id", "state", "due_at", "warn_at"
    )
    states: defaultdict[int, list[str]] = defaultdict(list)
    for case_id, state, due_at, warn_at in rows:
        states[case_id].append(state_now(state, due_at, warn_at, now))
    return states


def state_now(state: str, due_at: datetime | None, warn_at: datetime | None, now: datetime) -> str:
    """A clock's state as it stands at ``now``, which may be ahead of its index row."""
    if state != ClockState.RUNNING.value:
        return state
    if due_at is not None and due_at <= now:
        return "breached"
    if warn_at is not None and warn_at <= now:
        return "at_risk"
    return state


def badge_of(states: Iterable[str]) -> str:
    present = set(states)
    return next((badge for badge in BADGES if badge in present), "none")
