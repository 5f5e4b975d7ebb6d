"""Timing Charterdesk's side of the peer benchmark: case creation, the queue, the sweep.

Runs in the project's own virtualenv, started by ``benchmarks/peer_django_helpdesk.py``,
and prints one JSON object on stdout, the counterpart of ``measure.py``'s for
django-helpdesk. Each measure starts from a database that Django's test utilities
create and migrate; Leviatan's charter (``charters/leviatan.yaml``) is installed in it.

1. Creation: ``--cases`` cases, one after another, each a new contact and
   ``open_case`` (its ``received`` event, its clocks evaluated and indexed, and, e-mail
   being a channel that acknowledges by itself, the acknowledgement: message, event and
   outgoing mail in the outbox). Complaints and enquiries in turn, by e-mail.
2. Queue: cases are copied in bulk (``charterdesk_bulk.py``) up to ``--list-size``, all
   open, then an agent of the organization GETs ``/desk/leviatan/`` (the first page,
   sorted by what breaches first); ``--requests`` timed GETs after ``WARMUP`` untimed.
3. Sweep: ``--breached`` complaints from the web form, each with one running clock
   ("complaint answered within 10 working days", breach action: escalate to a
   supervisor), all due 60 days before the sweep's ``now``; ``sweep(now, limit)`` is
   called until every one of them has been handled, and only those calls are timed.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from timing import WARMUP, Stopwatch, fresh_database, latencies

ROOT = Path(__file__).resolve().parents[2]
ORG = "leviatan"
QUEUE_KINDS = (("complaint", "email"), ("enquiry", "email"), ("complaint", "web_form"))
SWEEP_LIMIT = 500


def main() -> None:
    options = _arguments()
    os.environ["CHARTERDESK_VAR_DIR"] = str(options.workdir)
    (options.workdir / "static").mkdir(parents=True, exist_ok=True)  # whitenoise wants it
    os.environ["CHARTERDESK_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    if options.database_url:
        os.environ["CHARTERDESK_DATABASE_URL"] = options.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charterdesk.settings")
    import django

    django.setup()
    from django.db import connection

    result: dict[str, Any] = {
        "engine": connection.vendor,
        "versions": {name: metadata.version(name) for name in ("django", "charterdesk")},
    }
    database = options.database_url and "charterdesk_peer_bench"
    database = database or str(options.workdir / "charterdesk.sqlite3")
    with fresh_database(database):
        result["create"] = measure_creation(options.cases)
        result["list"] = measure_queue(options.list_size, options.requests)
    with fresh_database(database):
        result["sweep"] = measure_sweep(options.breached)
    print(json.dumps(result))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True, help="for SQLite files")
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL instead")
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--list-size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--breached", type=int, default=10_000)
    return parser.parse_args()


def install_charter() -> Any:
    from charterdesk.cases.charters import approve_charter, propose_charter
    from charterdesk.cases.models import Organization

    path = ROOT / "charters" / f"{ORG}.yaml"
    version = propose_charter(path.read_text(encoding="utf-8"), f"charters/{path.name}")
    approve_charter(version, by=None)
    return Organization.objects.get(pk=version.organization_id)


def agent(org: Any) -> Any:
    from django.contrib.auth.models import User

    from charterdesk.cases.models import Membership

    user = User.objects.create_user("agent", "agent@example.org", "x", first_name="Ana")
    Membership.objects.create(organization=org, user=user, role=Membership.Role.AGENT)
    return user


def measure_creation(count: int) -> dict[str, Any]:
    from charterdesk.cases.models import Case, Clock, Contact, OutboxMessage
    from charterdesk.cases.services import open_case

    org = install_charter()
    agent(org)
    watch = Stopwatch()
    with watch.timing():
        for number in range(count):
            now = datetime.now(UTC)
            contact = Contact.objects.create(
                organization=org, name=f"Customer {number}", email=f"customer{number}@example.org"
            )
            open_case(
                org,
                case_type=("complaint", "enquiry")[number % 2],
                channel="email",
                received_at=now,
                now=now,
                subject=f"Invoice {number} charged twice",
                contact=contact,
            )
    return {
        "count": count,
        **watch.rate(count),
        "cases": Case.objects.count(),
        "clocks": Clock.objects.count(),
        "mails_queued": OutboxMessage.objects.filter(kind="mail").count(),
    }


def measure_queue(size: int, requests: int) -> dict[str, Any]:
    from charterdesk_bulk import copy_cases, open_templates
    from django.contrib.auth.models import User
    from django.test import Client

    from charterdesk.cases.models import Case, Organization

    org, user = Organization.objects.get(slug=ORG), User.objects.get(username="agent")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    _get(client, f"/desk/{ORG}/")  # fails now, not after filling the database
    started = time.perf_counter()
    now = datetime.now(UTC)
    arrivals = [now - timedelta(days=60) + timedelta(hours=23 * n) for n in range(60)]
    templates = open_templates(org, QUEUE_KINDS, arrivals, now)
    copy_cases(org, templates, max(0, size - Case.objects.count()))
    fill_seconds = time.perf_counter() - started
    watches: list[Stopwatch] = []
    for _ in range(WARMUP + requests):
        watches.append(Stopwatch())
        with watches[-1].timing():
            page = _get(client, f"/desk/{ORG}/")
    return {
        "cases": Case.objects.count(),
        "open": Case.objects.filter(status__in=["open", "awaiting_customer"]).count(),
        "fill_seconds": fill_seconds,
        "requests": requests,
        "rows": page.content.decode().count(f"/desk/{ORG}/cases/"),
        "page": latencies(watches[WARMUP:]),
    }


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def measure_sweep(count: int) -> dict[str, Any]:
    from charterdesk_bulk import copy_cases, open_templates
    from django.db.models import Q

    from charterdesk.cases.models import Clock, OutboxMessage
    from charterdesk.cases.sweep import sweep

    org = install_charter()
    started = time.perf_counter()
    first = datetime.now(UTC) - timedelta(days=90)
    arrivals = [first + timedelta(minutes=7 * n) for n in range(20)]
    templates = open_templates(org, [("complaint", "web_form")], arrivals, first)
    copy_cases(org, templates, count - len(templates))
    fill_seconds = time.perf_counter() - started
    now = first + timedelta(days=60)
    unhandled = Clock.objects.filter(
        Q(state="running", due_at__lte=now) | Q(state="breached"), breach_handled_at=None
    )
    due = unhandled.count()
    watch, calls = Stopwatch(), 0
    while unhandled.exists():
        if calls > 4 * (due // SWEEP_LIMIT + 1):
            raise SystemExit(f"the sweep stopped making progress after {calls} calls")
        with watch.timing():
            sweep(now, SWEEP_LIMIT)
        calls += 1
    handled = Clock.objects.filter(breach_handled_at__isnull=False).count()
    return {
        "due": due,
        "fill_seconds": fill_seconds,
        "handled": handled,
        "calls": calls,
        "limit": SWEEP_LIMIT,
        **watch.rate(handled),
        "notifications": OutboxMessage.objects.filter(kind="notification").count(),
    }


if __name__ == "__main__":
    main()
