"""Rebuilding every clock: the time ``rebuild_clocks`` takes over N cases.

Run: ``.venv/bin/python benchmarks/rebuild.py [--cases 100000] [--postgres URL]
[--jobs 1,2]`` (or ``make bench``). Writes the ``rebuild-sqlite-N`` or
``rebuild-postgresql-N`` section of BENCHMARKS.md.

A history of ``--cases`` cases (``desk_history.py``, made once and kept under
/tmp/charterdesk-bench) is copied, and every clock of every case is evaluated again
from events at the instant the history ends, as ``manage.py rebuild_clocks --jobs J``
does: 5,000 cases a chunk, the clocks that moved written back. The clock rows are as
the services last left them, so the ones that ran out since their case's last event
move (running to breached). Each number of processes gets a fresh copy; a second
rebuild right after (nothing left to move) is timed too.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))

from _bench_db import base_for, drop, ensure_history, is_postgres, load, scratch
from _report import machine_summary, write_section

GOAL_SECONDS_PER_MILLION = 60.0


def timed_rebuild(now: datetime, jobs: int) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds of this process, cases, clocks moved."""
    from charterdesk.cases.clock_rebuild import rebuild

    started, cpu = time.perf_counter(), time.process_time()
    cases = moved = 0
    for count, changes in rebuild(now, jobs=jobs):
        cases += count
        moved += len(changes)
    return time.perf_counter() - started, time.process_time() - cpu, cases, moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL server's URL (default: SQLite)")
    parser.add_argument("--jobs", default="1,2", help="numbers of processes to time, e.g. 1,2")
    args = parser.parse_args()
    base = base_for(args.cases, args.postgres)
    history = ensure_history(base, args.cases)
    now = datetime.fromisoformat(history["now"])
    before = load()
    rows = []
    target = ""
    for jobs in [int(j) for j in args.jobs.split(",")]:
        if target:  # the copy is made again under the same name: let go of the last one
            from django.db import connections

            connections.close_all()
        target = scratch(base, "rebuild")
        if len(rows) == 0:
            from desk_history import use_database

            use_database(target)
            _warm()
        first = timed_rebuild(now, jobs)
        again = timed_rebuild(now, jobs)
        print(f"{jobs} process(es): {first[0]:.1f} s ({first[3]:,} moved), again {again[0]:.1f} s")
        rows.append((jobs, first, again))
    from charterdesk.cases.models import Clock

    clocks = Clock.objects.count()
    vendor = "postgresql" if is_postgres(base) else "sqlite"
    write_section(f"rebuild-{vendor}-{args.cases}", report(args, vendor, clocks, rows, before))
    from django.db import connections

    connections.close_all()
    drop(target)


def _warm() -> None:
    from charterdesk.cases.charters import parsed
    from charterdesk.cases.models import CharterVersion

    for version in CharterVersion.objects.all():
        parsed(version)


def report(
    args: argparse.Namespace,
    vendor: str,
    clocks: int,
    rows: list[tuple[int, tuple[float, float, int, int], tuple[float, float, int, int]]],
    before: str,
) -> str:
    database = "PostgreSQL" if vendor == "postgresql" else "SQLite (WAL)"
    goal = GOAL_SECONDS_PER_MILLION * args.cases / 1_000_000
    lines = []
    for jobs, first, again in rows:
        seconds, cpu, cases, moved = first
        met = "yes" if seconds <= goal else "no"
        lines.append(
            f"| {jobs} | {cases:,} | {moved:,} | {seconds:.1f} s | {cases / seconds:,.0f} "
            f"| {cpu:.1f} s | {again[0]:.1f} s | {met} |"
        )
    table = "\n".join(lines)
    title = f"Rebuilding every clock of {args.cases:,} cases, {database}"
    return f"""## {title} (`benchmarks/rebuild.py`)

{machine_summary("django")} Load average before the run: {before}; after: {load()}.

{args.cases:,} cases with {clocks:,} clock rows, every one evaluated again from its case's
events (`rebuild_clocks --jobs J`, 5,000 cases a chunk). The first rebuild writes the
clocks that ran out since their case's last event; the second finds nothing to move.
The goal, {GOAL_SECONDS_PER_MILLION:.0f} s for 1,000,000 cases, is {goal:.1f} s here.
CPU is the main process's (with 2 processes or more, the evaluation runs in the others).

| processes | cases | clocks moved | time | cases/s | CPU | again | goal met |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
{table}
"""


if __name__ == "__main__":
    main()
