"""Pages reached without the secret link: the link sent again (``/track/``) and the
survey invitation's page (A4, T23). The same answer whether or not the case exists."""

from __future__ import annotations

from typing import Any

from django.test import Client

from charterdesk.cases import actions
from charterdesk.cases.models import AuditEntry, Case, Event, Organization, OutboxMessage
from charterdesk.portal.services import form_case_types
from charterdesk.reports.surveys import survey_link

from .conftest import NOW, SITE, TRACK_LINK


def test_the_link_is_sent_again_to_the_case_s_address(complaint: Any) -> None:
    case, first_path = complaint
    before = list(OutboxMessage.objects.values_list("pk", flat=True))
    page = Client().get("/track/").content.decode()
    assert 'name="reference"' in page
    assert 'name="email"' in page
    response = Client().post(
        "/track/", {"reference": case.reference.lower(), "email": "JAN@example.com"}
    )
    assert response.status_code == 200
    assert "we have sent the link" in response.content.decode()
    mail = OutboxMessage.objects.exclude(pk__in=before).get()
    assert mail.payload["to"] == ["jan@example.com"]
    assert mail.payload["language"] == "pl"
    assert case.reference in mail.payload["subject"]
    found = TRACK_LINK.search(mail.payload["body"])
    assert found
    assert found.group(1) != first_path
    assert Client().get(found.group(1)).status_code == 200
    assert Client().get(first_path).status_code == 200  # the first link still works
    assert AuditEntry.objects.filter(action="portal_link_sent").count() == 1


def test_the_answer_is_the_same_when_nothing_matches(complaint: Any) -> None:
    case, _ = complaint
    before = OutboxMessage.objects.count()
    right = Client().post("/track/", {"reference": case.reference, "email": "jan@example.com"})
    wrong_address = Client(REMOTE_ADDR="10.0.0.2").post(
        "/track/", {"reference": case.reference, "email": "eve@example.com"}
    )
    no_case = Client(REMOTE_ADDR="10.0.0.3").post(
        "/track/", {"reference": "ASK-2026-999999", "email": "jan@example.com"}
    )
    assert right.status_code == wrong_address.status_code == no_case.status_code == 200
    assert right.content == wrong_address.content == no_case.content
    assert OutboxMessage.objects.count() == before + 1


def test_asking_for_links_is_rate_limited(complaint: Any) -> None:
    case, _ = complaint
    client = Client()
    for _ in range(5):
        client.post("/track/", {"reference": case.reference, "email": "x@example.com"})
    assert (
        client.post("/track/", {"reference": case.reference, "email": "x@example.com"}).status_code
        == 429
    )


def test_the_resend_form_speaks_the_browser_s_language(db: None) -> None:
    page = Client().get("/track/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert '<html lang="pl">' in page
    invalid = Client().post("/track/?lang=ru", {"reference": "", "email": ""}).content.decode()
    assert "Обязательное поле." in invalid


def test_a4_the_survey_invitation_leads_to_the_survey(complaint: Any, agent: Any) -> None:
    case, _ = complaint
    url = survey_link(case)
    assert url == f"{SITE}/o/ask4/survey/{case.reference}/"
    path = url.removeprefix(SITE)
    page = Client().get(path + "?lang=pl").content.decode()
    assert "Jak oceniasz naszą pomoc?" in page
    assert 'name="email"' in page
    answers = {"q_satisfied": "5", "q_clear": "4", "email": "jan@example.com"}
    not_yet = Client().post(path, answers).content.decode()
    assert "We could not record your answers" in not_yet  # not resolved yet
    actions.resolve(
        case, result="Fixed", steps=["Reset the line"], now=NOW, actor=agent(case.organization)
    )
    wrong = Client().post(path, {**answers, "email": "eve@example.com"}).content.decode()
    assert "We could not record your answers" in wrong
    done = Client().post(path, answers).content.decode()
    assert "Thank you for your answers." in done
    rated = Event.objects.get(case=case, kind="rated")
    assert rated.data == {"score": 5, "answers": {"satisfied": 5, "clear": 4}}


def test_a7_ask4_takes_complaints_by_the_web_form(ask4: Organization) -> None:
    """A7: ASK4's phone and email take only enquiries and send complaints to the web form
    (``redirect_to: web_form``); the form they send callers to is there."""
    from charterdesk.portal.links import form_url

    assert "complaint" in form_case_types(ask4)
    assert form_url(ask4, "complaint") == f"{SITE}/o/ask4/contact/complaint/"
    page = Client().get("/o/ask4/contact/?lang=pl").content.decode()
    assert 'href="/o/ask4/contact/complaint/?lang=pl"' in page
    assert Client().get("/o/ask4/contact/complaint/?lang=pl").status_code == 200
    assert not Case.objects.exists()
