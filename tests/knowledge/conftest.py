"""Fixtures of the knowledge base tests: organizations from the seed charters, staff
with roles, articles, and a desk clock fixed in time (tests never wait for a clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from charterdesk.cases.models import Organization
from charterdesk.knowledge.models import Article
from tests.helpers import DeskClock, hold_clock

CHARTERS = Path(__file__).parents[2] / "charters"
SITE = "https://desk.example.org"

#: Mon 12 Oct 2026, 11:00 in London (BST): a working morning at ANLP.
NOW = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> DeskClock:
    settings.CHARTERDESK_SITE_URL = SITE
    return hold_clock(monkeypatch, NOW)


@pytest.fixture
def member(member: Callable[..., User]) -> Callable[..., User]:
    """Staff here have a full name (a reply shows it as its author)."""
    return partial(member, first_name="Mila", last_name="Jović")


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
