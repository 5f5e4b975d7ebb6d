"""Plain helpers the test packages import (``from tests.helpers import utc``): no fixtures,
no Django import, so the tests of the pure core can use them too. The fixtures every
package shares (seed organizations, members) are in tests/conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


def utc(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
) -> datetime:
    """A literal UTC instant (the desk stores and returns UTC)."""
    return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC)


class DeskClock:
    """The desk's time where Django reads it by itself (``timezone.now()``), moved on by
    tests (``clock.now = ...``); see :func:`hold_clock`."""

    def __init__(self, now: datetime) -> None:
        self.now = now


def hold_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> DeskClock:
    """Hold the desk's clock at ``now`` for one test (``monkeypatch`` undoes it): views and
    services that read ``timezone.now()`` see ``clock.now``. Tests never wait for a clock."""
    clock = DeskClock(now)
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock.now)
    return clock
