"""Mailgun's inbound webhook through django-anymail: a signed post becomes a case; an
unsigned, forged or stale one is refused (400) and nothing is written."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from django.apps import apps
from django.test import Client

from charterdesk.cases.models import Case, Message
from tests.seeds import install

from .conftest import customer_mail

pytestmark = pytest.mark.django_db

URL = "/intake/mailgun/inbound_mime/"
SIGNING_KEY = "key-0123456789abcdef"


@pytest.fixture
def mailgun(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    return settings


def signed(raw: bytes, *, key: str = SIGNING_KEY, at: float | None = None) -> dict[str, str]:
    """What Mailgun posts for a route forwarding raw MIME, signed as Mailgun signs."""
    timestamp, token = str(int(at if at is not None else time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "recipient": "contact@leviatan.ro",
        "sender": "ana.popescu@example.ro",
        "timestamp": timestamp,
        "token": token,
        "signature": signature.hexdigest(),
        "body-mime": raw.decode("utf-8"),
    }


def rows_written() -> int:
    """Every row intake could have written: cases, messages, and intake's own tables
    (recorded rejections among them)."""
    intake = sum(model.objects.count() for model in apps.get_app_config("intake").get_models())
    return Case.objects.count() + Message.objects.count() + intake


def test_a_signed_post_becomes_a_case(mailgun):
    org = install("leviatan")
    raw = customer_mail(subject="Contor defect")

    response = Client().post(URL, signed(raw))

    assert response.status_code == 200
    case = Case.objects.get(organization=org)
    assert case.subject == "Contor defect"
    assert bytes(Message.objects.get(case=case, direction="in").raw) == raw


def test_the_same_post_twice_is_one_case(mailgun):
    install("leviatan")
    post = signed(customer_mail())

    assert Client().post(URL, post).status_code == 200
    assert Client().post(URL, post).status_code == 200

    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda post: post.update(signature="0" * 64), id="forged signature"),
        pytest.param(
            lambda post: post.update(signed(b"x", key="someone-elses-key")), id="wrong key"
        ),
        pytest.param(
            lambda post: [post.pop(name) for name in ("signature", "token", "timestamp")],
            id="unsigned",
        ),
        pytest.param(
            lambda post: post.update(signed(b"x", at=time.time() - 3600)), id="stale signature"
        ),
    ],
)
def test_a_post_that_fails_the_check_is_refused_and_writes_nothing(mailgun, tamper):
    install("leviatan")
    before = rows_written()
    post = signed(customer_mail())
    tamper(post)
    post["body-mime"] = customer_mail().decode()

    response = Client().post(URL, post)

    assert response.status_code == 400
    assert rows_written() == before


def test_basic_auth_when_configured(mailgun):
    mailgun.ANYMAIL = {**mailgun.ANYMAIL, "WEBHOOK_SECRET": "mailgun:s3cret"}
    install("leviatan")
    post = signed(customer_mail())

    assert Client().post(URL, post).status_code == 400
    assert Case.objects.count() == 0
    response = Client().post(URL, post, HTTP_AUTHORIZATION="Basic bWFpbGd1bjpzM2NyZXQ=")
    assert response.status_code == 200
    assert Case.objects.count() == 1


def test_not_configured_is_not_there(settings):
    settings.ANYMAIL = {}
    install("leviatan")

    response = Client().post(URL, signed(customer_mail()))

    assert response.status_code == 404
    assert Case.objects.count() == 0
