"""Rebuilding every clock in bulk gives the rows that evaluating each case on its own gives,
chunk after chunk, and never overwrites an event recorded while it runs."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from charterdesk.cases import clock_rebuild
from charterdesk.cases.clock_index import EVALUATED, evaluated, events_of, kept, with_charters
from charterdesk.cases.clock_rebuild import rebuild
from charterdesk.cases.models import Case, Clock, Organization
from tests.helpers import utc

from .conftest import arrived, happened

sys.path.append(str(Path(__file__).parents[2] / "benchmarks"))

from _desk_stories import stories
from desk_history import prepare_desk, write_bulk

NOW = utc(2026, 11, 23, 12)
LATER = utc(2026, 12, 14, 12)


def history(count: int) -> None:
    write_bulk(stories(count, NOW, seed=11), prepare_desk(), chunk=50)


def expected(now: Any) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every clock as evaluating its case on its own says it stands at ``now``, of the
    commitments that apply (the index keeps no row for the others)."""
    cases = list(Case.objects.all())
    with_charters(cases)
    return {
        (case.reference, commitment): row
        for case in cases
        for commitment, row in evaluated(case, events_of(case), now).items()
        if kept(row)
    }


def stored() -> dict[tuple[str, str], tuple[Any, ...]]:
    rows = Clock.objects.values_list("case__reference", "commitment", *EVALUATED)
    return {(ref, commitment): tuple(values) for ref, commitment, *values in rows}


def next_dues() -> dict[str, Any]:
    return dict(Case.objects.values_list("reference", "next_due_at"))


@pytest.mark.django_db
def test_a_rebuild_in_chunks_gives_every_case_its_own_evaluation(monkeypatch) -> None:
    history(240)
    Clock.objects.filter(pk__in=list(Clock.objects.values_list("pk", flat=True))[::7]).delete()
    Clock.objects.filter(state="met").update(state="running", due_at=None, reason="stale")
    before = stored()
    done = list(rebuild(LATER, chunk=37))
    assert sum(cases for cases, _ in done) == 240
    assert len(done) == 7  # 240 cases, 37 at a time
    assert stored() == expected(LATER)
    moved = [change for _, changes in done for change in changes]
    assert {(m.case, m.commitment) for m in moved} == {
        key
        for key, row in stored().items()
        if key not in before or (before[key][0], before[key][2]) != (row[0], row[2])
    }
    dues = next_dues()
    for case in Case.objects.all():
        # running clocks, and broken promises not yet kept
        pending = [
            row[2]
            for key, row in stored().items()
            if key[0] == case.reference
            and row[2] is not None
            and (row[0] == "running" or (row[0] == "breached" and row[4] is None))
        ]
        assert dues[case.reference] == (min(pending) if pending else None)
    written = []
    monkeypatch.setattr(clock_rebuild, "write", written.append)
    assert list(rebuild(LATER, chunk=100)) == [(100, []), (100, []), (40, [])]  # nothing left
    # and nothing to write: stored rows compare equal to a fresh evaluation as read back
    assert [(c.created, c.changed, c.due) for c in written] == [([], [], [])] * 3


@pytest.mark.django_db
def test_one_organizations_rebuild_leaves_the_others_alone() -> None:
    history(120)
    Clock.objects.update(reason="stale")
    ask4 = Organization.objects.get(slug="ask4")
    list(rebuild(NOW, organization_id=ask4.pk, chunk=9))
    reasons = Clock.objects.values_list("organization__slug", "reason")
    assert {slug for slug, reason in reasons if reason == "stale"} == {
        "anlp",
        "eurolux",
        "leviatan",
        "lt-pro",
    }
    assert "stale" not in {reason for slug, reason in reasons if slug == "ask4"}


@pytest.mark.django_db
def test_an_event_recorded_during_a_rebuild_is_not_overwritten(ask4, monkeypatch) -> None:
    case = arrived(ask4, "complaint", "web_form", utc(2026, 11, 23, 9))
    evaluate = clock_rebuild.changes_for
    calls = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        changes = evaluate(*args, **kwargs)
        if not calls:  # a service records an event after the chunk was read
            happened(case, "acknowledged", utc(2026, 11, 23, 10))
        calls.append(changes)
        return changes

    monkeypatch.setattr(clock_rebuild, "changes_for", meanwhile)
    list(rebuild(utc(2026, 11, 23, 11)))
    assert len(calls) == 2  # read again under the lock
    receipt = Clock.objects.get(case=case, commitment="complaint-receipt")
    assert (receipt.state, receipt.met_at) == ("met", utc(2026, 11, 23, 10))


@pytest.mark.django_db
def test_rebuild_clocks_command_reports_each_move_and_the_totals(ask4) -> None:
    case = arrived(ask4, "complaint", "web_form", utc(2026, 11, 2, 9))
    Clock.objects.filter(case=case, commitment="complaint-receipt").update(
        state="running", due_at=utc(2026, 11, 3, 9)
    )
    out = io.StringIO()
    call_command("rebuild_clocks", "--org", "ask4", stdout=out)
    lines = out.getvalue().splitlines()
    moved = "running 2026-11-03 09:00Z -> breached 2026-11-03 09:00Z"
    assert lines[0] == f"{case.reference} complaint-receipt: {moved}"
    assert lines[-1].startswith("1 cases, 1 clocks moved")
    out = io.StringIO()
    call_command("rebuild_clocks", "--summary", "--jobs", "1", stdout=out)
    assert out.getvalue().startswith("1 cases, 0 clocks moved")


@pytest.mark.django_db(transaction=True)
def test_two_processes_rebuild_what_one_does() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("processes share committed data: a real server, not the in-memory test file")
    history(150)
    Clock.objects.update(reason="stale", due_at=None)
    done = list(rebuild(LATER, chunk=20, jobs=2))
    assert sum(cases for cases, _ in done) == 150
    assert stored() == expected(LATER)
