"""The customer's side in a real browser (Debian's chromium): a complaint from the web
form, to the acknowledgement mail, to the tracking page, to an appeal; in Polish on a
phone-sized screen (ASK4), in Romanian (Leviatan) and in Russian (Eurolux), without
JavaScript needed anywhere. Screenshots go to test-results/; the portal's, for the
README, to docs/screenshots/portal.png."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from charterdesk.cases import actions
from charterdesk.cases.models import Case, Event, Membership, Organization, OutboxMessage
from tests.seeds import install

CHARTERS = Path(__file__).parents[2] / "charters"
README_SHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1100, "height": 900}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

pytestmark = pytest.mark.django_db(transaction=True)


def staff(org: Organization, first: str, last: str) -> User:
    user = User.objects.create_user(f"{org.slug}-staff", first_name=first, last_name=last)
    Membership.objects.create(organization=org, user=user, role="agent")
    return user


@pytest.fixture
def site(live_server: Any, settings: Any) -> str:
    settings.CHARTERDESK_SITE_URL = live_server.url  # the links in mails lead here
    return str(live_server.url)


def acknowledgement_link(case: Case, site: str) -> str:
    """The tracking link, read from the acknowledgement mail in the outbox."""
    mail = OutboxMessage.objects.filter(case=case, kind="mail").order_by("pk").first()
    assert mail is not None, "no acknowledgement mail queued"
    found = re.search(re.escape(site) + r"/track/[A-Za-z0-9_-]{43}/", mail.payload["body"])
    assert found, mail.payload["body"]
    return found.group(0)


def fits_the_screen(page: Page) -> None:
    """Nothing wider than the viewport: no sideways scrolling on a phone."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def walk_to_appeal(
    page: Page,
    site: str,
    org: Organization,
    *,
    language: str,
    fill: Callable[[Page], None],
    shots: Path,
    name: str,
    appeal_words: str,
) -> Case:
    referers: list[str] = []
    page.on("request", lambda request: referers.append(request.headers.get("referer", "")))
    page.goto(f"{site}/o/{org.slug}/contact/?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("a[data-case-type=complaint]").click()
    expect(page.locator("form input[name=email]")).to_be_visible()
    fits_the_screen(page)
    fill(page)
    page.screenshot(path=str(shots / f"portal-{name}-form.png"), full_page=True)
    page.locator("form button[type=submit]").click()

    case = Case.objects.get(organization=org)
    assert (case.channel, case.case_type, case.language) == ("web_form", "complaint", language)
    expect(page.locator(".reference").first).to_contain_text(case.reference)
    fits_the_screen(page)
    page.screenshot(path=str(shots / f"portal-{name}-thanks.png"), full_page=True)

    link = acknowledgement_link(case, site)
    page.goto(link)
    expect(page.locator("#case-status")).to_be_visible()
    expect(page.locator("[data-commitment]").first).to_be_visible()
    fits_the_screen(page)
    page.screenshot(path=str(shots / f"portal-{name}-tracking.png"), full_page=True)

    agent = staff(org, "Anna", "Nowak")
    now = timezone.now()
    actions.reply(case, body="…", now=now, actor=agent, kind="update_sent")
    actions.resolve(
        case, result="Router replaced", steps=["Line tested", "Engineer sent"], now=now, actor=agent
    )
    page.goto(link)
    expect(page.locator("#appeal")).to_contain_text(appeal_words)
    page.locator("#appeal textarea[name=reason]").fill("The router still drops the line.")
    page.locator("#appeal button[type=submit]").click()
    expect(page.locator(".notice.done")).to_be_visible()
    expect(page.locator("[data-kind=appealed]")).to_be_visible()
    fits_the_screen(page)
    page.screenshot(path=str(shots / f"portal-{name}-appealed.png"), full_page=True)
    assert Event.objects.filter(case=case, kind="appealed").count() == 1
    assert referers
    assert not [r for r in referers if "/track/" in r]
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    return case


def fill_ask4(page: Page) -> None:
    page.fill("input[name=name]", "Jan Nowak")
    page.fill("input[name=email]", "jan@example.com")
    page.fill("textarea[name=field_summary]", "Internet nie działa od tygodnia")
    page.fill("input[name=field_case_references]", "ASK-2026-000001")
    page.fill("input[name=field_staff_names]", "Tom, dział pomocy")
    page.fill("input[name=field_dates_and_times]", "1.09.2026 10:00")
    page.fill("input[name=field_phone_numbers]", "+44 114 496 0001")
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "router.png", "mimeType": "image/png", "buffer": PNG}],
    )


