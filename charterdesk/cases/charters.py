"""Charter versions: proposing, approving (N10) and reading them back, parsed once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from charterdesk.cases.models import CharterVersion, Membership, Organization
from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Charter
from charterdesk.core.charter_calendars import calendars_of
from charterdesk.core.charter_source import read_charter


@dataclass(frozen=True, slots=True)
class ParsedCharter:
    charter: Charter
    calendars: dict[str, WorkCalendar]

    def calendar_for(self, commitment_id: str) -> WorkCalendar:
        return self.calendars[self.charter.calendar_of(self.charter.commitment(commitment_id))]


def parsed(version: CharterVersion) -> ParsedCharter:
    """The charter of a stored version; parsed once per process (versions never change)."""
    return _parse(version.pk, version.sha256, version.source, version.source_name)


@lru_cache(maxsize=64)
def _parse(pk: int, sha256: str, source: str, name: str) -> ParsedCharter:
    charter = read_charter(source, name).charter
    return ParsedCharter(charter, calendars_of(charter))


class NotAllowed(PermissionError):
    """The user's role does not allow the action."""


@transaction.atomic
def propose_charter(text: str, source_name: str, *, by: User | None = None) -> CharterVersion:
    """Store a new version of an organization's charter, creating the organization the
    first time. Raises CharterError (with every problem and its place) for a bad file."""
    charter = read_charter(text, source_name).charter
    org_data = charter.organization
    org, _ = Organization.objects.update_or_create(
        slug=org_data.slug,
        defaults={
            "name": next(iter(org_data.name.values())),
            "timezone": org_data.timezone,
            "languages": org_data.languages,
            "reference_prefix": org_data.reference_prefix,
        },
    )
    digest = hashlib.sha256(text.encode()).hexdigest()
    latest = CharterVersion.objects.filter(organization=org).order_by("-number").first()
    if latest is not None and latest.sha256 == digest:
        return latest
    number = (
        CharterVersion.objects.filter(organization=org).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return CharterVersion.objects.create(
        organization=org,
        number=number,
        source=text,
        source_name=source_name,
        sha256=digest,
        proposed_by=by,
    )


@transaction.atomic
def approve_charter(version: CharterVersion, *, by: User | None) -> CharterVersion:
    """An owner approves a version; it becomes the one new cases are opened under (N10).
    ``by=None`` is the operator installing a charter from the command line."""
    if (
        by is not None
        and not Membership.objects.filter(
            organization=version.organization, user=by, role=Membership.Role.OWNER
        ).exists()
    ):
        raise NotAllowed("only an owner of the organization approves its charter")
    org = Organization.objects.select_for_update().get(pk=version.organization_id)
    if org.charter_id and org.charter_id != version.pk:
        CharterVersion.objects.filter(pk=org.charter_id).update(
            status=CharterVersion.Status.RETIRED
        )
    version.status = CharterVersion.Status.APPROVED
    version.approved_by = by
    version.approved_at = timezone.now()
    version.save(update_fields=["status", "approved_by", "approved_at"])
    org.charter = version
    org.save(update_fields=["charter"])
    return version
