"""Each action on the case page is a POST that calls one function of
charterdesk.cases.actions: without JavaScript it redirects back to the page; with htmx
it answers with the fresh form and the clocks and timeline swapped in; a refused action
says why next to its form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from charterdesk.cases.models import Case, Clock, Event, Message
from tests.helpers import utc

from .conftest import arrived

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(complaint, member):
    return member(complaint.organization, "agent", "alice")


def post(client: Client, case: Case, name: str, data: dict[str, Any], htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/desk/{case.organization.slug}/cases/{case.reference}/{name}/", data, headers=headers
    )


def kinds(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("pk").values_list("kind", flat=True))


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("reply", {"reply-kind": "replied", "reply-body": "Looking into it"}, "replied"),
        ("reply", {"reply-kind": "update_sent", "reply-body": "Still on it"}, "update_sent"),
        ("request-information", {"request-information-question": "Which bill?"}, "info_requested"),
        ("information-complete", {}, "info_complete"),
        (
            "delay-notice",
            {"delay-notice-reason": "waiting for the bank", "delay-notice-new_date": "2026-09-20"},
            "delay_notice_sent",
        ),
        (
            "resolve",
            {"resolve-result": "Refunded", "resolve-steps": "Checked the bill\nRefunded it\n"},
            "resolved",
        ),
        (
            "resolve",
            {"resolve-result": "Explained", "resolve-steps": "", "resolve-first_contact": "on"},
            "resolved_at_first_contact",
        ),
        ("apologise", {"apologise-remedy": "refund the second charge"}, "remedy_offered"),
        ("classify-cause", {"classify-cause-cause": "billing error"}, "cause_classified"),
        ("note", {"note-text": "Customer is polite"}, "noted"),
    ],
)
def test_an_action_without_javascript_redirects_back(
    client: Client, agent, complaint, name, data, kind
) -> None:
    client.force_login(agent)
    response = post(client, complaint, name, data)
    assert response.status_code == 302
    assert response["Location"] == f"/desk/ask4/cases/{complaint.reference}/"
    assert kinds(complaint)[-1] == kind
    assert Event.objects.filter(case=complaint, kind=kind).get().actor == agent
    page = client.get(response["Location"]).text
    assert 'class="success"' in page  # the message that it worked


def test_resolve_keeps_every_step(client: Client, agent, complaint) -> None:
    client.force_login(agent)
    post(
        client, complaint, "resolve", {"resolve-result": "Refunded", "resolve-steps": "a\n\n b \n"}
    )
    event = Event.objects.get(case=complaint, kind="resolved")
    assert event.data == {"result": "Refunded", "steps": ["a", "b"]}


def test_assign_to_me_to_someone_and_hand_off(
    client: Client, ask4, agent, member, complaint
) -> None:
    bob = member(ask4, "supervisor", "bob")
    client.force_login(agent)
    post(client, complaint, "assign", {"assign-to": str(agent.pk)})
    complaint.refresh_from_db()
    assert complaint.assignee == agent
    post(client, complaint, "assign", {"assign-to": str(bob.pk)})
    complaint.refresh_from_db()
    assert complaint.assignee == bob
    response = post(
        client,
        complaint,
        "hand-off",
        {"hand-off-to": str(agent.pk), "hand-off-new_date": "2026-09-14"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.assignee == agent
    assert Event.objects.get(case=complaint, kind="handed_off").data["new_date"] == "2026-09-14"


def test_a_viewer_is_not_offered_for_assignment(
    client: Client, ask4, agent, member, complaint
) -> None:
    viewer = member(ask4, "viewer", "vic")
    client.force_login(agent)
    response = post(client, complaint, "assign", {"assign-to": str(viewer.pk)})
    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    complaint.refresh_from_db()
    assert complaint.assignee is None


def test_a_progress_update_meets_A9(client: Client, agent, complaint) -> None:
    client.force_login(agent)
    post(client, complaint, "reply", {"reply-kind": "update_sent", "reply-body": "Update"})
    assert Clock.objects.get(case=complaint, commitment="complaint-progress-update").state == "met"
    assert (
        Clock.objects.get(case=complaint, commitment="complaint-formal-response").state == "running"
    )
    assert Message.objects.filter(case=complaint, direction="out", body="Update").exists()


def test_with_htmx_the_clocks_and_timeline_come_back(client: Client, agent, complaint) -> None:
    client.force_login(agent)
    response = post(
        client, complaint, "reply", {"reply-kind": "update_sent", "reply-body": "Update"}, htmx=True
    )
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="action-reply"')
    assert 'class="done"' in html
    for fragment in ("clocks", "timeline", "conversation", "case-header"):
        assert f'id="{fragment}"' in html
    assert html.count('hx-swap-oob="true"') == 4
    assert "Progress update sent" in html  # on the timeline
    assert ">Update</p>" in html  # in the conversation


def test_a_refused_action_says_why_next_to_its_form(client: Client, agent, complaint) -> None:
    client.force_login(agent)
    data = {"delay-notice-reason": "bank", "delay-notice-new_date": "2026-09-01"}
    response = post(client, complaint, "delay-notice", data)
    assert response.status_code == 422
    assert "<html" in response.text
    panel = response.text.split('id="action-delay-notice"')[1].split("</section>")[0]
    assert "The new date must be today or later." in panel
    assert " open>" in panel  # the form is unfolded with what was typed
    assert "bank</textarea>" in panel
    htmx = post(client, complaint, "delay-notice", data, htmx=True)
    assert htmx.status_code == 422
    assert htmx.text.lstrip().startswith('<section id="action-delay-notice"')
    assert "The new date must be today or later." in htmx.text
    assert "delay_notice_sent" not in kinds(complaint)


def test_a_missing_field_is_shown_not_a_stack_trace(client: Client, agent, complaint) -> None:
    client.force_login(agent)
    response = post(client, complaint, "note", {"note-text": "   "})
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert "noted" not in kinds(complaint)


def test_E8_a_resolution_without_its_steps_is_refused(client: Client, member) -> None:
    from tests.seeds import install

    eurolux = install("eurolux")
    case = arrived(eurolux, "complaint", "email", utc(2026, 9, 8, 6), email="gu@example.com")
    client.force_login(member(eurolux, "agent"))
    response = post(client, case, "resolve", {"resolve-result": "Replaced", "resolve-steps": ""})
    assert response.status_code == 422
    assert "every step taken" in response.text
    assert "resolved" not in kinds(case)