def test_an_ask4_complaint_in_polish_on_a_phone(
    page: Page, site: str, screenshot_dir: Path
) -> None:
    ask4 = install("ask4")
    page.set_viewport_size(PHONE)
    case = walk_to_appeal(
        page,
        site,
        ask4,
        language="pl",
        fill=fill_ask4,
        shots=screenshot_dir,
        name="ask4-pl-phone",
        appeal_words="masz prawo do eskalacji sprawy",
    )
    assert case.fields["summary"] == "Internet nie działa od tygodnia"
    assert case.messages.filter(direction="in").get().attachments.count() == 1
    # the README's picture: the same page, wider, in English
    page.set_viewport_size(DESKTOP)
    page.goto(page.url.split("?")[0] + "?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(README_SHOTS / "portal.png"), full_page=True)


def test_a_leviatan_complaint_in_romanian(page: Page, site: str, screenshot_dir: Path) -> None:
    leviatan = install("leviatan")
    page.set_viewport_size(DESKTOP)

    def fill(page: Page) -> None:
        page.fill("input[name=name]", "Ioana Popescu")
        page.fill("input[name=email]", "ioana@example.ro")
        page.fill("input[name=subject]", "Factură greșită")
        page.fill("textarea[name=message]", "Am primit o factură dublă pentru luna august.")

    walk_to_appeal(
        page,
        site,
        leviatan,
        language="ro",
        fill=fill,
        shots=screenshot_dir,
        name="leviatan-ro",
        appeal_words="directorul general",
    )


def test_a_eurolux_complaint_in_russian_on_a_phone(
    page: Page, site: str, screenshot_dir: Path
) -> None:
    eurolux = install("eurolux")
    page.set_viewport_size(PHONE)

    def fill(page: Page) -> None:  # E2: full name, phone, employee, nature
        page.fill("input[name=field_full_name]", "Айсель Мамедова")
        page.fill("input[name=field_phone]", "+994 12 404 00 00")
        page.fill("input[name=field_employee]", "Рауф")
        page.fill("textarea[name=field_nature]", "Холодильник доставили с вмятиной.")
        page.fill("input[name=email]", "aysel@example.az")

    case = walk_to_appeal(
        page,
        site,
        eurolux,
        language="ru",
        fill=fill,
        shots=screenshot_dir,
        name="eurolux-ru-phone",
        appeal_words="попросить пересмотреть",
    )
    assert case.fields["employee"] == "Рауф"


def test_the_form_refuses_in_the_page_language_without_javascript(
    browser: Any, site: str, screenshot_dir: Path
) -> None:
    install("ask4")
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/o/ask4/contact/complaint/?lang=pl")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".errorlist").first).to_contain_text("To pole jest wymagane.")
    fits_the_screen(page)
    page.screenshot(path=str(screenshot_dir / "portal-ask4-pl-refused.png"), full_page=True)
    assert not Case.objects.exists()
    context.close()


def test_a7_the_ask4_phone_complaint_path_leads_to_the_form(page: Page, site: str) -> None:
    """A7: ASK4's phone line logs only enquiries and sends complainants to the web form
    (the staff console's prompt is tested with the console); the form is there for them."""
    ask4 = install("ask4")
    from charterdesk.portal.links import form_url

    url = form_url(ask4, "complaint")
    assert url == f"{site}/o/ask4/contact/complaint/"
    page.goto(url + "?lang=pl")
    expect(page.locator("h1")).to_have_text("Skarga")
    expect(page.locator("textarea[name=field_summary]")).to_be_visible()
