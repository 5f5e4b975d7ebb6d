"""SQLite's planner gets statistics from the worker, so a case's clocks are read by the
case's index, not by scanning the organization's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from charterdesk.cases.planner import refresh_statistics

pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime(2026, 9, 8, 9, 0, tzinfo=UTC)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL analyses by itself")
def test_the_worker_analyses_sqlite_once_an_hour() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert refresh_statistics(NOW, every=timedelta(hours=1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        assert cursor.fetchone()[0] > 0
    assert not refresh_statistics(NOW + timedelta(minutes=59))
    assert refresh_statistics(NOW + timedelta(hours=1))
