"""In a real browser: the public results and charter pages in two languages (Polish for
ASK4, Russian for LT-Pro), and the supervisor's dashboard and reports. Screenshots are
kept in test-results/ as test artifacts."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from charterdesk.cases import actions
from charterdesk.cases.models import Contact, Membership, Organization
from charterdesk.cases.services import open_case, record_event
from charterdesk.reports.rebuild import rebuild_reports
from charterdesk.reports.surveys import record_rating
from tests.seeds import install

# pytest-playwright runs an event loop in the test thread; the ORM calls made to set up
# data are synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
ARTIFACTS = Path(
    os.environ.get("CHARTERDESK_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-results")
)
pytestmark = pytest.mark.django_db(transaction=True)

STEPS = {
    "ask4": [("complaint", "web_form", ["acknowledged", "update_sent", "formal_response_sent"])],
    "lt-pro": [("complaint", "email", ["acknowledged", "update_sent", "resolved"])],
}


def busy_desk(org: Organization, agent: User, rng: random.Random) -> None:
    """Fifteen months of cases, each step on time or late, some never; causes, ratings."""
    now = timezone.now()
    for n in range(70):
        at = now - timedelta(days=rng.uniform(3, 450))
        kind, channel, steps = STEPS[org.slug][0]
        if n % 3 == 0:
            kind, channel, steps = "enquiry", "email", ["replied"]
        contact = Contact.objects.create(organization=org, email=f"c{n}@example.com")
        case = open_case(
            org, case_type=kind, channel=channel, received_at=at, now=at, contact=contact,
            fields={"summary": "x"}, acknowledge_now=False,
        )  # fmt: skip
        actions.assign(case, to=agent, now=at, actor=None)
        t = at
        for step in steps:
            t += timedelta(hours=rng.uniform(2, 90))
            if t > now or rng.random() < 0.15:
                break
            data = {"result": "done"} if step == "resolved" else {}
            record_event(case, step, at=t, now=t, data=data)
        else:
            t += timedelta(hours=3)
            if t < now:
                record_event(case, "resolved", at=t, now=t, data={"result": "done"})
                cause = rng.choice(["billing error", "network outage", "slow reply"])
                record_event(case, "cause_classified", at=t, now=t, data={"cause": cause})
                answers = {"satisfied": rng.randint(3, 5)}
                record_rating(case, score=rng.randint(2, 5), answers=answers, now=t)


@pytest.fixture
def published(db) -> dict[str, Organization]:
    rng = random.Random(4)
    orgs = {}
    for name in ("ask4", "lt-pro"):
        org = install(name)
        agent = User.objects.create_user(f"{name}-agent", first_name="Ana", last_name="Nowak")
        Membership.objects.create(organization=org, user=agent, role="agent")
        busy_desk(org, agent, rng)
        orgs[name] = org
    rebuild_reports(timezone.now())
    return orgs


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reports-{name}.png"), full_page=True)


def test_L14_public_results_and_charter_in_polish_and_russian(live_server, published, page) -> None:
    page.goto(f"{live_server.url}/o/ask4/results/?lang=pl")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.get_by_role("heading", name="w ciągu 24 godzin od nadejścia e-maila").is_visible()
    assert page.locator("svg[role=img] desc").count() >= 4
    shot(page, "results-ask4-pl")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="within 24 hours of your email or letter").is_visible()

    page.goto(f"{live_server.url}/o/lt-pro/results/?lang=ru")
    assert page.get_by_role("heading", name="Получение жалобы подтверждается нами").is_visible()
    shot(page, "results-lt-pro-ru")
    page.goto(f"{live_server.url}/o/lt-pro/charter/?lang=ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_text("Роскомнадзор").is_visible()
    shot(page, "charter-lt-pro-ru")
    page.goto(f"{live_server.url}/o/ask4/charter/?lang=pl")
    assert page.get_by_text("Rzecznik ds. Komunikacji", exact=False).first.is_visible()
    shot(page, "charter-ask4-pl")


def test_supervisor_sees_dashboard_and_reports(live_server, published, page) -> None:
    boss = User.objects.create_user("kasia", first_name="Kasia", last_name="Kowalska")
    Membership.objects.create(organization=published["ask4"], user=boss, role="supervisor")
    client = Client()
    client.force_login(boss)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/desk/ask4/dashboard/")
    assert page.get_by_role("heading", name="Workload per agent").is_visible()
    shot(page, "dashboard-ask4")
    page.goto(f"{live_server.url}/desk/ask4/reports/?period={timezone.now().year}")
    assert page.get_by_role("heading", name="Promises kept").is_visible()
    assert page.get_by_role("link", name="XLSX").is_visible()
    shot(page, "reports-ask4")
