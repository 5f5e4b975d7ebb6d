"""Timing django-helpdesk 2.6.1: ticket creation, the staff ticket list, the escalation.

Runs inside the peer's own virtualenv (``var/peer-helpdesk/venv``), started by
``benchmarks/peer_django_helpdesk.py``, and prints one JSON object on stdout. Nothing
here imports Charterdesk. Each measure starts from a database that Django's test
utilities create and migrate (helpdesk's data migrations load its e-mail templates).

1. Creation: ``--tickets`` tickets through helpdesk's own staff form path,
   ``TicketForm(data).is_valid()`` then ``TicketForm.save(user)`` (the ticket, its
   "Ticket Opened" follow-up, the new-ticket mail to the submitter rendered into Django's
   in-memory mail backend), one after another, each in helpdesk's own transactions.
2. List: tickets are bulk-created (with one follow-up each) up to ``--list-size``, all
   open, then a logged-in staff user GETs ``/tickets/`` and the DataTables JSON that the
   page loads by ajax (the first page, 25 rows, the page's default order), as a browser
   does; ``--requests`` timed pairs after ``WARMUP`` untimed ones.
3. Escalation: ``--escalate`` open tickets created three days ago in a queue with
   ``escalate_days=1``; ``manage.py escalate_tickets`` is timed over all of them (each
   ticket: priority lowered, a mail to the submitter, a follow-up and a ticket change).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import time
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from timing import WARMUP, Stopwatch, fresh_database, latencies

PACKAGES = ("django", "django-helpdesk", "djangorestframework", "django-model-utils")


def main() -> None:
    options = _arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    os.environ["PEER_MEDIA_ROOT"] = str(options.workdir / "media")
    if options.database_url:
        os.environ["PEER_DATABASE_URL"] = options.database_url
    import django

    django.setup()
    from django.db import connection

    result: dict[str, Any] = {
        "engine": connection.vendor,
        "python": platform.python_version(),
        "versions": {name: metadata.version(name) for name in PACKAGES},
    }
    database = options.database_url and "peer_helpdesk_bench"
    database = database or str(options.workdir / "peer-helpdesk.sqlite3")
    with fresh_database(database):
        result["create"] = measure_creation(options.tickets)
        result["list"] = measure_list(options.list_size, options.requests)
    with fresh_database(database):
        result["escalate"] = measure_escalation(options.escalate)
    print(json.dumps(result))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True, help="for SQLite files")
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL instead")
    parser.add_argument("--tickets", type=int, default=2_000)
    parser.add_argument("--list-size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--escalate", type=int, default=10_000)
    return parser.parse_args()


def staff_user() -> Any:
    from django.contrib.auth.models import User

    existing = User.objects.filter(username="staff").first()
    return existing or User.objects.create_user(
        "staff", "staff@example.org", "x", is_staff=True, first_name="Sam", last_name="Staff"
    )


def make_queue(slug: str, escalate_days: int | None = None) -> Any:
    from helpdesk.models import Queue

    return Queue.objects.create(
        title=slug.title(),
        slug=slug,
        email_address=f"{slug}@example.org",
        escalate_days=escalate_days,
    )


def measure_creation(count: int) -> dict[str, Any]:
    from django.core import mail
    from helpdesk.forms import TicketForm
    from helpdesk.models import FollowUp, Ticket

    user, queue = staff_user(), make_queue("support")
    choices = [(queue.id, queue.title)]
    mail.outbox = []

    def create(number: int) -> None:
        form = TicketForm(
            data={
                "queue": str(queue.id),
                "title": f"Invoice {number} charged twice",
                "body": "I was charged twice for my last invoice. Please refund one.",
                "priority": "3",
                "submitter_email": f"customer{number}@example.org",
                "assigned_to": "",
            },
            queue_choices=choices,
        )
        if not form.is_valid():
            raise SystemExit(f"helpdesk's TicketForm refused the data: {form.errors}")
        form.save(user=user)

    watch = Stopwatch()
    with watch.timing():
        for number in range(count):
            create(number)
    return {
        "count": count,
        **watch.rate(count),
        "tickets": Ticket.objects.count(),
        "followups": FollowUp.objects.count(),
        "mails": len(mail.outbox),
    }


def bulk_tickets(queue: Any, count: int, created_before: timedelta, batch: int = 5_000) -> float:
    """Insert ``count`` open tickets with a follow-up each; return the seconds it took."""
    from django.db import transaction
    from django.utils import timezone
    from helpdesk.models import FollowUp, Ticket

    started = time.perf_counter()
    created_field = Ticket._meta.get_field("created")
    created_field.auto_now_add = False  # bulk_create would otherwise stamp them all "now"
    now = timezone.now()
    try:
        for first in range(0, count, batch):
            numbers = range(first, min(first + batch, count))
            with transaction.atomic():
                tickets = Ticket.objects.bulk_create(
                    Ticket(
                        title=f"Bulk ticket {n}: parcel not delivered",
                        queue=queue,
                        created=now - created_before - timedelta(minutes=n % 100_000),
                        submitter_email=f"bulk{n}@example.org",
                        status=Ticket.OPEN_STATUS,
                        description="My parcel has not arrived. Where is it?",
                        priority=3,
                    )
                    for n in numbers
                )
                FollowUp.objects.bulk_create(
                    FollowUp(
                        ticket=ticket,
                        title="Ticket Opened",
                        date=ticket.created,
                        public=True,
                        comment=ticket.description,
                    )
                    for ticket in tickets
                )
    finally:
        created_field.auto_now_add = True
    return time.perf_counter() - started


def measure_list(size: int, requests: int) -> dict[str, Any]:
    from django.test import Client
    from helpdesk.models import Queue, Ticket

    user, queue = staff_user(), Queue.objects.get(slug="support")
    missing = max(0, size - Ticket.objects.count())
    fill_seconds = bulk_tickets(queue, missing, timedelta(days=1))
    client = Client()
    client.force_login(user)
    pages: list[Stopwatch] = []
    datas: list[Stopwatch] = []
    rows = total = 0
    for _ in range(WARMUP + requests):
        pages.append(Stopwatch())
        datas.append(Stopwatch())
        with pages[-1].timing():
            page = client.get("/tickets/")
        data_url = _datatables_url(page)
        with datas[-1].timing():
            data = client.get(data_url, _DATATABLES_FIRST_PAGE)
        if data.status_code != 200:
            raise SystemExit(f"{data_url} answered {data.status_code}")
        answer = data.json()
        rows, total = len(answer["data"]), answer["recordsTotal"]
    pages, datas = pages[WARMUP:], datas[WARMUP:]
    return {
        "tickets": Ticket.objects.count(),
        "fill_seconds": fill_seconds,
        "requests": requests,
        "rows": rows,
        "records_total": total,
        "page": latencies(pages),
        "data": latencies(datas),
        "both": latencies([a + b for a, b in zip(pages, datas, strict=True)]),
    }


# What DataTables sends for the first page in the page's default order (created, asc).
_DATATABLES_FIRST_PAGE = {
    "draw": "1",
    "start": "0",
    "length": "25",
    "order[0][column]": "5",
    "order[0][dir]": "asc",
    "search[value]": "",
}


def _datatables_url(page: Any) -> str:
    if page.status_code != 200:
        raise SystemExit(f"/tickets/ answered {page.status_code}")
    found = re.search(r'"url": "([^"]*datatables_ticket_list/[^"]+)"', page.content.decode())
    if found is None:
        raise SystemExit("no DataTables ajax URL on /tickets/")
    return found.group(1)


def measure_escalation(count: int) -> dict[str, Any]:
    from django.core import mail
    from django.core.management import call_command
    from helpdesk.models import FollowUp, Ticket, TicketChange

    staff_user()
    queue = make_queue("escalating", escalate_days=1)
    fill_seconds = bulk_tickets(queue, count, timedelta(days=3))
    mail.outbox = []
    followups = FollowUp.objects.count()
    watch = Stopwatch()
    with watch.timing():
        call_command("escalate_tickets", queues=[queue.slug])
    escalated = Ticket.objects.filter(last_escalation__isnull=False).count()
    return {
        "due": count,
        "fill_seconds": fill_seconds,
        "escalated": escalated,
        **watch.rate(escalated),
        "mails": len(mail.outbox),
        "followups": FollowUp.objects.count() - followups,
        "ticket_changes": TicketChange.objects.count(),
    }


if __name__ == "__main__":
    main()
