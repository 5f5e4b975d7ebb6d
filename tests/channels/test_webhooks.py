"""POST /api/channels/<org>/<channel>/events: signed events from telephony, chat and
social providers open and continue cases; each event is taken once; every refusal is a
JSON error and writes nothing. Every answer is checked against the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from charterdesk.cases.clock_index import evaluated, events_of
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Clock,
    Contact,
    Event,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.cases.services import record_event
from charterdesk.channels.models import ChannelConversation, ChannelEvent
from charterdesk.channels.signatures import sign
from tests.helpers import DeskClock, utc

from .conftest import NOW, SECRET, Webhook, message, voicemail

pytestmark = pytest.mark.django_db

MODELS = (
    Case,
    Contact,
    Message,
    Event,
    Clock,
    OutboxMessage,
    AuditEntry,
    ChannelEvent,
    ChannelConversation,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def chat(event_id: str = "evt-1", conversation: str = "conv-1", text: str = "") -> dict[str, Any]:
    return message(
        event_id,
        conversation,
        text or "Sifarişim hələ çatdırılmayıb. Nə vaxt gələcək?",
        utc(2026, 9, 9, 8, 58),
    )


# -- Chat and social ----------------------------------------------------------------


def test_a_chat_message_opens_a_case_for_a_new_conversation(
    eurolux: Organization, webhook: Webhook
) -> None:
    status, answer = webhook.post("eurolux", "chat", chat())
    assert status == 201
    assert answer["outcome"] == "opened"
    assert answer["event"] == "evt-1"
    case = Case.objects.get(reference=answer["case"])
    assert (case.organization, case.channel, case.case_type) == (eurolux, "chat", "enquiry")
    assert case.received_at == utc(2026, 9, 9, 8, 58)  # when it was sent, not when it came
    assert case.language == "az"  # guessed from the text among Eurolux's languages
    assert case.contact is not None
    assert (case.contact.name, case.contact.email) == ("Aysel Məmmədova", "aysel@example.az")
    [first] = Message.objects.filter(case=case)
    assert first.direction == "in"
    assert first.body.startswith("Sifarişim")
    conversation = ChannelConversation.objects.get(external_id="conv-1")
    assert (conversation.case, conversation.channel) == (case, "chat")
    # Eurolux's enquiry clock runs from the message (2 working days)
    assert Clock.objects.get(case=case, commitment="enquiry-answered").state == "running"


def test_the_next_message_of_the_conversation_continues_its_case(
    eurolux: Organization, webhook: Webhook, clock: DeskClock
) -> None:
    _, first = webhook.post("eurolux", "chat", chat())
    clock.now = utc(2026, 9, 9, 9, 30)
    later = message("evt-2", "conv-1", "Sifariş nömrəsi 5521.", utc(2026, 9, 9, 9, 29))
    status, answer = webhook.post("eurolux", "chat", later)
    assert (status, answer["outcome"], answer["case"]) == (200, "continued", first["case"])
    case = Case.objects.get(reference=first["case"])
    bodies = list(Message.objects.filter(case=case).order_by("at").values_list("body", flat=True))
    assert bodies[-1] == "Sifariş nömrəsi 5521."
    assert Event.objects.filter(case=case, kind="customer_replied").count() == 1
    assert Case.objects.count() == 1


def test_a_social_message_may_name_its_case_type_and_language(
    eurolux: Organization, webhook: Webhook
) -> None:
    event = message(
        "fb-1", "thread-9", "Хочу подать жалобу.", utc(2026, 9, 9, 8), handle="@ivanov.p"
    )
    event |= {"case_type": "complaint", "language": "ru"}
    status, answer = webhook.post("eurolux", "social", event)
    assert status == 201
    case = Case.objects.get(reference=answer["case"])
    assert (case.case_type, case.language, case.channel) == ("complaint", "ru", "social")
    assert case.contact is not None
    assert case.contact.name == "@ivanov.p"
    assert ChannelConversation.objects.get(external_id="thread-9").handle == "@ivanov.p"


def test_a_closed_cases_conversation_starts_a_new_case(
    eurolux: Organization, webhook: Webhook, clock: DeskClock
) -> None:
    _, first = webhook.post("eurolux", "chat", chat())
    record_event(Case.objects.get(reference=first["case"]), "closed", at=NOW, now=NOW)
    clock.now = utc(2026, 9, 10, 9)
    status, answer = webhook.post(
        "eurolux", "chat", message("evt-9", "conv-1", "Yenə mən.", utc(2026, 9, 10, 9))
    )
    assert (status, answer["outcome"]) == (201, "opened")
    assert answer["case"] != first["case"]
    assert ChannelConversation.objects.get(external_id="conv-1").case.reference == answer["case"]


# -- Delivered twice: the same case, nothing written -------------------------------------


def test_an_event_delivered_twice_is_taken_once(eurolux: Organization, webhook: Webhook) -> None:
    _, first = webhook.post("eurolux", "chat", chat())
    before = counts()
    status, again = webhook.post("eurolux", "chat", chat())
    assert (status, again["outcome"], again["case"]) == (200, "duplicate", first["case"])
    assert counts() == before


def test_a_continuing_event_delivered_twice_is_taken_once(
    eurolux: Organization, webhook: Webhook
) -> None:
    webhook.post("eurolux", "chat", chat())
    webhook.post("eurolux", "chat", chat("evt-2", text="Sifariş nömrəsi 5521."))
    before = counts()
    status, again = webhook.post("eurolux", "chat", chat("evt-2", text="Sifariş nömrəsi 5521."))
    assert (status, again["outcome"]) == (200, "duplicate")
    assert counts() == before


# -- Refusals: a JSON error, nothing written ---------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"secret": "another-secret"}, "bad-signature"),
        ({"signature": "sha256=" + "0" * 64}, "bad-signature"),
        ({"signature": ""}, "bad-signature"),
        ({"timestamp": int(NOW.timestamp()) - 301}, "stale-timestamp"),
        ({"timestamp": int(NOW.timestamp()) + 301}, "stale-timestamp"),
    ],
    ids=["wrong-secret", "wrong-digest", "unsigned", "six-minutes-old", "from-the-future"],
)
def test_a_badly_signed_or_stale_request_is_401(
    eurolux: Organization, webhook: Webhook, changes: dict[str, Any], code: str
) -> None:
    before = counts()
    status, answer = webhook.post("eurolux", "chat", chat(), **changes)
    assert (status, answer["error"]["code"]) == (401, code)
    assert counts() == before


def test_a_request_signed_for_another_timestamp_is_401(
    eurolux: Organization, client: Client
) -> None:
    raw = json.dumps(chat()).encode()
    stamp = str(int(NOW.timestamp()))
    response = client.post(
        "/api/channels/eurolux/chat/events",
        raw,
        content_type="application/json",
        headers={
            "X-Charterdesk-Timestamp": stamp,
            "X-Charterdesk-Signature": sign(SECRET, str(int(stamp) - 60), raw),
        },
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad-signature"


def test_a_missing_timestamp_is_401(eurolux: Organization, client: Client) -> None:
    response = client.post(
        "/api/channels/eurolux/chat/events", b"{}", content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "bad-timestamp",
            "message": "X-Charterdesk-Timestamp must be Unix seconds",
        }
    }


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "bad-json"),
        (b"\xff\xfe", "bad-json"),
        (b'{"type": "message", "id": "e"}', "invalid-event"),
        (b'["a list"]', "invalid-event"),
        (
            json.dumps(chat() | {"sent_at": "2026-09-09T08:58:00"}).encode(),
            "invalid-event",
        ),
    ],
    ids=["broken", "not-utf8", "incomplete", "not-an-object", "naive-time"],
)
def test_a_body_that_is_not_an_event_is_400(
    eurolux: Organization, webhook: Webhook, body: bytes, code: str
) -> None:
    before = counts()
    status, answer = webhook.post("eurolux", "chat", body)
    assert (status, answer["error"]["code"]) == (400, code)
    assert counts() == before


def test_an_event_of_the_wrong_kind_for_the_channel_is_400(
    lt_pro: Organization, webhook: Webhook
) -> None:
    before = counts()
    status, answer = webhook.post("lt-pro", "voicemail", chat())
    assert (status, answer["error"]["code"]) == (400, "wrong-channel-kind")
    assert counts() == before


@pytest.mark.parametrize(
    ("org", "channel"),
    [
        ("no-such-org", "chat"),
        ("eurolux", "no-such-channel"),
        ("eurolux", "email"),  # a channel without webhooks, even with a secret set
        ("eurolux", "web_form"),
    ],
)
def test_an_unknown_organization_or_channel_is_404(
    eurolux: Organization, webhook: Webhook, org: str, channel: str
) -> None:
    before = counts()
    status, answer = webhook.post(org, channel, chat())
    assert (status, answer["error"]["code"]) == (404, "unknown-channel")
    assert counts() == before


def test_a_channel_without_a_secret_has_no_webhook(
    eurolux: Organization, webhook: Webhook, settings: Any
) -> None:
    settings.CHARTERDESK_CHANNEL_SECRETS = {}
    status, answer = webhook.post("eurolux", "chat", chat())
    assert (status, answer["error"]["code"]) == (404, "unknown-channel")
    assert Case.objects.count() == 0


def test_another_organizations_secret_does_not_open_its_channel(
    eurolux: Organization, anlp: Organization, webhook: Webhook, settings: Any
) -> None:
    settings.CHARTERDESK_CHANNEL_SECRETS = {"EUROLUX_PHONE": "eurolux-only"}
    settings.CHARTERDESK_CHANNEL_SECRETS["ANLP_PHONE"] = "anlp-only"
    call = {
        "type": "call",
        "id": "c-1",
        "caller": {"phone": "+44 20 7946 0000"},
        "started_at": "2026-09-09T08:00:00Z",
        "answered": False,
    }
    status, _ = webhook.post("anlp", "phone", call, secret="eurolux-only")
    assert status == 401
    assert webhook.post("anlp", "phone", call, secret="anlp-only")[0] == 201


def test_a_case_type_the_charter_does_not_have_is_400(
    eurolux: Organization, webhook: Webhook
) -> None:
    status, answer = webhook.post("eurolux", "chat", chat() | {"case_type": "lottery"})
    assert (status, answer["error"]["code"]) == (400, "unknown-case-type")
    assert counts()["Case"] == 0


def test_A7_a_complaint_by_phone_webhook_is_refused(ask4: Organization, webhook: Webhook) -> None:
    call = {
        "type": "call",
        "id": "ask4-call-1",
        "caller": {"name": "Jan Nowak", "phone": "+44 7700 900123"},
        "started_at": "2026-09-09T08:30:00Z",
        "answered": True,
        "case_type": "complaint",
    }
    before = counts()
    status, answer = webhook.post("ask4", "phone", call)
    assert (status, answer["error"]["code"]) == (400, "channel-refuses")
    assert counts() == before
    # without a case type, the call is an enquiry: what ASK4's phone takes
    status, answer = webhook.post("ask4", "phone", call | {"case_type": None})
    assert status == 201
    assert Case.objects.get(reference=answer["case"]).case_type == "enquiry"


def test_a_body_over_the_limit_is_413(eurolux: Organization, webhook: Webhook) -> None:
    status, answer = webhook.post("eurolux", "chat", b"{" + b" " * 300_000 + b"}")
    assert (status, answer["error"]["code"]) == (413, "too-large")


def test_only_post_is_allowed(eurolux: Organization, client: Client) -> None:
    assert client.get("/api/channels/eurolux/chat/events").status_code == 405


# -- Telephony: voicemails and calls (T15, N5, N2) ------------------------------------


def test_T15_a_voicemail_by_webhook_in_working_hours_is_on_the_three_hour_callback_clock(
    lt_pro: Organization, webhook: Webhook, clock: DeskClock
) -> None:
    # Tue 14 Apr 2026 11:20 MSK; delivered a minute later; due 14:20 MSK
    clock.now = utc(2026, 4, 14, 8, 21)
    status, answer = webhook.post("lt-pro", "voicemail", voicemail("vm-1", utc(2026, 4, 14, 8, 20)))
    assert status == 201
    case = Case.objects.get(reference=answer["case"])
    assert (case.channel, case.received_at) == ("voicemail", utc(2026, 4, 14, 8, 20))
    callback = Clock.objects.get(case=case, commitment="voicemail-returned")
    assert (callback.state, callback.due_at) == ("running", utc(2026, 4, 14, 11, 20))
    assert callback.warn_at == utc(2026, 4, 14, 10, 20)  # one working hour before
    [left] = Message.objects.filter(case=case)
    assert "exam registration" in left.body
    assert "https://pbx.example.ru/vm-1.mp3" in left.body


def test_T15_N5_a_voicemail_by_webhook_out_of_hours_is_not_on_the_three_hour_clock(
    lt_pro: Organization, webhook: Webhook, clock: DeskClock
) -> None:
    # Tue 14 Apr 2026 19:30 MSK, after the 19:00 close: T15 promises nothing for it
    clock.now = utc(2026, 4, 14, 16, 31)
    status, answer = webhook.post(
        "lt-pro", "voicemail", voicemail("vm-2", utc(2026, 4, 14, 16, 30))
    )
    assert status == 201
    case = Case.objects.get(reference=answer["case"])
    # no clock row: the index holds the promises that apply; evaluated, it does not apply
    assert not Clock.objects.filter(case=case, commitment="voicemail-returned").exists()
    assert evaluated(case, events_of(case), clock.now)["voicemail-returned"][0] == "not_applicable"


def test_N5_a_voicemail_by_webhook_out_of_hours_counts_from_the_next_opening(
    anlp: Organization, webhook: Webhook, clock: DeskClock
) -> None:
    # Fri 16 Oct 2026 18:30 BST: ANLP's phone messages (cutoff 17:00) count from Monday
    # 19 Oct 09:00 BST (day 0): Tue, Wed, Thu 22 Oct, close 17:00 BST = 16:00 UTC; and
    # the out-of-hours promise is due at the close of Monday
    clock.now = utc(2026, 10, 16, 17, 31)
    event = voicemail("vm-3", utc(2026, 10, 16, 17, 30))
    status, answer = webhook.post("anlp", "voicemail", event)
    assert status == 201
    case = Case.objects.get(reference=answer["case"])
    returned = Clock.objects.get(case=case, commitment="phone-message-answered")
    assert (returned.started_at, returned.due_at) == (utc(2026, 10, 19, 8), utc(2026, 10, 22, 16))
    out_of_hours = Clock.objects.get(case=case, commitment="out-of-hours-handled")
    assert (out_of_hours.state, out_of_hours.due_at) == ("running", utc(2026, 10, 19, 16))


def test_N2_a_missed_call_by_webhook_waits_to_be_returned(
    anlp: Organization, webhook: Webhook, clock: DeskClock
) -> None:
    # Tue 13 Oct 2026 11:00 BST: Wed 14, Thu 15, Fri 16 Oct, close 13:00 BST = 12:00 UTC
    clock.now = utc(2026, 10, 13, 10, 1)
    call = {
        "type": "call",
        "id": "call-1",
        "caller": {"name": "Sam Reid", "phone": "+44 20 7946 0000"},
        "started_at": "2026-10-13T11:00:00+01:00",
        "answered": False,
        "language": "en",  # the subject is written in the case's language
    }
    status, answer = webhook.post("anlp", "phone", call)
    assert status == 201
    case = Case.objects.get(reference=answer["case"])
    assert case.subject == "Missed call from Sam Reid"
    assert case.contact is not None
    assert case.contact.phone == "+44 20 7946 0000"
    clock_row = Clock.objects.get(case=case, commitment="phone-message-answered")
    assert (clock_row.state, clock_row.due_at) == ("running", utc(2026, 10, 16, 12))


def test_a_voicemail_on_a_known_conversation_continues_its_case(
    lt_pro: Organization, webhook: Webhook, clock: DeskClock
) -> None:
    clock.now = utc(2026, 4, 14, 9)
    _, first = webhook.post(
        "lt-pro",
        "voicemail",
        voicemail("vm-1", utc(2026, 4, 14, 8), conversation_id="+78125550102"),
    )
    _, again = webhook.post(
        "lt-pro",
        "voicemail",
        voicemail("vm-2", utc(2026, 4, 14, 8, 30), conversation_id="+78125550102"),
    )
    assert (again["outcome"], again["case"]) == ("continued", first["case"])


def test_an_event_stamped_after_the_desks_clock_arrives_now(
    eurolux: Organization, webhook: Webhook
) -> None:
    # the provider's clock runs two minutes fast: the case arrives at the desk's now
    ahead = message("evt-7", "conv-7", "Salam", utc(2026, 9, 9, 9, 2))
    status, answer = webhook.post("eurolux", "chat", ahead)
    assert status == 201
    assert Case.objects.get(reference=answer["case"]).received_at == NOW
