"""Fixtures of the conduct tests: seed organizations, members with roles, attachments in
a temporary folder, and a customer who writes by mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from charterdesk.cases.models import Membership, Organization
from tests.seeds import install

#: Tuesday 10 March 2026, 12:00 UTC (14:00 in Bucharest).
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def mail(
    *,
    sender: str = "Ion Popescu <ion@example.ro>",
    to: str = "contact@leviatan.ro",
    subject: str = "Question",
    message_id: str = "<m1@example.ro>",
    date: str = "Tue, 10 Mar 2026 11:00:00 +0000",
    body: str = "Hello, I have a question about my order.",
) -> bytes:
    headers = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {date}",
        f"Message-ID: {message_id}",
        "Content-Type: text/plain; charset=utf-8",
    ]
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def leviatan(db: None) -> Organization:
    return install("leviatan")


@pytest.fixture
def anlp(db: None) -> Organization:
    return install("anlp")


@pytest.fixture
def member(db: None) -> Callable[..., User]:
    def make(org: Organization, role: str = "agent", name: str = "") -> User:
        user = User.objects.create_user(
            name or f"{org.slug}-{role}", password="x", email=f"{name or role}@{org.slug}.test"
        )
        Membership.objects.create(organization=org, user=user, role=role)
        return user

    return make
