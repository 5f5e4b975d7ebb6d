"""Who may see and do what: another organization's queue, cases and actions do not
exist (404), a viewer may look but not act (403), and nobody gets in without logging in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from charterdesk.cases.models import Event
from charterdesk.console.case_actions import ACTIONS
from tests.helpers import utc

from .conftest import arrived

pytestmark = pytest.mark.django_db


def action_url(org_slug: str, reference: str, name: str) -> str:
    return reverse(
        "console:case-action", kwargs={"org_slug": org_slug, "reference": reference, "name": name}
    )


@pytest.fixture
def other_case(leviatan):
    return arrived(leviatan, "complaint", "email", utc(2026, 9, 8, 9), email="x@example.com")


def test_a_stranger_is_sent_to_log_in(client: Client, ask4, other_case) -> None:
    urls = [
        reverse("console:desk"),
        reverse("console:queue", kwargs={"org_slug": "leviatan"}),
        reverse("console:case", kwargs={"org_slug": "leviatan", "reference": other_case.reference}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    response = client.post(action_url("leviatan", other_case.reference, "note"), {"note-text": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_root_leads_to_the_desk(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/desk/"


def test_another_organizations_queue_and_case_are_404(
    client: Client, ask4, leviatan, member, other_case
) -> None:
    client.force_login(member(ask4, "owner"))
    assert client.get("/desk/leviatan/").status_code == 404
    assert client.get(f"/desk/leviatan/cases/{other_case.reference}/").status_code == 404
    # nor under one's own organization's address
    assert client.get(f"/desk/ask4/cases/{other_case.reference}/").status_code == 404
    assert client.get("/desk/no-such-org/").status_code == 404


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_action_on_another_organizations_case_is_404(
    client: Client, ask4, leviatan, member, other_case, name: str
) -> None:
    client.force_login(member(ask4, "owner"))
    before = Event.objects.count()
    for org_slug in ("leviatan", "ask4"):
        response = client.post(action_url(org_slug, other_case.reference, name), {})
        assert response.status_code == 404
    assert Event.objects.count() == before


@pytest.mark.parametrize("name", list(ACTIONS))
def test_a_viewer_gets_403_on_every_action(
    client: Client, leviatan, member, other_case, name
) -> None:
    client.force_login(member(leviatan, "viewer"))
    before = Event.objects.count()
    response = client.post(action_url("leviatan", other_case.reference, name), {})
    assert response.status_code == 403
    assert Event.objects.count() == before
    htmx = client.post(
        action_url("leviatan", other_case.reference, name), {}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 403


def test_a_viewer_sees_the_case_but_no_action_forms(
    client: Client, leviatan, member, other_case
) -> None:
    client.force_login(member(leviatan, "viewer"))
    response = client.get(f"/desk/leviatan/cases/{other_case.reference}/")
    assert response.status_code == 200
    assert other_case.reference in response.text
    assert 'method="post" action="/desk/leviatan/cases/' not in response.text
    assert 'id="action-reply"' not in response.text


def test_an_unknown_action_is_404_and_reading_an_action_is_405(
    client: Client, leviatan, member, other_case
) -> None:
    client.force_login(member(leviatan, "agent"))
    assert (
        client.post(action_url("leviatan", other_case.reference, "explode"), {}).status_code == 404
    )
    assert client.get(action_url("leviatan", other_case.reference, "note")).status_code == 405
