"""The queue page's latency: p50 and p95 over varied filters, at 100k and 1M cases.

Run: ``.venv/bin/python benchmarks/queue_page.py [--cases 100000] [--postgres URL]``
(or ``make bench``). Not ``queue.py``: a script's directory comes first on ``sys.path``,
and a ``queue`` there would stand in for the standard library's (multiprocessing and
concurrent.futures import it). Writes the ``queue-sqlite-N`` or ``queue-postgresql-N`` section of
BENCHMARKS.md.

A history of ``--cases`` cases for the five seed organizations (``desk_history.py``,
made once and kept under /tmp/charterdesk-bench) is served by Django's test client,
logged in as an agent of the organization with the most cases: ``--requests`` pages of
``/desk/<org>/`` with the console's filters (type, channel, assignee, clock state,
search by reference, contact or text, later pages), each timed from request to
rendered response, in process (no network, no browser).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent))

from _bench_db import base_for, ensure_history, is_postgres, load
from _report import machine_summary, write_section

GOAL_MS = 50.0
LIMIT_SECONDS = 10.0  # a query running longer is stopped, and its page counted as this long
REQUESTS = 200
STATES = ("breached", "at_risk", "running", "paused")


def requests_for(org: Any, rng: random.Random, count: int) -> list[tuple[str, dict[str, str]]]:
    """(kind, GET parameters) for ``count`` queue pages, a mix of every filter."""
    from charterdesk.cases.charters import parsed
    from charterdesk.cases.models import Case, Membership

    charter = parsed(org.charter).charter
    types = list(charter.case_types)
    members = [
        str(pk)
        for pk in Membership.objects.filter(organization=org).values_list("user_id", flat=True)
    ]
    references = list(
        Case.objects.filter(organization=org).order_by("?").values_list("reference", flat=True)[:50]
    )
    kinds: list[tuple[str, Any]] = [
        ("no filter", lambda: {}),
        ("type", lambda: {"case_type": rng.choice(types)}),
        ("channel", lambda: {"channel": rng.choice(list(charter.channels))}),
        ("assignee", lambda: {"assignee": rng.choice(["me", "unassigned", *members])}),
        ("clock state", lambda: {"state": rng.choice(STATES)}),
        ("type + state", lambda: {"case_type": rng.choice(types), "state": "breached"}),
        ("search reference", lambda: {"q": rng.choice(references)}),
        ("search contact", lambda: {"q": f"Customer {rng.randrange(1, 1000)}"}),
        ("search text", lambda: {"q": rng.choice(["supplier", "details", "put right"])}),
        ("page 2-5", lambda: {"page": str(rng.randrange(2, 6))}),
    ]  # fmt: skip
    return [(kind, make()) for kind, make in (kinds[i % len(kinds)] for i in range(count))]


def busiest_organization() -> Any:
    from django.db.models import Count

    from charterdesk.cases.models import Case, Organization

    counts = Case.objects.values("organization_id").annotate(n=Count("pk")).order_by("-n")
    return Organization.objects.select_related("charter").get(pk=counts[0]["organization_id"])


def cut_off_after(seconds: float) -> list[float]:
    """Stop any query that runs longer than ``seconds`` (a page that slow is recorded as
    taking that long, so one bad filter cannot stall the benchmark for hours). Returns
    the deadline to set before each request."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    deadline = [float("inf")]

    def limit(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "sqlite":
            connection.connection.set_progress_handler(
                lambda: int(time.perf_counter() > deadline[0]), 10_000
            )
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")

    connection_created.connect(limit, weak=False)
    connections.close_all()  # the next connection is made with the limit
    return deadline


def measure(org: Any, count: int) -> tuple[dict[str, list[float]], list[int], list[str]]:
    from django.contrib.auth.models import User
    from django.db import DatabaseError, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    deadline = cut_off_after(LIMIT_SECONDS)
    client = Client(HTTP_HOST="localhost")  # one of the default ALLOWED_HOSTS
    client.force_login(User.objects.get(username=f"bench-agent1@{org.slug}"))
    url = f"/desk/{org.slug}/"
    rng = random.Random(7)
    for _ in range(5):  # warm: templates, translations, the charter
        assert client.get(url).status_code == 200
    timings: dict[str, list[float]] = defaultdict(list)
    queries: list[int] = []
    stopped: list[str] = []
    for kind, params in requests_for(org, rng, count):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            deadline[0] = started + LIMIT_SECONDS
            try:
                response = client.get(url, params)
            except DatabaseError:  # cut off
                stopped.append(f"{kind} {params}")
                timings[kind].append(LIMIT_SECONDS * 1000)
                continue
            finally:
                deadline[0] = float("inf")
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (kind, params, response.status_code)
        timings[kind].append(elapsed)
        queries.append(len(captured))
    return timings, queries, stopped


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL server's URL (default: SQLite)")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args()
    base = base_for(args.cases, args.postgres)
    ensure_history(base, args.cases)
    from desk_history import use_database

    use_database(base)
    try:
        from charterdesk.console import urls  # noqa: F401
    except ImportError:
        sys.exit("the console (charterdesk/console/urls.py) is not there yet: nothing to measure")
    org = busiest_organization()
    before = load()
    timings, queries, stopped = measure(org, args.requests)
    vendor = "postgresql" if is_postgres(base) else "sqlite"
    every = [t for values in timings.values() for t in values]
    print(f"queue p50 {statistics.median(every):.1f} ms, p95 {p95(every):.1f} ms")
    write_section(
        f"queue-{vendor}-{args.cases}",
        report(args, vendor, org, (timings, queries, stopped), before),
    )


def report(
    args: argparse.Namespace,
    vendor: str,
    org: Any,
    measured: tuple[dict[str, list[float]], list[int], list[str]],
    before: str,
) -> str:
    from charterdesk.cases.models import Case

    timings, queries, stopped = measured
    every = [t for values in timings.values() for t in values]
    total = Case.objects.filter(organization=org).count()
    open_cases = Case.objects.filter(
        organization=org, status__in=["open", "awaiting_customer"]
    ).count()
    database = "PostgreSQL" if vendor == "postgresql" else "SQLite (WAL)"
    met = "yes" if p95(every) <= GOAL_MS else "no"
    rows = "\n".join(_row(kind, values) for kind, values in timings.items())
    return f"""## Queue page at {args.cases:,} cases, {database} (`benchmarks/queue_page.py`)

{machine_summary("django")} Load average before the run: {before}; after: {load()}.

{args.cases:,} cases in the database; the queue measured is {org.slug}'s ({total:,} cases,
{open_cases:,} of them open), as its agent, {len(every)} requests through Django's test
client. Each page is {min(queries)}-{max(queries)} queries.

| filter | requests | p50 ms | p95 ms | max ms |
| --- | ---: | ---: | ---: | ---: |
{rows}
{_row("**all**", every)}

Goal: p95 at most {GOAL_MS:.0f} ms at 100,000 cases: {met} at {args.cases:,}.
{_stopped(stopped)}"""


def _stopped(stopped: list[str]) -> str:
    if not stopped:
        return ""
    listed = "; ".join(f"`{page}`" for page in stopped)
    return (
        f"\n{len(stopped)} page(s) took longer than {LIMIT_SECONDS:.0f} s and were stopped "
        f"(counted as {LIMIT_SECONDS:.0f} s): {listed}.\n"
    )


def _row(kind: str, values: list[float]) -> str:
    p50, high = statistics.median(values), p95(values)
    return f"| {kind} | {len(values)} | {p50:.1f} | {high:.1f} | {max(values):.1f} |"


if __name__ == "__main__":
    main()
