"""The conduct pages: the case's conduct section (htmx and without JavaScript), the
supervisor's decision, the restrictions due for review; roles and organizations."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from charterdesk.cases.models import Case, Contact, Organization
from charterdesk.cases.services import open_case
from charterdesk.conduct.models import ConductReport, Restriction
from charterdesk.conduct.services import restrict_contact
from tests.seeds import install

from .conftest import NOW


@pytest.fixture(autouse=True)
def desk_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def case(leviatan: Organization) -> Case:
    contact = Contact.objects.create(organization=leviatan, name="Ion", email="ion@example.ro")
    return open_case(
        leviatan, case_type="complaint", channel="web_form", received_at=NOW, now=NOW,
        contact=contact,
    )  # fmt: skip


def url(case: Case, what: str = "") -> str:
    return f"/desk/{case.organization.slug}/conduct/cases/{case.reference}/{what}"


def test_A3_the_case_page_loads_the_conduct_section(client: Client, member, case: Case) -> None:
    client.force_login(member(case.organization, "agent"))
    page = client.get(f"/desk/{case.organization.slug}/cases/{case.reference}/")
    assert page.status_code == 200
    assert url(case).encode() in page.content  # hx-get, and a link without JavaScript
    section = client.get(url(case), headers={"HX-Request": "true"})
    assert section.status_code == 200
    assert b"<html" not in section.content
    assert b'id="conduct"' in section.content
    assert b"conduct-what_happened" in section.content  # an agent records conduct
    assert b"restrict-reason" not in section.content  # but does not decide


def test_A3_an_agent_records_conduct_and_a_viewer_may_not(
    client: Client, member, case: Case
) -> None:
    client.force_login(member(case.organization, "viewer"))
    data = {"conduct-kind": "abusive", "conduct-what_happened": "Shouted at the agent."}
    assert client.post(url(case, "record/"), data).status_code == 403
    client.force_login(member(case.organization, "agent"))
    done = client.post(url(case, "record/"), data)
    assert done.status_code == 302
    assert ConductReport.objects.get(case=case).what_happened == "Shouted at the agent."
    blank = client.post(url(case, "record/"), {"conduct-kind": "abusive"})
    assert blank.status_code == 422


def test_A3_a_supervisor_restricts_from_the_case(client: Client, member, case: Case) -> None:
    client.force_login(member(case.organization, "agent"))
    data = {"restrict-reason": "Threats", "restrict-channels": ["web_form"],
            "restrict-review_on": "2026-09-10"}  # fmt: skip
    assert client.post(url(case, "restrict/"), data).status_code == 403
    client.force_login(member(case.organization, "supervisor"))
    past = client.post(url(case, "restrict/"), {**data, "restrict-review_on": "2026-03-01"})
    assert past.status_code == 422
    assert b"The review date must be after today." in past.content
    done = client.post(url(case, "restrict/"), data, headers={"HX-Request": "true"})
    assert done.status_code == 200
    assert b"restricted" in done.content
    restriction = Restriction.objects.get(contact=case.contact)
    assert restriction.review_on == date(2026, 9, 10)
    lifted = client.post(
        f"/desk/{case.organization.slug}/conduct/{restriction.pk}/lift/",
        {"lift-reason": "Apologised", "case": case.reference},
    )
    assert lifted.status_code == 302
    assert Restriction.objects.get(pk=restriction.pk).lifted_at == NOW


def test_A3_the_restrictions_page_shows_those_due_for_review(
    client: Client, member, case: Case
) -> None:
    supervisor = member(case.organization, "supervisor")
    restriction = restrict_contact(
        case, reason="Threats", channels=["web_form"], review_on=date(2026, 3, 11),
        by=supervisor, now=NOW,
    )  # fmt: skip
    Restriction.objects.filter(pk=restriction.pk).update(review_on=date(2026, 3, 10))
    client.force_login(supervisor)
    page = client.get(f"/desk/{case.organization.slug}/conduct/")
    assert page.status_code == 200
    due = page.content.split(b'id="due-for-review"')[1].split(b'id="in-force"')[0]
    assert b"Threats" in due
    assert b"review-" in due


def test_another_organizations_case_and_restriction_are_404(
    client: Client, member, case: Case
) -> None:
    restriction = restrict_contact(
        case, reason="Threats", channels=["web_form"], review_on=date(2026, 9, 10),
        by=member(case.organization, "supervisor"), now=NOW,
    )  # fmt: skip
    other = install("eurolux")
    client.force_login(member(other, "owner"))
    assert client.get(f"/desk/{other.slug}/conduct/cases/{case.reference}/").status_code == 404
    lift = client.post(f"/desk/{other.slug}/conduct/{restriction.pk}/lift/", {})
    assert lift.status_code == 404
    assert client.get(url(case)).status_code == 404  # not a member of the case's organization


@pytest.mark.parametrize("language", ["en", "pl", "ru", "sr-latn", "ro", "az"])
def test_the_conduct_pages_render_in_every_language(
    client: Client, member, case: Case, language: str
) -> None:
    supervisor = member(case.organization, "supervisor")
    restrict_contact(
        case, reason="Threats", channels=["web_form"], review_on=date(2026, 9, 10),
        by=supervisor, now=NOW,
    )  # fmt: skip
    client.force_login(supervisor)
    client.cookies["django_language"] = language
    for page in (url(case), f"/desk/{case.organization.slug}/conduct/"):
        answer = client.get(page)
        assert answer.status_code == 200
        assert f'lang="{language}"'.encode() in answer.content
