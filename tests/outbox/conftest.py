"""Fixtures of the outbox tests: a real SMTP sink on loopback that Django sends to, a
seed organization, and staff with addresses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

import pytest
from django.contrib.auth.models import User

from charterdesk.cases.models import Organization

from .smtp_sink import SmtpSink


class MailServer(Protocol):
    """What a test SMTP server offers (smtp_sink.py here and in tests/reliability)."""

    host: str
    port: int

    def start(self) -> None: ...
    def stop(self) -> None: ...


Server = TypeVar("Server", bound=MailServer)


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


def serving(server: Server, settings: Any) -> Iterator[Server]:
    """``server`` (a test SMTP server) started, and Django's mail settings pointing at it,
    until the test ends: ``yield from serving(SmtpSink(), settings)`` in a fixture."""
    server.start()
    mail_settings(settings, server)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sink(settings: Any) -> Iterator[SmtpSink]:
    """An SMTP server on 127.0.0.1, and Django's mail settings pointing at it."""
    yield from serving(SmtpSink(), settings)


@pytest.fixture
def staff(member: Callable[..., User]) -> Callable[..., User]:
    """A member of staff with an address: ``staff(org, "supervisor")``."""

    def make(org: Organization, role: str = "agent", name: str = "", email: str = "") -> User:
        username = name or f"{org.slug}-{role}"
        return member(org, role, username, email=email or f"{username}@staff.test")

    return make
