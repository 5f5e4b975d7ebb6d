"""Breach-sweep throughput: due clocks checked and acted on, per second.

Run: ``.venv/bin/python benchmarks/sweep.py [--cases 100000] [--postgres URL]
[--workers 2]`` (or ``make bench``). Writes the ``sweep-sqlite-N`` or
``sweep-postgresql-N`` section of BENCHMARKS.md.

A history of ``--cases`` cases (``desk_history.py``, made once and kept under
/tmp/charterdesk-bench) is copied, and the worker's ``sweep(now)`` runs on the copy
until nothing is due, from the instant the history ends: every clock that the
services last left running past its warning or due time, or breached, is claimed,
evaluated again from events and acted on, once. With ``--workers`` (PostgreSQL), that
many processes sweep at once, as several workers share the work in production. The
figure is clocks checked per second of wall time; the idle sweep (nothing due) is
timed too, since the worker runs it every few seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))

from _bench_db import base_for, drop, ensure_history, is_postgres, load, scratch
from _report import machine_summary, write_section

GOAL = 10_000  # clocks per second
LIMIT = 500  # the worker's batch: up to this many warnings and as many breaches a sweep


@dataclass
class Swept:
    clocks: int = 0  # claimed and evaluated again
    settled: int = 0  # already met late: marked handled without evaluating
    warnings: int = 0
    breaches: int = 0
    sweeps: int = 0
    seconds: float = 0.0
    cpu: float = 0.0

    def add(self, other: Swept) -> None:
        self.clocks += other.clocks
        self.settled += other.settled
        self.warnings += other.warnings
        self.breaches += other.breaches
        self.sweeps += other.sweeps
        self.cpu += other.cpu


def sweep_until_done(now: datetime, limit: int) -> Swept:
    from charterdesk.cases.sweep import sweep

    done = Swept()
    started, cpu = time.perf_counter(), time.process_time()
    while (result := sweep(now, limit=limit)).handled:
        done.clocks += result.clocks
        done.settled += result.settled
        done.warnings += result.warnings
        done.breaches += result.breaches
        done.sweeps += 1
    done.seconds = time.perf_counter() - started
    done.cpu = time.process_time() - cpu
    return done


def _worker(job: tuple[datetime, int]) -> Swept:
    return sweep_until_done(*job)


def run(now: datetime, limit: int, workers: int) -> Swept:
    if workers <= 1:
        return sweep_until_done(now, limit)
    from django.db import connections

    connections.close_all()  # each process opens its own
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_worker, [(now, limit)] * workers)
    total = Swept()
    for part in parts:
        total.add(part)
    total.seconds = time.perf_counter() - started
    return total


def evaluated_only(base: str, now: datetime, limit: int, workers: int) -> Swept:
    """The same backlog on a fresh copy with its settled clocks marked handled first,
    untimed: the rate of the clocks that are claimed and evaluated."""
    from django.db import connections, transaction

    from charterdesk.cases.sweep import settle

    connections.close_all()
    scratch(base, "sweep")  # a fresh copy, under the name the connection already has
    with transaction.atomic():
        settle(now, 10**9)
    return run(now, limit, workers)


def due_now(now: datetime) -> tuple[int, int]:
    """Clocks due for a warning, and for a breach action, at ``now``."""
    from django.db.models import Q

    from charterdesk.cases.models import Clock

    warn = Clock.objects.filter(state="running", warned_at=None, warn_at__lte=now).count()
    breach = Clock.objects.filter(
        Q(state="running", due_at__lte=now) | Q(state="breached"), breach_handled_at=None
    ).count()
    return warn, breach


def idle_milliseconds(now: datetime, times: int = 15) -> float:
    from charterdesk.cases.sweep import sweep

    timings = []
    for _ in range(times):
        started = time.perf_counter()
        assert sweep(now).handled == 0
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def check(done: Swept, now: datetime) -> None:
    """Every due clock was handled, and every action queued once."""
    from charterdesk.cases.models import OutboxMessage

    assert due_now(now) == (0, 0), "clocks are still due"
    queued = OutboxMessage.objects.filter(kind="notification").count()
    assert queued == done.warnings + done.breaches, (queued, done)


def _vacuum() -> None:
    """PostgreSQL: clear what the backlog left behind, as autovacuum would, before the
    idle sweeps (their partial indexes still hold every clock just handled)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_clock")


