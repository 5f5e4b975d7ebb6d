"""The worker's clock sweep: warn before a promise is broken, act when it is.

One claim-check-act-commit loop, a batch at a time. Due clocks are claimed with
``SELECT ... FOR UPDATE SKIP LOCKED``, together with their case rows (several workers
on PostgreSQL share the work, and no two of them ever hold the same case; SQLite's
IMMEDIATE transactions let one writer at a time in). The claimed clocks are evaluated
again from events before anything is done (all their cases' events in one query, the
pure core in Python; a case's other clocks are not due, so they are left as they stand),
and every action goes to the outbox under an idempotency key, so a warning or a breach
action happens once, whoever sweeps. Each claimed clock is then written once: what the
evaluation changed and the sweep's own stamp (``warned_at``, ``breach_handled_at``) in
one ``UPDATE``, not two; the claim reads the clock's evaluated columns, so nothing else
of the case's clocks is read in Python: its ``next_due_at`` is worked out by the
database from the rows as written (docs/decisions/0012-fast-queue-and-sweep.md).
A breached clock already met late is settled: marked handled by one ``UPDATE``,
unclaimed and unevaluated, since nothing is due on it (:func:`settle`).
BENCHMARKS.md ("Breach sweep") has the throughput.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import DateTimeField, Field, JSONField, QuerySet
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import (
    EVALUATED,
    STAMPS,
    Changes,
    aware,
    columns,
    evaluate_claimed,
    loaded,
    set_next_due,
    write,
)
from charterdesk.cases.models import Case, Clock, OutboxMessage
from charterdesk.core.clocks import ClockState

RUNNING, BREACHED, MET = ClockState.RUNNING.value, ClockState.BREACHED.value, ClockState.MET.value
#: What a claim reads: the clock's identity (evaluation gives the rest) and the case's
#: facts that evaluation and the outbox need.
CLAIMED = (
    "organization_id",
    "commitment",
    *EVALUATED,
    "case__organization_id",
    "case__reference",
    "case__charter_id",
    "case__case_type",
    "case__channel",
    "case__language",
    "case__fields",
    "case__received_at",
)


@dataclass(frozen=True, slots=True)
class SweepResult:
    warnings: int = 0  # warnings queued
    breaches: int = 0  # breach actions queued
    clocks: int = 0  # clocks claimed and checked
    settled: int = 0  # breached clocks already met (late) or ended, marked handled

    @property
    def handled(self) -> int:
        """Every clock this sweep took off the worker's list."""
        return self.clocks + self.settled


#: Settled clocks marked handled a sweep, per clock it may claim (one statement does it).
SETTLE_PER_CLAIM = 10


def sweep(now: datetime, limit: int = 500) -> SweepResult:
    """Handle up to ``limit`` due warnings and ``limit`` due breaches, in one transaction."""
    with transaction.atomic():
        settled = settle(now, limit * SETTLE_PER_CLAIM)
        warn_due = _claim(
            Clock.objects.filter(state=RUNNING, warned_at__isnull=True, warn_at__lte=now),
            "warn_at",
            limit,
        )
        breach_due = _claim(  # breached when last evaluated (a repeating one may have no due)
            Clock.objects.filter(state=BREACHED, breach_handled_at__isnull=True, met_at=None),
            "due_at",
            limit,
        )
        breach_due += _claim(  # running past its due time
            Clock.objects.filter(state=RUNNING, breach_handled_at__isnull=True, due_at__lte=now),
            "due_at",
            limit - len(breach_due),
        )
        if not warn_due and not breach_due:
            return SweepResult(settled=settled)
        claimed = [*warn_due, *breach_due]
        cases = {clock.case_id: clock.case for clock in claimed}
        claimed_here: dict[int, set[str]] = defaultdict(set)
        for clock in claimed:
            claimed_here[clock.case_id].add(clock.commitment)
        fresh = evaluate_claimed(list(cases.values()), now, claimed_here)
        changes, seen = Changes(), set()
        for clock in claimed:  # as evaluated from events just now
            row = fresh[clock.case_id][clock.commitment]
            if row != tuple(getattr(clock, name) for name in EVALUATED) and clock.pk not in seen:
                changes.changed.append((*row, clock.pk))
            seen.add(clock.pk)
            for name, value in columns(row).items():
                setattr(clock, name, value)
        stamps: dict[int, list[datetime | None]] = {}
        warnings = _warn(warn_due, now, stamps)
        breaches = _breach(breach_due, now, stamps)
        # each clock written once: its evaluated columns and its stamps together
        write(changes, {pk: tuple(values) for pk, values in stamps.items()})
        set_next_due(list(cases))
    return SweepResult(warnings, breaches, len(seen), settled)


