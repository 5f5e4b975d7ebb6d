"""A case's history as clock evaluation reads it: its events up to an instant.

Every commitment of a case is evaluated over the same events at the same instant, one
after the other (a service after an event, the worker's sweep, a rebuild): the history
is made once for them all, and the kinds of event in it are at hand, because most rules
first ask whether something happened at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from operator import attrgetter

from charterdesk.core.events import Event


@dataclass(frozen=True, slots=True)
class History:
    """A case's events up to ``now`` in time order, with ``received`` always present,
    and the kinds among them (most rules ask first whether a kind happened at all)."""

    events: tuple[Event, ...]
    kinds: frozenset[str]


def history_at(received: datetime, events: Sequence[Event], now: datetime) -> History:
    """The case's :class:`History`. A case's commitments are evaluated one after the
    other with the same events and ``now``: the last history made is kept and given
    again for the very same events (an Event is immutable; a list that changed makes a
    new one)."""
    global _last_history
    key = (now, received, tuple(events))
    last_key, last = _last_history
    if last is not None and key == last_key:
        return last
    made = _made(received, key[2], now)
    _last_history = key, made
    return made


def _made(received: datetime, events: tuple[Event, ...], now: datetime) -> History:
    history = [event for event in events if event.at <= now]
    if any(event.at.tzinfo is not UTC for event in history):
        history = [
            event if event.at.tzinfo is UTC else replace(event, at=event.at.astimezone(UTC))
            for event in history
        ]
    history.sort(key=_at)  # aware instants order alike in any zone
    kinds = frozenset(event.kind for event in history)
    if "received" not in kinds:
        history.insert(0, Event(kind="received", at=received))
        kinds |= {"received"}
    return History(tuple(history), kinds)


_at = attrgetter("at")
_last_history: tuple[object, History | None] = (None, None)
