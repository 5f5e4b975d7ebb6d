"""Fixtures of the report tests: the seed charters installed, staff, and a desk clock.

``desk_clock`` stands in for the real clock where Django reads it by itself (an event's
``recorded_at``, ``timezone.now()`` in a command), so a generated history is recorded as
if it happened live; every service is still given its ``now`` explicitly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from charterdesk.cases.models import Membership, Organization
from tests.seeds import install

CHARTERS = Path(__file__).parents[2] / "charters"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def charter_text(name: str) -> str:
    return (CHARTERS / f"{name}.yaml").read_text(encoding="utf-8")


class DeskClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def desk_clock(monkeypatch: pytest.MonkeyPatch) -> DeskClock:
    clock = DeskClock(utc(2026, 1, 1))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def ask4(db: None) -> Organization:
    return install("ask4")


@pytest.fixture
def lt_pro(db: None) -> Organization:
    return install("lt-pro")


@pytest.fixture
def leviatan(db: None) -> Organization:
    return install("leviatan")


@pytest.fixture
def member(db: None) -> Callable[..., User]:
    def make(org: Organization, role: str = "agent", name: str = "") -> User:
        user, _ = User.objects.get_or_create(username=name or f"{org.slug}-{role}")
        Membership.objects.create(organization=org, user=user, role=role)
        return user

    return make


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
