"""The shape of the guarded console pages (charterdesk.console.view_shapes): the desk, the
object looked up before the role is checked, the refusal, and a posted form's way to the
service and back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import Contact, Membership, Organization
from charterdesk.console.desk import Desk
from charterdesk.console.view_shapes import desk_object_view, desk_view, submit
from charterdesk.privacy import selectors
from tests.seeds import install


@dataclass
class World:
    ours: Organization
    theirs: Organization
    contact: Contact  # ours
    their_contact: Contact


@pytest.fixture
def world(db: None) -> World:
    ours, theirs = install("ask4"), install("leviatan")
    return World(
        ours,
        theirs,
        Contact.objects.create(organization=ours, name="Ours", email="o@example.com"),
        Contact.objects.create(organization=theirs, name="Theirs", email="t@example.com"),
    )


def asked_by(org: Organization, role: str) -> HttpRequest:
    user = User.objects.create_user(f"{org.slug}-{role}", password="x")
    Membership.objects.create(organization=org, user=user, role=role)
    request = RequestFactory().get("/")
    request.user = user
    return request


def refuse(request: HttpRequest, desk: Desk) -> HttpResponse:
    return HttpResponse(f"refused {desk.membership.role}", status=403)


def supervises(desk: Desk) -> bool:
    return desk.membership.role == Membership.Role.SUPERVISOR


seen: list[tuple[Desk, Any]] = []


@desk_object_view(selectors.contact_of, refuse=refuse, allowed=supervises)
def contact_view(request: HttpRequest, desk: Desk, contact: Contact) -> HttpResponse:
    seen.append((desk, contact))
    return HttpResponse(contact.name)


@desk_object_view(selectors.contact_of, refuse=refuse, allowed=supervises)
def service_says_no(request: HttpRequest, desk: Desk, contact: Contact) -> HttpResponse:
    raise NotAllowed("the service's own check")


@desk_view(refuse=refuse)
def any_member(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Its documentation is kept."""
    return HttpResponse(desk.organization.slug)


def test_the_view_gets_the_desk_and_the_object_the_url_names(world: World) -> None:
    seen.clear()
    request = asked_by(world.ours, "supervisor")
    response = contact_view(request, org_slug="ask4", pk=world.contact.pk)
    assert (response.status_code, response.content) == (200, b"Ours")
    [(desk, contact)] = seen
    assert (desk.organization, desk.user, contact) == (world.ours, request.user, world.contact)


def test_a_role_that_may_not_ask_gets_the_refusal_and_the_view_is_not_run(world: World) -> None:
    seen.clear()
    response = contact_view(asked_by(world.ours, "agent"), org_slug="ask4", pk=world.contact.pk)
    assert (response.status_code, response.content) == (403, b"refused agent")
    assert seen == []


def test_another_organizations_object_is_a_404_before_the_role_is_checked(world: World) -> None:
    """An agent, who would be refused, learns nothing of the other organization's contact:
    a 404 as for anyone."""
    for role in ("agent", "supervisor"):
        request = asked_by(world.ours, role)
        with pytest.raises(Http404):
            contact_view(request, org_slug="ask4", pk=world.their_contact.pk)


def test_an_organization_the_user_is_not_in_is_a_404(world: World) -> None:
    request = asked_by(world.ours, "supervisor")
    with pytest.raises(Http404):
        contact_view(request, org_slug="leviatan", pk=world.their_contact.pk)


def test_a_service_that_says_not_allowed_gets_the_same_refusal(world: World) -> None:
    request = asked_by(world.ours, "supervisor")
    response = service_says_no(request, org_slug="ask4", pk=world.contact.pk)
    assert (response.status_code, response.content) == (403, b"refused supervisor")


def test_a_page_of_the_organization_lets_every_member_in_without_allowed(world: World) -> None:
    response = any_member(asked_by(world.ours, "viewer"), org_slug="ask4")
    assert (response.status_code, response.content) == (200, b"ask4")
    assert any_member.__name__ == "any_member"
    assert any_member.__doc__ == "Its documentation is kept."


class ReasonForm(forms.Form):
    reason = forms.CharField()


class Refused(Exception):
    code = "missing-reason"


def shown(form: forms.Form) -> HttpResponse:
    return HttpResponse(" | ".join(str(e) for errors in form.errors.values() for e in errors))


def test_submit_a_valid_form_goes_to_the_service_and_done_gets_its_result() -> None:
    form = ReasonForm({"reason": "a claim"})
    response = submit(
        form,
        lambda data: data["reason"].upper(),
        done=lambda result: HttpResponse(f"done: {result}", status=302),
        again=lambda: shown(form),
    )
    assert (response.status_code, response.content) == (302, b"done: A CLAIM")


def test_submit_an_invalid_form_comes_back_and_the_service_is_not_called() -> None:
    called: list[dict[str, Any]] = []
    form = ReasonForm({"reason": ""})
    with translation.override("en"):  # whatever language an earlier test left active
        response = submit(
            form,
            called.append,
            done=lambda _result: HttpResponse("done"),
            again=lambda: shown(form),
        )
    assert called == []
    assert response.content == b"This field is required."


def test_submit_an_unbound_form_is_shown_without_errors() -> None:
    form = ReasonForm()
    response = submit(
        form, str, done=lambda _result: HttpResponse("done"), again=lambda: shown(form)
    )
    assert response.content == b""


def test_submit_the_services_refusal_is_shown_on_the_form_in_its_words() -> None:
    def refuse_it(data: dict[str, Any]) -> None:
        raise Refused("say why")

    form = ReasonForm({"reason": "a claim"})
    response = submit(
        form,
        refuse_it,
        done=lambda _result: HttpResponse("done"),
        again=lambda: shown(form),
        refused=Refused,
        explain=lambda problem: f"{problem.code}: {problem}",
    )
    assert response.content == b"missing-reason: say why"
    assert form.non_field_errors() == ["missing-reason: say why"]


def test_submit_a_failure_that_is_not_a_refusal_is_not_hidden() -> None:
    def fail(data: dict[str, Any]) -> None:
        raise RuntimeError("the database went away")

    form = ReasonForm({"reason": "a claim"})
    with pytest.raises(RuntimeError):
        submit(
            form,
            fail,
            done=lambda _r: HttpResponse("done"),
            again=lambda: shown(form),
            refused=Refused,
        )
