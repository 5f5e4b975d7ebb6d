"""`manage.py seed_demo`: staff for every role, history made through the services, never
in the future, and nothing made twice."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Clock,
    Event,
    Membership,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.demo.names import ascii_of

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
SEED = ["seed_demo", "--cases-per-org", "20", "--now", NOW.isoformat()]


def seed() -> str:
    out = StringIO()
    call_command(*SEED, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (User, Membership, Case, Event, Message, OutboxMessage)
    )


def test_seeding_makes_staff_cases_and_clocks_and_is_idempotent() -> None:
    printed = seed()

    orgs = Organization.objects.all()
    assert sorted(org.slug for org in orgs) == ["anlp", "ask4", "eurolux", "leviatan", "lt-pro"]
    for org in orgs:
        roles = set(Membership.objects.filter(organization=org).values_list("role", flat=True))
        assert roles == {"owner", "supervisor", "agent", "viewer"}, org.slug
        assert Case.objects.filter(organization=org).count() == 20, org.slug
    consultant = User.objects.get(username="consultant@demo")
    assert consultant.memberships.count() == 5
    assert User.objects.get(username="agent@leviatan").check_password("demo")
    assert "agent@leviatan" in printed
    assert "password: demo" in printed

    # nothing after the simulated now; every event of a case at or after its arrival
    assert not Event.objects.filter(at__gt=NOW).exists()
    assert not Message.objects.filter(at__gt=NOW).exists()
    assert not AuditEntry.objects.filter(at__gt=NOW).exists()
    for case in Case.objects.all():
        assert all(event.at >= case.received_at for event in case.events.all())

    # history through the services: cases worked, resolved, late and on time
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"received", "assigned", "acknowledged", "resolved"} <= kinds
    states = set(Clock.objects.values_list("state", flat=True))
    assert {"breached", "running", "met"} <= states
    assert Case.objects.exclude(status__in=("resolved", "closed")).exists()
    # history's mail counts as delivered then: the demo mails none of its invented customers
    assert not OutboxMessage.objects.filter(kind="mail", status="pending").exists()

    before = counts()
    again = seed()
    assert "already there (100 cases)" in again
    assert counts() == before


def test_customers_addresses_are_plain_ascii() -> None:
    assert ascii_of("Wiśniewska") == "wisniewska"
    assert ascii_of("Кузнецов") == "kuznetsov"
    assert ascii_of("Əliyev") == "eliyev"
    assert ascii_of("Đorđević") == "djordjevic"
