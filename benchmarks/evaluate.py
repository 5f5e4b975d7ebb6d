"""Clock evaluation alone: ``charterdesk.core.clocks.evaluate`` calls per second of CPU.

Run: ``.venv/bin/python benchmarks/evaluate.py [--cases 100000] [--sample 20000]
[--compare DIR]``. Writes the ``evaluate`` section of BENCHMARKS.md.

The worker's sweep, ``rebuild_clocks`` and every service after an event spend much of
their time in ``evaluate(commitment, facts, events, calendar, now)``. This times it on
its own, on real cases: ``--sample`` cases of a history of ``--cases`` cases
(``desk_history.py``, made once and kept under /tmp/charterdesk-bench; read from a copy)
in four spans of keys spread over the history, every commitment of their charters, at
the instant the history ends, 3 days later and 40 days later. The workload is read once
and handed to a process of its own that imports only the core, so the figure is the
core's CPU time (``time.process_time``), the best of ``--runs`` runs, each after a run
that warms the calendars' tables.

With ``--compare DIR`` (a directory holding another ``charterdesk`` package, e.g. the
core before a change: ``git worktree add DIR COMMIT``), that code is timed on the same
workload in turns with this one, and the two are checked to give equal clocks (every
field, the reason's text included).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent))

from _bench_db import base_for, drop, ensure_history, load, scratch
from _report import machine_summary, write_section

HERE = Path(__file__).resolve().parent
LATER = (timedelta(0), timedelta(days=3), timedelta(days=40))
ROUNDS = 3  # turns of (this code, the compared code), each timing best of --runs


def workload(history: dict[str, Any], sample: int) -> dict[str, Any]:
    """Charter sources, (charter, facts, events) per case, and the instants."""
    from charterdesk.cases.clock_index import cases_in, events_by_case, facts_of, with_charters

    cases, now = history["cases"], datetime.fromisoformat(history["now"])
    charters: dict[int, tuple[str, str]] = {}
    chosen = []
    span = sample // 4
    for first in (1 + i * (cases - span) // 3 for i in range(4)):
        last = first + span - 1
        found = cases_in(first, last)
        with_charters(found)
        events = events_by_case([], (first, last))
        for case in found:
            charters[case.charter.pk] = (case.charter.source, case.charter.source_name)
            chosen.append((case.charter.pk, facts_of(case), events.get(case.pk, [])))
    return {"charters": charters, "cases": chosen, "instants": [now + d for d in LATER]}


def measure(path: Path, runs: int, outputs: Path | None) -> dict[str, float]:
    """Time the workload pickled at ``path`` (core imports only); with ``outputs``, pickle
    the clocks there."""
    from charterdesk.core.charter_calendars import calendars_of
    from charterdesk.core.charter_source import read_charter
    from charterdesk.core.clocks import evaluate

    data = pickle.loads(path.read_bytes())
    plans = {}
    for pk, (source, name) in data["charters"].items():
        charter = read_charter(source, name).charter
        calendars = calendars_of(charter)
        plans[pk] = [(c, calendars[charter.calendar_of(c)]) for c in charter.commitments]
    jobs = [(plans[pk], facts, events) for pk, facts, events in data["cases"]]

    def run() -> list[Any]:
        return [
            evaluate(commitment, facts, events, calendar, now)
            for now in data["instants"]
            for plan, facts, events in jobs
            for commitment, calendar in plan
        ]

    clocks = run()  # builds the calendars' tables, as a running worker has them
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    if outputs is not None:
        outputs.write_bytes(pickle.dumps(clocks, protocol=pickle.HIGHEST_PROTOCOL))
    return {"evaluations": len(clocks), "seconds": best}


def timed(path: Path, runs: int, package: Path | None, outputs: Path | None) -> dict[str, float]:
    """:func:`measure` in a process of its own, importing ``charterdesk`` from ``package``
    (default: this checkout)."""
    env = dict(os.environ)
    root = package or HERE.parent
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    command = [sys.executable, __file__, "--measure", str(path), "--runs", str(runs)]
    if outputs is not None:
        command += ["--outputs", str(outputs)]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def report(args: argparse.Namespace, data: dict[str, Any], ours: dict[str, float],
           theirs: dict[str, float] | None, equal: bool | None, before: str) -> str:  # fmt: skip
    count = ours["evaluations"]
    rows = [("this code", ours)] + ([("`--compare` code", theirs)] if theirs else [])
    table = "\n".join(
        f"| {name} | {count / r['seconds']:,.0f} | {r['seconds'] / count * 1e6:.2f} µs |"
        for name, r in rows
    )
    compared = ""
    if theirs is not None:
        speedup = theirs["seconds"] / ours["seconds"]
        compared = (
            f"\nThis code is **{speedup:.2f}×** the compared one ({args.compare_label}); "
            f"their clocks are **{'identical' if equal else 'DIFFERENT'}** (every field of "
            f"all {count:,} evaluations, the reason's text included).\n"
        )
    return f"""## Clock evaluation alone (`benchmarks/evaluate.py`)

{machine_summary()} Load average before the run: {before}; after: {load()}.

{len(data["cases"]):,} cases of the {args.cases:,}-case history (`desk_history.py`, four
spans of keys spread over it), every commitment of their charters, evaluated at the
instant the history ends, 3 days and 40 days later: {count:,} calls of
`core.clocks.evaluate` (most of them a commitment that does not apply to the case's type
or channel, answered at once). CPU time (`time.process_time`) of a process that imports
only the core, best of {args.runs} runs after a warming one{
        f", in {ROUNDS} turns with the compared code" if theirs else ""
    }.

| code | evaluations/s | per evaluation |
| --- | ---: | ---: |
{table}
{compared}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", type=Path, help="a directory with another charterdesk")
    parser.add_argument("--compare-label", default="the core before the change")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--outputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs, args.outputs)))
        return
    from desk_history import use_database

    base = base_for(args.cases, None)
    history = ensure_history(base, args.cases)
    target = scratch(base, "evaluate")
    use_database(target)
    data = workload(history, args.sample)
    with tempfile.TemporaryDirectory() as folder:
        path, mine, other = (Path(folder) / name for name in ("work", "mine", "other"))
        path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        before = load()
        ours, theirs, equal = _turns(args, path, mine, other)
    drop(target)
    text = report(args, data, ours, theirs, equal, before)
    write_section("evaluate", text)
    print(text)


def _turns(
    args: argparse.Namespace, path: Path, mine: Path, other: Path
) -> tuple[dict[str, float], dict[str, float] | None, bool | None]:
    """Best figures of each code over the turns, and whether their clocks are equal."""
    ours: dict[str, float] | None = None
    theirs: dict[str, float] | None = None
    for turn in range(ROUNDS if args.compare else 1):
        first = turn == 0
        got = timed(path, args.runs, None, mine if first else None)
        ours = got if ours is None or got["seconds"] < ours["seconds"] else ours
        if args.compare:
            got = timed(path, args.runs, args.compare, other if first else None)
            theirs = got if theirs is None or got["seconds"] < theirs["seconds"] else theirs
    assert ours is not None
    equal = None
    if args.compare:
        equal = pickle.loads(mine.read_bytes()) == pickle.loads(other.read_bytes())
    return ours, theirs, equal


if __name__ == "__main__":
    main()
