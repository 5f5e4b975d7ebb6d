"""What can happen to a case: the event vocabulary clocks are evaluated over.

Events are the truth (DESIGN.md principle 2). Each built-in kind names what data
it must carry; a charter may declare more kinds of its own (``events:``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from types import MappingProxyType

#: Built-in event kinds and the data each must carry.
BUILTIN_EVENTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "received": (),  # the case arrived (for a letter: the day it arrived)
        "acknowledged": (),  # receipt confirmed to the customer
        "update_sent": (),  # a progress update
        "replied": (),  # a full reply to the customer
        "answered_with_articles": ("articles",),  # N4: answered with support pages
        "formal_response_sent": (),
        "callback_made": (),  # a phone message returned (L2, T15)
        "appointment_started": (),  # L3
        "registration_confirmed": (),  # T21
        "certificates_dispatched": (),  # T22: sent, or the candidate told
        "delay_notice_sent": ("reason", "new_date"),  # L4, E7
        "handed_off": ("owner", "new_date"),  # L8: who will help, and by when
        "info_requested": (),  # E6, T18
        "customer_replied": (),
        "info_complete": (),  # T18: everything needed has been gathered
        "extension_granted": ("by", "reason"),
        "escalated": (),
        "resolved": ("result",),  # E8: the result and every step taken
        "resolved_at_first_contact": (),  # E3, L8
        "apology_made": (),  # L12
        "remedy_offered": ("remedy",),  # L12
        "cause_classified": ("cause",),  # L13
        "appealed": (),  # A11
        "reopened": (),
        "closed": (),
        "contact_restricted": ("reason", "review_on"),  # A3, N7
        "contact_restored": (),
        "survey_sent": (),  # A4, T23
        "rated": ("score",),
        "regulator_notified": (),  # personal-data breach
        "assigned": (),  # a new assignee (data: owner), or none
        "noted": ("text",),  # an internal note; the customer never sees it
    }
)

#: The kinds of event that promise the customer a date (a `stated date` clock's start).
DATED_EVENTS: tuple[str, ...] = tuple(
    kind for kind, required in BUILTIN_EVENTS.items() if "new_date" in required
)

#: States a clock can pause in: (the event that enters it, the events that leave it).
STATES: Mapping[str, tuple[str, tuple[str, ...]]] = MappingProxyType(
    {
        "awaiting_customer": ("info_requested", ("customer_replied", "info_complete")),
        "contact_restricted": ("contact_restricted", ("contact_restored",)),
    }
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """One thing that happened to a case, at a UTC instant."""

    kind: str
    at: datetime
    data: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError(f"event {self.kind!r} has a naive time {self.at!r}")

    def missing_data(self, required: Sequence[str]) -> list[str]:
        """The required data this event lacks; blank text and empty lists count as lacking."""
        return [name for name in required if _blank(self.data.get(name))]

    def data_problems(self) -> list[tuple[str, str]]:
        """What is wrong with this event's data for its kind, as (code, words) pairs.

        A delay notice needs a reason and a new date that is a real date, and so on
        (:data:`BUILTIN_EVENTS`)."""
        required = BUILTIN_EVENTS.get(self.kind, ())
        missing = self.missing_data(required)
        if missing:
            return [("missing-data", f"{self.kind} needs {', '.join(missing)}")]
        if "new_date" in required and self.stated_date() is None:
            return [("bad-date", f"{self.kind} needs new_date as a date (YYYY-MM-DD)")]
        return []

    def stated_date(self, zone: tzinfo | None = None) -> date | None:
        """The date this event promised (a delay notice's or hand-off's new date)."""
        return as_date(self.data.get("new_date"), zone)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, Collection) and len(value) == 0


def as_date(value: object, zone: tzinfo | None = None) -> date | None:
    """A date from a date, an aware datetime (its local date in ``zone``) or ISO text."""
    if isinstance(value, datetime):
        return value.astimezone(zone).date() if zone and value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True, kw_only=True, slots=True)
class CaseFacts:
    """What clock evaluation needs to know about a case besides its events."""

    case_type: str
    channel: str
    received_at: datetime
    language: str = "en"
    fields: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    internal: bool = False  # a case type staff raise (a data breach), not a customer's

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is None:
            raise ValueError(f"received_at is naive: {self.received_at!r}")
