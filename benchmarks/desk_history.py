"""A desk with history, fast: N cases for the five seed charters, written in bulk.

Run: ``.venv/bin/python benchmarks/desk_history.py --cases 100000 --db /tmp/desk-100k``
(a directory for a SQLite file) or ``--db postgres://...`` (the database is created if
missing). The other benchmarks (sweep, rebuild, queue) build their databases with it.

Playing 1,000,000 cases through the services would take hours, so the stories of
``_desk_stories.py`` are written here with ``bulk_create``: the same rows the services
write (cases, contacts, events, audit entries, messages, outbox mail, clock rows as the
last service call left them, reference counters), only many at a time. Texts come
from the services' own ``compose``; ``tests/cases/test_desk_history.py`` plays a
sample through the real services and checks that both leave the same rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.append(str(Path(__file__).resolve().parent))  # _desk_stories, when imported

from _desk_stories import STAFF, Story, stories

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from charterdesk.cases.models import Contact, Organization

CHUNK = 5_000


def use_database(target: str, *, migrate: bool = True) -> None:
    """Point Django at ``target`` (a PostgreSQL URL, or a directory for a SQLite file),
    set it up, and migrate."""
    if target.startswith(("postgres://", "postgresql://")):
        _create_postgres_database(target)
        os.environ["CHARTERDESK_DATABASE_URL"] = target
    else:
        Path(target).mkdir(parents=True, exist_ok=True)
        os.environ["CHARTERDESK_VAR_DIR"] = str(Path(target).resolve())
        os.environ.pop("CHARTERDESK_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charterdesk.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", verbosity=0)


def _create_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/charterdesk", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@dataclass
class Desk:
    """The organizations (with their approved charters) and the staff working them."""

    orgs: dict[str, Organization]
    staff: dict[str, dict[str, User]]  # org slug -> STAFF prefix -> user

    def user(self, org: str, prefix: str | None) -> User | None:
        return self.staff[org][prefix] if prefix else None


def prepare_desk() -> Desk:
    """Load the seed charters and create the benchmark staff; safe to run again."""
    import io

    from django.contrib.auth.models import User
    from django.core.management import call_command

    from charterdesk.cases.models import Membership, Organization

    call_command("load_charters", stdout=io.StringIO())
    orgs = {org.slug: org for org in Organization.objects.select_related("charter")}
    staff: dict[str, dict[str, User]] = {}
    for slug, org in orgs.items():
        staff[slug] = {}
        for prefix, role in STAFF:
            user, created = User.objects.get_or_create(
                username=f"bench-{prefix}@{slug}",
                defaults={"first_name": prefix.capitalize(), "last_name": slug.upper()},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(organization=org, user=user, defaults={"role": role})
            staff[slug][prefix] = user
    return Desk(orgs, staff)


def contact_for(story: Story, org: Organization) -> Contact:
    """The contact the intake files for the story's customer (unsaved)."""
    from charterdesk.cases.models import Contact

    name, email, phone = story.contact
    return Contact(organization=org, name=name, email=email, phone=phone, language=story.language)


def write_bulk(all_stories: Iterable[Story], desk: Desk, chunk: int = CHUNK) -> dict[str, int]:
    """Write the stories' rows in chunks, one transaction each; returns the rows written
    per table."""
    from _desk_rows import CaseRows, Tables
    from django.db import transaction

    tables = Tables()
    counters = _Counters()
    iterator = iter(all_stories)
    while batch := list(islice(iterator, chunk)):
        with transaction.atomic():
            for story in batch:
                org = desk.orgs[story.org]
                reference = counters.next(org, story.received_at.year)
                CaseRows(story, org, reference, desk, tables).play()
            for table in tables.all:
                table.write()
    with transaction.atomic():
        counters.save()
        for table in tables.all:
            table.close()
    return {table.name: table.written for table in tables.all}


class _Counters:
    """Reference numbers per organization and year, as ``next_reference`` gives them."""

    def __init__(self) -> None:
        from charterdesk.cases.models import ReferenceCounter

        self.last = {(c.organization_id, c.year): c.last for c in ReferenceCounter.objects.all()}

    def next(self, org: Organization, year: int) -> str:
        number = self.last.get((org.pk, year), 0) + 1
        self.last[(org.pk, year)] = number
        return f"{org.reference_prefix}-{year}-{number:06d}"

    def save(self) -> None:
        from charterdesk.cases.models import ReferenceCounter

        for (org_id, year), last in self.last.items():
            ReferenceCounter.objects.update_or_create(
                organization_id=org_id, year=year, defaults={"last": last}
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--db", required=True, help="a PostgreSQL URL or a directory for SQLite")
    parser.add_argument("--now", help="ISO instant the history ends at (default: this minute)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--analyze", action="store_true", help="PostgreSQL: gather statistics, as autovacuum would"
    )
    args = parser.parse_args(argv)
    use_database(args.db)
    now = _instant(args.now)
    started = time.perf_counter()
    written = write_bulk(stories(args.cases, now, args.seed), prepare_desk())
    seconds = time.perf_counter() - started
    print(f"{args.cases:,} cases, {sum(written.values()):,} rows in {seconds:.1f} s: {written}")
    if args.analyze:
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def _instant(text: str | None) -> datetime:
    if text:
        return datetime.fromisoformat(text).astimezone(UTC)
    return datetime.now(UTC).replace(second=0, microsecond=0)


if __name__ == "__main__":
    main()
