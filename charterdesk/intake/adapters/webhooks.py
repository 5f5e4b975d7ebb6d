"""Mail providers' inbound webhooks, through ``django-anymail``.

Anymail's view checks the request (Mailgun: the HMAC signature made with the webhook
signing key, and HTTP basic auth when ``CHARTERDESK_WEBHOOK_SECRET`` is set), parses the
message and sends anymail's ``inbound`` signal; :func:`on_inbound` hands the message to
:func:`receive`. A request that fails the check is answered 400 and nothing is written. A
database failure is answered 500, and the provider tries again later.

Mailgun: a receiving route whose action is ``forward("https://DESK/intake/mailgun/inbound_mime/")``
(a URL ending in ``mime`` makes Mailgun post the raw message), with the domain's HTTP
webhook signing key in ``CHARTERDESK_MAILGUN_WEBHOOK_SIGNING_KEY``. Without that key the
URL answers 404. Another provider anymail supports is one more view here and one URL.
"""

from __future__ import annotations

import logging
import time
from typing import Any

# anymail ships no type information (pyproject.toml's mypy overrides are not ours to edit).
from anymail.exceptions import AnymailWebhookValidationFailure  # type: ignore[import-untyped]
from anymail.signals import AnymailInboundEvent, inbound  # type: ignore[import-untyped]
from anymail.webhooks.mailgun import MailgunInboundWebhookView  # type: ignore[import-untyped]
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from charterdesk.intake.receive import receive

logger = logging.getLogger(__name__)

#: A signed post older (or newer) than this is refused: a captured one cannot be replayed.
SIGNATURE_MAX_AGE_SECONDS = 15 * 60


def on_inbound(sender: object, event: AnymailInboundEvent, esp_name: str, **_: Any) -> None:
    """anymail's ``inbound`` signal: one received message, already authenticated."""
    message = event.message
    if message is None:
        return
    recipient = message.envelope_recipient
    outcome = receive(
        _raw(event),
        recipients=[recipient] if recipient else [],
        now=timezone.now(),
        source=f"webhook:{esp_name.lower()}:{event.event_id or ''}",
    )
    logger.info("%s inbound: %s %s", esp_name, outcome.kind, outcome.case_reference or "")


def _raw(event: AnymailInboundEvent) -> bytes:
    """The message as posted where the provider sends it whole (Mailgun's raw MIME),
    else anymail's serialization of what it parsed."""
    request = event.esp_event
    if isinstance(request, HttpRequest) and "body-mime" in request.POST:
        return str(request.POST["body-mime"]).encode("utf-8", "surrogateescape")
    raw: bytes = event.message.as_bytes()
    return raw


inbound.connect(on_inbound, dispatch_uid="charterdesk.intake.adapters.webhooks")


class MailgunInbound(MailgunInboundWebhookView):  # type: ignore[misc]
    """Mailgun's inbound webhook as anymail checks it, and refusing stale signatures."""

    def validate_request(self, request: HttpRequest) -> None:
        try:
            signed_at = int(request.POST.get("timestamp", ""))
        except ValueError as error:
            raise AnymailWebhookValidationFailure("Mailgun webhook without a timestamp") from error
        if abs(time.time() - signed_at) > SIGNATURE_MAX_AGE_SECONDS:
            raise AnymailWebhookValidationFailure("Mailgun webhook signed too long ago")


_mailgun_view = MailgunInbound.as_view()


@csrf_exempt
def mailgun_inbound(request: HttpRequest) -> HttpResponse:
    """``/intake/mailgun/inbound_mime/``: 404 unless a Mailgun signing key is configured."""
    if not getattr(settings, "ANYMAIL", {}).get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise Http404("Mailgun inbound mail is not configured")
    response: HttpResponse = _mailgun_view(request)
    return response
