"""Rate limits in the database, so that every web process counts together.

A fixed window per limit: ``hit`` counts one more use of ``what`` (an IP address, an
email address) in the current window and says whether it is still within the limit.
What is counted is stored only as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from charterdesk.portal.models import RateLimit

#: Counters older than this are deleted when a new window starts.
KEEP = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Limit:
    scope: str
    allowed: int
    window: timedelta


#: Web form submissions per IP address and per email address (spam, floods).
SUBMIT_PER_IP = Limit("submit-ip", 5, timedelta(minutes=10))
SUBMIT_PER_EMAIL = Limit("submit-email", 5, timedelta(minutes=10))
#: Tracking links that lead nowhere, per IP address: then every lookup is refused a while.
WRONG_LINKS_PER_IP = Limit("wrong-link-ip", 10, timedelta(minutes=10))
#: Requests for the link again (``/track/``) and survey answers by reference and address.
RESEND_PER_IP = Limit("resend-ip", 5, timedelta(minutes=10))


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a reverse proxy, CHARTERDESK_CLIENT_IP_HEADER names
    the header the proxy sets (e.g. ``HTTP_X_REAL_IP``); otherwise REMOTE_ADDR."""
    header = str(settings.CHARTERDESK_CLIENT_IP_HEADER)
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(limit: Limit, what: str) -> str:
    message = f"{limit.scope}:{what.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window(limit: Limit, now: datetime) -> datetime:
    seconds = int(limit.window.total_seconds())
    start = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start, tz=UTC)


def used(limit: Limit, what: str, now: datetime) -> int:
    """How many times ``what`` was counted in the current window."""
    row = RateLimit.objects.filter(key=_key(limit, what), window_start=_window(limit, now))
    return row.values_list("count", flat=True).first() or 0


def exceeded(limit: Limit, what: str, now: datetime) -> bool:
    return used(limit, what, now) >= limit.allowed


@transaction.atomic
def hit(limit: Limit, what: str, now: datetime) -> bool:
    """Count one use; True while the count is within the limit."""
    start = _window(limit, now)
    row, created = RateLimit.objects.get_or_create(key=_key(limit, what), window_start=start)
    if created:
        RateLimit.objects.filter(window_start__lt=now - KEEP).delete()
    RateLimit.objects.filter(pk=row.pk).update(count=F("count") + 1)
    row.refresh_from_db(fields=["count"])
    return row.count <= limit.allowed