def settle(now: datetime, limit: int) -> int:
    """Mark handled, without claiming or evaluating them, up to ``limit`` clocks that
    breached and were then met late (or, repeating, ended): nothing is due on such a
    clock, and no later instant changes it (its row is written with the event that
    settled it, as every clock's is). Its breach calls for no action, as when the sweep
    finds a claimed clock met late. One ``UPDATE`` does them all. On PostgreSQL rows
    another worker holds are skipped, and the condition is checked again on each row
    as it stands when locked; SQLite's one writer needs no second look (and given one,
    it would scan every breached clock instead of fetching the picked ones by key)."""
    ops = connection.ops
    table = ops.quote_name(Clock._meta.db_table)
    done = "state = %s AND breach_handled_at IS NULL AND met_at IS NOT NULL"
    params: list[Any] = [BREACHED]
    pick = f"SELECT id FROM {table} WHERE {done} ORDER BY due_at, id LIMIT %s"
    where, params = f"id IN ({pick})", [*params, limit]
    if connection.features.has_select_for_update_skip_locked:
        where, params = f"id IN ({pick} FOR UPDATE SKIP LOCKED) AND {done}", [*params, BREACHED]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET breach_handled_at = %s WHERE {where}",
            [ops.adapt_datetimefield_value(now), *params],
        )
        settled: int = cursor.rowcount
    return settled


def _claim(query: QuerySet[Clock], order: str, limit: int) -> list[Clock]:
    """Lock up to ``limit`` due clocks, earliest first, and their cases; rows another
    worker holds (the clock or its case) are skipped, not waited for."""
    # in the partial index's own order (ascending, nulls where each database puts them):
    # asking PostgreSQL for nulls first made it sort the whole backlog at every claim
    rows = query.select_related("case").only(*CLAIMED).order_by(order, "pk")
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self", "case"))
    return _instances(rows[:limit])


def _instances(rows: QuerySet[Clock]) -> list[Clock]:
    """``list(rows)``, each clock with its case, as the ORM would give them, but made
    without ``Model.__init__`` (:func:`~charterdesk.cases.clock_index.loaded`), which
    took a sixth of a sweep's time, and without the ORM's converters (a time made aware
    through the settings at each value, a tenth): times and JSON are read here."""
    compiler = rows.query.get_compiler(connection=connection)
    results = compiler.execute_sql(MULTI)  # fills compiler.select and klass_info
    info = compiler.klass_info
    assert info is not None
    (case_info,) = info["related_klass_infos"]
    fields = [column.target for column, *_ in compiler.select]
    readers = [_reader(field) for field in fields]
    own = [(fields[i].attname, i) for i in info["select_fields"]]
    theirs = [(fields[i].attname, i) for i in case_info["select_fields"]]
    on_case = Clock._meta.get_field("case")
    claimed, alias = [], connection.alias
    for chunk in results:
        for raw in chunk:
            row = [  # (a row may carry columns past the selected ones: not read)
                value if read is None else read(value)
                for read, value in zip(readers, raw, strict=False)
            ]
            clock = loaded(Clock, {name: row[i] for name, i in own}, alias)
            case = loaded(Case, {name: row[i] for name, i in theirs}, alias)
            on_case.set_cached_value(clock, case)
            claimed.append(clock)
    return claimed


