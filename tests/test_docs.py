"""The examples in docs/charter-language.md run: each block's first lines state the case,
what happened and the expected clock."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ruamel.yaml import YAML

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Commitment
from charterdesk.core.clocks import ClockState, evaluate
from charterdesk.core.events import CaseFacts, Event

DOC = Path(__file__).parents[1] / "docs" / "charter-language.md"
LONDON = ZoneInfo("Europe/London")
CALENDAR = WorkCalendar.for_country(
    "Europe/London",
    {d: [("09:00", "17:30")] for d in ("mon", "tue", "wed", "thu", "fri")},
    "GB",
    "ENG",
)
BLOCK = re.compile(r"```yaml\n(# received: .*?)```", re.DOTALL)
WHEN = r"\w{3} (\d{4}-\d\d-\d\d \d\d:\d\d)"


def local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=LONDON)


def parse_events(text: str) -> list[Event]:
    events = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        match = re.fullmatch(rf"(\w+) {WHEN}(?: \(with reason and new_date (\S+)\))?", item)
        assert match, f"cannot read the event {item!r}"
        data = {"reason": "example", "new_date": match[3]} if match[3] else {}
        events.append(Event(kind=match[1], at=local(match[2]), data=data))
    return events


def examples() -> list[str]:
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


def test_the_page_has_examples() -> None:
    assert len(examples()) >= 10


@pytest.mark.parametrize("block", examples(), ids=lambda b: b.split("\nid: ")[1].split("\n")[0])
def test_example(block: str) -> None:
    header = block.splitlines()[0].removeprefix("# ")
    parts = dict(part.split(": ", 1) for part in header.split("; "))
    received = local(re.fullmatch(WHEN, parts["received"])[1])  # type: ignore[index]
    fields = {}
    if "fields" in parts:
        name, value = parts["fields"].split(" ")
        fields[name] = date.fromisoformat(value)
    commitment = Commitment.model_validate(YAML(typ="safe").load(block))
    case = CaseFacts(case_type="enquiry", channel="email", received_at=received, fields=fields)
    events = parse_events(parts.get("events", ""))
    now = max([received, *(event.at for event in events)])
    clock = evaluate(commitment, case, events, CALENDAR, now)
    if "met" in parts:
        assert clock.state is ClockState.MET
        assert clock.met_at == local(re.fullmatch(WHEN, parts["met"])[1])  # type: ignore[index]
    else:
        assert clock.due_at == local(re.fullmatch(WHEN, parts["due"])[1])  # type: ignore[index]
