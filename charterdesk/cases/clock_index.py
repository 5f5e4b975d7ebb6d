"""Keeping the Clock index rows in step with cases' events.

A clock's state is a pure function of (commitment, case facts, events, calendar,
now): this module feeds stored cases to :func:`charterdesk.core.clocks.evaluate`
and writes what comes out, so the rows can always be rebuilt.

One path serves one case (a service after an event, :func:`refresh_many`) and thousands
(``rebuild_clocks``, a chunk at a time through :func:`changes_for`): the events and the
clock rows of all the cases are read in one query each, evaluated in Python, and only
what changed is written; the worker's sweep evaluates only the clocks it claims
(:func:`evaluate_claimed`, :func:`set_next_due`). Those
reads and writes are plain SQL on the database cursor (rows as tuples, ``executemany``
updates): at a million clock rows, model instances, the ORM's converters and
``bulk_update``'s ``CASE WHEN`` cost more than the evaluation itself (measured with
cProfile; BENCHMARKS.md has the figures of ``benchmarks/sweep.py`` and ``rebuild.py``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, TypeVar

from django.db import connection
from django.db.models import Model
from django.db.models.base import ModelState

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, CharterVersion, Clock
from charterdesk.cases.models import Event as StoredEvent
from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Commitment
from charterdesk.core.clocks import Clock as EvaluatedClock
from charterdesk.core.clocks import ClockState, evaluate
from charterdesk.core.events import CaseFacts, Event

M = TypeVar("M", bound=Model)

RUNNING = (ClockState.RUNNING.value, ClockState.PAUSED.value, ClockState.PENDING.value)

#: The columns of a Clock row that evaluation decides (the worker's own are not here).
EVALUATED = (
    "state",
    "started_at",
    "due_at",
    "warn_at",
    "met_at",
    "reason",
    "cycle",
    "missed_cycles",
)
_TIMES = tuple(i for i, name in enumerate(EVALUATED) if name.endswith("_at"))
_FIRST_TIME, _END_TIMES, _NO_TIMES = _TIMES[0], _TIMES[-1] + 1, (None,) * len(_TIMES)
assert tuple(range(_FIRST_TIME, _END_TIMES)) == _TIMES  # one run of columns
STATE: Final = 0  # EVALUATED.index("state")
DUE: Final = 2  # EVALUATED.index("due_at")
MET: Final = 4  # EVALUATED.index("met_at")
CYCLE: Final = 6  # EVALUATED.index("cycle")
assert (EVALUATED[STATE], EVALUATED[DUE], EVALUATED[MET], EVALUATED[CYCLE]) == (
    "state", "due_at", "met_at", "cycle",
)  # fmt: skip
#: A clock's EVALUATED columns, in that order.
Row = tuple[str, datetime | None, datetime | None, datetime | None, datetime | None, str, int, int]
_STATES = {state: state.value for state in ClockState}
_RUNNING = ClockState.RUNNING.value
_BREACHED = ClockState.BREACHED.value
_NOT_APPLICABLE = ClockState.NOT_APPLICABLE.value
_READ = 20_000  # rows fetched at a time
#: What evaluation and the index need of a case.
FACTS = (
    "organization_id",
    "reference",
    "charter_id",
    "case_type",
    "channel",
    "language",
    "fields",
    "received_at",
    "next_due_at",
)

#: A charter's commitments, each with its calendar, per (version pk, sha256).
_PLANS: dict[tuple[int, str], tuple[tuple[Commitment, WorkCalendar], ...]] = {}

#: A span of case keys, both ends included.
Span = tuple[int, int]
#: A Clock row as read: its key and its EVALUATED columns.
StoredRow = tuple[int, tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Moved:
    """A clock whose state or due time changed in a refresh."""

    case: str
    commitment: str
    before: tuple[str, datetime | None] | None
    after: tuple[str, datetime | None]


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What a refresh did: the clocks that moved, and the evaluated columns of every
    clock of the cases as they now stand (``clocks[case_pk][commitment_id]``)."""

    moved: list[Moved]
    clocks: dict[int, dict[str, Row]]


def facts_of(case: Case) -> CaseFacts:
    spec = parsed(case.charter).charter.case_types.get(case.case_type)
    return CaseFacts(
        case_type=case.case_type,
        channel=case.channel,
        received_at=case.received_at,
        language=case.language,
        fields=case.fields,
        internal=spec is not None and spec.internal,
    )


