"""What both sides of the peer benchmark share: fresh databases and latency summaries.

Imported by ``measure.py`` (in the peer's virtualenv) and ``charterdesk_side.py`` (in
the project's), so it needs nothing but the standard library and Django.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Untimed requests before the timed ones (templates compiled, caches filled).
WARMUP = 3


@contextmanager
def fresh_database(test_name: str) -> Iterator[None]:
    """A database created and migrated by Django's test utilities for the block, then
    dropped: ``test_name`` is a file path on SQLite, a database name on PostgreSQL."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def summary(seconds: list[float]) -> dict[str, float]:
    """Median, 95th percentile (nearest rank) and maximum, in milliseconds."""
    ordered = sorted(seconds)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000,
        "max_ms": ordered[-1] * 1000,
    }


class Stopwatch:
    """Wall-clock time and this process's CPU time, added up over the blocks it timed.

    On SQLite the database works inside the process, so the CPU time is all the work
    done, and it barely moves when other programs share the machine; the wall-clock
    time is what a user waits for."""

    def __init__(self, wall: float = 0.0, cpu: float = 0.0) -> None:
        self.wall, self.cpu = wall, cpu

    @contextmanager
    def timing(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu

    def __add__(self, other: Stopwatch) -> Stopwatch:
        return Stopwatch(self.wall + other.wall, self.cpu + other.cpu)

    def rate(self, count: int) -> dict[str, float]:
        """``count`` things done in the timed blocks, per second of each kind."""
        return {
            "seconds": self.wall,
            "cpu_seconds": self.cpu,
            "per_second": count / self.wall,
            "cpu_per_second": count / self.cpu,
        }


def latencies(watches: list[Stopwatch]) -> dict[str, Any]:
    """Summaries of the wall-clock and the CPU time of each timed request."""
    return {
        "wall": summary([watch.wall for watch in watches]),
        "cpu": summary([watch.cpu for watch in watches]),
    }
