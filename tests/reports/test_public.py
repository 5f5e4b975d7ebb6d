"""L14, T23, N11, A4: the public results page and the public charter, in the
organization's languages, from the same YAML the desk enforces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from charterdesk.cases.models import Organization
from charterdesk.cases.services import open_case, record_event
from charterdesk.reports.periods import last_full_quarter, local_midnight
from charterdesk.reports.rebuild import rebuild_reports
from charterdesk.reports.surveys import record_rating
from tests.seeds import charter_text, install

pytestmark = pytest.mark.django_db


def a_case_last_quarter(org: Organization, case_type: str, channel: str, **fields: object):
    now = timezone.now()
    quarter = last_full_quarter(now.date())
    at = local_midnight(quarter.first, org.timezone) + timedelta(days=20, hours=10)
    return open_case(
        org, case_type=case_type, channel=channel, received_at=at, now=at, fields=fields
    ), at


def test_A4_ask4_results_in_polish_with_the_charters_words(ask4) -> None:
    case, at = a_case_last_quarter(ask4, "complaint", "web_form", summary="x")
    record_event(case, "acknowledged", at=at + timedelta(hours=3), now=at + timedelta(hours=3))
    record_event(
        case,
        "resolved",
        at=at + timedelta(days=3),
        now=at + timedelta(days=3),
        data={"result": "ok"},
    )
    record_rating(case, score=4, answers={"satisfied": 5, "clear": 3}, now=at + timedelta(days=4))
    rebuild_reports(timezone.now())

    page = Client().get("/o/ask4/results/", {"lang": "pl"})
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "pl"
    assert '<html lang="pl">' in html
    assert "Otrzymasz wstępną odpowiedź potwierdzającą przyjęcie skargi w ciągu 24 godzin" in html
    assert "Jak oceniasz naszą pomoc?" in html  # the survey question, in Polish
    assert "100%" in html  # A8 kept for the one complaint
    assert "<svg" in html
    assert "<desc id=" in html
    assert "<table" in html
    english = Client().get("/o/ask4/results/", {"lang": "en"}).content.decode()
    assert "You will receive an initial reply confirming receipt" in english
    assert 'hreflang="pl"' in english
    assert 'hreflang="en"' in english


def test_T23_lt_pro_results_and_charter_in_russian(lt_pro) -> None:
    case, at = a_case_last_quarter(lt_pro, "complaint", "email")
    record_event(case, "acknowledged", at=at + timedelta(days=3), now=at + timedelta(days=3))
    rebuild_reports(timezone.now())
    results = Client().get("/o/lt-pro/results/", {"lang": "ru"}).content.decode()
    assert '<html lang="ru">' in results
    assert "Получение жалобы подтверждается нами в течение двух дней" in results
    assert "0%" in results  # T17 was late for the one complaint: not kept

    charter = Client().get("/o/lt-pro/charter/", {"lang": "ru"})
    html = charter.content.decode()
    assert charter.status_code == 200
    assert "Ул. Маяковского д. 1" in html  # T1: contact details
    assert "Роскомнадзор" in html  # an external body
    assert "Если ответ на жалобу Вас не устраивает" in html  # the appeal
    assert "Руководитель центра" in html  # the escalation ladder
    assert "Мы вправе прекратить общение" in html  # conduct


def test_the_charter_page_lists_every_promise_the_desk_enforces(leviatan) -> None:
    from charterdesk.cases.charters import parsed
    from charterdesk.localized import translated

    html = Client().get("/o/leviatan/charter/", {"lang": "ro"}).content.decode()
    for commitment in parsed(leviatan.charter).charter.commitments:
        words = [translated(text, "ro") for text in commitment.texts()] or [
            translated(commitment.title, "ro")
        ]
        for text in words:
            assert text in html, commitment.id


def test_a_page_without_lang_follows_the_visitor_then_the_charter(ask4) -> None:
    assert '<html lang="pl">' in Client().get("/o/ask4/charter/").content.decode()
    html = Client(headers={"accept-language": "en"}).get("/o/ask4/charter/").content.decode()
    assert '<html lang="en">' in html
    unknown = Client().get("/o/ask4/charter/", {"lang": "ru"}).content.decode()
    assert '<html lang="pl">' in unknown  # not one of ASK4's languages


def test_results_page_turned_off_by_the_charter_is_a_404(db) -> None:
    text = charter_text("leviatan") + "\npublication:\n  results_page: false\n"
    install("leviatan", text)
    assert Client().get("/o/leviatan/results/").status_code == 404
    assert Client().get("/o/leviatan/charter/").status_code == 200
    assert Client().get("/o/no-such-org/results/").status_code == 404
    assert Client().get("/o/no-such-org/charter/").status_code == 404