def with_charters(cases: Sequence[Case]) -> None:
    """Give the cases their charter versions in one query (a version's text is large:
    it is read once per version, not once per case)."""
    charter = Case._meta.get_field("charter")
    missing = [case for case in cases if not charter.is_cached(case)]
    if missing:
        versions = CharterVersion.objects.in_bulk({case.charter_id for case in missing})
        for case in missing:
            charter.set_cached_value(case, versions[case.charter_id])


def cases_in(first: int, last: int, organization_id: int | None = None) -> list[Case]:
    """The cases with keys from ``first`` to ``last`` (of one organization, or all), in
    key order, with FACTS only (a rebuild's chunk: a tenth of the ORM's time per case)."""
    as_utc = _utc_reader()
    times = {"received_at", "next_due_at"}
    read = [
        f"CAST({name} AS TEXT)" if name in times and connection.vendor == "sqlite" else name
        for name in FACTS
    ]
    where, params = "id BETWEEN %s AND %s", [first, last]
    if organization_id is not None:
        where, params = f"{where} AND organization_id = %s", [*params, organization_id]
    table = Case._meta.db_table
    sql = f"SELECT id, {', '.join(read)} FROM {table} WHERE {where} ORDER BY id"
    names = ("id", *FACTS)
    received, due, fields = (
        FACTS.index("received_at"),
        FACTS.index("next_due_at"),
        FACTS.index("fields"),
    )
    cases, alias = [], connection.alias
    for pk, *values in _raw(sql, params):
        values[received] = as_utc(values[received])
        if values[due] is not None:
            values[due] = as_utc(values[due])
        if isinstance(values[fields], str):
            values[fields] = json.loads(values[fields])
        cases.append(loaded(Case, dict(zip(names, (pk, *values), strict=True)), alias))
    return cases


def loaded(model: type[M], columns: dict[str, Any], alias: str | None = None) -> M:
    """A ``model`` instance as read from the database with only these columns (by
    attname; the others deferred), made as unpickling makes one: for a few columns,
    ``Model.__init__`` costs more than reading the row. (A caller making many passes
    ``alias``, the connection's, looked up once: each lookup is a thread-local's.)"""
    instance: M = model.__new__(model)
    state = ModelState()
    state.adding, state.db = False, alias or connection.alias
    instance.__dict__.update(columns, _state=state)
    return instance


def events_of(case: Case) -> list[Event]:
    return events_by_case([case.pk]).get(case.pk, [])


def events_by_case(case_ids: Sequence[int], span: Span | None = None) -> dict[int, list[Event]]:
    """The events of these cases (or of every case in ``span``), in time order, in one
    query."""
    table = StoredEvent._meta.db_table
    where, params = _cases(case_ids, span)
    at = "CAST(at AS TEXT)" if connection.vendor == "sqlite" else "at"  # see _utc_reader
    sql = f"SELECT case_id, kind, {at}, data FROM {table} WHERE {where} ORDER BY case_id, at, id"
    as_utc = _utc_reader()
    found: dict[int, list[Event]] = defaultdict(list)
    # an event's data is read-only (a Mapping): events with the same text share one
    # decoded dict, and most events' text is one of a few (decoding was a fourteenth
    # of a rebuild)
    decoded: dict[str, Any] = {"{}": {}}
    for case_id, kind, at, data in _raw(sql, params):
        stored = decoded.get(data) if isinstance(data, str) else data
        if stored is None:
            stored = decoded[data] = json.loads(data)
        found[case_id].append(Event(kind=kind, at=as_utc(at), data=stored))
    return found


def events_written(case_ids: Sequence[int], span: Span | None = None) -> tuple[int, int]:
    """How many events these cases have, and the largest key: it changes when one is
    recorded (events are never changed or deleted)."""
    where, params = _cases(case_ids, span)
    sql = f"SELECT COUNT(*), MAX(id) FROM {StoredEvent._meta.db_table} WHERE {where}"
    ((count, last),) = _raw(sql, params)
    return count, last or 0


def clocks_of(
    case: Case, events: Sequence[Event], now: datetime, only: Collection[str] | None = None
) -> dict[str, EvaluatedClock]:
    """Every commitment of the case's charter (or ``only`` those) evaluated at ``now``
    from its events, on its calendar: the core's clocks, by commitment id."""
    facts = facts_of(case)
    return {
        commitment.id: evaluate(commitment, facts, events, calendar, now)
        for commitment, calendar in _plan(case.charter)
        if only is None or commitment.id in only
    }


def evaluated(
    case: Case, events: Sequence[Event], now: datetime, only: Collection[str] | None = None
) -> dict[str, Row]:
    """:func:`clocks_of`, as the EVALUATED columns of each Clock row."""
    return {commitment: _row(c) for commitment, c in clocks_of(case, events, now, only).items()}


