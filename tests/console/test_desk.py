"""The way in: logging in, choosing an organization, switching language."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from charterdesk.cases.models import Membership

pytestmark = pytest.mark.django_db


def test_log_in_and_land_on_the_only_queue(client: Client, ask4, member) -> None:
    member(ask4, "agent", "alice")
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert 'name="username"' in login.text
    response = client.post("/accounts/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    assert client.get("/desk/")["Location"] == "/desk/ask4/"


def test_a_wrong_password_is_said_plainly(client: Client, ask4, member) -> None:
    member(ask4, "agent", "alice")
    response = client.post("/accounts/login/", {"username": "alice", "password": "no"})
    assert response.status_code == 200
    assert "did not match" in response.text


def test_log_out(client: Client, ask4, member) -> None:
    client.force_login(member(ask4, "agent"))
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/desk/").status_code == 302


def test_several_organizations_choose_and_switch(client: Client, ask4, leviatan, member) -> None:
    user = member(ask4, "agent", "alice")
    Membership.objects.create(organization=leviatan, user=user, role="supervisor")
    client.force_login(user)
    chooser = client.get("/desk/")
    assert chooser.status_code == 200
    assert 'href="/desk/ask4/"' in chooser.text
    assert 'href="/desk/leviatan/"' in chooser.text
    assert "Supervisor" in chooser.text
    queue = client.get("/desk/ask4/").text
    assert 'class="menu switcher"' in queue
    assert 'href="/desk/leviatan/"' in queue


def test_one_organization_has_no_switcher(client: Client, ask4, member) -> None:
    client.force_login(member(ask4, "agent"))
    assert 'class="menu switcher"' not in client.get("/desk/ask4/").text


def test_nobody_s_member_is_told_so(client: Client, db: None) -> None:
    client.force_login(User.objects.create_user("lost", password="x"))
    response = client.get("/desk/")
    assert response.status_code == 200
    assert "not a member of any organization" in response.text


@pytest.mark.parametrize("language", ["en", "pl", "ru", "sr-latn", "ro", "az"])
def test_the_language_switcher_offers_every_language(
    client: Client, ask4, member, language
) -> None:
    client.force_login(member(ask4, "agent"))
    html = client.get("/desk/ask4/").text
    assert f'<option value="{language}"' in html
    response = client.post("/i18n/setlang/", {"language": language, "next": "/desk/ask4/"})
    assert response.status_code == 302
    assert response["Location"] == "/desk/ask4/"
    assert f'<html lang="{language}"' in client.get("/desk/ask4/").text
