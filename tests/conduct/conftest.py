"""Fixtures of the conduct tests: seed organizations, members with roles, attachments in
a temporary folder, and a customer who writes by mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from charterdesk.cases.models import Organization

#: Tuesday 10 March 2026, 12:00 UTC (14:00 in Bucharest).
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


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
def media(media: Path) -> Path:
    """Attachments in a temporary folder for every test here (tests/conftest.py)."""
    return media


@pytest.fixture
def member(member: Callable[..., User]) -> Callable[..., User]:
    """Members here have an address, ``<name or role>@<org>.test`` (supervisors are told by
    mail)."""

    def make(org: Organization, role: str = "agent", name: str = "") -> User:
        return member(org, role, name, email=f"{name or role}@{org.slug}.test")

    return make