def _row(c: EvaluatedClock) -> Row:
    return (
        _STATES[c.state], c.started_at, c.due_at, c.warn_at, c.met_at, c.reason[:500],
        c.cycle, c.missed_cycles,
    )  # fmt: skip


def kept(row: Row) -> bool:
    """Whether a clock evaluated so gets a row where it has none: the index holds the
    commitments that apply to the case (a row stays, as evaluated, should one stop
    applying). Most commitments of a charter do not apply to a given case: a row for
    each was most of the index, and of the time a rebuild spends reading it
    (docs/decisions/0014-clock-rows-for-promises-that-apply.md)."""
    return row[STATE] != _NOT_APPLICABLE


def columns(row: Row) -> dict[str, Any]:
    """A row's EVALUATED columns by name."""
    return dict(zip(EVALUATED, row, strict=True))


def next_due(rows: Iterable[Row]) -> datetime | None:
    """A case's ``next_due_at``: the earliest due time of its running clocks and of its
    broken promises not yet kept (a breached case stays on top of the queue)."""
    dues = [
        row[DUE]
        for row in rows
        if row[DUE] is not None
        and (row[STATE] == _RUNNING or (row[STATE] == _BREACHED and row[MET] is None))
    ]
    return min(dues) if dues else None


def soonest_due(rows: Mapping[str, Row]) -> tuple[str, datetime] | None:
    """(commitment, due time) of the running clock due first (ties: the charter's first):
    what an acknowledgement promises a reply by."""
    dated = [
        (row[DUE], commitment)
        for commitment, row in rows.items()
        if row[STATE] == _RUNNING and row[DUE] is not None
    ]
    if not dated:
        return None
    due, commitment = min(dated, key=lambda pair: pair[0])
    return commitment, due


def refresh_clocks(case: Case, now: datetime) -> list[Moved]:
    """Evaluate every commitment of the case's charter and store the results (a row for
    each that applies, :func:`kept`)."""
    return refresh_many([case], now).moved


def refresh_many(cases: Sequence[Case], now: datetime) -> Refreshed:
    """Bring every clock of ``cases`` up to date at ``now``.

    Reads the cases' events and clock rows in one query each; creates missing rows,
    updates changed ones and the cases' ``next_due_at``."""
    ids = [case.pk for case in cases]
    with_charters(cases)
    changes = changes_for(cases, now, events_by_case(ids), stored_clocks(ids))
    write(changes)
    return Refreshed(changes.moved, changes.fresh)


def evaluate_claimed(
    cases: Sequence[Case], now: datetime, only: Mapping[int, Collection[str]]
) -> dict[int, dict[str, Row]]:
    """The commitments named per case (``only``), evaluated at ``now`` from the cases'
    events: the sweep's evaluation, which reads no clock rows (it holds the claimed ones)."""
    with_charters(cases)
    events = events_by_case([case.pk for case in cases])
    return {
        case.pk: evaluated(case, events.get(case.pk, ()), now, only.get(case.pk, ()))
        for case in cases
    }


def set_next_due(case_ids: Sequence[int]) -> None:
    """Work out these cases' ``next_due_at`` in the database from their clock rows as
    written (:func:`next_due`'s rule, in SQL), changing only the cases it moves."""
    if not case_ids:
        return
    ops = connection.ops
    case, clock = ops.quote_name(Case._meta.db_table), ops.quote_name(Clock._meta.db_table)
    due = (
        f"(SELECT MIN(due_at) FROM {clock} WHERE case_id = {case}.id AND due_at IS NOT NULL"
        " AND (state = %s OR (state = %s AND met_at IS NULL)))"
    )
    differs = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    where, keys = _cases(case_ids, None)
    where = where.replace("case_id", "id", 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {case} SET next_due_at = {due} WHERE {where} AND next_due_at {differs} {due}",
            [_RUNNING, _BREACHED, *keys, _RUNNING, _BREACHED],
        )


@dataclass(slots=True)
class Changes:
    """What a refresh writes, worked out before anything is written."""

    moved: list[Moved] = field(default_factory=list)
    fresh: dict[int, dict[str, Row]] = field(default_factory=dict)
    created: list[Clock] = field(default_factory=list)
    changed: list[tuple[Any, ...]] = field(default_factory=list)  # EVALUATED values, then pk
    due: list[tuple[datetime | None, int]] = field(default_factory=list)  # next_due_at, pk
    #: Clocks given another due time or cycle: the worker's stamps were for the old one.
    restarted: list[int] = field(default_factory=list)


