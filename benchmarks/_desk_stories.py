"""Stories of cases for the desk's benchmarks: what arrives and what staff do, as data.

A story is a case's arrival and the actions taken on it, each at its instant: the
same story can be played through the desk's services (slow, exact) or written in bulk
by ``desk_history.py`` (fast), and both must leave the same rows. Stories are drawn
from the five seed charters: each case meets the commitments that apply to it with
one of the events that meet them, mostly in time and sometimes late, with information
requests, delay notices and hand-offs along the way. Anything that would happen after
``now`` has not happened yet, so recent cases are still open with clocks running.

Pure Python (no Django): the charters are read with the core.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from charterdesk.core.charter import Charter, Commitment
from charterdesk.core.charter_source import read_charter
from charterdesk.core.durations import Basis

CHARTERS = Path(__file__).resolve().parent.parent / "charters"
ORGS = ("leviatan", "ask4", "lt-pro", "eurolux", "anlp")
HISTORY = timedelta(days=183)
#: Staff who work the cases in each organization: (username prefix, role).
STAFF = (("agent1", "agent"), ("agent2", "agent"), ("agent3", "agent"), ("lead", "supervisor"))

#: What staff do to meet a commitment, by the event that meets it.
REPLIES = ("replied", "update_sent", "formal_response_sent")
DATA = {  # the data an event recorded directly must carry
    "answered_with_articles": {"articles": ["https://support.example/help"]},
}


@dataclass(frozen=True, slots=True)
class Step:
    """One action: ``acknowledge``, ``reply`` (kind), ``request_information``,
    ``customer_reply``, ``information_complete``, ``delay_notice``, ``hand_off``,
    ``resolve``, ``assign``, ``note`` or ``event`` (kind, data)."""

    action: str
    at: datetime
    actor: str | None = None  # a STAFF username prefix; None is the desk itself
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Story:
    org: str
    number: int  # the story's place in the run, for names that are unique
    case_type: str
    channel: str
    received_at: datetime
    entered_at: datetime  # when the desk opened it (a letter is entered later)
    language: str
    subject: str
    fields: dict[str, Any]
    contact: tuple[str, str, str]  # name, email, phone
    steps: tuple[Step, ...]


def charters() -> dict[str, Charter]:
    return {
        slug: read_charter((CHARTERS / f"{slug}.yaml").read_text(encoding="utf-8"), slug).charter
        for slug in ORGS
    }


def stories(count: int, now: datetime, seed: int = 2026) -> Iterator[Story]:
    """``count`` stories of cases that arrived over the half year before ``now``, in
    order of arrival."""
    rng = random.Random(seed)
    loaded = charters()
    first = now - HISTORY
    arrivals = sorted(_arrival(rng, first, now) for _ in range(count))
    for number, received in enumerate(arrivals, start=1):
        org = ORGS[rng.randrange(len(ORGS))]
        yield _story(rng, loaded[org], org, number, received, now)


def _arrival(rng: random.Random, first: datetime, now: datetime) -> datetime:
    """Mostly in office hours on weekdays, some at night and at weekends."""
    at = first + timedelta(seconds=rng.randrange(int((now - first).total_seconds())))
    if rng.random() < 0.75 and at.weekday() < 5:
        at = at.replace(hour=rng.randrange(7, 16), minute=rng.randrange(60))
    return min(at.replace(microsecond=0), now)


def _story(
    rng: random.Random, charter: Charter, org: str, number: int, received: datetime, now: datetime
) -> Story:
    case_type = rng.choice(list(charter.case_types))
    channels = [name for name, ch in charter.channels.items() if ch.accepts_case(case_type)]
    channel = rng.choice(channels)
    kind = charter.channels[channel].kind
    entered = received + timedelta(hours=rng.randrange(2, 72)) if kind == "letter" else received
    entered = min(entered, now)
    languages = charter.organization.languages
    language = languages[0] if rng.random() < 0.8 else rng.choice(languages)
    has_email = kind in ("email", "web_form", "chat", "social") or rng.random() < 0.4
    contact = (
        f"Customer {number}",
        f"customer{number}@{org}.example" if has_email else "",
        f"+44 7700 {number % 1_000_000:06d}" if kind in ("phone", "voicemail") else "",
    )
    fields = _fields(rng, charter, case_type, received)
    acknowledged = has_email and charter.channels[channel].auto_acknowledge
    steps = _steps(rng, charter, (case_type, channel), entered, fields, acknowledged)
    return Story(
        org=org,
        number=number,
        case_type=case_type,
        channel=channel,
        received_at=received,
        entered_at=entered,
        language=language,
        subject=f"{case_type.replace('_', ' ').capitalize()} {number}",
        fields=fields,
        contact=contact,
        steps=tuple(step for step in steps if step.at <= now),
    )


def _fields(
    rng: random.Random, charter: Charter, case_type: str, received: datetime
) -> dict[str, Any]:
    day = received.date()
    values: dict[str, Any] = {}
    for spec in charter.case_types[case_type].fields:
        if spec.kind == "date":
            ahead = rng.randrange(-10, 3) if "arrived" in spec.name else rng.randrange(3, 60)
            values[spec.name] = (day + timedelta(days=ahead)).isoformat()
        elif spec.kind == "boolean":
            values[spec.name] = rng.random() < 0.1
        elif spec.required:
            values[spec.name] = f"{spec.name.replace('_', ' ')} of the case"
    return values


def _applies(commitment: Commitment, case_type: str, channel: str) -> bool:
    rule = commitment.applies
    return (rule.case_types is None or case_type in rule.case_types) and (
        rule.channels is None or channel in rule.channels
    )


def _steps(
    rng: random.Random,
    charter: Charter,
    case: tuple[str, str],
    entered: datetime,
    fields: dict[str, Any],
    acknowledged: bool,
) -> list[Step]:
    """Assignment, perhaps a question to the customer, one meeting event per commitment
    that applies (in charter order, so chains follow), perhaps a delay notice or a
    hand-off, and mostly a resolution."""
    case_type, channel = case
    clock = _Clock(rng, entered)
    steps: list[Step] = []
    agent = rng.choice(("agent1", "agent2", "agent3"))
    if rng.random() < 0.7:
        steps.append(Step("assign", clock.later(0.1, 4), "lead", {"to": agent}))
    if charter.channels[channel].kind in ("phone", "in_person") and rng.random() < 0.35:
        result = {"result": "answered on the call", "steps": [], "first_contact": True}
        return [*steps, Step("resolve", clock.later(0, 0.5), agent, result)]
    if any(c.pause_while or c.restart_on for c in charter.commitments) and rng.random() < 0.2:
        question = {"question": "Could you send us the details?"}
        steps.append(Step("request_information", clock.later(1, 30), agent, question))
        steps.append(Step("customer_reply", clock.later(2, 96), None, {"body": "Here they are."}))
        if any(c.restart_on for c in charter.commitments):
            steps.append(Step("information_complete", clock.later(0.5, 8), agent))
    met = {"received", "acknowledged"} if acknowledged else {"received"}
    for commitment in charter.commitments:
        if not _applies(commitment, case_type, channel) or met & set(commitment.met_by):
            continue
        if commitment.starts.event and commitment.starts.event not in met:
            continue
        kind = rng.choice([k for k in commitment.met_by if k != "delay_notice_sent"])
        since = commitment.starts.after
        if since and since in fields:
            clock.at = max(clock.at, datetime.fromisoformat(fields[since]).replace(tzinfo=UTC))
        budget = _budget_hours(commitment)
        steps.append(_meeting(kind, clock.later(0.05 * budget, 0.8 * budget), agent))
        met.add(kind)
        if kind in ("resolved", "resolved_at_first_contact"):
            return steps
    if rng.random() < 0.1:
        new_date = (clock.later(20, 100) + timedelta(days=rng.randrange(3, 12))).date()
        delay = {"reason": "a supplier is late", "new_date": new_date}
        steps.append(Step("delay_notice", clock.at, agent, delay))
    elif rng.random() < 0.05:
        new_date = (clock.later(2, 30) + timedelta(days=rng.randrange(2, 8))).date()
        steps.append(Step("hand_off", clock.at, agent, {"to": "agent3", "new_date": new_date}))
    if rng.random() < 0.1:
        steps.append(Step("note", clock.later(0.1, 5), agent, {"text": "Checked the account."}))
    if rng.random() < 0.95:
        result = {"result": "put right", "steps": ["checked", "fixed"], "first_contact": False}
        steps.append(Step("resolve", clock.later(2, 60), agent, result))
    return steps


class _Clock:
    """The story's time, moving on by random delays (now and then a long one)."""

    def __init__(self, rng: random.Random, at: datetime) -> None:
        self.rng, self.at = rng, at

    def later(self, low_hours: float, high_hours: float) -> datetime:
        hours = self.rng.uniform(low_hours, high_hours)
        if self.rng.random() < 0.12:
            hours *= self.rng.uniform(2, 5)
        self.at = (self.at + timedelta(hours=hours)).replace(microsecond=0)
        return self.at


def _budget_hours(commitment: Commitment) -> float:
    """About how long the commitment allows, in hours, to pace the step that meets it."""
    duration = commitment.durations()[0]
    if duration.basis in (Basis.ELAPSED, Basis.WORKING_TIME):
        return duration.span.total_seconds() / 3600
    if duration.basis == Basis.STATED_DATE:
        return 48.0
    return 24.0 * duration.amount


def _meeting(kind: str, at: datetime, agent: str) -> Step:
    if kind == "acknowledged":
        return Step("acknowledge", at, agent)  # recorded as an event if there is no address
    if kind in REPLIES:
        return Step("reply", at, agent, {"kind": kind, "body": f"About your case ({kind})."})
    if kind in ("resolved", "resolved_at_first_contact"):
        first = kind == "resolved_at_first_contact"
        return Step(
            "resolve", at, agent, {"result": "done", "steps": ["looked"], "first_contact": first}
        )
    if kind == "handed_off":
        new_date = (at + timedelta(days=5)).date()
        return Step("hand_off", at, agent, {"to": "agent3", "new_date": new_date})
    return Step("event", at, agent, {"kind": kind, "data": DATA.get(kind, {})})
