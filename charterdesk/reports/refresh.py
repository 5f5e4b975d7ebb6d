"""The worker's refresh of report figures: only the months that changed are rebuilt.

A month of arrivals changes when one of its cases gets an event (every change to a clock
comes from an event), or when one of its running clocks passes its due time. Events are
read in the order of their primary key from a watermark kept in :class:`RefreshMark`.
On PostgreSQL a transaction may commit an event with a lower key after one with a
higher key is seen, so the watermark only moves past events recorded more than
:data:`MARGIN` before ``now``; younger ones are read again on the next pass (reading an
event twice only rebuilds a month twice). A full rebuild (``manage.py rebuild_reports``)
is needed after ``rebuild_clocks``, which changes clocks without new events.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from charterdesk.cases.models import Clock, Event, Organization
from charterdesk.reports.models import RefreshMark
from charterdesk.reports.periods import month_of
from charterdesk.reports.rebuild import RUNNING, rebuild_month, rebuild_reports

#: How long after it was recorded an event is taken to be visible to every reader.
MARGIN = timedelta(minutes=2)
#: Most events read in one pass (a backlog is worked off over several passes).
BATCH = 50_000


def claim_mark(name: str) -> RefreshMark | None:
    """The job's mark, locked for this transaction; None while another worker holds it."""
    RefreshMark.objects.get_or_create(name=name)
    rows = RefreshMark.objects.filter(name=name)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return rows.first()


def refresh_reports(now: datetime, *, force: bool = False, batch: int = BATCH) -> int:
    """Rebuild the months whose figures changed since the last pass; the first pass
    rebuilds everything. Runs at most every ``CHARTERDESK_REPORTS_REFRESH_SECONDS``
    unless ``force``. Returns how many organization-months were rebuilt."""
    every = timedelta(seconds=settings.CHARTERDESK_REPORTS_REFRESH_SECONDS)
    # PostgreSQL: workers take turns, the mark locked for the pass. SQLite's transaction
    # is the database's one write lock, so there a pass holds none, and its months are
    # written in short transactions of their own (two passes at once only repeat work).
    one_at_a_time = connection.features.has_select_for_update_skip_locked
    with transaction.atomic() if one_at_a_time else nullcontext():
        mark = claim_mark("reports")
        if mark is None or (not force and mark.ran_at and mark.ran_at <= now < mark.ran_at + every):
            return 0
        if mark.checked_at is not None:
            dirty, mark.event_pk = _changed_by_events(mark.event_pk, now, batch)
            if mark.checked_at < now:
                dirty |= _passed_due(mark.checked_at, now)
            done = _rebuild(dirty, now)
            mark.checked_at, mark.ran_at = max(now, mark.checked_at), now
            mark.save()
            return done
        seen = _settled_until(0, now)
    # The first pass rebuilds everything, a month per transaction, without holding the
    # mark: the desk keeps working meanwhile (and what it records is read next pass).
    done = rebuild_reports(now)
    RefreshMark.objects.filter(pk=mark.pk).update(event_pk=seen, checked_at=now, ran_at=now)
    return done


def _settled_until(after: int, now: datetime) -> int:
    settled = (
        Event.objects.filter(pk__gt=after, recorded_at__lte=now - MARGIN)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return settled or after


def _changed_by_events(
    after: int, now: datetime, batch: int
) -> tuple[set[tuple[int, datetime]], int]:
    """(organization, arrival) of the cases with events past the watermark, and the new
    watermark: the last event of the unbroken run of settled ones."""
    rows = (
        Event.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", "recorded_at", "organization_id", "case__received_at")[:batch]
    )
    dirty: set[tuple[int, datetime]] = set()
    watermark, settled = after, True
    for pk, recorded_at, org_id, received_at in rows:
        dirty.add((org_id, received_at))
        if settled and recorded_at <= now - MARGIN:
            watermark = pk
        else:
            settled = False
    return dirty, watermark


def _passed_due(since: datetime, now: datetime) -> set[tuple[int, datetime]]:
    """(organization, arrival) of the cases whose running clocks fell due in (since, now]."""
    rows = Clock.objects.filter(state=RUNNING, due_at__gt=since, due_at__lte=now).values_list(
        "organization_id", "case__received_at"
    )
    return set(rows.iterator(chunk_size=10_000))


def _rebuild(dirty: set[tuple[int, datetime]], now: datetime) -> int:
    orgs = Organization.objects.in_bulk({org_id for org_id, _ in dirty})
    months: set[tuple[int, date]] = {
        (org_id, month_of(received_at, orgs[org_id].timezone)) for org_id, received_at in dirty
    }
    for org_id, month in sorted(months):
        rebuild_month(orgs[org_id], month, now)
    return len(months)
