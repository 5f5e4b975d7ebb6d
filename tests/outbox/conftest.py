"""Fixtures of the outbox tests: a real SMTP sink on loopback that Django sends to, a
seed organization, and staff with addresses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from charterdesk.cases.charters import approve_charter, propose_charter
from charterdesk.cases.models import Membership, Organization

from .smtp_sink import SmtpSink

CHARTERS = Path(__file__).parents[2] / "charters"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def no_jitter() -> float:
    return 0.0


def mail_settings(settings: Any, server: Any) -> None:
    """Django's mail settings pointing at a test SMTP server (its ``host`` and ``port``)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Charterdesk <desk@charterdesk.test>"
    settings.CHARTERDESK_SITE_URL = "https://desk.example"


@pytest.fixture
def sink(settings: Any) -> Iterator[SmtpSink]:
    """An SMTP server on 127.0.0.1, and Django's mail settings pointing at it."""
    server = SmtpSink()
    server.start()
    mail_settings(settings, server)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ask4(db: None) -> Organization:
    text = (CHARTERS / "ask4.yaml").read_text(encoding="utf-8")
    version = approve_charter(propose_charter(text, "charters/ask4.yaml"), by=None)
    return Organization.objects.get(pk=version.organization_id)


@pytest.fixture
def staff(db: None) -> Callable[..., User]:
    """A member of staff with an address: ``staff(org, "supervisor")``."""

    def make(org: Organization, role: str = "agent", name: str = "", email: str = "") -> User:
        username = name or f"{org.slug}-{role}"
        user = User.objects.create_user(
            username, email=email or f"{username}@staff.test", password="x"
        )
        Membership.objects.create(organization=org, user=user, role=role)
        return user

    return make
