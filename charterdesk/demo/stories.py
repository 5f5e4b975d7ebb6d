"""What will happen to one case, decided when it arrives: its story, a list of steps.

The steps follow from the charter: a case gets an acknowledgement, a progress update,
a formal response, a call back or a confirmation when one of the commitments that
apply to it is met by that event. Chance decides the rest (first-contact answers,
questions to the customer, delays, hand-offs, apologies, appeals, surveys), and
whether this case's work runs late.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.contrib.auth.models import User

from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import DUE
from charterdesk.cases.models import Case, Clock
from charterdesk.cases.services import clocks_left
from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Charter
from charterdesk.core.clocks import ClockState
from charterdesk.demo.content import TopicText
from charterdesk.demo.names import Person
from charterdesk.demo.people import Team

#: Kinds of channel where the customer is on the line and may be answered at once.
LIVE = ("phone", "in_person", "chat")
RUNNING, NOT_APPLICABLE = ClockState.RUNNING.value, ClockState.NOT_APPLICABLE.value
#: Work staff simply record as done (T21, T22).
PAPERWORK = ("registration_confirmed", "certificates_dispatched")


class Due(NamedTuple):
    """A running clock: which commitment, due when."""

    commitment: str
    due_at: datetime


@dataclass
class Story:
    """A case being worked, and what is still to happen to it."""

    case: Case
    team: Team
    topic: TopicText
    phrases: dict[str, Any]
    person: Person
    agent: User
    rng: random.Random
    steps: deque[str] = field(default_factory=deque)
    late_chance: float = 0.0  # how likely each step with a deadline is done after it
    appointment: date | None = None

    @property
    def charter(self) -> Charter:
        return parsed(self.case.charter).charter

    @property
    def calendar(self) -> WorkCalendar:
        return next(iter(parsed(self.case.charter).calendars.values()))

    def running_clocks(self, now: datetime) -> list[Due]:
        """The case's running clocks at ``now``, the most urgent first: as the service
        that has just acted on the case at ``now`` left them, else as stored."""
        left = clocks_left(self.case, now)
        if left is not None:
            pairs = [(name, row[DUE]) for name, row in left.items() if row[0] == RUNNING]
        else:
            rows = Clock.objects.filter(case=self.case, state=RUNNING, due_at__isnull=False)
            pairs = list(rows.order_by("due_at").values_list("commitment", "due_at"))
        running = [Due(commitment, due) for commitment, due in pairs if due is not None]
        return sorted(running, key=lambda clock: clock.due_at)

    def met_by(self, clock: Due) -> list[str]:
        return list(self.charter.commitment(clock.commitment).met_by)


def events_that_matter(case: Case, now: datetime) -> set[str]:
    """The events that meet or restart the commitments that apply to a case opened at
    ``now``, and, as ``after:<event>``, those that start one (a stated date kept)."""
    charter = parsed(case.charter).charter
    left = clocks_left(case, now)
    if left is not None:
        ids = [commitment for commitment, row in left.items() if row[0] != NOT_APPLICABLE]
    else:
        rows = Clock.objects.filter(case=case).exclude(state=NOT_APPLICABLE)
        ids = list(rows.values_list("commitment", flat=True))
    wanted: set[str] = set()
    for commitment_id in ids:
        commitment = charter.commitment(commitment_id)
        wanted.update(commitment.met_by)
        wanted.update(commitment.restart_on)
        if commitment.starts.event:
            wanted.add(f"after:{commitment.starts.event}")
    return wanted


def plan(story: Story, wanted: set[str], arrived: datetime, end: datetime) -> None:
    """Fill ``story.steps`` for a case that has just been opened (history ends at ``end``)."""
    rng, case, charter = story.rng, story.case, story.charter
    complaint = case.priority > 0
    kind = charter.channels[case.channel].kind
    late = 0.14 if (end - arrived).days < 14 else 0.06  # recent cases: more still open late
    story.late_chance = 0.5 if rng.random() < late else 0.0
    live_chance = 0.25 if complaint else 0.6
    if kind in LIVE and "resolved_at_first_contact" in wanted and rng.random() < live_chance:
        story.steps.extend(["first_contact", *(["cause"] if complaint else [])])
        return
    steps = ["assign"]
    auto = charter.channels[case.channel].auto_acknowledge and case.contact and case.contact.email
    if "acknowledged" in wanted and not auto:
        steps.append("acknowledge")
    if "callback_made" in wanted and kind in ("phone", "voicemail"):
        steps.append("callback")
    middle = _middle(story, wanted, complaint)
    if "replied" in wanted and (middle or rng.random() < 0.3):
        articles = "answered_with_articles" in wanted and story.topic.articles
        steps.append("articles" if articles and rng.random() < 0.3 else "answer")
    steps.extend(middle)
    if complaint and rng.random() < 0.3:
        steps.append("apology")
    steps.append("resolve")
    if complaint:
        steps.append("cause")
    if rng.random() < 0.08:
        steps.insert(rng.randint(1, len(steps) - 1), "note")
    steps.extend(_afterwards(story, complaint))
    story.steps.extend(steps)


def _middle(story: Story, wanted: set[str], complaint: bool) -> list[str]:
    """The work between the first answer and the resolution."""
    rng, steps = story.rng, []
    if "handed_off" in wanted and rng.random() < 0.4:
        steps.append("hand_off")
    if rng.random() < (0.15 if complaint else 0.05):
        steps += ["ask", "customer_answers"]
        if "info_complete" in wanted:
            steps.append("info_complete")
    if "update_sent" in wanted:
        steps.append("update")
    if "investigated" in wanted:
        steps.append("event:investigated")
    if story.appointment is not None and "appointment_started" in wanted:
        far = (story.appointment - story.case.received_at.date()).days > 4
        if far and "delay_notice_sent" in wanted:
            steps.append("delay_until_appointment")
        steps.append("event:appointment_started")
    steps += [f"event:{kind}" for kind in PAPERWORK if kind in wanted]
    dated = {"delay_notice_sent", "after:delay_notice_sent"} & wanted
    if dated and "delay_until_appointment" not in steps and rng.random() < 0.1:
        steps.append("delay")
    if "formal_response_sent" in wanted:
        steps.append("formal")
    return steps


def _afterwards(story: Story, complaint: bool) -> list[str]:
    rng, charter, steps = story.rng, story.charter, []
    appeal = charter.appeal
    appealable = complaint and appeal and story.case.case_type in appeal.case_types
    if appealable and rng.random() < 0.07:
        steps += ["appeal", "review"]
    if charter.survey and rng.random() < 0.25:
        steps.append("survey")
        if rng.random() < 0.6:
            steps.append("rated")
    return steps
