"""Issue 4's browser tests: an agent replies to the most urgent case and sees its clock
met; the interface switches to Russian."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Page, expect

from charterdesk.cases.models import Case, Clock, Contact, Membership, Organization
from charterdesk.cases.services import open_case
from tests.seeds import install

DOCS_SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


@pytest.fixture
def leviatan(transactional_db: None) -> Organization:
    org = install("leviatan")
    agent = User.objects.create_user("ana", password="demo-pass", first_name="Ana", last_name="Pop")
    Membership.objects.create(organization=org, user=agent, role="agent")
    now = timezone.now()
    for minutes, name in ((10, "Ioana Marin"), (50, "Mihai Stan"), (30, "Elena Dobre")):
        contact = Contact.objects.create(
            organization=org, name=name, email=f"{name.split()[0].lower()}@example.ro"
        )
        open_case(
            org,
            case_type="enquiry",
            channel="email",
            received_at=now - timedelta(minutes=minutes),
            now=now,
            subject=f"Întrebare de la {name}",
            contact=contact,
            language="ro",
        )
    return org


def log_in(page: Page, base_url: str, username: str = "ana") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo-pass")
    page.get_by_role("button", name="Log in").click()


def test_agent_replies_to_the_most_urgent_case_and_sees_that_clock_met(
    page: Page, live_server, leviatan: Organization, screenshot_dir: Path
) -> None:
    most_urgent = Case.objects.order_by(F("next_due_at").asc(nulls_last=True), "received_at")[0]
    log_in(page, live_server.url)
    expect(page).to_have_url(re.compile(r"/desk/leviatan/$"))
    first_row = page.locator("table.queue tbody tr").first
    expect(first_row.locator("td.ref a")).to_have_text(most_urgent.reference)
    page.screenshot(path=str(screenshot_dir / "console-queue.png"), full_page=True)
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(DOCS_SCREENSHOTS / "console-queue.png"))

    first_row.locator("td.ref a").click()
    expect(page.locator("h1")).to_contain_text(most_urgent.reference)
    answered = page.locator("#clocks li.clock", has_text="Email answered in full")
    expect(answered).to_have_class(re.compile(r"state-running"))

    reply = page.locator("#id_reply-body")
    if not reply.is_visible():  # the reply form may start folded
        page.locator("#action-reply summary").click()
    reply.fill("Bună ziua, iată răspunsul complet la întrebarea dvs.")
    page.locator("#action-reply button.primary").click()

    expect(answered).to_have_class(re.compile(r"state-met"))
    expect(page.locator("#conversation, .conversation").first).to_contain_text("iată răspunsul")
    page.screenshot(path=str(screenshot_dir / "console-case-replied.png"), full_page=True)
    assert Clock.objects.get(case=most_urgent, commitment="email-answered").state == "met"


def test_the_interface_switches_to_russian(
    page: Page, live_server, leviatan: Organization, screenshot_dir: Path
) -> None:
    log_in(page, live_server.url)
    expect(page.locator("table.queue")).to_be_visible()
    with page.expect_navigation():
        page.select_option("#language-choice", "ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("link", name="Очередь")).to_be_visible()
    expect(page.locator("table.queue thead")).to_contain_text("Срок")
    page.screenshot(path=str(screenshot_dir / "console-queue-ru.png"), full_page=True)


def test_A7_a_phone_complaint_at_ask4_prompts_the_agent_to_send_the_form(
    page: Page, live_server, screenshot_dir: Path
) -> None:
    ask4 = install("ask4")
    agent = User.objects.create_user("jan", password="demo-pass")
    Membership.objects.create(organization=ask4, user=agent, role="agent")
    log_in(page, live_server.url, "jan")
    page.goto(f"{live_server.url}/desk/ask4/new/phone/?type=complaint")
    offer = page.locator("#redirect-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("/o/ask4/contact/complaint/")  # the form's link, to send
    page.get_by_label("Name").first.fill("Ola Nowak")
    page.get_by_label("Email").first.fill("ola@example.pl")
    page.locator("button[name=send_redirect]").click()
    expect(page.locator("h1")).to_contain_text("ASK-")
    case = Case.objects.get(organization=ask4)
    assert (case.case_type, case.channel) == ("enquiry", "phone")  # A7: not a complaint
    page.screenshot(path=str(screenshot_dir / "console-ask4-phone-complaint.png"), full_page=True)
