"""Rebuilding every clock from events, a chunk of cases at a time, on one or more cores.

``manage.py rebuild_clocks`` runs this after a holiday is added or a charter changes.
Each chunk is read and evaluated first, outside any transaction (the evaluation is
what takes the time: BENCHMARKS.md, "Rebuilding every clock"), then written in a short
transaction of its own. Several processes can evaluate chunks at once; the writes
stay short, so even SQLite's one writer at a time is no bottleneck.

Nothing recorded meanwhile is overwritten by an older evaluation: the write locks the
chunk's cases (PostgreSQL; SQLite's IMMEDIATE transaction holds the whole database)
and looks again at the chunk's events; if one was recorded since they were read, the
chunk is read and evaluated again under the lock.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import datetime

from django.db import connection, connections, transaction

from charterdesk.cases.clock_index import (
    Moved,
    Span,
    cases_in,
    changes_for,
    events_by_case,
    events_written,
    stored_clocks,
    with_charters,
    write,
)
from charterdesk.cases.models import Case

CHUNK = 5_000  # cases per transaction

#: One chunk: the first and last case key, and whether only one organization's cases
#: in that span are to be rebuilt (then by their keys, not the span).
Chunk = tuple[int, int, int | None]


def rebuild(
    now: datetime, *, organization_id: int | None = None, chunk: int = CHUNK, jobs: int = 1
) -> Iterator[tuple[int, list[Moved]]]:
    """Evaluate every clock of every case (or of one organization's) again at ``now``;
    yields, chunk by chunk, the number of cases and the clocks that moved.

    With ``jobs`` > 1, that many processes evaluate chunks at once (each with its own
    database connection; the data must be committed, as it is outside tests)."""
    chunks = _chunks(organization_id, chunk)
    if jobs <= 1 or len(chunks) <= 1:
        for one in chunks:
            yield rebuild_chunk(one, now)
        return
    connections.close_all()  # each process opens its own
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(_rebuild_chunk, [(one, now) for one in chunks])


def _chunks(organization_id: int | None, size: int) -> list[Chunk]:
    cases = Case.objects.order_by("pk")
    if organization_id is not None:
        cases = cases.filter(organization_id=organization_id)
    keys = list(cases.values_list("pk", flat=True))
    return [
        (keys[start], keys[min(start + size, len(keys)) - 1], organization_id)
        for start in range(0, len(keys), size)
    ]


def _rebuild_chunk(job: tuple[Chunk, datetime]) -> tuple[int, list[Moved]]:
    return rebuild_chunk(*job)


def rebuild_chunk(chunk: Chunk, now: datetime) -> tuple[int, list[Moved]]:
    """Rebuild one chunk's clocks; returns the number of cases and what moved."""
    cases, ids, span = _read_cases(chunk)
    seen = events_written(ids, span)
    changes = changes_for(cases, now, events_by_case(ids, span), stored_clocks(ids, span))
    with transaction.atomic():
        if connection.features.has_select_for_update:
            list(Case.objects.filter(pk__in=ids).select_for_update().values_list("pk"))
        if events_written(ids, span) != seen:  # an event was recorded meanwhile
            cases, ids, span = _read_cases(chunk)
            changes = changes_for(cases, now, events_by_case(ids, span), stored_clocks(ids, span))
        write(changes)
    return len(cases), changes.moved


def _read_cases(chunk: Chunk) -> tuple[list[Case], list[int], Span | None]:
    first, last, organization_id = chunk
    cases = cases_in(first, last, organization_id)
    with_charters(cases)
    # every case in the span is in the chunk, unless the rebuild is one organization's
    span = (first, last) if organization_id is None else None
    return cases, [case.pk for case in cases], span
