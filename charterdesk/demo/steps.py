"""Carrying out one step of a story through the desk's own services, at the simulated
``now``: the same calls the console and the worker make.

Each step is atomic: a refused one leaves nothing behind. A service call is so by
itself; a step of several calls is one transaction (``@transaction.atomic``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction

from charterdesk.cases import actions
from charterdesk.cases.services import record_event
from charterdesk.demo.content import causes
from charterdesk.demo.stories import Story

Step = Callable[[Story, datetime], None]


def _words(story: Story, key: str) -> str:
    value = story.phrases[key]
    return story.rng.choice(value) if isinstance(value, list) else str(value)


def _letter(story: Story, *paragraphs: str) -> str:
    """A message to the customer: greeting, paragraphs, signature."""
    person, agent = story.person, story.agent
    greeting = story.phrases["greeting"].format(name=person.name, first=person.first)
    signature = story.phrases["signature"].format(
        agent=agent.get_full_name() or agent.username, org=story.team.org.name
    )
    return "\n\n".join([greeting, *paragraphs, signature])


def _local_today(story: Story, now: datetime) -> date:
    return now.astimezone(ZoneInfo(story.team.org.timezone)).date()


def _colleague(story: Story) -> User:
    others = [u for u in [*story.team.agents, story.team.supervisor] if u != story.agent]
    return story.rng.choice(others)


def quick(story: Story, now: datetime) -> None:
    """A promise measured in seconds (L1: the phone answered): met as it happens."""
    clocks = story.running_clocks(now)
    if clocks:
        event = story.met_by(clocks[0])[0]
        record_event(story.case, event, at=now, now=now, actor=story.agent)


@transaction.atomic
def first_contact(story: Story, now: datetime) -> None:
    actions.assign(story.case, to=story.agent, now=now, actor=story.agent)
    actions.resolve(
        story.case,
        result=story.topic.result,
        steps=list(story.topic.steps),
        now=now,
        actor=story.agent,
        first_contact=True,
    )


def assign(story: Story, now: datetime) -> None:
    by = story.team.supervisor if story.rng.random() < 0.6 else story.agent
    actions.assign(story.case, to=story.agent, now=now, actor=by)


@transaction.atomic
def acknowledge(story: Story, now: datetime) -> None:
    if actions.acknowledge(story.case, now=now, actor=story.agent) is None:
        record_event(story.case, "acknowledged", at=now, now=now, actor=story.agent)


def plain_event(kind: str) -> Step:
    def step(story: Story, now: datetime) -> None:
        record_event(story.case, kind, at=now, now=now, actor=story.agent)

    return step


def hand_off(story: Story, now: datetime) -> None:
    """L8: the customer is told who will help, and by when; that colleague works on."""
    by, story.agent = story.agent, _colleague(story)
    new_date = _local_today(story, now) + timedelta(days=story.rng.randint(2, 6))
    actions.hand_off(story.case, to=story.agent, new_date=new_date, now=now, actor=by)


def ask(story: Story, now: datetime) -> None:
    question = _letter(story, _words(story, "question"))
    actions.request_information(story.case, question=question, now=now, actor=story.agent)


def customer_answers(story: Story, now: datetime) -> None:
    actions.receive_customer_reply(story.case, body=_words(story, "customer_info"), at=now, now=now)


def info_complete(story: Story, now: datetime) -> None:
    actions.mark_information_complete(story.case, now=now, actor=story.agent)


def reply_of(kind: actions.ReplyKind) -> Step:
    def step(story: Story, now: datetime) -> None:
        if kind == "update_sent":
            text = _words(story, "update")
        elif kind == "formal_response_sent":
            listed = "\n".join(f"- {item}" for item in story.topic.steps)
            text = f"{_words(story, 'formal')}\n\n{story.topic.result}.\n\n{listed}"
        else:
            text = f"{_words(story, 'reply')} {story.topic.result}."
        actions.reply(story.case, body=_letter(story, text), now=now, actor=story.agent, kind=kind)

    return step


def articles(story: Story, now: datetime) -> None:
    """N4: answered with the support pages rather than a personal reply."""
    data = {"articles": [story.topic.articles]}
    record_event(
        story.case, "answered_with_articles", at=now, now=now, data=data, actor=story.agent
    )


def delay(story: Story, now: datetime) -> None:
    new_date = _local_today(story, now) + timedelta(days=story.rng.randint(3, 10))
    reason = _words(story, "delay_reason")
    actions.send_delay_notice(
        story.case, reason=reason, new_date=new_date, now=now, actor=story.agent
    )


def delay_until_appointment(story: Story, now: datetime) -> None:
    """L3, L4: an appointment more than 5 days away: the customer is told the date."""
    assert story.appointment is not None
    new_date = max(story.appointment, _local_today(story, now))
    reason = _words(story, "appointment_reason").format(date=f"{new_date:%d.%m.%Y}")
    actions.send_delay_notice(
        story.case, reason=reason, new_date=new_date, now=now, actor=story.agent
    )


def apology(story: Story, now: datetime) -> None:
    remedy = _words(story, "remedy")
    actions.apologise(story.case, remedy=remedy, now=now, actor=story.agent)


def resolve(story: Story, now: datetime) -> None:
    actions.resolve(
        story.case,
        result=story.topic.result,
        steps=list(story.topic.steps),
        now=now,
        actor=story.agent,
    )


def cause(story: Story, now: datetime) -> None:
    """L13: mostly what such complaints come down to; now and then something else."""
    usual = story.topic.cause
    found = usual if usual and story.rng.random() < 0.8 else story.rng.choice(causes())
    actions.classify_cause(story.case, cause=found, now=now, actor=story.agent)


def note(story: Story, now: datetime) -> None:
    actions.add_note(story.case, text=_words(story, "note"), now=now, actor=story.agent)


def survey(story: Story, now: datetime) -> None:
    record_event(story.case, "survey_sent", at=now, now=now)


def rated(story: Story, now: datetime) -> None:
    score = story.rng.choices((5, 4, 3, 2, 1), weights=(45, 30, 12, 7, 6))[0]
    record_event(story.case, "rated", at=now, now=now, data={"score": score})


@transaction.atomic
def appeal(story: Story, now: datetime) -> None:
    actions.receive_customer_reply(story.case, body=_words(story, "appeal"), at=now, now=now)
    record_event(story.case, "appealed", at=now, now=now)


def review(story: Story, now: datetime) -> None:
    """A11, L16: the appeal decided by the owner."""
    story.agent = story.team.owner
    actions.resolve(
        story.case,
        result=f"{_words(story, 'appeal_result')}: {story.topic.result}",
        steps=list(story.phrases["appeal_steps"]),
        now=now,
        actor=story.agent,
    )


STEPS: dict[str, Step] = {
    "quick": quick,
    "first_contact": first_contact,
    "assign": assign,
    "acknowledge": acknowledge,
    "callback": plain_event("callback_made"),
    "hand_off": hand_off,
    "ask": ask,
    "customer_answers": customer_answers,
    "info_complete": info_complete,
    "update": reply_of("update_sent"),
    "answer": reply_of("replied"),
    "formal": reply_of("formal_response_sent"),
    "articles": articles,
    "delay": delay,
    "delay_until_appointment": delay_until_appointment,
    "apology": apology,
    "resolve": resolve,
    "cause": cause,
    "note": note,
    "survey": survey,
    "rated": rated,
    "appeal": appeal,
    "review": review,
}


def carry_out(story: Story, step: str, now: datetime) -> None:
    if step.startswith("event:"):
        plain_event(step.removeprefix("event:"))(story, now)
    else:
        STEPS[step](story, now)
