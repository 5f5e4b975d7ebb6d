"""Fixtures of the channel tests: organizations from the seed charters, staff, a desk
clock fixed in time (views read ``timezone.now()``; tests never wait for a clock), and
a webhook client that signs what it sends and checks every answer against
docs/api/channels.openapi.yaml."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from ruamel.yaml import YAML

from charterdesk.channels import payloads
from charterdesk.channels.signatures import sign
from tests.helpers import DeskClock, hold_clock, utc

ROOT = Path(__file__).parents[2]
CHARTERS = ROOT / "charters"
OPENAPI = ROOT / "docs" / "api" / "channels.openapi.yaml"
EVENTS_PATH = "/api/channels/{org}/{channel}/events"
SITE = "https://desk.example.org"
SECRET = "test-secret-not-for-production"


#: Wed 9 Sep 2026, 10:00 in London (BST), 12:00 in Moscow, 13:00 in Baku.
NOW = utc(2026, 9, 9, 9, 0)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> DeskClock:
    settings.CHARTERDESK_SITE_URL = SITE
    settings.CHARTERDESK_CHANNEL_SECRETS = dict.fromkeys(
        (
            "EUROLUX_CHAT",
            "EUROLUX_SOCIAL",
            "EUROLUX_PHONE",
            "EUROLUX_EMAIL",
            "LT_PRO_VOICEMAIL",
            "LT_PRO_PHONE",
            "ANLP_VOICEMAIL",
            "ANLP_PHONE",
            "ASK4_PHONE",
        ),
        SECRET,
    )
    return hold_clock(monkeypatch, NOW)


@pytest.fixture
def member(member: Callable[..., User]) -> Callable[..., User]:
    """Staff here have a full name (a reply shows it as its author)."""
    return partial(member, first_name="Ada", last_name="Lovel")


# -- The webhook, held to its OpenAPI document ----------------------------------------


@cache
def openapi() -> dict[str, Any]:
    document: dict[str, Any] = YAML(typ="safe").load(OPENAPI.read_text(encoding="utf-8"))
    return document


def documented_response(status: int) -> str:
    """The schema the OpenAPI document gives for an answer with ``status``."""
    responses = openapi()["paths"][EVENTS_PATH]["post"]["responses"]
    assert str(status) in responses, f"{status} is not documented"
    ref: str = responses[str(status)]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[1]


def check_answer(status: int, body: bytes) -> dict[str, Any]:
    """The answer's JSON, validated against the documented schema for its status."""
    data: dict[str, Any] = json.loads(body)
    payloads.RESPONSES[documented_response(status)].validate_python(data)
    return data


class Webhook:
    """Signs and posts events as a provider would; every answer must match the document."""

    def __init__(self, client: Client, clock: DeskClock) -> None:
        self.client, self.clock = client, clock

    def post(
        self,
        org: str,
        channel: str,
        body: bytes | dict[str, Any],
        *,
        secret: str = SECRET,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        if isinstance(body, dict):
            payloads.EVENT.validate_python(body)  # what tests send well is a valid event
            raw = json.dumps(body).encode()
        else:
            raw = body
        stamp = str(int(self.clock.now.timestamp()) if timestamp is None else timestamp)
        response = self.client.post(
            EVENTS_PATH.format(org=org, channel=channel),
            raw,
            content_type="application/json",
            headers={
                "X-Charterdesk-Timestamp": stamp,
                "X-Charterdesk-Signature": sign(secret, stamp, raw)
                if signature is None
                else signature,
            },
        )
        return response.status_code, check_answer(response.status_code, response.content)


@pytest.fixture
def webhook(client: Client, clock: DeskClock) -> Webhook:
    return Webhook(client, clock)


def message(
    event_id: str,
    conversation: str,
    text: str,
    sent_at: datetime,
    **sender: str,
) -> dict[str, Any]:
    return {
        "type": "message",
        "id": event_id,
        "conversation_id": conversation,
        "from": sender or {"name": "Aysel Məmmədova", "email": "aysel@example.az"},
        "text": text,
        "sent_at": sent_at.isoformat(),
    }


def voicemail(event_id: str, left_at: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "type": "voicemail",
        "id": event_id,
        "caller": {"name": "Olga Petrova", "phone": "+7 812 555 01 02"},
        "left_at": left_at.isoformat(),
        "recording_url": f"https://pbx.example.ru/{event_id}.mp3",
        "transcript": "Please call me back about the exam registration.",
        **extra,
    }
