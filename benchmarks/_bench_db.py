"""Databases for the desk's benchmarks: a history made once per size, copied for a run.

``ensure_history`` makes ``N`` cases with ``desk_history.py`` (in a process of its own)
unless it was made before, and remembers when the history ends; ``scratch`` copies it
for a benchmark that changes it (SQLite: the file; PostgreSQL: ``CREATE DATABASE ...
TEMPLATE``). Everything lives under ``$CHARTERDESK_BENCH_DIR`` (default
/tmp/charterdesk-bench), never in the repository: a million cases take gigabytes.
Nothing here imports Django: the benchmark sets it up on the copy afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("CHARTERDESK_BENCH_DIR", "/tmp/charterdesk-bench"))
HERE = Path(__file__).resolve().parent
SEED = 2026


def is_postgres(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://"))


def base_for(cases: int, postgres: str | None) -> str:
    """Where the history of ``cases`` cases lives: a directory, or a database of the
    PostgreSQL server at ``postgres`` (a URL; its database name is replaced)."""
    if postgres:
        return f"{_server(postgres)}/bench_{cases}"
    return str(ROOT / f"sqlite-{cases}")


def ensure_history(base: str, cases: int) -> dict[str, Any]:
    """The history's description (``cases``, ``now``, ``seconds`` to make it), making
    it first if it is not there yet."""
    marker = _marker(base)
    if marker.exists():
        found: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        if found.get("cases") == cases:
            return found
    drop(base)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    print(f"making a history of {cases:,} cases in {_shown(base)} ...", flush=True)
    started = datetime.now(UTC)
    subprocess.run(
        [sys.executable, str(HERE / "desk_history.py"), "--cases", str(cases), "--db", base,
         "--now", now.isoformat(), "--seed", str(SEED), "--analyze"],
        check=True,
    )  # fmt: skip
    seconds = (datetime.now(UTC) - started).total_seconds()
    found = {"cases": cases, "now": now.isoformat(), "seconds": round(seconds, 1)}
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(found), encoding="utf-8")
    return found


def scratch(base: str, name: str) -> str:
    """A fresh copy of ``base`` to change."""
    if is_postgres(base):
        copy = f"{_server(base)}/{_name(base)}_{name}"
        drop(copy)
        _admin(base, f'CREATE DATABASE "{_name(copy)}" TEMPLATE "{_name(base)}"')
        return copy
    copy = f"{base}-{name}"
    drop(copy)
    Path(copy).mkdir(parents=True)
    for file in Path(base).glob("charterdesk.sqlite3*"):
        shutil.copy(file, Path(copy) / file.name)
    return copy


def drop(target: str) -> None:
    if is_postgres(target):
        _admin(target, f'DROP DATABASE IF EXISTS "{_name(target)}" WITH (FORCE)')
    else:
        shutil.rmtree(target, ignore_errors=True)
    _marker(target).unlink(missing_ok=True)


def size_of(target: str) -> int:
    """Bytes the database takes."""
    if is_postgres(target):
        import psycopg

        with psycopg.connect(target) as conn:
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            return int(row[0]) if row else 0
    return sum(f.stat().st_size for f in Path(target).glob("charterdesk.sqlite3*"))


def load() -> str:
    """The machine's load averages, for the record (other work slows a benchmark)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f}"


def _marker(target: str) -> Path:
    if is_postgres(target):
        port = target.rsplit(":", 1)[1].split("/")[0]
        return ROOT / "markers" / f"{_name(target)}-{port}.json"
    return Path(target) / "history.json"


def _server(url: str) -> str:
    return url.rsplit("/", 1)[0]


def _name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


def _shown(target: str) -> str:
    return f"PostgreSQL database {_name(target)}" if is_postgres(target) else target


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{_server(url)}/charterdesk", autocommit=True) as conn:
        conn.execute(statement.encode())
