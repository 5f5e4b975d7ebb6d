"""A generated desk history, recorded through the services in the order it happens.

ASK4 complaints walk the A8 -> A9 -> A10 chain; LT-Pro complaints pause while waiting
for the customer and restart when the information is complete (T18), with repeating
updates; enquiries, voicemails and exam registrations fill in. Halfway, ASK4's charter
is approved again with two new closed dates (a holiday change). Some steps happen late,
some never, so every outcome occurs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from charterdesk.cases import actions
from charterdesk.cases.charters import approve_charter, propose_charter
from charterdesk.cases.models import Case, Organization
from charterdesk.cases.services import open_case, record_event
from tests.helpers import DeskClock, utc
from tests.seeds import charter_text

#: ASK4's closures in the charter approved on HOLIDAY_CHANGE.
NEW_CLOSED = (date(2026, 4, 15), date(2026, 5, 6))
HOLIDAY_CHANGE = utc(2026, 4, 1)
CAUSES = ("billing error", "network outage", "staff conduct", '=HYPERLINK("http://x")')


def ask4_with_closures() -> str:
    text = charter_text("ask4").replace('version: "2026.1"', 'version: "2026.2"')
    anchor = '      fri: ["09:00-17:30"]\n'
    closed = ", ".join(day.isoformat() for day in NEW_CLOSED)
    return text.replace(anchor, anchor + f"    closed: [{closed}]\n", 1)


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    run: Callable[[], None] = field(compare=False)


@dataclass
class History:
    """Steps to take in time order; ``run_until`` takes those up to an instant."""

    clock: DeskClock
    steps: list[Step] = field(default_factory=list)
    cases: dict[int, Case] = field(default_factory=dict)
    done: int = 0
    keys: int = 0

    def next_key(self) -> int:
        self.keys += 1
        return self.keys

    def add(self, at: datetime, run: Callable[[], None]) -> None:
        self.steps.append(Step(at, len(self.steps), run))

    def run_until(self, until: datetime) -> None:
        self.steps.sort()
        while self.done < len(self.steps) and self.steps[self.done].at <= until:
            step = self.steps[self.done]
            self.clock.now = step.at
            step.run()
            self.done += 1


def generate(
    clock: DeskClock, orgs: dict[str, Organization], agents: dict[str, list], seed: int = 7
) -> History:
    rng = random.Random(seed)
    history = History(clock)
    history.add(HOLIDAY_CHANGE, _approve_closures)
    start, span = utc(2026, 1, 5, 6), (utc(2026, 6, 18) - utc(2026, 1, 5)).total_seconds()
    scenarios = [
        ("ask4", _ask4_complaint, 35),
        ("ask4", _ask4_enquiry, 25),
        ("lt-pro", _lt_complaint, 30),
        ("lt-pro", _lt_enquiry, 20),
        ("lt-pro", _lt_registration, 12),
    ]
    for slug, scenario, count in scenarios:
        for _ in range(count):
            key = history.next_key()
            arrival = start + timedelta(seconds=rng.uniform(0, span))
            scenario(history, rng, key, orgs[slug], agents[slug], arrival)
    return history


def _approve_closures() -> None:
    approve_charter(propose_charter(ask4_with_closures(), "charters/ask4.yaml"), by=None)


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def _arrive(
    history: History,
    rng: random.Random,
    key: int,
    org: Organization,
    at: datetime,
    case_type: str,
    channel: str,
    agents: list,
    fields: dict[str, object] | None = None,
) -> None:
    def run() -> None:
        current = Organization.objects.get(pk=org.pk)  # the charter in force now
        case = open_case(
            current,
            case_type=case_type,
            channel=channel,
            received_at=at,
            now=at,
            subject=f"{case_type} {key}",
            fields=fields or {},
            language=rng.choice(current.languages),
        )
        history.cases[key] = case
        who = rng.choice([*agents, None])
        if who is not None:
            actions.assign(case, to=who, now=at, actor=None)

    history.add(at, run)


def _then(history: History, key: int, at: datetime, kind: str, **data: object) -> None:
    def run() -> None:
        case = Case.objects.get(pk=history.cases[key].pk)
        record_event(case, kind, at=at, now=at, data=data)

    history.add(at, run)


def _ask4_complaint(h: History, rng: random.Random, key: int, org, agents, t0: datetime) -> None:
    channel = rng.choice(["web_form", "letter"])
    _arrive(h, rng, key, org, t0, "complaint", channel, agents, {"summary": "It broke"})
    if rng.random() > 0.9:
        return
    acked = t0 + _hours(rng, 1, 40)  # A8: 24 hours
    _then(h, key, acked, "acknowledged")
    if rng.random() > 0.8:
        return
    updated = acked + _hours(rng, 4, 130)  # A9: 3 working days
    _then(h, key, updated, "update_sent")
    if rng.random() < 0.3:
        notice = updated + _hours(rng, 1, 48)
        new_date = (notice + timedelta(days=10)).date().isoformat()
        _then(
            h,
            key,
            notice,
            "delay_notice_sent",
            reason="waiting for the network team",
            new_date=new_date,
        )
    if rng.random() > 0.75:
        return
    formal = updated + _hours(rng, 24, 300)  # A10: 7 working days
    _then(h, key, formal, "formal_response_sent")
    if rng.random() < 0.5:
        _then(h, key, formal + timedelta(hours=1), "cause_classified", cause=rng.choice(CAUSES))
    if rng.random() < 0.6:
        _then(h, key, formal + timedelta(hours=2), "resolved", result="refund")


def _ask4_enquiry(h: History, rng: random.Random, key: int, org, agents, t0: datetime) -> None:
    _arrive(h, rng, key, org, t0, "enquiry", rng.choice(["email", "phone", "web_form"]), agents)
    if rng.random() < 0.85:
        replied = t0 + _hours(rng, 1, 90)  # 2 working days
        _then(h, key, replied, "replied")
        if rng.random() < 0.5:
            _then(h, key, replied + timedelta(hours=3), "resolved", result="answered")


def _lt_complaint(h: History, rng: random.Random, key: int, org, agents, t0: datetime) -> None:
    _arrive(h, rng, key, org, t0, "complaint", rng.choice(["email", "letter", "web_form"]), agents)
    t = t0
    if rng.random() < 0.9:
        t = t0 + _hours(rng, 1, 60)  # T17: 2 days
        _then(h, key, t, "acknowledged")
    if rng.random() < 0.5:  # T18: paused while waiting, restarted when complete
        t += _hours(rng, 2, 72)
        _then(h, key, t, "info_requested", question="Which exam?")
        if rng.random() < 0.7:
            t += _hours(rng, 24, 240)
            _then(h, key, t, "customer_replied")
            if rng.random() < 0.7:
                t += _hours(rng, 1, 48)
                _then(h, key, t, "info_complete")
    for _ in range(rng.randrange(0, 5)):  # kept informed every 10 working days
        t += timedelta(days=rng.uniform(5, 16))
        _then(h, key, t, "update_sent")
    if rng.random() < 0.5:
        _then(h, key, t + timedelta(hours=2), "cause_classified", cause=rng.choice(CAUSES))
    if rng.random() < 0.7:
        _then(h, key, t + timedelta(days=rng.uniform(1, 40)), "resolved", result="answered")


def _lt_enquiry(h: History, rng: random.Random, key: int, org, agents, t0: datetime) -> None:
    channel = rng.choice(["phone", "email", "voicemail"])
    _arrive(h, rng, key, org, t0, "enquiry", channel, agents)
    if rng.random() < 0.85:
        kind = "callback_made" if channel == "voicemail" else "replied"
        _then(h, key, t0 + _hours(rng, 0.5, 80), kind)


def _lt_registration(h: History, rng: random.Random, key: int, org, agents, t0: datetime) -> None:
    exam = (t0 + timedelta(days=rng.uniform(10, 60))).date().isoformat()
    fields = {"exam_date": exam, "late_registration": False}
    _arrive(h, rng, key, org, t0, "exam_registration", "email", agents, fields)
    if rng.random() < 0.8:
        confirmed = t0 + timedelta(days=rng.uniform(1, 30))
        _then(h, key, confirmed, "registration_confirmed")
        _then(h, key, confirmed + timedelta(minutes=5), "replied")
