"""Many Charterdesk cases fast, for the peer benchmark: real cases copied in bulk.

A few "template" cases are opened through ``open_case`` (so their events, clocks,
acknowledgement messages and charter version are exactly what the desk writes); the
bulk cases are copies of them, each with its own contact and reference, inserted with
``bulk_create`` a batch at a time. A copy arrived at the same instant as its template,
so the template's clock rows are its clock rows. Audit entries and outbox rows are not
copied: neither the queue nor the sweep reads them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import models, transaction

from charterdesk.cases.models import (
    Case,
    Clock,
    Contact,
    Event,
    Message,
    Organization,
    ReferenceCounter,
)
from charterdesk.cases.services import open_case

BATCH = 5_000


def open_templates(
    org: Organization, kinds: Sequence[tuple[str, str]], arrivals: Sequence[datetime], now: datetime
) -> list[Case]:
    """One case per (case type, channel) and arrival, opened through the service."""
    templates = []
    for number, received_at in enumerate(arrivals):
        for case_type, channel in kinds:
            contact = Contact.objects.create(
                organization=org, name=f"Template {number}", email=f"template{number}@example.org"
            )
            templates.append(
                open_case(
                    org,
                    case_type=case_type,
                    channel=channel,
                    received_at=received_at,
                    now=max(received_at, now),
                    subject=f"{case_type} {number}",
                    contact=contact,
                )
            )
    return templates


def copy_cases(org: Organization, templates: Sequence[Case], count: int) -> None:
    """Insert ``count`` copies of ``templates`` (round robin) into ``org``."""
    related = {
        template.pk: (
            list(Event.objects.filter(case=template)),
            list(Clock.objects.filter(case=template)),
            list(Message.objects.filter(case=template)),
        )
        for template in templates
    }
    for first in range(0, count, BATCH):
        chosen = [templates[n % len(templates)] for n in range(first, min(first + BATCH, count))]
        with transaction.atomic():
            _copy_batch(org, chosen, related, first)


def _copy_batch(
    org: Organization,
    chosen: list[Case],
    related: dict[int, tuple[list[Event], list[Clock], list[Message]]],
    first: int,
) -> None:
    contacts = Contact.objects.bulk_create(
        Contact(organization=org, name=f"Customer {first + n}", email=f"c{first + n}@example.org")
        for n in range(len(chosen))
    )
    references = _references(org, [case.received_at.year for case in chosen])
    cases = Case.objects.bulk_create(
        _copy(case, reference=reference, contact_id=contact.pk)
        for case, reference, contact in zip(chosen, references, contacts, strict=True)
    )
    for kind, model in enumerate((Event, Clock, Message)):
        rows: list[Any] = [
            _copy(row, case_id=case.pk)
            for template, case in zip(chosen, cases, strict=True)
            for row in related[template.pk][kind]
        ]
        model.objects.bulk_create(rows)  # type: ignore[attr-defined]


def _references(org: Organization, years: list[int]) -> list[str]:
    """The next reference numbers per year, counters moved past them."""
    given: dict[int, int] = {}
    for year, needed in Counter(years).items():
        counter, _ = ReferenceCounter.objects.get_or_create(organization=org, year=year)
        given[year] = counter.last
        counter.last += needed
        counter.save(update_fields=["last"])
    references = []
    for year in years:
        given[year] += 1
        references.append(f"{org.reference_prefix}-{year}-{given[year]:06d}")
    return references


def _copy(row: models.Model, **changes: object) -> Any:
    """An unsaved copy of ``row`` with ``changes``: every concrete field but the key."""
    values = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key
    }
    return type(row)(**{**values, **changes})
