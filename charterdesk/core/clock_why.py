"""Why a clock stands as it does, in parts a reader can put into any language.

A clock's ``reason`` is English text, stored with the clock and compared by rebuilds;
its :class:`Why` holds the same explanation as data (instants in UTC, event kinds, case
fields, the rule's duration, numbers), so staff read it in their own language
(``charterdesk.console.clock_reasons``). :func:`english` makes the stored text of a Why.

Evaluation makes no Why per clock: a clock keeps a shared one (:attr:`Why.at` and
:attr:`Why.since` left out where the clock's own due and start times say them) and
completes it when asked (``Clock.why``). Clocks are many and kept in lists by the
thousand; an object more for each costs the garbage collector as much as making it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from functools import lru_cache

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.durations import Duration


class WhyKind(StrEnum):
    DUE = "due"  # running, or breached and not met: due ``at``, counts from ``since``
    MET = "met"  # met by ``met_by`` on time; was due ``at``
    MET_LATE = "met_late"  # met by ``met_by`` after ``at``
    PAUSED = "paused"  # paused since ``at`` by ``event`` (awaiting the customer, restricted)
    STARTS_WHEN = "starts_when"  # not started: starts when ``event`` happens
    WAITS_FOR_DATE = "waits_for_date"  # not started: the case's ``field`` has no date
    NO_NEW_DATE = "no_new_date"  # ``event`` at ``at`` states no new date
    CYCLES = "cycles"  # repeating, ended by ``event``: ``missed`` of ``cycles`` late
    INTERNAL_ONLY = "internal_only"  # customers' cases only, not ``names[0]`` (internal)
    NOT_FOR_TYPE = "not_for_type"  # only cases of the types ``names``
    NOT_FOR_CHANNEL = "not_for_channel"  # only cases received by the channels ``names``
    IN_HOURS = "in_hours"  # only cases received in working hours
    OUT_OF_HOURS = "out_of_hours"  # only cases received out of working hours
    WHEN_FIELD = "when_field"  # only when the case's ``field`` is ``value``


#: The kinds that count toward a due time (``at``) from ``since``, as ``start`` says.
COUNTED = frozenset({WhyKind.DUE, WhyKind.MET, WhyKind.MET_LATE})


@dataclass(frozen=True, kw_only=True, slots=True)
class Why:
    """A clock's reason in parts; which parts a kind uses is said at :class:`WhyKind`.

    The counted kinds (:data:`COUNTED`) count from ``since`` as ``start`` says: a rule
    after an event or a case's date field, or working days before that date."""

    kind: WhyKind
    at: datetime | None = None
    since: datetime | None = None
    start: Start | None = None
    met_by: str = ""
    event: str = ""
    field: str = ""
    missed: int = 0
    cycles: int = 0
    names: tuple[str, ...] = ()
    value: str | int | bool | None = None


@dataclass(frozen=True, slots=True)
class Start:
    """What a clock counts from: ``rule`` after the event ``event`` or after the date in
    the case's ``field`` (no rule: the earliest or latest of several limits), or, with
    ``before``, ``rule.amount`` working days before that date. ``text`` says it in the
    words of the stored reason. Shared: see :func:`start_of`."""

    event: str
    field: str
    rule: Duration | None
    before: bool
    text: str  # e.g. "3 working days after acknowledged"
    #: The shared Whys of clocks counting from here, by kind and the meeting event.
    whys: dict[WhyKind, dict[str, Why]] = dataclasses.field(default_factory=dict, compare=False)

    def why(self, kind: WhyKind, met_by: str = "") -> Why:
        """The Why, without instants, of a clock of ``kind`` counting from here."""
        whys = self.whys.get(kind)
        if whys is None:
            whys = self.whys[kind] = {}
        why = whys.get(met_by)
        if why is None:
            why = whys[met_by] = Why(kind=kind, start=self, met_by=met_by)
        return why


def after_event(event: str, rule: Duration | None, length: str) -> Start:
    """:func:`start_of` an event (the most made, so looked up first by two keys)."""
    start = _AFTER_EVENT.get((event, length))
    if start is None:
        if len(_AFTER_EVENT) >= _MAX_KEPT:
            _AFTER_EVENT.clear()
        start = _AFTER_EVENT[(event, length)] = start_of(event, "", rule, False, length)
    return start


_AFTER_EVENT: dict[tuple[str, str], Start] = {}


def start_of(event: str, field: str, rule: Duration | None, before: bool, length: str) -> Start:
    """The :class:`Start`; ``length`` is the rule as the charter writes it ("" for none).
    Clocks of a commitment mostly count from one start: each is made once and kept."""
    key = (event, field, length, before)
    start = _STARTS.get(key)
    if start is None:
        if len(_STARTS) >= _MAX_KEPT:
            _STARTS.clear()
        if before:
            assert rule is not None
            text = f"{rule.amount} working days before {field}"
        else:
            subject = event or field
            text = f"{length} after {subject}" if length else subject
        start = _STARTS[key] = Start(event, field, rule, before, text)
    return start


