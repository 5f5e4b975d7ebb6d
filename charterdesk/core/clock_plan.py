"""What clock evaluation needs of a commitment, worked out once per commitment.

A commitment is evaluated for every case it could apply to, many times over (after
every event, by the worker's sweep, by a rebuild). Its parsed durations, its warning
and its sets of event kinds are the same every time: :func:`plan_of` works them out on
first use and keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from charterdesk.core.charter import Commitment
from charterdesk.core.clock_why import Why
from charterdesk.core.durations import Duration, parse_share
from charterdesk.core.durations import parse_duration as _parse_duration
from charterdesk.core.events import STATES

#: Charters repeat a few duration texts, and a Duration is immutable: parse each once.
parse_duration = lru_cache(maxsize=1024)(_parse_duration)

#: The states a clock always pauses in, whatever the charter says: no clock runs while
#: contact is ended for abuse (A3, N7).
ALWAYS_PAUSING = ("contact_restricted",)


@dataclass(frozen=True, kw_only=True, slots=True)
class Plan:
    """A commitment's rules in the shape evaluation reads them."""

    durations: tuple[Duration, ...]
    latest: bool  # of several limits, the latest deadline counts (else the earliest)
    length: str | None  # the single limit's text, as reasons quote it
    date_field: str  # "" unless the clock starts from a date field of the case
    before_date: bool  # counted back from that date (T21), not forward (T22)
    met_by: frozenset[str]
    restart_on: frozenset[str]
    pausing: tuple[str, ...]  # the states it pauses in (see ALWAYS_PAUSING)
    #: The events that enter those states: without one, the clock never paused. None
    #: for a state unknown to :data:`STATES` (evaluation then fails as it always did).
    pause_entries: frozenset[str] | None
    warn_share: float | None  # "80%": the share of the time
    warn_ahead: Duration | None  # "24 hours": that long before the due time
    extension_cap: Duration | None
    repeat_every: Duration | None
    #: Why it does not apply to a case (None where it does) by (case type, channel,
    #: internal), when nothing else decides it (else None: the hour received or a field
    #: does). Filled as cases come (:mod:`charterdesk.core.clock_applies`).
    verdicts: dict[tuple[str, str, bool], tuple[Why, str] | None] | None


def plan_of(commitment: Commitment) -> Plan:
    """The plan of ``commitment``, made on first use and kept (by identity: a
    commitment is immutable, and kept alive with its plan, so its id is not reused)."""
    kept = _PLANS.get(id(commitment))
    if kept is not None and kept[0] is commitment:
        return kept[1]
    plan = _plan(commitment)
    if len(_PLANS) >= _MAX_PLANS:  # charters parsed again and again (tests): start over
        _PLANS.clear()
    _PLANS[id(commitment)] = (commitment, plan)
    return plan


_PLANS: dict[int, tuple[Commitment, Plan]] = {}
_MAX_PLANS = 4096


def _plan(commitment: Commitment) -> Plan:
    within, start = commitment.within, commitment.starts
    texts = [within] if isinstance(within, str) else (within.earliest or within.latest or [])
    warn = commitment.warn
    share = warn is not None and warn.strip().endswith("%")
    extension, repeat = commitment.extension, commitment.repeat
    pausing = tuple(dict.fromkeys([*commitment.pause_while, *ALWAYS_PAUSING]))
    known = all(state in STATES for state in pausing)
    applies = commitment.applies
    return Plan(
        durations=tuple(parse_duration(text) for text in texts),
        latest=not isinstance(within, str) and within.latest is not None,
        length=within if isinstance(within, str) else None,
        date_field=start.before or start.after or "",
        before_date=bool(start.before),
        met_by=frozenset(commitment.met_by),
        restart_on=frozenset(commitment.restart_on),
        pausing=pausing,
        pause_entries=frozenset(STATES[state][0] for state in pausing) if known else None,
        warn_share=parse_share(warn) if warn is not None and share else None,
        warn_ahead=parse_duration(warn) if warn is not None and not share else None,
        extension_cap=parse_duration(extension.max) if extension else None,
        repeat_every=parse_duration(repeat.every) if repeat else None,
        verdicts={} if applies.received is None and not applies.fields else None,
    )
