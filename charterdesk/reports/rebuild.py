"""Deriving the report tables from clocks and events, one organization-month at a time.

A month's rows are deleted and written again in one transaction, from the Clock rows of
the cases received in that month (the index of the pure evaluation, themselves rebuilt
from events by ``rebuild_clocks``) and from those cases' events. Doing it again gives the
same rows: this is the whole of how figures are made, for a full rebuild
(:func:`rebuild_reports`) and for the worker's refresh of the months that changed
(:mod:`charterdesk.reports.refresh`).

Outcomes are decided at ``now``: a clock the index still shows running but whose due
time has passed is breached, as the console shows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, cast

from django.db import connection, models, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from charterdesk.cases.models import Case, Clock, Event, Organization
from charterdesk.core.clocks import ClockState
from charterdesk.reports.models import (
    BreachRecord,
    CauseRecord,
    ComplianceCount,
    Outcome,
    RefreshMark,
    SurveyCount,
)
from charterdesk.reports.periods import add_months, local_midnight, month_of

MET, BREACHED = ClockState.MET.value, ClockState.BREACHED.value
RUNNING, NOT_APPLICABLE = ClockState.RUNNING.value, ClockState.NOT_APPLICABLE.value
#: The events whose data reports read (besides delay notices, counted per breach).
READ_EVENTS = ("cause_classified", "survey_sent", "rated")
TABLES = (ComplianceCount, BreachRecord, CauseRecord, SurveyCount)
#: PostgreSQL advisory lock class of report rebuilds (the second key is the organization):
#: two rebuilds of the same month at once would each delete the rows they see and insert
#: their own, leaving both sets.
ADVISORY_LOCK = 7_014


def outcome_expression(now: datetime) -> models.Case:
    """A Clock row's outcome at ``now``, in SQL (see :class:`Outcome`)."""
    return models.Case(
        models.When(state=MET, then=Value(Outcome.MET.value)),
        models.When(state=BREACHED, met_at__isnull=False, then=Value(Outcome.MET_LATE.value)),
        models.When(state=BREACHED, then=Value(Outcome.BREACHED.value)),
        models.When(state=RUNNING, due_at__lte=now, then=Value(Outcome.BREACHED.value)),
        default=Value(Outcome.OPEN.value),
        output_field=models.CharField(),
    )


def not_kept(now: datetime) -> Q:
    """Clock rows that are breaches at ``now``: breached (met late or not), or running
    past their due time."""
    return Q(state=BREACHED) | Q(state=RUNNING, due_at__lte=now)


def months_of(org: Organization) -> list[date]:
    """Every month, in the organization's zone, from its first case to its last."""
    span = Case.objects.filter(organization=org).aggregate(
        first=models.Min("received_at"), last=models.Max("received_at")
    )
    if span["first"] is None:
        return []
    month, last = month_of(span["first"], org.timezone), month_of(span["last"], org.timezone)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def rebuild_reports(now: datetime, org: Organization | None = None) -> int:
    """Rebuild every report row (of one organization, or of all): the months it has cases
    in are written again, rows of other months deleted. Returns the months rebuilt."""
    orgs = [org] if org is not None else list(Organization.objects.order_by("pk"))
    RefreshMark.objects.update_or_create(name="rebuilt", defaults={"ran_at": now})
    done = 0
    for each in orgs:
        months = months_of(each)
        for table in TABLES:
            table.objects.filter(organization=each).exclude(month__in=months).delete()
        for month in months:
            rebuild_month(each, month, now)
        done += len(months)
    return done


def rebuild_month(org: Organization, month: date, now: datetime) -> None:
    """Write again every report row of the cases ``org`` received in ``month``.

    The clocks and events are read first, then the month's rows are replaced in one short
    transaction (on SQLite a write transaction holds every other writer back). Rebuilds
    of one organization wait for each other's writes."""
    start = local_midnight(month, org.timezone)
    end = local_midnight(add_months(month, 1), org.timezone)
    # The clocks and events are found through the cases (their indexes on case), which
    # the organization scopes.
    case_ids = Case.objects.filter(
        organization=org, received_at__gte=start, received_at__lt=end
    ).values("pk")
    key = (org.pk, month)
    rows: dict[type[models.Model], list[tuple[Any, ...]]] = {
        ComplianceCount: [(*key, *row) for row in _compliance(case_ids, now)],
        BreachRecord: [(*key, *row) for row in _breaches(case_ids, now)],
    }
    causes, surveys = _from_events(case_ids)
    rows[CauseRecord] = [(*key, *row) for row in causes]
    rows[SurveyCount] = [(*key, *row) for row in surveys]
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one rebuild of an organization at a time
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK, org.pk])
        for table in TABLES:
            table.objects.filter(organization=org, month=month).delete()
            _insert(table, rows[table])