_STARTS: dict[tuple[str, str, str, bool], Start] = {}
_MAX_KEPT = 4096


def waiting(kind: WhyKind, event: str = "", field: str = "") -> Why:
    """The shared Why of a clock not started: waiting for ``event``, or for a date in
    the case's ``field``."""
    key = (kind, event, field)
    why = _WAITING.get(key)
    if why is None:
        if len(_WAITING) >= _MAX_KEPT:
            _WAITING.clear()
        why = _WAITING[key] = Why(kind=kind, event=event, field=field)
    return why


_WAITING: dict[tuple[WhyKind, str, str], Why] = {}


def ended(event: str) -> Why:
    """The shared Why, without its numbers, of repeating clocks ended by ``event``."""
    why = _ENDED.get(event)
    if why is None:
        why = _ENDED[event] = Why(kind=WhyKind.CYCLES, event=event)
    return why


_ENDED: dict[str, Why] = {}


def english(why: Why, calendar: WorkCalendar) -> str:
    """The reason stored with the clock: plain English, times on ``calendar``'s wall
    clock (``Mon 23 Nov 2026 09:00``), events and fields by their codes."""
    if why.kind in COUNTED:
        assert why.at is not None
        assert why.since is not None
        return counted(why, why.at, why.since, calendar)
    if why.kind == WhyKind.CYCLES:
        return cycles(why, why.missed, why.cycles)
    return _TIMELESS[why.kind](why, calendar)


def counted(why: Why, due: datetime, since: datetime, calendar: WorkCalendar) -> str:
    """:func:`english` of a counted ``why`` due at ``due``, counting from ``since``."""
    kind, start = why.kind, why.start
    assert start is not None
    counts = f"{start.text} on {local(calendar, since)}"
    if kind == WhyKind.DUE:
        return f"due {local(calendar, due)}: {counts}"
    late = "late " if kind == WhyKind.MET_LATE else ""
    return f"met {late}by {why.met_by}; was due {local(calendar, due)}: {counts}"


def cycles(why: Why, missed: int, cycles: int) -> str:
    """:func:`english` of a repeating clock's ``why``: ``missed`` of ``cycles`` late."""
    return f"ended by {why.event}; {missed} of {cycles} cycles late"


def _paused(why: Why, calendar: WorkCalendar) -> str:
    assert why.at is not None
    if why.event == "contact_restricted":  # (A3, N7)
        return f"paused since {local(calendar, why.at)} while contact is restricted"
    return f"paused since {local(calendar, why.at)} while waiting for the customer"


def _no_new_date(why: Why, calendar: WorkCalendar) -> str:
    assert why.at is not None
    return f"{why.event} on {why.at:%Y-%m-%d} states no new date"


def _in_hours(wanted: str) -> str:
    return f"applies only to cases received {wanted} working hours"


_TIMELESS: dict[WhyKind, Callable[[Why, WorkCalendar], str]] = {
    WhyKind.PAUSED: _paused,
    WhyKind.STARTS_WHEN: lambda why, _: f"starts when {why.event} happens",
    WhyKind.WAITS_FOR_DATE: lambda why, _: f"waits for the case's {why.field}",
    WhyKind.NO_NEW_DATE: _no_new_date,
    WhyKind.INTERNAL_ONLY: lambda why, _: (
        f"applies only to customers' cases, not to {why.names[0]}"
    ),
    WhyKind.NOT_FOR_TYPE: lambda why, _: f"applies only to {', '.join(why.names)} cases",
    WhyKind.NOT_FOR_CHANNEL: lambda why, _: (
        f"applies only to cases received by {', '.join(why.names)}"
    ),
    WhyKind.IN_HOURS: lambda why, _: _in_hours("in"),
    WhyKind.OUT_OF_HOURS: lambda why, _: _in_hours("out of"),
    WhyKind.WHEN_FIELD: lambda why, _: f"applies only when {why.field} is {why.value}",
}


def local(calendar: WorkCalendar, at: datetime) -> str:
    """``at`` on the calendar's wall clock, as ``Mon 23 Nov 2026 09:00``."""
    return _wall_clock(calendar.zone, at)


@lru_cache(maxsize=4096)  # a case's clocks mostly start at one instant: its receipt
def _wall_clock(zone: tzinfo, at: datetime) -> str:
    """The text of ``strftime("%a %d %b %Y %H:%M")`` in the C locale Python starts in,
    put together from English names: twice as fast, and a reason's words never
    depend on the process's locale."""
    t = at.astimezone(zone)
    day, month = _WEEKDAYS[t.weekday()], _MONTHS[t.month]
    return f"{day} {t.day:02d} {month} {t.year} {t.hour:02d}:{t.minute:02d}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