def changes_for(
    cases: Sequence[Case],
    now: datetime,
    events: Mapping[int, Sequence[Event]],
    stored: Mapping[int, Mapping[str, StoredRow]],
) -> Changes:
    """Evaluate the cases' clocks and compare them with the stored rows."""
    in_db = _stored_form()
    changes = Changes()
    for case in cases:
        rows = stored.get(case.pk, {})
        fresh: dict[str, Row] = {}  # as the rows will stand
        changes.fresh[case.pk] = fresh
        for commitment, row in evaluated(case, events.get(case.pk, ()), now).items():
            old = rows.get(commitment)
            if old is None and not kept(row):
                continue
            fresh[commitment] = row
            after = (row[STATE], row[DUE])
            if old is None:
                changes.created.append(
                    Clock(
                        organization_id=case.organization_id,
                        case_id=case.pk,
                        commitment=commitment,
                        **columns(row),
                    )
                )
                changes.moved.append(Moved(case.reference, commitment, None, after))
                continue
            new = in_db(row)
            if old[1] != new:
                changes.changed.append((*new, old[0]))
                if old[1][DUE] != new[DUE] or old[1][CYCLE] != new[CYCLE]:
                    changes.restarted.append(old[0])
                before = (old[1][STATE], aware(old[1][DUE]))
                if before != after:
                    changes.moved.append(Moved(case.reference, commitment, before, after))
        due = next_due([*fresh.values(), *_untouched(rows, fresh)])
        if case.next_due_at != due:
            case.next_due_at = due
            changes.due.append((due, case.pk))
    return changes


#: The worker's own columns of a Clock row (:mod:`charterdesk.cases.sweep`).
STAMPS = ("warned_at", "breach_handled_at")


def write(
    changes: Changes, stamps: Mapping[int, tuple[datetime | None, ...]] | None = None
) -> None:
    """Write what a refresh worked out; with ``stamps`` (the worker's STAMPS by clock
    key, ``None`` for "leave as it is"), those go in the same ``UPDATE`` as the row's
    evaluated columns, so that a clock the sweep handles is written once, not twice
    (the clocks whose evaluation did not change get theirs in one ``UPDATE ... WHERE id
    IN`` per kind of stamp: one statement per row costs PostgreSQL more). The stamps of
    a clock given another due time or cycle are cleared: they were for the old one
    (docs/decisions/0012-fast-queue-and-sweep.md, item 6)."""
    Clock.objects.bulk_create(changes.created, batch_size=2_000)
    if changes.restarted:  # warn again before the new due time, act again if it passes
        _set_stamps(changes.restarted, dict.fromkeys(STAMPS))
    if not stamps:
        _update(Clock, EVALUATED, changes.changed)
    else:
        none = (None,) * len(STAMPS)
        changed = [(*row[:-1], *stamps.get(row[-1], none), row[-1]) for row in changes.changed]
        _update(Clock, EVALUATED + STAMPS, changed, kept=STAMPS)
        done = {row[-1] for row in changes.changed}
        alone: defaultdict[tuple[datetime | None, ...], list[int]] = defaultdict(list)
        for pk, values in stamps.items():
            if pk not in done:
                alone[tuple(values)].append(pk)
        for values, pks in alone.items():  # the rest, a statement per kind of stamp
            given = {name: at for name, at in zip(STAMPS, values, strict=True) if at is not None}
            _set_stamps(pks, given)
    _update(Case, ("next_due_at",), changes.due)


def _set_stamps(pks: Sequence[int], given: Mapping[str, datetime | None]) -> None:
    """``Clock.objects.filter(pk__in=pks).update(**given)`` for STAMPS columns (``None``
    clears one), written out: the ORM's compiling was a twenty-fifth of a sweep."""
    ops = connection.ops
    sets = ", ".join(f"{ops.quote_name(name)} = %s" for name in given)
    values = [None if at is None else ops.adapt_datetimefield_value(at) for at in given.values()]
    where, keys = _cases(pks, None)
    where = where.replace("case_id", "id", 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ops.quote_name(Clock._meta.db_table)} SET {sets} WHERE {where}",
            [*values, *keys],
        )


def stored_clocks(ids: Sequence[int], span: Span | None = None) -> dict[int, dict[str, StoredRow]]:
    """The cases' clock rows as the database gives them: (pk, evaluated columns)."""
    where, params = _cases(ids, span)
    if connection.vendor == "sqlite":  # times as stored, not parsed: see _stored_form
        read = [
            f"CAST({name} AS TEXT)" if i in _TIMES else name for i, name in enumerate(EVALUATED)
        ]
    else:
        read = list(EVALUATED)
    table = Clock._meta.db_table
    sql = f"SELECT case_id, commitment, id, {', '.join(read)} FROM {table} WHERE {where}"
    stored: dict[int, dict[str, StoredRow]] = defaultdict(dict)
    for row in _raw(sql, params):  # case_id, commitment, id, EVALUATED...
        stored[row[0]][row[1]] = (row[2], row[3:])
    return stored


