"""The benchmarks' bulk history writes exactly the rows the services write."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import utc

sys.path.append(str(Path(__file__).parents[2] / "benchmarks"))

from _desk_replay import forget_cases, replay, snapshot
from _desk_stories import stories
from desk_history import prepare_desk, write_bulk

pytestmark = pytest.mark.django_db
NOW = utc(2026, 11, 23, 12)


def test_bulk_history_leaves_the_rows_the_services_leave() -> None:
    desk = prepare_desk()
    sample = list(stories(200, NOW, seed=7))
    actions = {step.action for story in sample for step in story.steps}
    assert actions >= {"reply", "resolve", "acknowledge", "delay_notice", "customer_reply"}
    replay(sample, desk)
    by_services = snapshot()
    forget_cases()
    write_bulk(sample, desk, chunk=64)
    in_bulk = snapshot()
    assert len(by_services["cases"]) == 200
    for table, rows in by_services.items():
        assert in_bulk[table] == rows, table
