"""Fixtures of the fault tests: a faulty SMTP server on loopback that Django sends to, a
seed organization, its staff with addresses, and customers' cases whose mail is queued."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from charterdesk.cases.models import Case, Contact, Organization
from charterdesk.cases.services import open_case
from tests.outbox.conftest import no_jitter, serving, staff

from .smtp_sink import FaultySink

__all__ = ["customer_case", "no_jitter", "sink", "staff"]  # fixtures, helpers

ROOT = Path(__file__).parents[2]
CHARTERS = ROOT / "charters"


@pytest.fixture
def sink(settings: Any) -> Iterator[FaultySink]:
    """A real SMTP server on 127.0.0.1, and Django's mail settings pointing at it."""
    yield from serving(FaultySink(), settings)


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
