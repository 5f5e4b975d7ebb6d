"""Six months of history made by walking a simulated clock forward.

Every case arrives, is worked and is (mostly) resolved through the desk's own services,
each call at the simulated ``now``; nothing is ever recorded after the real ``end``.
The worker's own code runs at the simulated times too: the clock sweep every few hours,
cover for absences, and the notifications it queues (escalations, reassignments). One
transaction per simulated day keeps it fast. Mail queued by history counts as delivered
when it was queued: the demo sends nothing to its invented customers.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save

from charterdesk.cases.actions import cover_absences, record_absence, roles_remembered
from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import OutboxMessage
from charterdesk.cases.services import CaseError
from charterdesk.cases.sweep import sweep
from charterdesk.demo.arrivals import Arrival, Customers, arrivals, open_arrival
from charterdesk.demo.people import Team
from charterdesk.demo.steps import carry_out
from charterdesk.demo.stories import Story
from charterdesk.demo.timing import next_time
from charterdesk.outbox.notifications import carry_out_notifications

#: How often the simulated worker sweeps the clocks.
SWEEP_EVERY = timedelta(hours=6)
SEND_SOON = "outbox-send-soon"  # the outbox's post_save hook (charterdesk/outbox/apps.py)


@dataclass
class Tally:
    cases: int = 0
    steps: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # step -> CaseError code
    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Absent:
    team: Team
    starts: date
    days: int


Item = Arrival | Story | Absent | None  # None: the worker's sweep


class Timeline:
    """What happens next, in time order (ties in the order they were planned)."""

    def __init__(self, end: datetime) -> None:
        self.end = end
        self._heap: list[tuple[datetime, int, Item]] = []
        self._order = itertools.count()

    def add(self, at: datetime, item: Item) -> None:
        if at <= self.end:
            heapq.heappush(self._heap, (at, next(self._order), item))

    def next_day(self) -> Iterator[tuple[datetime, Item]]:
        """The items of the simulated (UTC) day the next item falls on."""
        if not self._heap:
            return
        day = self._heap[0][0].date() + timedelta(days=1)
        until = datetime.combine(day, time(), tzinfo=UTC)
        while self._heap and self._heap[0][0] < until:
            at, _, item = heapq.heappop(self._heap)
            yield at, item

    def __bool__(self) -> bool:
        return bool(self._heap)


def make_history(
    teams: dict[str, Team],
    *,
    start: datetime,
    end: datetime,
    per_org: int,
    seed: int,
    progress: Callable[[datetime, Tally], None] = lambda at, tally: None,
) -> Tally:
    """Make ``per_org`` cases in each team's organization, arriving from ``start`` to ``end``."""
    history = History(end, seed, sorted(teams))
    for slug, team in sorted(teams.items()):
        for arrival in arrivals(team, history.rngs[slug], start, end, per_org):
            history.timeline.add(arrival.entered, arrival)
        for recorded, starts, days in ((75, -68, 5), (2, 3, 4)):  # one past, one coming
            away = Absent(team, (end + timedelta(days=starts)).date(), days)
            history.timeline.add(end - timedelta(days=recorded), away)
    at = start
    while at < end:
        history.timeline.add(at, None)
        at += SWEEP_EVERY
    with _mail_held_back(), roles_remembered():  # no one's role changes in the history
        while history.timeline:
            with transaction.atomic():
                for at, item in history.timeline.next_day():
                    history.happen(item, at)
                _delivered(at)
            progress(at, history.tally)
        with transaction.atomic():
            history.happen(None, end)
            _delivered(end)
    return history.tally


class History:
    """The simulation's state: what is to come, each organization's chance and customers."""

    def __init__(self, end: datetime, seed: int, slugs: list[str]) -> None:
        self.timeline, self.tally = Timeline(end), Tally()
        self.rngs = {slug: random.Random(f"{seed}:{slug}") for slug in slugs}
        self.customers = {slug: Customers() for slug in slugs}
        self.jitter = random.Random(seed).random

    def happen(self, item: Item, at: datetime) -> None:
        began = perf_counter()
        if isinstance(item, Arrival):
            what = "open_case"
            self._arrive(item, at)
        elif isinstance(item, Story):
            what = item.steps[0]
            self._step(item, at)
        elif isinstance(item, Absent):
            what = "absence"
            _absence(item, at)
        else:
            what = "worker"
            _worker(at, self.jitter)
        self.tally.seconds[what] += perf_counter() - began
        self.tally.calls[what] += 1

    def _arrive(self, arrival: Arrival, at: datetime) -> None:
        slug = arrival.team.org.slug  # (a refusal here ends the history: no savepoint)
        story = open_arrival(arrival, self.rngs[slug], self.customers[slug], self.timeline.end)
        self.tally.cases += 1
        self._plan_next(story, at)

    def _step(self, story: Story, at: datetime) -> None:
        step = story.steps.popleft()
        try:  # a step refused leaves nothing behind (carry_out: each step is atomic)
            carry_out(story, step, at)
        except (CaseError, NotAllowed) as refused:
            self.tally.refused[f"{step}: {getattr(refused, 'code', 'not-allowed')}"] += 1
            return  # the story ends here; the case stays as it is
        self.tally.steps += 1
        self._plan_next(story, at)

    def _plan_next(self, story: Story, at: datetime) -> None:
        if story.steps:
            self.timeline.add(next_time(story, at), story)


def _absence(absent: Absent, at: datetime) -> None:
    """T14: an agent away for a few days, a colleague covering."""
    team = absent.team
    if len(team.agents) < 2:
        return
    record_absence(
        team.org,
        user=team.agents[1],
        starts=absent.starts,
        ends=absent.starts + timedelta(days=absent.days - 1),
        cover=team.agents[0],
        now=at,
        actor=team.supervisor,
    )


def _worker(at: datetime, jitter: Callable[[], float]) -> None:
    """What the worker does on a pass, at the simulated ``at`` (mail aside)."""
    sweep(at, limit=100_000)
    cover_absences(at)
    carry_out_notifications(at, 100_000, jitter)


def _delivered(until: datetime) -> None:
    OutboxMessage.objects.filter(
        kind="mail", status=OutboxMessage.Status.PENDING, next_attempt_at__lte=until
    ).update(status=OutboxMessage.Status.SENT, sent_at=F("next_attempt_at"), attempts=1)


@contextmanager
def _mail_held_back() -> Iterator[None]:
    """History's mail is not handed to the outbox's "send as soon as committed" task."""
    held = post_save.disconnect(sender=OutboxMessage, dispatch_uid=SEND_SOON)
    try:
        yield
    finally:
        if held:
            from charterdesk.outbox.tasks import send_soon

            post_save.connect(send_soon, sender=OutboxMessage, dispatch_uid=SEND_SOON)