def warm() -> None:
    """Parse the charters once, as a running worker has."""
    from charterdesk.cases.charters import parsed
    from charterdesk.cases.models import CharterVersion

    for version in CharterVersion.objects.all():
        parsed(version)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL server's URL (default: SQLite)")
    parser.add_argument("--workers", type=int, default=1, help="processes sweeping at once")
    parser.add_argument("--limit", type=int, default=LIMIT)
    args = parser.parse_args()
    if args.workers > 1 and not args.postgres:
        parser.error("several workers share a sweep only on PostgreSQL (SKIP LOCKED)")
    base = base_for(args.cases, args.postgres)
    history = ensure_history(base, args.cases)
    target = scratch(base, "sweep")
    from desk_history import use_database

    use_database(target)
    now = datetime.fromisoformat(history["now"])
    warm()
    warn, breach = due_now(now)
    before = load()
    done = run(now, args.limit, args.workers)
    check(done, now)
    _vacuum()
    idle = idle_milliseconds(now)
    vendor = "postgresql" if is_postgres(target) else "sqlite"
    handled = done.clocks + done.settled
    print(
        f"{handled:,} clocks ({done.clocks:,} evaluated, {done.settled:,} settled) in "
        f"{done.seconds:.2f} s: {handled / done.seconds:,.0f}/s"
    )
    alone = evaluated_only(base, now, args.limit, args.workers)
    print(f"evaluated alone: {alone.clocks:,} in {alone.seconds:.2f} s")
    section = f"sweep-{vendor}-{args.cases}"
    write_section(section, report(args, vendor, done, alone, (warn, breach), idle, before))
    from django.db import connections

    connections.close_all()
    drop(target)


def report(
    args: argparse.Namespace,
    vendor: str,
    done: Swept,
    alone: Swept,
    due: tuple[int, int],
    idle: float,
    before: str,
) -> str:
    rate = (done.clocks + done.settled) / done.seconds
    database = "PostgreSQL" if vendor == "postgresql" else "SQLite (WAL)"
    met = "yes" if rate >= GOAL else "no"
    alone_rate = f"{alone.seconds:.2f} s, **{alone.clocks / alone.seconds:,.0f} clocks/s**"
    return f"""## Breach sweep at {args.cases:,} cases, {database} (`benchmarks/sweep.py`)

{machine_summary("django")} Load average before the run: {before}; after: {load()}.

A history of {args.cases:,} cases (`desk_history.py`), swept from the instant it ends
by {args.workers} worker process{"es" if args.workers > 1 else ""}, {args.limit} warnings
and {args.limit} breaches a sweep, until nothing is due: {due[0]:,} clocks were due for a
warning and {due[1]:,} for a breach action (a clock can be both). Every claimed clock is
evaluated again from its case's events before anything is done; a broken promise already
kept late is marked handled without being claimed (no action is due on it, and no later
instant changes it: docs/decisions/0012, item 5); each warning and breach action is
queued in the outbox once (checked after the run). The throughput counts both; the
clocks that were evaluated are counted apart below, and `benchmarks/peer_django_helpdesk.py`
times a sweep in which every clock is.

| measure | value |
| --- | ---: |
| clocks handled | {done.clocks + done.settled:,} |
| of which claimed and evaluated again | {done.clocks:,} |
| of which already met late, marked handled without evaluating | {done.settled:,} |
| warnings queued | {done.warnings:,} |
| breach actions queued | {done.breaches:,} |
| sweeps (transactions) | {done.sweeps:,} |
| wall time | {done.seconds:.2f} s |
| **throughput** | **{rate:,.0f} clocks/s** (goal {GOAL:,}: {met}) |
| CPU time of the worker process{"es" if args.workers > 1 else ""} | {done.cpu:.2f} s |
| the {alone.clocks:,} evaluated alone (settled ones handled first, untimed) | {alone_rate} |
| an idle sweep (nothing due), median of 15 | {idle:.1f} ms |
"""


if __name__ == "__main__":
    main()
