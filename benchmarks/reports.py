"""Report pages at a million cases, on SQLite or PostgreSQL.

Run: ``.venv/bin/python benchmarks/reports.py --db /tmp/desk-1m`` (a directory for a
SQLite file) or ``--db postgresql://...``. Writes the ``reports-<database>`` section of
BENCHMARKS.md.

1. The desk: ``benchmarks/desk_history.py`` writes ``--cases`` cases of the five seed
   charters over half a year (skipped when the database already has them; build it
   once with ``desk_history.py --cases 1000000 --db ...`` and point this script at it).
   Its stories classify no causes and answer no surveys, so this script adds those
   events in bulk: a cause on a quarter of the resolved complaints, a survey invitation
   a day after most resolutions with an email address, answers from two in five.
2. ``rebuild_reports``: every report table rebuilt from the clock rows and events
   (what ``manage.py rebuild_reports`` does), and one month rebuilt again (what the
   worker's refresh does for a month that changed).
3. Every report page rendered through Django's test client, as a signed-in supervisor
   (the public pages anonymously), for each organization: the best of five renders
   after a warm-up, and its query count.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent))

import _report
from desk_history import prepare_desk, stories, use_database, write_bulk

CAUSES = ("billing error", "slow reply", "wrong information", "staff conduct", "delivery")
RUNS = 5
GOAL = 2.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL or a directory for SQLite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--now", default="2026-11-20T12:00:00+00:00", help="the history's end")
    parser.add_argument("--no-write", action="store_true", help="print, leave BENCHMARKS.md")
    args = parser.parse_args(argv)
    use_database(args.db)
    now = datetime.fromisoformat(args.now).astimezone(UTC)

    from django.db import connection

    cases = _desk(args.cases, now)
    _report_events(now)
    rebuilt, month = _rebuild(now)
    pages = _pages()
    vendor = connection.vendor
    text = _markdown(vendor, cases, rebuilt, month, pages)
    print(text)
    if not args.no_write:
        _report.write_section(f"reports-{vendor}", text)


def _desk(wanted: int, now: datetime) -> int:
    from charterdesk.cases.models import Case

    have = Case.objects.count()
    if have == 0:
        started = time.perf_counter()
        write_bulk(stories(wanted, now), prepare_desk())
        print(f"desk_history: {wanted:,} cases in {time.perf_counter() - started:.0f} s")
        have = Case.objects.count()
    elif have < wanted:
        sys.exit(f"the database has {have:,} cases, fewer than {wanted:,}: use an empty one")
    return have


def _report_events(now: datetime) -> int:
    """Causes, survey invitations and answers, in bulk, once."""
    from django.db import transaction

    from charterdesk.cases.charters import parsed
    from charterdesk.cases.models import Event, Organization

    if Event.objects.filter(kind="rated").exists():
        return 0
    rng = random.Random(11)
    surveys = {
        org.pk: parsed(org.charter).charter.survey
        for org in Organization.objects.select_related("charter")
        if org.charter
    }
    resolved = (
        Event.objects.filter(kind__in=("resolved", "resolved_at_first_contact"))
        .order_by("pk")
        .values_list("case_id", "organization_id", "at", "case__case_type", "case__contact__email")
    )
    rows: list[Event] = []
    seen: set[int] = set()
    added = 0
    for case_id, org_id, at, case_type, email in resolved.iterator(chunk_size=20_000):
        if case_id in seen:
            continue
        seen.add(case_id)
        rows += _events_of(rng, case_id, org_id, at, case_type, email, surveys.get(org_id), now)
        if len(rows) >= 20_000:
            with transaction.atomic():
                Event.objects.bulk_create(rows, batch_size=5_000)
            added, rows = added + len(rows), []
    with transaction.atomic():
        Event.objects.bulk_create(rows, batch_size=5_000)
    return added + len(rows)


def _events_of(
    rng: random.Random,
    case_id: int,
    org_id: int,
    at: datetime,
    case_type: str,
    email: str | None,
    survey: Any,
    now: datetime,
) -> list[Any]:
    from charterdesk.cases.models import Event

    def event(kind: str, when: datetime, data: dict[str, Any] | None = None) -> Event:
        return Event(organization_id=org_id, case_id=case_id, kind=kind, at=when, data=data or {})

    found = []
    if case_type == "complaint" and rng.random() < 0.25:
        found.append(
            event("cause_classified", at + timedelta(hours=1), {"cause": rng.choice(CAUSES)})
        )
    sent = at + timedelta(days=1)
    if survey is None or not email or sent > now or rng.random() > 0.8:
        return found
    found.append(event("survey_sent", sent))
    answered = sent + timedelta(hours=rng.uniform(1, 72))
    if answered <= now and rng.random() < 0.4:
        answers = {q.id: rng.randint(1, survey.scale) for q in survey.questions}
        score = rng.randint(max(1, survey.scale - 3), survey.scale)
        found.append(event("rated", answered, {"score": score, "answers": answers}))
    return found


def _rebuild(now: datetime) -> tuple[float, float]:
    from charterdesk.cases.models import Case, Organization
    from charterdesk.reports.periods import month_of
    from charterdesk.reports.rebuild import rebuild_month, rebuild_reports

    started = time.perf_counter()
    rebuild_reports(now)
    rebuilt = time.perf_counter() - started
    org = max(Organization.objects.all(), key=lambda o: Case.objects.filter(organization=o).count())
    last = Case.objects.filter(organization=org).order_by("-received_at").first()
    assert last is not None
    started = time.perf_counter()
    rebuild_month(org, month_of(last.received_at, org.timezone), now)
    return rebuilt, time.perf_counter() - started


def _pages() -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from charterdesk.cases.models import Case, Membership, Organization

    setup_test_environment()
    measured = []
    for org in Organization.objects.order_by("slug"):
        lead = Membership.objects.filter(organization=org, role="supervisor").first()
        assert lead is not None, "desk_history makes a supervisor per organization"
        staff, public = Client(), Client()
        staff.force_login(lead.user)
        cases = Case.objects.filter(organization=org).count()
        for name, signed_in, url, params in _urls(org.slug):
            client = staff if signed_in else public
            times, queries = _time(lambda c=client, u=url, p=params: c.get(u, p), connection)
            measured.append(
                {"org": org.slug, "cases": cases, "page": name, "best": min(times),
                 "median": statistics.median(times), "queries": queries}
            )  # fmt: skip
            print(f"{org.slug:10} {name:40} {min(times):.3f} s  {queries} queries")
    return measured


def _urls(slug: str) -> list[tuple[str, bool, str, dict[str, str]]]:
    """(page, signed in, path, GET parameters) of every report page of an organization."""
    year = {"period": str(datetime.now(UTC).year)}
    desk = f"/desk/{slug}"
    return [
        ("dashboard", True, f"{desk}/dashboard/", {}),
        ("reports, this quarter", True, f"{desk}/reports/", {}),
        ("reports, the year", True, f"{desk}/reports/", year),
        (
            "reports, the year, complaints by email",
            True,
            f"{desk}/reports/",
            {**year, "case_type": "complaint", "channel": "email"},
        ),
        *(
            (f"review pack {fmt.upper()}, {words}", True, f"{desk}/reports/review.{fmt}", params)
            for words, params in (("this quarter", {}), ("the year", year))
            for fmt in ("pdf", "xlsx", "csv")
        ),
        ("public results", False, f"/o/{slug}/results/", {}),
        ("public charter", False, f"/o/{slug}/charter/", {}),
    ]


def _time(render: Callable[[], Any], connection: Any) -> tuple[list[float], int]:
    from django.test.utils import CaptureQueriesContext

    response = render()
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            render()
            times.append(time.perf_counter() - started)
    return times, len(captured)


def _markdown(
    vendor: str, cases: int, rebuilt: float, month: float, pages: list[dict[str, Any]]
) -> str:
    from django.db import connection
    from django.db.models import Count

    from charterdesk.cases.models import Clock, Event, Organization
    from charterdesk.reports.models import BreachRecord, ComplianceCount

    added = Event.objects.filter(kind__in=("cause_classified", "survey_sent", "rated")).count()
    most = max(
        BreachRecord.objects.values("organization")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True),
        default=0,
    )

    database = {"sqlite": "SQLite (WAL)", "postgresql": "PostgreSQL"}.get(vendor, vendor)
    version = (
        connection.Database.sqlite_version
        if vendor == "sqlite"
        else ".".join(str(part) for part in divmod(connection.pg_version, 10000))
    )
    worst: dict[str, dict[str, Any]] = {}
    for row in pages:
        if row["page"] not in worst or row["median"] > worst[row["page"]]["median"]:
            worst[row["page"]] = row
    lines = [
        "| page | slowest organization (its cases) | best | median | queries | ≤ 2 s |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for name, row in worst.items():
        met = "yes" if row["median"] <= GOAL else "**no**"
        lines.append(
            f"| {name} | {row['org']} ({row['cases']:,}) | {row['best']:.3f} s | "
            f"{row['median']:.3f} s | {row['queries']} | {met} |"
        )
    slowest = max(row["median"] for row in pages)
    return f"""## Reports at {cases:,} cases, {database} {version} (`benchmarks/reports.py`)

{_report.machine_summary("django", "fpdf2", "openpyxl")}

The desk: {cases:,} cases of the five seed charters over half a year
(`benchmarks/desk_history.py`), {Event.objects.count():,} events ({added:,} of them
causes, survey invitations and answers, which this script adds once), {Clock.objects.count():,}
clock rows, {Organization.objects.count()} organizations. The report tables built from
them: {ComplianceCount.objects.count():,} compliance rows and
{BreachRecord.objects.count():,} breach rows.

- Full rebuild of every report table (`manage.py rebuild_reports`): **{rebuilt:.1f} s**.
- One month of the largest organization rebuilt again (the worker's refresh of a month
  that changed): **{month:.2f} s**.
- Every page of every organization, rendered by Django's test client (templates
  included), best and median of {RUNS} after a warm-up; the table shows each page's
  slowest organization. **Slowest median: {slowest:.3f} s (goal {GOAL:.0f} s).**

{chr(10).join(lines)}

The review pack lists every breach of its period in the CSV and XLSX (the PDF the
latest 200): the year's spreadsheets of the largest organization hold up to {most:,}
breach rows, which is what takes their time.
"""


if __name__ == "__main__":
    main()
