"""docs/api/channels.openapi.yaml is what the webhook does: its schemas are those of the
models the view validates with and answers with, every example in it is valid, and
every webhook test's request and answer is checked against it (conftest.Webhook)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from charterdesk.channels import payloads
from charterdesk.channels.signatures import check, sign
from charterdesk.channels.webhooks import MAX_BODY

from .conftest import EVENTS_PATH, check_answer, documented_response, openapi


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _operation() -> dict[str, Any]:
    operation: dict[str, Any] = openapi()["paths"][EVENTS_PATH]["post"]
    return operation


def test_it_is_an_openapi_3_1_document_with_the_one_path() -> None:
    document = openapi()
    assert document["openapi"] == "3.1.0"
    assert list(document["paths"]) == [EVENTS_PATH]
    names = {p["name"] for p in _operation()["parameters"]}
    assert names == {"org", "channel", "X-Charterdesk-Timestamp", "X-Charterdesk-Signature"}


def test_its_schemas_are_the_models_schemas() -> None:
    # Regenerate with charterdesk.channels.payloads.openapi_schemas() if a model changes.
    assert openapi()["components"]["schemas"] == payloads.openapi_schemas()


def test_every_reference_resolves() -> None:
    schemas = openapi()["components"]["schemas"]
    refs = _refs(openapi())
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas


def test_every_request_example_is_a_valid_event() -> None:
    content = _operation()["requestBody"]["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/Event"}
    examples = content["examples"]
    assert {example["value"]["type"] for example in examples.values()} == {
        "message",
        "voicemail",
        "call",
    }
    for example in examples.values():
        payloads.EVENT.validate_python(example["value"])


def test_every_response_example_matches_its_schema() -> None:
    checked = 0
    for status, response in _operation()["responses"].items():
        for example in response["content"]["application/json"].get("examples", {}).values():
            name = documented_response(int(status))
            payloads.RESPONSES[name].validate_python(example["value"])
            checked += 1
    assert checked >= 7


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (201, b'{"case": "EUR-2026-000001", "outcome": "opened", "event": "e"}'),
        (200, b'{"case": "EUR-2026-000001", "outcome": "duplicate", "event": "e"}'),
        (401, b'{"error": {"code": "bad-signature", "message": "no"}}'),
    ],
)
def test_the_answer_check_accepts_documented_answers(status: int, body: bytes) -> None:
    check_answer(status, body)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (201, b'{"case": "EUR-2026-000001", "outcome": "made-up", "event": "e"}'),
        (400, b'{"case": "EUR-2026-000001", "outcome": "opened", "event": "e"}'),
        (401, b'{"error": {"code": "bad-signature"}}'),
    ],
)
def test_the_answer_check_refuses_what_the_document_does_not_allow(
    status: int, body: bytes
) -> None:
    with pytest.raises(ValidationError):
        check_answer(status, body)


@pytest.mark.parametrize(
    "event",
    [
        {"type": "message", "id": "e", "conversation_id": "c", "text": "hi", "sent_at": "x"},
        {"type": "fax", "id": "e"},
        {
            "type": "voicemail",
            "id": "e",
            "caller": {},
            "left_at": "2026-09-09T10:00:00",  # a time without its offset is refused
        },
        {
            "type": "call",
            "id": "e",
            "caller": {"email": "not an address"},
            "started_at": "2026-09-09T10:00:00Z",
            "answered": False,
        },
    ],
)
def test_events_the_document_does_not_allow_are_refused_by_the_models(
    event: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        payloads.EVENT.validate_python(event)


def test_the_size_limit_is_the_documented_one() -> None:
    assert MAX_BODY == 256 * 1024
    assert "256 KiB" in _operation()["responses"]["413"]["description"]


def test_the_signing_example_in_the_docs_signs_as_the_desk_checks() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "channels.md").read_text(encoding="utf-8")
    [example] = [
        block for block in doc.split("```python\n")[1:] if "X-Charterdesk-Signature" in block
    ]
    scope: dict[str, Any] = {}
    exec(example.split("```")[0], scope)
    headers, body = scope["headers"], scope["body"]
    stamp = headers["X-Charterdesk-Timestamp"]
    assert headers["X-Charterdesk-Signature"] == sign(scope["secret"], stamp, body)
    now = datetime.fromtimestamp(int(stamp), tz=UTC)
    assert check(scope["secret"], headers["X-Charterdesk-Signature"], stamp, body, now) is None
    payloads.EVENT.validate_json(body)