#: The columns each table's rows are written in (organization and month first).
COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    ComplianceCount: (
        "organization", "month", "commitment", "case_type", "channel", "language", "assignee",
        "outcome", "count",
    ),
    BreachRecord: (
        "organization", "month", "case", "reference", "commitment", "case_type", "channel",
        "language", "assignee", "due_at", "met_at", "reason", "delay_notices", "first_notice_at",
    ),
    CauseRecord: (
        "organization", "month", "case", "reference", "cause", "case_type", "channel",
        "language", "assignee", "classified_at",
    ),
    SurveyCount: (
        "organization", "month", "case_type", "channel", "language", "assignee", "measure",
        "question", "score", "count",
    ),
}  # fmt: skip


def _insert(table: type[models.Model], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows with one statement run many times: Django's ``bulk_create``
    prepares every field of every object in Python, several times slower for the tens of
    thousands of rows of a large month, inside the write transaction."""
    if not rows:
        return
    ops = connection.ops
    fields = [cast(models.Field[Any, Any], table._meta.get_field(name)) for name in COLUMNS[table]]
    adapt: list[Callable[[Any], Any] | None] = [
        ops.adapt_datetimefield_value
        if isinstance(field, models.DateTimeField)
        else ops.adapt_datefield_value
        if isinstance(field, models.DateField)
        else None
        for field in fields
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(table._meta.db_table),
        ", ".join(ops.quote_name(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepared = [
        [value if to_db is None else to_db(value) for value, to_db in zip(row, adapt, strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for first in range(0, len(prepared), 5_000):
            cursor.executemany(sql, prepared[first : first + 5_000])


_DIMENSIONS = ("case__case_type", "case__channel", "case__language", "case__assignee_id")


def _compliance(case_ids: models.QuerySet[Case, Any], now: datetime) -> Iterable[tuple[Any, ...]]:
    """(commitment, case type, channel, language, assignee, outcome, count)."""
    return (
        Clock.objects.filter(case_id__in=case_ids)
        .exclude(state=NOT_APPLICABLE)
        .annotate(outcome=outcome_expression(now))
        .values_list("commitment", *_DIMENSIONS, "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _breaches(case_ids: models.QuerySet[Case, Any], now: datetime) -> Iterable[tuple[Any, ...]]:
    """(case, reference, commitment, case type, channel, language, assignee, due, met,
    reason, delay notices, first notice) of every clock not kept on time."""
    notices = Event.objects.filter(case_id=OuterRef("case_id"), kind="delay_notice_sent")
    return Clock.objects.filter(not_kept(now), case_id__in=case_ids).values_list(
        "case_id",
        "case__reference",
        "commitment",
        *_DIMENSIONS,
        "due_at",
        "met_at",
        "reason",
        Coalesce(
            Subquery(
                notices.order_by().values("case_id").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        Subquery(notices.order_by("at").values("at")[:1]),
    )


def _from_events(
    case_ids: models.QuerySet[Case, Any],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Causes (one row per case and cause: case, reference, cause, slice, classified at)
    and survey counts, from the month's events."""
    rows = (
        Event.objects.filter(case_id__in=case_ids, kind__in=READ_EVENTS)
        .order_by("case_id", "at", "pk")
        .values_list("case_id", "case__reference", *_DIMENSIONS, "kind", "at", "data")
    )
    causes: dict[tuple[int, str], tuple[Any, ...]] = {}
    sent: set[int] = set()
    ratings: dict[int, dict[str, Any]] = {}
    slices: dict[int, tuple[str, str, str, int | None]] = {}
    for case_id, reference, kind_of_case, channel, language, assignee, kind, at, data in rows:
        slices[case_id] = (kind_of_case, channel, language, assignee)
        if kind == "cause_classified":
            cause = " ".join(str(data.get("cause", "")).split())[:200]
            if cause and (case_id, cause) not in causes:
                causes[case_id, cause] = (case_id, reference, cause, *slices[case_id], at)
        elif kind == "survey_sent":
            sent.add(case_id)
        else:
            ratings[case_id] = data  # the last answer of a case counts
    return list(causes.values()), _survey_counts(slices, sent, ratings)


def _survey_counts(
    slices: dict[int, tuple[str, str, str, int | None]],
    sent: set[int],
    ratings: dict[int, dict[str, Any]],
) -> list[tuple[Any, ...]]:
    """(case type, channel, language, assignee, measure, question, score, count)."""
    counts: Counter[tuple[Any, ...]] = Counter()
    for case_id in sent:
        counts[(*slices[case_id], SurveyCount.Measure.SENT.value, "", 0)] += 1
    for case_id, data in ratings.items():
        score = _score(data.get("score"))
        if score is None:
            continue
        counts[(*slices[case_id], SurveyCount.Measure.RATED.value, "", score)] += 1
        answers = data.get("answers")
        for question, value in answers.items() if isinstance(answers, dict) else ():
            answer = _score(value)
            if answer is not None:
                key = (*slices[case_id], SurveyCount.Measure.ANSWER.value, str(question)[:64])
                counts[(*key, answer)] += 1
    return [(*key, n) for key, n in counts.items()]


def _score(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        score = int(value)
    except ValueError:
        return None
    return score if 0 < score <= 100 else None
