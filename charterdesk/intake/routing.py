"""Which organization a mail is for, and which of its cases it continues.

The address table comes from the charters (each ``kind: email`` channel's ``address``,
and the email contact points, which go to the first email channel). It is cached per
charter version, so a mail costs one small query to learn the versions in force and one
to load its organization. Threading never leaves the organization the mail was sent to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, CharterVersion, Message, Organization
from charterdesk.core.charter import Charter
from charterdesk.intake.plain_rows import columns, instance

_REFERENCE = re.compile(r"\[([A-Za-z0-9]{1,6}-\d{4}-\d{6})\]")
_TAG_REFERENCE = re.compile(r"^[A-Za-z0-9]{1,6}-\d{4}-\d{6}$")


@dataclass(frozen=True, slots=True)
class Route:
    organization: Organization
    channel: str  # the id of the email channel in the charter
    address: str  # the recipient it came by, as written
    tag: str  # what followed a "+" in the local part, or ""


def split_address(address: str) -> tuple[str, str]:
    """``Contact+LEV-2026-000001@Leviatan.ro`` -> (``contact@leviatan.ro``, ``LEV-2026-000001``)."""
    address = address.strip().strip("<>")
    local, at, domain = address.rpartition("@")
    if not at:
        return address.lower(), ""
    base, _, tag = local.partition("+")
    return f"{base.lower()}@{domain.lower()}", tag


def email_addresses(charter: Charter) -> dict[str, str]:
    """Lowercased address -> email channel id, for one charter."""
    channels = [(cid, c) for cid, c in charter.channels.items() if c.kind == "email"]
    found: dict[str, str] = {}
    for channel_id, channel in channels:
        if channel.address and "@" in channel.address:
            found.setdefault(split_address(channel.address)[0], channel_id)
    if channels:
        for point in charter.organization.contact_points:
            if point.channel == "email" and "@" in point.address:
                found.setdefault(split_address(point.address)[0], channels[0][0])
    return found


#: (charter version, its sha256) -> address -> channel; versions never change once stored.
_BY_VERSION: dict[tuple[int, str], dict[str, str]] = {}


def _addresses_of(versions: Iterable[tuple[int, str]]) -> dict[tuple[int, str], dict[str, str]]:
    versions = list(versions)
    missing = [pk for pk, digest in versions if (pk, digest) not in _BY_VERSION]
    if missing:
        for version in CharterVersion.objects.filter(pk__in=missing):
            _BY_VERSION[version.pk, version.sha256] = email_addresses(parsed(version).charter)
    return {key: _BY_VERSION.get(key, {}) for key in versions}


def route(recipients: Sequence[str]) -> Route | None:
    """The first recipient an organization receives at decides; None if none does."""
    return Router().route(recipients)


class Router:
    """:func:`route` for many mails: the charters in force are read once, when it is made
    (a batch of mail is routed by the charters in force when the batch began), and each
    organization once.

    Over one LMTP connection every mail is a batch of its own, so both reads are plain
    SQL (docs/decisions/0013-plain-sql-on-hot-paths.md), and the address table is kept
    for the charters in force it was made from: every batch reads which those are (one
    small query, in its own transaction, never a cached answer), and a charter approved
    or changed in any process gives a new key, hence a new table, at once."""

    def __init__(self) -> None:
        in_force = _in_force()
        global _TABLE
        key, table = _TABLE
        if key != in_force:
            table = {}
            for version, addresses in _addresses_of(in_force).items():
                for address, channel in addresses.items():
                    table.setdefault(address, (in_force[version], channel))
            _TABLE = (in_force, table)
        self._table: dict[str, tuple[int, str]] = table
        self._organizations: dict[int, Organization] = {}

    def route(self, recipients: Sequence[str]) -> Route | None:
        for recipient in recipients:
            base, tag = split_address(recipient)
            if base in self._table:
                org_id, channel = self._table[base]
                org = self._organizations.get(org_id)
                if org is None:
                    org = self._organizations[org_id] = _organization(org_id)
                return Route(org, channel, recipient, tag)
        return None


#: The address table of :class:`Router`, and the charters in force it was made from.
_TABLE: tuple[dict[tuple[int, str], int], dict[str, tuple[int, str]]] = ({}, {})


def _in_force() -> dict[tuple[int, str], int]:
    """(charter version, its sha256) -> organization, for every organization's charter in
    force, the first organization first (it keeps an address two charters name)."""
    orgs, versions = Organization._meta.db_table, CharterVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT o.charter_id, v.sha256, o.id FROM {orgs} o"
            f" JOIN {versions} v ON v.id = o.charter_id ORDER BY o.id"
        )
        return {(version, digest): org_id for version, digest, org_id in cursor.fetchall()}


def _organization(org_id: int) -> Organization:
    """``Organization.objects.select_related("charter").get(pk=org_id)``, in plain SQL."""
    orgs, versions = Organization._meta.db_table, CharterVersion._meta.db_table
    width = len(Organization._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(Organization, 'o')}, {columns(CharterVersion, 'v')} FROM {orgs} o"
            f" LEFT JOIN {versions} v ON v.id = o.charter_id WHERE o.id = %s",
            [org_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Organization.DoesNotExist(f"no organization {org_id}")
    org = instance(Organization, row[:width])
    charter = instance(CharterVersion, row[width:]) if row[width] is not None else None
    Organization._meta.get_field("charter").set_cached_value(org, charter)
    return org


def our_addresses(org: Organization) -> list[str]:
    if org.charter is None:
        return []
    key = (org.charter.pk, org.charter.sha256)
    return list(_addresses_of([key])[key])


def references_in(subject: str, tag: str) -> list[str]:
    """Case references a mail names: ``[LEV-2026-000123]`` in the subject, the ``+tag``."""
    found = [match.upper() for match in _REFERENCE.findall(subject)]
    if _TAG_REFERENCE.match(tag):
        found.append(tag.upper())
    return list(dict.fromkeys(found))


def thread(org: Organization, thread_ids: Sequence[str], references: Sequence[str]) -> Case | None:
    """The case of this organization a mail continues: the message it answers (ours carry
    our Message-IDs), else a reference of this organization it names. A reference of
    another organization is not ours to follow."""
    if thread_ids:
        found = list(
            Message.objects.filter(organization=org, message_id__in=thread_ids)
            .select_related("case", "case__contact", "case__organization")
            .order_by("-at")[:20]
        )
        for wanted in thread_ids:
            for message in found:
                if message.message_id == wanted:
                    return message.case
    ours = [ref for ref in references if ref.startswith(f"{org.reference_prefix}-")]
    if ours:
        return (
            Case.objects.filter(organization=org, reference__in=ours)
            .select_related("contact", "organization")
            .first()
        )
    return None
