"""Fixtures of the staff console tests: organizations from the seed charters, members
with roles, cases opened through the services, and a desk clock fixed in time (the
views read ``timezone.now()``; tests never wait for a clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from charterdesk.cases.models import Case, Contact, Organization
from charterdesk.cases.services import open_case
from tests.helpers import utc

CHARTERS = Path(__file__).parents[2] / "charters"

#: The desk's "now" in these tests: Wed 9 Sep 2026, 16:00 in London (BST).
NOW = datetime(2026, 9, 9, 15, 0, tzinfo=UTC)


def arrived(
    org: Organization,
    case_type: str,
    channel: str,
    at: datetime,
    *,
    name: str = "",
    email: str = "",
    **kwargs: Any,
) -> Case:
    """A case opened as it arrives, from a contact if a name or address is given."""
    contact = (
        Contact.objects.create(organization=org, name=name, email=email, language="en")
        if name or email
        else None
    )
    return open_case(
        org, case_type=case_type, channel=channel, received_at=at, now=at, contact=contact, **kwargs
    )


@pytest.fixture(autouse=True)
def desk_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def complaint(ask4: Organization) -> Case:
    """Tue 8 Sep 2026 10:00 BST by the web form, receipt confirmed at once (A8); its A9
    progress update is due 3 working days after that, Fri 11 Sep 17:30."""
    return arrived(
        ask4,
        "complaint",
        "web_form",
        utc(2026, 9, 8, 9),
        name="Cy Rhys",
        email="cy@example.com",
        subject="Billed twice",
        fields={"summary": "Billed twice"},
    )
