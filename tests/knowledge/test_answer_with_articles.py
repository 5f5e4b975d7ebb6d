"""N4: where the charter allows it, an agent answers with help articles instead of a
personal reply. The customer gets the charter's ``support_pages`` text with the links;
the event ``answered_with_articles`` (data: the articles' short names) meets the clocks
whose ``met_by`` names it, and no others."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from charterdesk.cases.models import (
    Case,
    Clock,
    Contact,
    Event,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.cases.services import open_case
from tests.helpers import utc

from .conftest import NOW, SITE, article

pytestmark = pytest.mark.django_db


def email_case(org: Organization, at: object = None, language: str = "sr-Latn") -> Case:
    contact = Contact.objects.create(
        organization=org, name="Petar Petrović", email="petar@example.rs", language=language
    )
    arrived = utc(2026, 10, 12, 9, 0)  # Mon 12 Oct 2026, 10:00 BST
    return open_case(
        org,
        case_type="membership",
        channel="email",
        received_at=arrived,
        now=arrived,
        subject="Obnova članstva",
        contact=contact,
        language=language,
    )


@pytest.fixture
def pages(anlp: Organization) -> None:
    article(anlp, "renewing-membership", "sr-Latn", "Obnova članstva", "Članstvo se obnavlja…")
    article(anlp, "renewing-membership", "en", "Renewing your membership")
    article(anlp, "practitioner-register", "sr-Latn", "Registar praktičara")
    article(anlp, "draft", "sr-Latn", "Nacrt", published=False)


def act(client: Client, case: Case, data: dict[str, object]) -> object:
    url = f"/desk/{case.organization.slug}/cases/{case.reference}/answer-with-articles/"
    return client.post(url, data)


def test_N4_answering_with_articles_meets_the_email_promise(
    anlp: Organization, pages: None, member: Callable[..., User], client: Client
) -> None:
    case = email_case(anlp)
    email_clock = Clock.objects.get(case=case, commitment="email-answered")
    assert email_clock.state == "running"
    client.force_login(member(anlp, "agent"))
    response = act(
        client,
        case,
        {"answer-with-articles-articles": "renewing-membership\npractitioner-register\n"},
    )
    assert response.status_code == 302
    email_clock.refresh_from_db()
    assert (email_clock.state, email_clock.met_at) == ("met", NOW)
    event = Event.objects.get(case=case, kind="answered_with_articles")
    assert event.data == {"articles": ["renewing-membership", "practitioner-register"]}
    # the customer gets the charter's support_pages text, in the case's language, with links
    sent = Message.objects.get(case=case, direction="out", body__contains="stranicama za podršku")
    assert sent.body.startswith("Odgovor na vaše pitanje nalazi se na našim stranicama za podršku:")
    link = f"{SITE}/o/anlp/help/renewing-membership/?lang=sr-Latn"
    assert f"- Obnova članstva: {link}" in sent.body
    assert f"- Registar praktičara: {SITE}/o/anlp/help/practitioner-register/" in sent.body
    mail = OutboxMessage.objects.get(case=case, kind="mail", payload__body=sent.body)
    assert mail.payload["to"] == ["petar@example.rs"]
    # and the link opens the article
    assert "Obnova članstva" in client.get(link.removeprefix(SITE)).text


def test_N4_an_english_case_gets_the_english_text_and_versions(
    anlp: Organization, pages: None, member: Callable[..., User], client: Client
) -> None:
    case = email_case(anlp, language="en")
    client.force_login(member(anlp, "agent"))
    # a pasted address works as well as a short name
    pasted = f"{SITE}/o/anlp/help/renewing-membership/?lang=sr-Latn"
    assert act(client, case, {"answer-with-articles-articles": pasted}).status_code == 302
    sent = Message.objects.filter(case=case, direction="out").latest("pk")
    assert sent.body.startswith("The answer to your question is on our support pages:")
    assert f"- Renewing your membership: {SITE}/o/anlp/help/renewing-membership/?lang=en" in (
        sent.body
    )


def test_N4_where_met_by_does_not_name_it_the_clock_is_not_met(
    ask4: Organization, member: Callable[..., User], client: Client
) -> None:
    # ASK4's enquiry-reply is met by [replied, resolved, resolved_at_first_contact]: its
    # charter does not count an answer with articles, so the clock keeps running.
    article(ask4, "router-reset", "pl", "Jak zresetować router")
    arrived = utc(2026, 10, 12, 9, 0)
    contact = Contact.objects.create(organization=ask4, email="jan@example.com", language="pl")
    case = open_case(
        ask4,
        case_type="enquiry",
        channel="email",
        received_at=arrived,
        now=arrived,
        contact=contact,
        language="pl",
    )
    client.force_login(member(ask4, "agent"))
    picker = client.get(f"/desk/ask4/cases/{case.reference}/articles/choose/").text
    assert 'id="not-counted"' in picker  # the agent is told before choosing
    assert act(client, case, {"answer-with-articles-articles": "router-reset"}).status_code == 302
    assert Event.objects.filter(case=case, kind="answered_with_articles").exists()
    enquiry = Clock.objects.get(case=case, commitment="enquiry-reply")
    assert (enquiry.state, enquiry.met_at) == ("running", None)
    # ASK4 has no support_pages text: the desk's own words carry the link
    sent = Message.objects.filter(case=case, direction="out").latest("pk")
    assert f"{SITE}/o/ask4/help/router-reset/?lang=pl" in sent.body


def test_N4_the_picker_lists_published_articles_and_sends_the_chosen_ones(
    anlp: Organization, pages: None, member: Callable[..., User], client: Client
) -> None:
    case = email_case(anlp)
    client.force_login(member(anlp, "agent"))
    page = client.get(f"/desk/anlp/cases/{case.reference}/articles/choose/")
    assert page.status_code == 200
    html = page.text
    assert "The charter counts this as an answer for:" in html
    assert "Email answered" in html
    assert 'value="renewing-membership"' in html
    assert 'value="draft"' not in html  # not published
    assert html.index("Obnova članstva") < html.index("Renewing your membership")  # sr first
    form_action = f'action="/desk/anlp/cases/{case.reference}/answer-with-articles/"'
    assert form_action in html
    # the picker's boxes arrive as several values of one field
    chosen = {"answer-with-articles-articles": ["renewing-membership", "practitioner-register"]}
    assert act(client, case, chosen).status_code == 302
    event = Event.objects.get(case=case, kind="answered_with_articles")
    assert event.data["articles"] == ["renewing-membership", "practitioner-register"]


def test_the_case_page_links_to_the_picker_and_offers_the_action(
    anlp: Organization, pages: None, member: Callable[..., User], client: Client
) -> None:
    case = email_case(anlp)
    client.force_login(member(anlp, "agent"))
    html = client.get(f"/desk/anlp/cases/{case.reference}/").text
    assert 'id="action-answer-with-articles"' in html
    assert 'href="articles/choose/"' in html  # relative to the case page
    assert 'id="action-callback"' in html


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("draft", "There is no published article draft."),
        ("no-such-page", "There is no published article no-such-page."),
        ("not a slug!", "is not an article"),
        ("", "This field is required."),
    ],
)
def test_an_unknown_or_unpublished_article_is_refused_and_nothing_recorded(
    anlp: Organization,
    pages: None,
    member: Callable[..., User],
    client: Client,
    value: str,
    words: str,
) -> None:
    case = email_case(anlp)
    before = (Event.objects.count(), Message.objects.count(), OutboxMessage.objects.count())
    client.force_login(member(anlp, "agent"))
    response = act(client, case, {"answer-with-articles-articles": value})
    assert response.status_code == 422
    assert words in response.text
    assert (Event.objects.count(), Message.objects.count(), OutboxMessage.objects.count()) == (
        before
    )


def test_another_organizations_articles_are_not_sent(
    anlp: Organization, eurolux: Organization, member: Callable[..., User], client: Client
) -> None:
    article(eurolux, "delivery-times", "en", "Delivery times")
    case = email_case(anlp, language="en")
    client.force_login(member(anlp, "agent"))
    response = act(client, case, {"answer-with-articles-articles": "delivery-times"})
    assert response.status_code == 422
    assert not Event.objects.filter(kind="answered_with_articles").exists()


def test_a_viewer_may_not_pick_articles(
    anlp: Organization, pages: None, member: Callable[..., User], client: Client
) -> None:
    case = email_case(anlp)
    client.force_login(member(anlp, "viewer"))
    assert client.get(f"/desk/anlp/cases/{case.reference}/articles/choose/").status_code == 403
    assert act(client, case, {"answer-with-articles-articles": "draft"}).status_code == 403