def _untouched(rows: Mapping[str, StoredRow], fresh: Mapping[str, Row]) -> Iterator[Row]:
    """The stored rows that were not evaluated again: those of commitments the charter no
    longer has (with an aware due time)."""
    for commitment, (_, row) in rows.items():
        if commitment not in fresh:
            yield (row[0], row[1], aware(row[2]), *row[3:])


def _stored_form() -> Callable[[Row], tuple[Any, ...]]:
    """Evaluated columns as :func:`stored_clocks` reads them back, so that a stored row
    and a fresh evaluation compare without parsing a million times: on SQLite, times as
    the text Django's adapter writes (naive UTC, ``str()``); on PostgreSQL, as they are."""
    if connection.vendor != "sqlite":
        return lambda row: row

    texts: dict[datetime, str] = {}  # a case's clocks share most of their times

    def stored(row: Row) -> tuple[Any, ...]:
        if row[_FIRST_TIME:_END_TIMES] == _NO_TIMES:  # most clocks: not applicable, pending
            return row
        values: list[Any] = list(row)
        for i in _TIMES:
            at = values[i]
            if at is not None:  # "YYYY-MM-DD HH:MM:SS[.ffffff]", without "+00:00"
                text = texts.get(at)
                if text is None:
                    utc = at if at.tzinfo is UTC else at.astimezone(UTC)
                    text = texts[at] = utc.isoformat(" ")[:-6]
                values[i] = text
        return tuple(values)

    return stored


def aware(value: datetime | str | None) -> datetime | None:
    """A time as read back (SQLite's text, a naive or an aware datetime), aware."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _utc_reader() -> Callable[[Any], datetime]:
    """Times as read back made aware, in UTC. SQLite's are read as the text Django wrote
    (naive UTC): parsed with the offset added, several times faster than Django's
    converter and a ``replace`` after it."""
    if connection.vendor == "sqlite":
        return _from_sqlite
    return lambda at: at if at.tzinfo is UTC else at.astimezone(UTC)


def _from_sqlite(text: str) -> datetime:
    try:
        return datetime.fromisoformat(f"{text}+00:00")
    except ValueError:  # not as Django writes it (an offset of its own, say)
        made = aware(text)
        assert made is not None
        return made.astimezone(UTC)


def _cases(ids: Sequence[int], span: Span | None) -> tuple[str, list[Any]]:
    """The condition on ``case_id`` (written out: the ORM spends longer preparing a
    long ``IN`` list than the database spends on the query)."""
    if span is not None:
        return "case_id BETWEEN %s AND %s", [span[0], span[1]]
    keys = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":  # one parameter, not one per key
        return "case_id = ANY(%s)", [keys]
    return f"case_id IN ({', '.join(['%s'] * len(keys))})", keys


def _raw(sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows straight from the cursor, without the ORM's converters."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_READ):
            yield from rows


def _update(
    model: type[Clock] | type[Case],
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    kept: Collection[str] = (),
) -> None:
    """``UPDATE ... WHERE id = %s`` for each row (its columns' values, then its key);
    a ``kept`` column given ``None`` keeps its value."""
    if not rows:
        return
    ops = connection.ops
    times = [i for i, name in enumerate(columns) if name.endswith("_at")]
    adapted: list[list[Any]] = []
    forms: dict[datetime, Any] = {}  # a time adapted once (a sweep stamps every row with one)
    for row in rows:
        values = list(row)
        for i in times:
            at = values[i]
            if isinstance(at, datetime):  # (not already in the stored form)
                form = forms.get(at)
                if form is None:
                    form = forms[at] = ops.adapt_datetimefield_value(at)
                values[i] = form
        adapted.append(values)
    sets = ", ".join(
        f"{name} = COALESCE(%s, {name})" if column in kept else f"{name} = %s"
        for column, name in ((column, ops.quote_name(column)) for column in columns)
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {ops.quote_name(model._meta.db_table)} SET {sets} WHERE id = %s", adapted
        )


def _plan(version: CharterVersion) -> tuple[tuple[Commitment, WorkCalendar], ...]:
    key = (version.pk, version.sha256)
    plan = _PLANS.get(key)
    if plan is None:
        charter = parsed(version)
        plan = tuple(
            (commitment, charter.calendar_for(commitment.id))
            for commitment in charter.charter.commitments
        )
        _PLANS[key] = plan
    return plan
