"""Fixtures of the report tests: the seed charters installed, staff, and a desk clock.

``desk_clock`` stands in for the real clock where Django reads it by itself (an event's
``recorded_at``, ``timezone.now()`` in a command), so a generated history is recorded as
if it happened live; every service is still given its ``now`` explicitly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import DeskClock, hold_clock, utc


@pytest.fixture
def desk_clock(monkeypatch: pytest.MonkeyPatch) -> DeskClock:
    return hold_clock(monkeypatch, utc(2026, 1, 1))


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """The browser tests drive Debian's chromium (as tests/e2e does), never a download."""
    if not CHROMIUM.exists():
        pytest.fail("the browser tests need Debian's chromium: run `make test`")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }
