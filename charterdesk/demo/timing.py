"""When the next step of a story happens.

Staff work in the organization's working hours and against its clocks: a step that
meets a running clock happens somewhere in that clock's remaining working time (mostly
early, sometimes close to the deadline, and, in a story that runs late, after it).
Other steps follow the previous one after a plausible while. Customers write at any
hour.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from charterdesk.demo.stories import Due, Story

#: The event each step records: the clocks it can meet are the ones it is timed against.
STEP_EVENT = {
    "quick": "",
    "first_contact": "resolved_at_first_contact",
    "assign": "assigned",
    "acknowledge": "acknowledged",
    "callback": "callback_made",
    "hand_off": "handed_off",
    "ask": "info_requested",
    "customer_answers": "customer_replied",
    "info_complete": "info_complete",
    "update": "update_sent",
    "delay": "delay_notice_sent",
    "delay_until_appointment": "delay_notice_sent",
    "answer": "replied",
    "articles": "answered_with_articles",
    "formal": "formal_response_sent",
    "apology": "apology_made",
    "resolve": "resolved",
    "cause": "cause_classified",
    "note": "noted",
    "survey": "survey_sent",
    "rated": "rated",
    "appeal": "appealed",
    "review": "resolved",
}

#: Minutes of working time after the previous step, for steps without a deadline.
WORKING_GAP = {
    "assign": (5, 120),
    "resolve": (5, 180),
    "cause": (2, 30),
    "apology": (10, 240),
    "note": (30, 480),
    "info_complete": (10, 120),
    "review": (240, 2400),
    "first_contact": (2, 15),
}
#: Hours of real time: what customers (and the desk by itself) do at any hour.
REAL_GAP = {
    "customer_answers": (3, 96),
    "survey": (24, 26),
    "rated": (2, 72),
    "appeal": (48, 288),
}


def event_of(step: str) -> str:
    return step.removeprefix("event:") if step.startswith("event:") else STEP_EVENT[step]


def next_time(story: Story, after: datetime) -> datetime:
    """When the story's next step happens, the previous one having happened at ``after``.
    An update the customer is owed before then (A9, T18) is put in first."""
    step = story.steps[0]
    if step == "quick":
        return after + timedelta(seconds=story.rng.uniform(5, 40))
    if step in REAL_GAP:
        low, high = REAL_GAP[step]
        return after + timedelta(hours=story.rng.uniform(low, high))
    if step == "event:appointment_started" and story.appointment is not None:
        return _appointment(story, after)
    timed = step not in WORKING_GAP or step == "resolve"
    clocks = story.running_clocks(after) if timed else []
    at = _timed(story, step, after, clocks)
    owed = [c for c in clocks if c.due_at < at and "update_sent" in story.met_by(c)]
    if owed and step != "update" and not story.late_chance:
        story.steps.appendleft("update")
        return _timed(story, "update", after, clocks)
    return at


def _timed(story: Story, step: str, after: datetime, clocks: list[Due]) -> datetime:
    event = event_of(step)
    meeting = [c.due_at for c in clocks if event in story.met_by(c)]
    if meeting:
        return _before(story, step, after, min(meeting))
    low, high = WORKING_GAP.get(step, (60, 960))
    return story.calendar.add_working(after, timedelta(minutes=story.rng.uniform(low, high)))


def _before(story: Story, step: str, after: datetime, due: datetime) -> datetime:
    """A moment in the working time left until ``due`` (or after it, running late)."""
    rng, calendar = story.rng, story.calendar
    if due <= after or rng.random() < story.late_chance:
        overdue = timedelta(minutes=rng.uniform(15, 900))
        return calendar.add_working(max(due, after), overdue)
    if step == "acknowledge":
        share = rng.uniform(0.02, 0.3)
    elif rng.random() < 0.12:
        share = rng.uniform(0.6, 0.97)  # close to the wire: the warning fires first
    else:
        share = rng.betavariate(1.4, 4.0) * 0.9 + 0.02
    left = calendar.working_between(after, due)
    if left > timedelta(minutes=5):
        return calendar.add_working(after, left * share)
    return after + (due - after) * share  # no working time left: someone does it anyway


def _appointment(story: Story, after: datetime) -> datetime:
    """The appointment's day at a plausible hour; a day or two later in a late story."""
    assert story.appointment is not None
    zone = story.calendar.zone
    hour = time(hour=story.rng.randint(9, 15), minute=story.rng.choice((0, 15, 30, 45)))
    at = datetime.combine(story.appointment, hour, tzinfo=zone).astimezone(UTC)
    if story.rng.random() < story.late_chance:
        at = story.calendar.add_working(at, timedelta(hours=story.rng.uniform(9, 20)))
    return max(at, after + timedelta(minutes=1))
