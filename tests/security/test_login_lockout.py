"""Login lockout (django-axes): five wrong passwords for one username from one address lock
that pair out of the staff login for 15 minutes, with a readable page (429)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client

from tests.security.conftest import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client: Client, password: str, *, ip: str = "203.0.113.7") -> object:
    return client.post(LOGIN, {"username": "ana", "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_out_the_sixth_right_one(client: Client, staff: User) -> None:
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200  # the form again, with its error
    assert attempt(client, "wrong").status_code == 429  # the fifth locks out at once
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Too many attempts" in page
    assert "Please try again in 15 minutes." in page
    assert "Traceback" not in page


def test_four_wrong_passwords_do_not_lock_out(client: Client, staff: User) -> None:
    for _ in range(4):
        attempt(client, "wrong")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_successful_login_clears_the_count(client: Client, staff: User) -> None:
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lockout_is_per_username_and_address(client: Client, staff: User) -> None:
    for _ in range(5):
        attempt(client, "wrong", ip="203.0.113.7")
    assert attempt(client, PASSWORD, ip="203.0.113.7").status_code == 429
    # Someone guessing from elsewhere cannot lock the member out of their own desk.
    assert attempt(Client(), PASSWORD, ip="198.51.100.2").status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(client: Client, staff: User) -> None:
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429
    # Sixteen minutes pass (the attempts are moved back rather than the clock forward).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lockout_page_is_in_the_users_language(client: Client, staff: User) -> None:
    for _ in range(6):
        response = client.post(
            LOGIN,
            {"username": "ana", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_ACCEPT_LANGUAGE="pl",
        )
    assert response.status_code == 429
    assert '<html lang="pl"' in response.content.decode()


def test_authenticate_without_a_request_is_refused_not_let_through(staff: User) -> None:
    """Anything that checks a password must pass the request, so that it is counted;
    tests log in with ``force_login``."""
    with pytest.raises(Exception, match="requires a request"):
        authenticate(username="ana", password=PASSWORD)
