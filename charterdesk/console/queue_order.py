"""The queue's order, read from the index a page at a time.

Open cases come by priority first (E5: a charter that handles complaints first gives
them a higher priority), then in what breaches first: ``next_due_at`` (nulls last),
then arrival (docs/decisions/0007-queue-order.md).
Sorting every open case of an organization on each page view costs a full sort (tens
of milliseconds at 20,000 open cases on SQLite), because no index gives that order
across the two open statuses. Instead each status is read in the order of the index
on Case (organization, status, -priority, next_due_at), only as far as the page needs, and the
few rows that come back are merged: one query for the page's cases, however many
cases there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from charterdesk.cases.models import Case

OPEN_STATUSES = (Case.Status.OPEN, Case.Status.AWAITING_CUSTOMER)
#: The columns each part gives, under names no joined table uses.
COLUMNS = {
    "queue_id": F("pk"),
    "queue_priority": F("priority"),
    "queue_due": F("next_due_at"),
    "queue_arrived": F("received_at"),
}


def queue_key(case: Case) -> tuple[int, bool, Any, Any, int]:
    """Higher priority first; then what breaches first; cases with no due time last,
    oldest first."""
    no_due = case.next_due_at is None
    return (-case.priority, no_due, case.next_due_at, case.received_at, case.pk)


class DueFirst(Sequence[Case]):
    """The open cases among ``cases`` in queue order, as a sequence a Paginator slices."""

    def __init__(self, cases: QuerySet[Case]) -> None:
        self.cases = cases

    def __len__(self) -> int:
        return self.cases.filter(status__in=OPEN_STATUSES).count()

    @overload
    def __getitem__(self, window: int) -> Case: ...

    @overload
    def __getitem__(self, window: slice) -> list[Case]: ...

    def __getitem__(self, window: int | slice) -> Case | list[Case]:
        if isinstance(window, int):
            return self[window : window + 1][0]
        start, stop = window.start or 0, window.stop
        if stop is None or window.step is not None:
            raise ValueError("the queue is read a page at a time: [start:stop]")
        if stop <= start:
            return []
        sql, params = self._window(start, stop)
        rows = self.cases.select_related("contact", "assignee").filter(pk__in=RawSQL(sql, params))
        return sorted(rows, key=queue_key)

    def _window(self, start: int, stop: int) -> tuple[str, list[Any]]:
        """SQL for the ids of the cases in positions [start, stop) of the queue: the
        first ``stop`` of each status in index order, merged."""
        parts = [
            self.cases.filter(status=status, next_due_at__isnull=False).order_by(
                "-priority", "next_due_at", "received_at", "pk"
            )
            for status in OPEN_STATUSES
        ]
        parts.append(
            self.cases.filter(status__in=OPEN_STATUSES, next_due_at__isnull=True).order_by(
                "-priority", "received_at", "pk"
            )
        )
        selects: list[str] = []
        params: list[Any] = []
        for number, part in enumerate(parts):
            columns = part.annotate(**COLUMNS).values_list(*COLUMNS)
            sql, part_params = columns[:stop].query.sql_with_params()
            selects.append(f"SELECT * FROM ({sql}) part{number}")
            params.extend(part_params)
        union = " UNION ALL ".join(selects)
        return (
            f"SELECT queue_id FROM ({union}) due"
            " ORDER BY queue_priority DESC, (queue_due IS NULL), queue_due, queue_arrived, queue_id"
            f" LIMIT {stop - start:d} OFFSET {start:d}",
            params,
        )
