"""Signed webhook requests: HMAC-SHA256 over ``f"{timestamp}.{body}"`` with the secret of
the organization's channel, sent as ``X-Charterdesk-Signature: sha256=<hex>`` beside
``X-Charterdesk-Timestamp`` (Unix seconds). A request more than five minutes from the
desk's clock is refused, so a captured request cannot be replayed later; within those
five minutes the event id makes a replay write nothing."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

SIGNATURE_HEADER = "X-Charterdesk-Signature"
TIMESTAMP_HEADER = "X-Charterdesk-Timestamp"
MAX_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str


def secret_name(org_slug: str, channel: str) -> str:
    """``lt-pro``, ``voicemail`` -> ``LT_PRO_VOICEMAIL`` (after CHARTERDESK_WEBHOOK_SECRET_)."""
    return f"{org_slug}_{channel}".upper().replace("-", "_")


def secret_for(org_slug: str, channel: str) -> str | None:
    """The channel's secret from the environment (read once, in settings); None: off."""
    secrets: dict[str, str] = settings.CHARTERDESK_CHANNEL_SECRETS
    return secrets.get(secret_name(org_slug, channel)) or None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def check(
    secret: str, signature: str, timestamp: str, body: bytes, now: datetime
) -> Refusal | None:
    """None if the request is signed with ``secret`` and recent, else why not."""
    if not timestamp.isascii() or not timestamp.isdigit():
        return Refusal("bad-timestamp", f"{TIMESTAMP_HEADER} must be Unix seconds")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        return Refusal("bad-signature", f"{SIGNATURE_HEADER} does not match the body")
    if abs(now.timestamp() - int(timestamp)) > MAX_SKEW.total_seconds():
        return Refusal("stale-timestamp", "the request is more than 5 minutes old or ahead")
    return None
