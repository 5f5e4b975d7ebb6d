"""Fixtures of the fault tests: a faulty SMTP server on loopback that Django sends to, a
seed organization, its staff with addresses, and customers' cases whose mail is queued."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from charterdesk.cases.charters import approve_charter, propose_charter
from charterdesk.cases.models import Case, Contact, Membership, Organization
from charterdesk.cases.services import open_case

from .smtp_sink import FaultySink

ROOT = Path(__file__).parents[2]
CHARTERS = ROOT / "charters"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def no_jitter() -> float:
    return 0.0


def mail_settings(settings: Any, sink: FaultySink) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Charterdesk <desk@charterdesk.test>"
    settings.CHARTERDESK_SITE_URL = "https://desk.example"


@pytest.fixture
def sink(settings: Any) -> Iterator[FaultySink]:
    """A real SMTP server on 127.0.0.1, and Django's mail settings pointing at it."""
    server = FaultySink()
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

    def make(org: Organization, role: str = "agent") -> User:
        username = f"{org.slug}-{role}"
        user = User.objects.create_user(username, email=f"{username}@staff.test", password="x")
        Membership.objects.create(organization=org, user=user, role=role)
        return user

    return make


def customer_case(org: Organization, email: str, at: datetime) -> Case:
    """A complaint from a customer with an address: its acknowledgement is queued."""
    contact = Contact.objects.create(organization=org, name=email, email=email, language="en")
    return open_case(
        org,
        case_type="complaint",
        channel="web_form",
        received_at=at,
        now=at,
        subject=f"Complaint from {email}",
        contact=contact,
    )
