"""Fixtures of the customer's side: organizations from the seed charters, a desk clock
fixed in time (views read ``timezone.now()``; tests never wait for a clock), and helpers
that submit the web form and open a case's tracking page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from charterdesk.cases.models import Case, Organization, OutboxMessage
from tests.helpers import DeskClock, hold_clock

CHARTERS = Path(__file__).parents[2] / "charters"
SITE = "https://desk.example.org"

#: The desk's "now": Wed 9 Sep 2026, 10:00 in London (BST), a working morning.
NOW = datetime(2026, 9, 9, 9, 0, tzinfo=UTC)

TRACK_LINK = re.compile(re.escape(SITE) + r"(/track/[A-Za-z0-9_-]{43}/)")


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> DeskClock:
    settings.CHARTERDESK_SITE_URL = SITE
    return hold_clock(monkeypatch, NOW)


@pytest.fixture
def agent(member: Callable[..., User]) -> Callable[..., User]:
    """``agent(org, "Anna", "Kowalska")``: an agent of ``org`` with that name."""

    def make(org: Organization, first: str = "Anna", last: str = "Kowalska") -> User:
        return member(org, "agent", f"{org.slug}-{first.lower()}", first_name=first, last_name=last)

    return make


ASK4_COMPLAINT = {
    "name": "Jan Nowak",
    "email": "jan@example.com",
    "phone": "+44 114 496 0000",
    "field_summary": "Internet down for a week",
    "field_case_references": "ASK-2026-000001",
    "field_staff_names": "Tom at the help desk",
    "field_dates_and_times": "1 Sep 2026 10:00",
    "field_phone_numbers": "+44 114 496 0001",
    "field_emails_sent": "Two emails on 2 Sep",
    "subject": "No internet",
    "message": "Please fix it.",
}


def submit(
    client: Client, org: Organization, case_type: str, data: dict[str, Any], lang: str = "en"
) -> Any:
    return client.post(f"/o/{org.slug}/contact/{case_type}/?lang={lang}", data)


def tracking_path(case: Case) -> str:
    """The tracking link the acknowledgement mail carries (its path)."""
    row = OutboxMessage.objects.filter(case=case, kind="mail").order_by("pk").first()
    assert row is not None, "no acknowledgement mail"
    found = TRACK_LINK.search(row.payload["body"])
    assert found, row.payload["body"]
    return found.group(1)


@pytest.fixture
def complaint(ask4: Organization, client: Client) -> tuple[Case, str]:
    """An ASK4 complaint sent through the web form in Polish, and its tracking path."""
    response = submit(client, ask4, "complaint", ASK4_COMPLAINT, lang="pl")
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(organization=ask4)
    return case, tracking_path(case)
