"""The privacy pages: supervisors and owners only (agents and viewers 403), another
organization's contact, case or hold a 404; the export is a ZIP download, audited; the
erasure asks for a reason and a confirmation, and shows a hold's message; every view of
a case page is recorded and shown to supervisors."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client

from charterdesk.cases.models import AuditEntry, Message
from charterdesk.privacy.holds import place_hold
from charterdesk.privacy.models import CaseView
from tests.helpers import utc

from .conftest import NOW, tell_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def cy(ask4, member):
    return tell_story(
        ask4,
        member(ask4, "agent", name="teller"),
        name="Cy Rhys",
        email="cy@example.com",
        secret="Sapphire",
        at=utc(2026, 9, 1, 9),
    )


def urls(story) -> dict[str, str]:
    org, pk, ref = story.case.organization.slug, story.contact.pk, story.case.reference
    return {
        "home": f"/desk/{org}/privacy/",
        "contact": f"/desk/{org}/privacy/contacts/{pk}/",
        "case": f"/desk/{org}/privacy/cases/{ref}/",
    }


POSTS = ("export/", "erase/", "hold/")


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_agents_and_viewers_are_refused(client: Client, ask4, member, cy, role, desk_now) -> None:
    client.force_login(member(ask4, role, name=f"u-{role}"))
    for url in urls(cy).values():
        assert client.get(url).status_code == 403, url
    for action in POSTS:
        response = client.post(urls(cy)["contact"] + action, {"reason": "x", "confirm": "on"})
        assert response.status_code == 403, action
    assert Message.objects.filter(case=cy.case, body="My Sapphire problem").exists()


def test_another_organizations_data_is_a_404(
    client: Client, ask4, leviatan, member, cy, desk_now
) -> None:
    client.force_login(member(leviatan, "supervisor", name="lev-boss"))
    for name, url in urls(cy).items():
        assert client.get(url).status_code == 404, url  # not a member of ask4 at all
        if name != "home":  # their own privacy page is theirs; ask4's objects are not
            assert client.get(url.replace("/ask4/", "/leviatan/")).status_code == 404, url
    assert "Cy Rhys" not in client.get("/desk/leviatan/privacy/", {"q": "cy@example.com"}).text
    for action in POSTS:
        url = urls(cy)["contact"].replace("/ask4/", "/leviatan/") + action
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    hold = place_hold(case=cy.case, reason="claim", actor=member(ask4, "owner"), now=NOW)
    release = f"/desk/leviatan/privacy/holds/{hold.pk}/release/"
    assert client.post(release, {"reason": "x"}).status_code == 404


def test_a_supervisor_finds_exports_and_erases(client: Client, ask4, member, cy, desk_now) -> None:
    boss = member(ask4, "supervisor", name="boss")
    client.force_login(boss)
    found = client.get(urls(cy)["home"], {"q": "cy@example.com"})
    assert urls(cy)["contact"] in found.text
    page = client.get(urls(cy)["contact"])
    assert page.status_code == 200
    assert cy.case.reference in page.text

    download = client.post(urls(cy)["contact"] + "export/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="ask4-contact-')
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert "contact.json" in archive.namelist()
    assert AuditEntry.objects.filter(action="privacy:exported", actor=boss).count() == 1

    unconfirmed = client.post(urls(cy)["contact"] + "erase/", {"reason": "request"})
    assert unconfirmed.status_code == 422
    assert "Tick the box" in unconfirmed.text
    erased = client.post(urls(cy)["contact"] + "erase/", {"reason": "request", "confirm": "on"})
    assert erased.status_code == 302
    assert not Message.objects.filter(case=cy.case, body="My Sapphire problem").exists()


def test_a_held_contact_is_not_erased_and_the_page_says_why(
    client: Client, ask4, member, cy, desk_now
) -> None:
    client.force_login(member(ask4, "owner", name="owner"))
    assert (
        client.post(urls(cy)["contact"] + "hold/", {"reason": "court claim 17"}).status_code == 302
    )
    refused = client.post(urls(cy)["contact"] + "erase/", {"reason": "request", "confirm": "on"})
    assert refused.status_code == 422
    assert "A legal hold stands on this contact" in refused.text
    assert "court claim 17" in refused.text
    assert Message.objects.filter(case=cy.case, body="My Sapphire problem").exists()


def test_each_view_of_a_case_page_is_recorded_and_shown_to_supervisors(
    client: Client, ask4, member, cy, desk_now
) -> None:
    agent = member(ask4, "agent", name="reader")
    client.force_login(agent)
    case_url = f"/desk/ask4/cases/{cy.case.reference}/"
    assert client.get(case_url).status_code == 200
    assert client.get(case_url).status_code == 200
    views = list(CaseView.objects.values_list("user__username", "case_id", "kind", "at"))
    assert views == [("reader", cy.case.pk, "page", NOW)] * 2
    assert "who viewed this case" not in client.get(case_url).text  # agents are not shown

    boss = member(ask4, "supervisor", name="boss")
    client.force_login(boss)
    case_page = client.get(case_url)
    assert urls(cy)["case"] in case_page.text  # the link to who viewed it
    listing = client.get(urls(cy)["case"])
    assert listing.status_code == 200
    assert listing.text.count("<td>reader</td>") == 3
    assert "<td>boss</td>" in listing.text
