from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from charterdesk.cases.models import Case, Membership, Organization
from charterdesk.cases.services import open_case, record_event
from tests.seeds import install

CHARTERS = Path(__file__).parents[2] / "charters"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def arrived(org: Organization, case_type: str, channel: str, at: datetime) -> Case:
    """A case opened as it arrives (the desk's clock and the arrival agree)."""
    return open_case(org, case_type=case_type, channel=channel, received_at=at, now=at)


def happened(case: Case, kind: str, at: datetime, **data: object) -> None:
    """An event recorded as it happens."""
    record_event(case, kind, at=at, now=at, data=data)


@pytest.fixture
def ask4(db: None) -> Organization:
    return install("ask4")


@pytest.fixture
def leviatan(db: None) -> Organization:
    return install("leviatan")


@pytest.fixture
def eurolux(db: None) -> Organization:
    return install("eurolux")


@pytest.fixture
def lt_pro(db: None) -> Organization:
    return install("lt-pro")


@pytest.fixture
def member(db: None):
    def make(org: Organization, role: str = "agent", name: str = "") -> User:
        user = User.objects.create_user(name or f"{org.slug}-{role}", password="x")
        Membership.objects.create(organization=org, user=user, role=role)
        return user

    return make
