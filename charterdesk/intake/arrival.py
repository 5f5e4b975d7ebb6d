"""When a mail counts as received. Pure (no Django).

The topmost ``Received:`` header is our own mail server's stamp, the truest time of
arrival; the ``Date:`` header is the sender's clock. Either is used only when sane: not
in the future and not older than :data:`OLDEST`; else the time intake saw it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import parsedate_to_datetime

from charterdesk.intake.headers import raw_values

#: A mail claiming to be older than this was not waiting for us that long: use now.
OLDEST = timedelta(days=30)


def received_stamp(message: Message) -> datetime | None:
    """The time in the topmost Received header (after its last ``;``)."""
    values = raw_values(message, "Received")
    if not values or ";" not in values[0]:
        return None
    return parse_date(values[0].rsplit(";", 1)[1])


def parse_date(raw: str) -> datetime | None:
    try:
        found = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=UTC)
    try:
        return found.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def arrival(
    candidates: tuple[datetime | None, ...], now: datetime, floor: datetime | None
) -> datetime:
    """The first sane candidate, never before ``floor`` (the case's last event: a reply
    cannot come before the question it answers), never after ``now``."""
    chosen = next((at for at in candidates if at is not None and now - OLDEST <= at <= now), now)
    if floor is not None and chosen < floor:
        chosen = min(floor, now)
    return chosen
