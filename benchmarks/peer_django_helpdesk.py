"""The peer: Charterdesk against django-helpdesk 2.6.1, the same work in the same run.

Run: ``.venv/bin/python benchmarks/peer_django_helpdesk.py [--postgres URL]``. Writes
the ``peer`` section of BENCHMARKS.md. The default run takes about seven minutes on an
idle two-core machine (twice that on a busy one), and needs PyPI the first time (to build
the peer's virtualenv).

1. django-helpdesk is installed from PyPI into its own virtualenv,
   ``var/peer-helpdesk/venv`` (git-ignored; nothing of the peer is committed), made with
   ``python3.11 -m venv``, with Django pinned to the version the project runs, so both
   sides run the same Django.
2. Both sides are measured one after the other, never at the same time, on the same
   machine and database engine: ``benchmarks/peer/charterdesk_side.py`` in the project's
   virtualenv, then ``benchmarks/peer/measure.py`` in the peer's. Each prints JSON.
   SQLite (a file in a temporary directory, WAL, ``synchronous=NORMAL``) unless
   ``--postgres URL`` names a server, on which each side creates its own database.
3. The ratios, the versions and what is not comparable go into BENCHMARKS.md; both
   sides' raw JSON into ``var/peer-helpdesk/last-run.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER_VENV = ROOT / "var" / "peer-helpdesk" / "venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
HELPDESK = "django-helpdesk==2.6.1"


def main() -> None:
    options = _arguments()
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    installed = ensure_peer(options.postgres)
    workdir = Path(tempfile.mkdtemp(prefix="charterdesk-peer-"))
    try:
        sizes = {
            "--list-size": options.list_size,
            "--requests": options.requests,
            "--database-url": options.postgres,
        }
        ours = _run(
            [sys.executable, HERE / "peer" / "charterdesk_side.py"],
            {**sizes, "--cases": options.created, "--breached": options.due},
            workdir / "charterdesk",
        )
        theirs = _run(
            [PEER_PYTHON, HERE / "peer" / "measure.py"],
            {**sizes, "--tickets": options.created, "--escalate": options.due},
            workdir / "helpdesk",
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    took, loads = time.perf_counter() - started, (load_before, os.getloadavg()[0])
    raw = {"charterdesk": ours, "django_helpdesk": theirs, "peer_freeze": installed}
    (PEER_VENV.parent / "last-run.json").write_text(json.dumps(raw, indent=2), encoding="utf-8")
    text = report(ours, theirs, installed, took, loads)
    sys.path.insert(0, str(HERE))
    import _report

    _report.write_section("peer", text)
    print(text)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="", metavar="URL", help="PostgreSQL, not SQLite")
    parser.add_argument("--created", type=int, default=2_000, help="cases/tickets created")
    parser.add_argument("--list-size", type=int, default=100_000, help="cases/tickets listed")
    parser.add_argument("--requests", type=int, default=100, help="timed list requests")
    parser.add_argument("--due", type=int, default=10_000, help="clocks/tickets swept")
    return parser.parse_args()


def ensure_peer(postgres: str) -> list[str]:
    """The peer's virtualenv with django-helpdesk and the project's Django; returns what
    is installed in it (``pip freeze``)."""
    wanted = [HELPDESK, f"django=={metadata.version('django')}"]
    if postgres:
        wanted.append(f"psycopg[binary]=={metadata.version('psycopg')}")
    if not PEER_PYTHON.exists():
        PEER_VENV.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["python3.11", "-m", "venv", str(PEER_VENV)], check=True)
    frozen = _freeze()
    if not all(_pinned(line) in frozen for line in wanted):
        pip = [str(PEER_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *wanted], check=True)
        frozen = _freeze()
    return frozen


def _pinned(requirement: str) -> str:
    name, version = requirement.split("==")
    return f"{name.split('[')[0].lower()}=={version}"


def _freeze() -> list[str]:
    out = subprocess.run(
        [str(PEER_PYTHON), "-m", "pip", "freeze", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(line.strip().lower().replace("_", "-") for line in out.splitlines() if line)


def _run(command: list[Any], options: dict[str, object], workdir: Path) -> dict[str, Any]:
    """Run one side's script; its JSON is the last line it prints."""
    workdir.mkdir(parents=True)
    arguments = [str(part) for part in command] + ["--workdir", str(workdir)]
    for name, value in options.items():
        if value not in ("", None):
            arguments += [name, str(value)]
    print("running", " ".join(arguments[1:]), file=sys.stderr, flush=True)
    done = subprocess.run(arguments, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def _rate_cells(mine: dict[str, float], peer: dict[str, float], units: str) -> list[str]:
    """Our rate, the peer's, and the ratios, for a measure of things per second."""
    ours, theirs = units.split("/")
    return [
        f"{mine['per_second']:,.0f} {ours}/s (CPU {mine['cpu_per_second']:,.0f})",
        f"{peer['per_second']:,.0f} {theirs}/s (CPU {peer['cpu_per_second']:,.0f})",
        f"{mine['per_second'] / peer['per_second']:.2f}×",
        f"{mine['cpu_per_second'] / peer['cpu_per_second']:.2f}×",
    ]


def _list_cells(queue: dict[str, Any], listing: dict[str, Any]) -> list[str]:
    """Our queue's p95, the peer's (page and data together), and the ratios."""
    mine, peer = queue["page"], listing["both"]
    page, data = listing["page"]["wall"]["p95_ms"], listing["data"]["wall"]["p95_ms"]
    return [
        f"{mine['wall']['p95_ms']:,.0f} ms (CPU {mine['cpu']['p95_ms']:,.0f})",
        f"{peer['wall']['p95_ms']:,.0f} ms (CPU {peer['cpu']['p95_ms']:,.0f}; "
        f"page {page:,.0f} + data {data:,.0f})",
        f"{peer['wall']['p95_ms'] / mine['wall']['p95_ms']:.2f}×",
        f"{peer['cpu']['p95_ms'] / mine['cpu']['p95_ms']:.2f}×",
    ]


def _table(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    create, queue, sweep = ours["create"], ours["list"], ours["sweep"]
    rows = [
        [
            f"creation, {create['count']:,} one after another",
            *_rate_cells(create, theirs["create"], "cases/tickets"),
        ],
        [
            f"staff list at {queue['cases']:,} open, p95 of {queue['requests']} GETs",
            *_list_cells(queue, theirs["list"]),
        ],
        [
            f"breach sweep over {sweep['due']:,} due",
            *_rate_cells(sweep, theirs["escalate"], "clocks/tickets"),
        ],
    ]
    return "\n".join(f"| {' | '.join(row)} |" for row in rows)


def report(
    ours: dict[str, Any],
    theirs: dict[str, Any],
    frozen: list[str],
    took: float,
    loads: tuple[float, float],
) -> str:
    import _report

    create, t_create = ours["create"], theirs["create"]
    queue, t_list = ours["list"], theirs["list"]
    sweep, t_escalate = ours["sweep"], theirs["escalate"]
    table = _table(ours, theirs)
    versions = ", ".join(f"{name} {v}" for name, v in theirs["versions"].items())
    everything = ", ".join(f"`{line}`" for line in frozen)
    return f"""## The peer: django-helpdesk (`benchmarks/peer_django_helpdesk.py`)

{_report.machine_summary("django")}
Peer: {versions} on Python {theirs["python"]}, in its own virtualenv
(`var/peer-helpdesk/venv`, from PyPI; nothing of it is committed). Both sides were
measured in the same run ({took / 60:.1f} minutes in all), one after the other, on
**{ours["engine"]}** for Charterdesk and **{theirs["engine"]}** for the peer, with the
same Django, each from a freshly migrated database (SQLite: a file with WAL and
`synchronous=NORMAL` on both sides). The machine's load average was {loads[0]:.1f} at
the start and {loads[1]:.1f} at the end (other work may share it). Web requests go
through Django's test `Client`, in process, logged in (no network, no browser). The
ratio is how many times better Charterdesk does (above 1: faster; below 1: slower), in
wall-clock time (what a user waits for) and in the measuring process's CPU time (on
SQLite the database works inside that process, so this is all the work done, and it
moves little when other programs share the machine; on PostgreSQL it leaves out the
server's work).
The peer's virtualenv held exactly: {everything}.

| measure | Charterdesk | django-helpdesk | ratio | ratio in CPU time |
| --- | ---: | ---: | ---: | ---: |
{table}

What each figure is, and what is not comparable:
- **Creation.** Charterdesk: a new contact and `open_case` ({create["clocks"] // create["count"]}
  commitments of Leviatan's charter evaluated and indexed per case, the `received` event,
  an audit entry, and the automatic acknowledgement: an outgoing message, an event, the
  clocks evaluated again, a mail row in the outbox, {create["mails_queued"]:,} in all).
  django-helpdesk: its staff form, `TicketForm.is_valid()` and `TicketForm.save()` (the
  ticket, its first follow-up, the new-ticket mail rendered and handed to Django's
  in-memory backend, {t_create["mails"]:,} in all). Not comparable: helpdesk validates a form
  and builds its mail inside the request; Charterdesk's figure has no form (the console or
  intake validates before calling the service), stores no message body (intake adds the
  customer's message) and leaves the sending of mail to the worker.
- **List.** Charterdesk: `GET /desk/leviatan/`, the queue sorted by what breaches first,
  one server-rendered page of {queue["rows"]} cases with their clock badges. django-helpdesk:
  `GET /tickets/` and then its DataTables JSON, which the page loads by ajax (25 rows, its
  default page, oldest first): a user waits for both, so the ratio uses their sum. All
  {queue["cases"]:,} cases and {t_list["tickets"]:,} tickets are open, in one organization or
  queue, each ticket with one follow-up; the cases are copies of cases opened through
  `open_case` (`benchmarks/peer/charterdesk_bulk.py`). p50: Charterdesk
  {queue["page"]["wall"]["p50_ms"]:,.0f} ms, django-helpdesk
  {t_list["both"]["wall"]["p50_ms"]:,.0f} ms.
- **Sweep.** Charterdesk: `sweep(now, {sweep["limit"]})` called until every due clock is
  handled ({sweep["calls"]} calls); each claimed case is evaluated again from its events
  on its working-hours calendar with Romania's holidays before its breach action (escalate
  to a supervisor) is queued in the outbox ({sweep["notifications"]:,} notifications).
  django-helpdesk: `manage.py escalate_tickets` over {t_escalate["due"]:,} open tickets older
  than the queue's `escalate_days` (priority raised, a mail to the submitter rendered,
  a follow-up and a ticket change: {t_escalate["mails"]:,} mails). Not comparable:
  helpdesk's escalation counts calendar days since creation or the last escalation
  (minus the dates listed as exclusions) and ignores working hours, events and pauses;
  it does no re-evaluation, and it sends its mail in the loop, where Charterdesk queues it.
"""


if __name__ == "__main__":
    main()
