"""Fixtures of the knowledge base tests: organizations from the seed charters, staff
with roles, articles, and a desk clock fixed in time (tests never wait for a clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from charterdesk.cases.models import Membership, Organization
from charterdesk.knowledge.models import Article
from tests.seeds import install

CHARTERS = Path(__file__).parents[2] / "charters"
SITE = "https://desk.example.org"

#: Mon 12 Oct 2026, 11:00 in London (BST): a working morning at ANLP.
NOW = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


class DeskClock:
    def __init__(self, now: datetime) -> None:
        self.now = now


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> DeskClock:
    settings.CHARTERDESK_SITE_URL = SITE
    desk = DeskClock(NOW)
    monkeypatch.setattr(timezone, "now", lambda: desk.now)
    return desk


@pytest.fixture
def anlp(db: None) -> Organization:
    return install("anlp")


@pytest.fixture
def ask4(db: None) -> Organization:
    return install("ask4")


@pytest.fixture
def eurolux(db: None) -> Organization:
    return install("eurolux")


@pytest.fixture
def leviatan(db: None) -> Organization:
    return install("leviatan")


@pytest.fixture
def member(db: None) -> Callable[..., User]:
    def make(org: Organization, role: str = "agent", name: str = "") -> User:
        user = User.objects.create_user(
            name or f"{org.slug}-{role}", password="x", first_name="Mila", last_name="Jović"
        )
        Membership.objects.create(organization=org, user=user, role=role)
        return user

    return make


def article(
    org: Organization,
    slug: str,
    language: str,
    title: str,
    body: str = "",
    *,
    published: bool = True,
) -> Article:
    return Article.objects.create(
        organization=org,
        slug=slug,
        language=language,
        title=title,
        body=body or f"{title}.",
        published=published,
        updated_at=NOW,
    )
