"""``POST /api/channels/<org>/<channel>/events``: telephony, chat and social providers
tell the desk what happened (docs/api/channels.openapi.yaml). The view checks, in this
order: the channel exists and takes webhooks, with a secret set (else 404); the
signature and the timestamp (401); the JSON and its shape (400); then one call to
:func:`charterdesk.channels.receiving.receive`. Every refusal is
``{"error": {"code", "message"}}`` and writes nothing."""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Organization
from charterdesk.cases.services import CaseError
from charterdesk.channels import payloads, receiving, signatures
from charterdesk.channels.rules import webhook_channel

#: A larger body is refused before it is read: events are short.
MAX_BODY = 256 * 1024


def refused(status: int, code: str, message: str) -> JsonResponse:
    body = payloads.Error(error=payloads.Problem(code=code, message=message))
    return JsonResponse(body.model_dump(mode="json"), status=status)


def _organization(org_slug: str, channel: str) -> Organization | None:
    org = Organization.objects.select_related("charter").filter(slug=org_slug).first()
    if org is None or org.charter is None:
        return None
    return org if webhook_channel(parsed(org.charter).charter, channel) else None


def _problems(invalid: ValidationError) -> str:
    shown = []
    for problem in invalid.errors()[:5]:
        where = ".".join(str(part) for part in problem["loc"])
        shown.append(f"{where}: {problem['msg']}" if where else problem["msg"])
    return "; ".join(shown)


@csrf_exempt
@require_POST
def channel_events(request: HttpRequest, org_slug: str, channel: str) -> JsonResponse:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return refused(413, "too-large", f"at most {MAX_BODY} bytes")
    org = _organization(org_slug, channel)
    secret = signatures.secret_for(org_slug, channel) if org else None
    if org is None or secret is None:
        return refused(404, "unknown-channel", "no such organization or webhook channel")
    now = timezone.now()
    body = request.body
    refusal = signatures.check(
        secret,
        request.headers.get(signatures.SIGNATURE_HEADER, ""),
        request.headers.get(signatures.TIMESTAMP_HEADER, ""),
        body,
        now,
    )
    if refusal is not None:
        return refused(401, refusal.code, refusal.message)
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return refused(400, "bad-json", "the body is not JSON")
    try:
        event = payloads.EVENT.validate_python(data)
    except ValidationError as invalid:
        return refused(400, "invalid-event", _problems(invalid))
    try:
        received = receiving.receive(org, channel, event, now=now)
    except CaseError as problem:
        return refused(400, problem.code, str(problem))
    answer = payloads.Received(
        case=received.case.reference, outcome=received.outcome, event=event.id
    )
    status = 201 if received.outcome == "opened" else 200
    return JsonResponse(answer.model_dump(mode="json"), status=status)
