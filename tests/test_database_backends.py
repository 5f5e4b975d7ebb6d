"""The database backend in use is the one asked for, and behaves as the desk relies on.

`make test` runs the suite twice: on SQLite (CHARTERDESK_DATABASE_URL unset) and on a
throwaway PostgreSQL server (scripts/test-postgres.sh). pytest-django's SQLite test
database is in memory, where WAL does not apply, so the SQLite checks open a file database
of their own through Django's backend with the settings' OPTIONS; they run in both passes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.utils import ConnectionHandler

from charterdesk import settings as charterdesk_settings

URL_VARIABLE = "CHARTERDESK_DATABASE_URL"
ON_POSTGRES = bool(os.environ.get(URL_VARIABLE))
PROBE = "backend_probe"

postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason=f"{URL_VARIABLE} is not set")
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason=f"{URL_VARIABLE} is set")


@pytest.mark.django_db
def test_the_backend_in_use_is_the_one_asked_for() -> None:
    with connection.cursor() as cursor:
        if ON_POSTGRES:
            assert connection.vendor == "postgresql"
            cursor.execute("SELECT version()")
            assert cursor.fetchone()[0].startswith("PostgreSQL ")
        else:
            assert connection.vendor == "sqlite"
            cursor.execute("SELECT sqlite_version()")
            assert cursor.fetchone()[0]


# --- SQLite: WAL and IMMEDIATE transactions ------------------------------------------------


def sqlite_settings(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The settings' database when CHARTERDESK_DATABASE_URL is unset."""
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    return dict(charterdesk_settings._database())


@contextmanager
def extra_database(alias: str, settings_dict: dict[str, Any]) -> Iterator[None]:
    """Register one more alias in django.db.connections, so transaction.atomic(using=...) works.

    Connections are per thread: every thread using the alias must close its own.
    """
    configured = ConnectionHandler({"default": dict(settings_dict)}).settings["default"]
    connections.settings[alias] = configured
    try:
        yield
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


@pytest.fixture
def sqlite_file_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> Iterator[Path]:
    """A file SQLite database at `PROBE`, with exactly the settings' OPTIONS."""
    path = tmp_path / "probe.sqlite3"
    with (
        django_db_blocker.unblock(),
        extra_database(PROBE, {**sqlite_settings(monkeypatch), "NAME": path}),
    ):
        with connections[PROBE].cursor() as cursor:
            cursor.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, seen INTEGER NOT NULL)")
        yield path


def test_sqlite_settings_ask_for_wal_and_immediate_transactions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = sqlite_settings(monkeypatch)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


@sqlite_only
@pytest.mark.django_db
def test_the_sqlite_test_database_uses_immediate_transactions() -> None:
    assert connection.transaction_mode == "IMMEDIATE"


def test_a_sqlite_file_database_is_in_wal_mode(sqlite_file_database: Path) -> None:
    with connections[PROBE].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_sqlite_transactions_take_the_write_lock_at_begin(sqlite_file_database: Path) -> None:
    other = sqlite3.connect(sqlite_file_database, timeout=0, isolation_level=None)
    try:
        # Nothing written yet, but BEGIN IMMEDIATE already holds the write lock.
        with (
            transaction.atomic(using=PROBE),
            pytest.raises(sqlite3.OperationalError, match="database is locked"),
        ):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after COMMIT
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_concurrent_sqlite_writers_do_not_get_database_is_locked(
    sqlite_file_database: Path,
) -> None:
    # Read, then write, in one transaction: under DEFERRED transactions in WAL mode the
    # write fails at once with "database is locked" whenever the other thread committed
    # in between; IMMEDIATE makes the second writer wait for the first instead.
    rounds = 50
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            start.wait(timeout=10)
            for _ in range(rounds):
                with transaction.atomic(using=PROBE), connections[PROBE].cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM probe")
                    (seen,) = cursor.fetchone()
                    time.sleep(0.001)  # let the other thread in between the read and the write
                    cursor.execute("INSERT INTO probe (seen) VALUES (%s)", [seen])
        except BaseException as error:
            errors.append(error)
        finally:
            connections[PROBE].close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    with connections[PROBE].cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT seen) FROM probe")
        # Each transaction saw every earlier commit: the writes were serialised.
        assert cursor.fetchone() == (2 * rounds, 2 * rounds)


# --- PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED -----------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_skip_locked_skips_the_row_another_transaction_holds() -> None:
    import psycopg

    claim = "SELECT id FROM skip_locked_probe ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE skip_locked_probe (id integer PRIMARY KEY)")
        cursor.execute("INSERT INTO skip_locked_probe VALUES (1), (2)")
    db = connection.settings_dict
    other = psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"],
        connect_timeout=10,
    )
    try:
        with transaction.atomic(), connection.cursor() as first:
            first.execute(claim)
            assert first.fetchone() == (1,)
            with other.transaction(), other.cursor() as second:
                second.execute("SET LOCAL lock_timeout = '5s'")
                second.execute(claim)
                assert second.fetchone() == (2,)
                # Row 1 really is locked: without SKIP LOCKED the second would have to wait.
                with pytest.raises(psycopg.errors.LockNotAvailable), other.transaction():
                    second.execute("SELECT 1 FROM skip_locked_probe WHERE id = 1 FOR UPDATE NOWAIT")
    finally:
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE skip_locked_probe")
