"""The real worker in a process of its own, for the kill tests (test_killed_worker.py).

    python tests/reliability/worker_process.py setup --cases 20
    python tests/reliability/worker_process.py work --now 2026-12-03T17:31:00+00:00 [--pause WHERE]
    python tests/reliability/worker_process.py state

The database and the SMTP server come from the environment, as in production
(CHARTERDESK_VAR_DIR for a SQLite file, or CHARTERDESK_DATABASE_URL; CHARTERDESK_EMAIL_HOST
and _PORT). ``--now`` is the clock: Django's ``timezone.now`` answers it, so the worker's
pass, the tasks it runs and every ``auto_now`` field see the same controllable time.

``work`` runs ``manage.py run_worker --once``. With ``--pause`` it stops at a chosen point
and waits there to be killed, after printing ``PAUSED <where>`` on stdout:

- ``sweep``: inside the sweep's transaction, after the breach actions were queued;
- ``notification``: inside the transaction carrying out the third breach notification;
- ``recorded``: after the SMTP server accepted a mail (250), before ``sent`` is committed.

``state`` prints, as JSON, what the checks need: outbox rows, escalations, clocks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARRIVED = "2026-11-23T09:00:00+00:00"
#: At this point the tests' ASK4 complaints are in breach of A10 (due 17:30 on 3 Dec).
BREACH = "2026-12-03T17:31:00+00:00"


def pause_here(where: str) -> None:
    """Say where we are, then wait to be killed (a process parked for SIGKILL)."""
    print(f"PAUSED {where}", flush=True)
    while True:
        time.sleep(60)


def after(function: Callable[..., Any], where: str, calls: int = 1) -> Callable[..., Any]:
    """``function``, pausing for good after its ``calls``-th call returns."""
    count = [0]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        count[0] += 1
        if count[0] == calls:
            pause_here(where)
        return result

    return wrapped


def before(function: Callable[..., Any], where: str) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        pause_here(where)
        return function(*args, **kwargs)

    return wrapped


def set_clock(now: datetime) -> None:
    from django.utils import timezone

    timezone.now = lambda: now


def setup(cases: int) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from charterdesk.cases.charters import approve_charter, propose_charter
    from charterdesk.cases.models import Contact, Membership, Organization
    from charterdesk.cases.services import open_case, record_event

    call_command("migrate", verbosity=0)
    text = (ROOT / "charters" / "ask4.yaml").read_text(encoding="utf-8")
    org = Organization.objects.get(
        pk=approve_charter(propose_charter(text, "charters/ask4.yaml"), by=None).organization_id
    )
    for role in ("supervisor", "owner"):
        user = User.objects.create_user(f"ask4-{role}", email=f"{role}@staff.test")
        Membership.objects.create(organization=org, user=user, role=role)
    arrived = datetime.fromisoformat(ARRIVED)
    for n in range(cases):
        contact = Contact.objects.create(
            organization=org, name=f"Customer {n}", email=f"c{n}@customer.test", language="en"
        )
        case = open_case(
            org, case_type="complaint", channel="web_form", received_at=arrived, now=arrived,
            subject=f"Complaint {n}", contact=contact,
        )  # fmt: skip
        for kind, at in (("acknowledged", "2026-11-23T10:00"), ("update_sent", "2026-11-24T10:00")):
            when = datetime.fromisoformat(at + ":00+00:00")
            record_event(case, kind, at=when, now=when)


def work(pause: str | None) -> None:
    from django.core.management import call_command

    from charterdesk.cases import sweep
    from charterdesk.outbox import notifications, sending

    if pause == "sweep":
        sweep._breach = after(sweep._breach, "sweep")
    elif pause == "notification":
        notifications._carry_out = after(notifications._carry_out, "notification", 3)
    elif pause == "recorded":
        sending._record_sent = before(sending._record_sent, "recorded")
    call_command("run_worker", "--once")


def state() -> dict[str, Any]:
    from charterdesk.cases.models import Clock, Event, OutboxMessage

    rows = OutboxMessage.objects.order_by("pk")
    return {
        "mail": [
            {
                "key": row.key,
                "status": row.status,
                "attempts": row.attempts,
                "message_id": row.payload.get("message_id"),
                "to": row.payload.get("to"),
                "next_attempt_at": row.next_attempt_at.isoformat(),
            }
            for row in rows.filter(kind="mail")
        ],
        "notifications": [
            {"key": row.key, "status": row.status, "action": row.payload.get("action")}
            for row in rows.filter(kind="notification")
        ],
        "escalations": list(
            Event.objects.filter(kind="escalated").values_list("case_id", "data__commitment")
        ),
        "breached_clocks": [
            {"clock": pk, "cycle": cycle, "handled": handled is not None}
            for pk, cycle, handled in Clock.objects.filter(state="breached")
            .order_by("pk")
            .values_list("pk", "cycle", "breach_handled_at")
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["setup", "work", "state"])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--now", default=BREACH)
    parser.add_argument("--pause", choices=["sweep", "notification", "recorded"])
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charterdesk.settings")
    import django

    django.setup()
    set_clock(datetime.fromisoformat(args.now if args.command != "setup" else ARRIVED))
    if args.command == "setup":
        setup(args.cases)
    elif args.command == "work":
        work(args.pause)
    else:
        print(json.dumps(state()))


if __name__ == "__main__":
    main()