def _reader(field: Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a claimed column's value is read: times made aware (UTC), JSON decoded (both
    as the ORM gives them); the rest as the database gives them."""
    if isinstance(field, DateTimeField):
        return aware
    if isinstance(field, JSONField):
        return _json_reader()
    return None


def _json_reader() -> Callable[[Any], Any]:
    """JSON text decoded once per claim: cases sharing a text (most cases' fields are one
    of a few) share one decoded value, which the sweep only reads."""
    decoded: dict[str, Any] = {}

    def read(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = decoded.get(value)
        if found is None:
            found = decoded[value] = json.loads(value)
        return found

    return read


def _stamp(
    stamps: dict[int, list[datetime | None]], clock: Clock, column: str, now: datetime
) -> None:
    """Note that ``clock`` gets ``now`` in its worker column ``column`` (STAMPS)."""
    stamps.setdefault(clock.pk, [None] * len(STAMPS))[STAMPS.index(column)] = now


def _warn(clocks: list[Clock], now: datetime, stamps: dict[int, list[datetime | None]]) -> int:
    queued = [
        _notification(
            clock,
            f"warn:{clock.pk}:{clock.cycle}:{clock.due_at.isoformat() if clock.due_at else ''}",
            {"action": "warn", "to": "assignee"},
            now,
        )
        for clock in clocks
        if clock.state == RUNNING and clock.warn_at and clock.warn_at <= now
    ]
    for clock in clocks:
        _stamp(stamps, clock, "warned_at", now)
    return _queue(queued, now)


def _breach(clocks: list[Clock], now: datetime, stamps: dict[int, list[datetime | None]]) -> int:
    queued: list[Queued] = []
    actions: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for clock in clocks:
        if clock.state == BREACHED and clock.met_at is None:
            key = (clock.case.charter_id, clock.commitment)
            if key not in actions:
                actions[key] = _on_breach(clock)
            # a breach of a later due time (a new date stated, a cycle restarted) is
            # another breach: its actions are new ones
            due = clock.due_at.isoformat() if clock.due_at else ""
            for index, (kind, target) in enumerate(actions[key]):
                queued.append(
                    _notification(
                        clock,
                        f"breach:{clock.pk}:{clock.cycle}:{due}:{index}",
                        {"action": kind, "to": target},
                        now,
                    )
                )
    for clock in clocks:
        if clock.state in (BREACHED, MET):
            _stamp(stamps, clock, "breach_handled_at", now)
    return _queue(queued, now)


def _on_breach(clock: Clock) -> list[tuple[str, str]]:
    """The charter's breach actions for the clock's commitment, as (action, target);
    without any, the assignee is notified."""
    commitment = parsed(clock.case.charter).charter.commitment(clock.commitment)
    dumped = [a.model_dump(exclude_none=True) for a in commitment.on_breach]
    return [next(iter(action.items())) for action in dumped or [{"notify": "assignee"}]]


def _notification(clock: Clock, key: str, what: dict[str, str], now: datetime) -> Queued:
    case: Case = clock.case
    payload = {
        **what,
        "case": case.reference,
        "commitment": clock.commitment,
        "due_at": clock.due_at.isoformat() if clock.due_at else None,
    }
    return Queued(clock.organization_id, clock.case_id, key, payload)


@dataclass(frozen=True, slots=True)
class Queued:
    """A notification outbox row a sweep queues (sent at the sweep's instant)."""

    organization_id: int
    case_id: int
    key: str
    payload: dict[str, Any]


def _queue(rows: list[Queued], now: datetime) -> int:
    """One outbox row per effect; a key already queued means it was done before, and its
    row is left as it is. Returns the rows this sweep added."""
    if not rows:
        return 0
    new = list({row.key: row for row in rows}.values())
    return _insert(new, now)


#: The outbox columns a sweep fills (the others keep their defaults: pending, no attempt).
_OUTBOX = (
    "organization_id", "case_id", "kind", "key", "payload", "next_attempt_at",
    "status", "attempts", "last_error", "created_at",
)  # fmt: skip


def _insert(rows: list[Queued], now: datetime) -> int:
    """``bulk_create(rows, ignore_conflicts=True)`` as one ``executemany``: the ORM's
    compiling of a thousand rows took a twelfth of a sweep's time. Returns the rows
    inserted (a key already there is not): the keys name clocks this transaction holds
    locked, so no other worker inserts them meanwhile."""
    ops, meta = connection.ops, OutboxMessage._meta
    encoder = meta.get_field("payload").encoder
    at = ops.adapt_datetimefield_value(now)  # one instant a sweep
    created = ops.adapt_datetimefield_value(timezone.now())  # as auto_now_add gives it
    values: list[tuple[Any, ...]] = [
        (
            row.organization_id,
            row.case_id,
            "notification",
            row.key,
            ops.adapt_json_value(row.payload, encoder),  # as the field's get_db_prep_save
            at,
            "pending",
            0,
            "",
            created,
        )
        for row in rows
    ]
    names = ", ".join(ops.quote_name(name) for name in _OUTBOX)
    marks = ", ".join(["%s"] * len(_OUTBOX))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ops.quote_name(meta.db_table)} ({names}) VALUES ({marks}) "
            f"ON CONFLICT ({ops.quote_name('key')}) DO NOTHING",
            values,
        )
        inserted: int = cursor.rowcount
    return inserted
