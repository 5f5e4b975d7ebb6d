"""A clock's reason in the reader's language, from its parts (:class:`Why`).

The core explains every clock in English (the stored ``reason``) and in parts; this
puts the parts into the active language: templates through gettext (counts through
ngettext: Polish, Russian and Serbian have several plural forms), events by their
labels (the built-in ones, else the charter's own), case fields, types and channels by
the charter's titles, times in the organization's zone with the language's names of
days and months. Names stand in quotation marks the translator chooses, so no label
is lower-cased or declined mid-sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charterdesk.console.labels import case_type_label, channel_label, event_label
from charterdesk.core.charter import Charter
from charterdesk.core.clock_why import Why, WhyKind
from charterdesk.core.durations import Basis, Duration
from charterdesk.localized import local_time, translated


def reason_text(why: Why, charter: Charter | None, zone: str, language: str) -> str:
    """``why`` in ``language`` (the active one: gettext's), times in ``zone``."""
    return _Words(charter, zone, language).say(why)


class _Words:
    def __init__(self, charter: Charter | None, zone: str, language: str) -> None:
        self.charter, self.zone, self.language = charter, zone, language

    def say(self, why: Why) -> str:
        return _SAYINGS[why.kind](self, why)

    def time(self, why: Why, which: str = "at") -> str:
        at = why.at if which == "at" else why.since
        return local_time(at, self.zone, self.language) if at is not None else ""

    def event(self, kind: str) -> str:
        return event_label(kind, self.charter, self.language)

    def field(self, name: str) -> str:
        if self.charter is not None:
            for case_type in self.charter.case_types.values():
                for field in case_type.fields:
                    if field.name == name:
                        return translated(field.label, self.language)
        return name.replace("_", " ")

    def counted(self, why: Why) -> str:
        """What the clock counts from, and since when."""
        start, since = why.start, self.time(why, "since")
        assert start is not None
        subject = self.event(start.event) if start.event else self.field(start.field)
        rule = start.rule
        if start.before and rule is not None:
            days = ngettext("%(count)d working day", "%(count)d working days", rule.amount) % {
                "count": rule.amount
            }
            return _("%(duration)s before “%(subject)s”, counted from %(since)s") % {
                "duration": days,
                "subject": subject,
                "since": since,
            }
        if rule is None:
            return _("counted from “%(subject)s” on %(since)s") % {
                "subject": subject,
                "since": since,
            }
        if rule.basis == Basis.STATED_DATE:
            return _("the date stated in “%(subject)s” on %(since)s") % {
                "subject": subject,
                "since": since,
            }
        return _("%(duration)s after “%(subject)s” on %(since)s") % {
            "duration": duration_text(rule),
            "subject": subject,
            "since": since,
        }


def duration_text(rule: Duration) -> str:
    """``rule`` in words, e.g. "3 working days" (not a stated date: see its caller)."""
    words = _DURATIONS.get((rule.basis, rule.unit))
    if words is None:  # a unit the grammar does not make: the charter's own text
        return str(rule)
    return words(rule.amount) % {"count": rule.amount}


# The literal strings are written out at each call for makemessages to find them.
_DURATIONS: dict[tuple[Basis, str], Callable[[int], str]] = {
    (Basis.ELAPSED, "second"): lambda n: ngettext("%(count)d second", "%(count)d seconds", n),
    (Basis.ELAPSED, "minute"): lambda n: ngettext("%(count)d minute", "%(count)d minutes", n),
    (Basis.ELAPSED, "hour"): lambda n: ngettext("%(count)d hour", "%(count)d hours", n),
    (Basis.ELAPSED, "day"): lambda n: ngettext("%(count)d day", "%(count)d days", n),
    (Basis.ELAPSED, "week"): lambda n: ngettext("%(count)d week", "%(count)d weeks", n),
    (Basis.WORKING_TIME, "second"): lambda n: ngettext(
        "%(count)d working second", "%(count)d working seconds", n
    ),
    (Basis.WORKING_TIME, "minute"): lambda n: ngettext(
        "%(count)d working minute", "%(count)d working minutes", n
    ),
    (Basis.WORKING_TIME, "hour"): lambda n: ngettext(
        "%(count)d working hour", "%(count)d working hours", n
    ),
    (Basis.WORKING_DAYS, "day"): lambda n: ngettext(
        "%(count)d working day", "%(count)d working days", n
    ),
    (Basis.WORKING_DAYS_SAME_CLOCK, "day"): lambda n: ngettext(
        "%(count)d working day, at the same time of day",
        "%(count)d working days, at the same time of day",
        n,
    ),
}


def _quoted_list(names: list[str]) -> str:
    return ", ".join(_("“%(name)s”") % {"name": name} for name in names)


def _due(words: _Words, why: Why) -> str:
    return _("Due %(due)s: %(counted)s") % {
        "due": words.time(why),
        "counted": words.counted(why),
    }


def _met(words: _Words, why: Why) -> str:
    return _("Met by “%(event)s”; was due %(due)s: %(counted)s") % {
        "event": words.event(why.met_by),
        "due": words.time(why),
        "counted": words.counted(why),
    }


def _met_late(words: _Words, why: Why) -> str:
    return _("Met late by “%(event)s”; was due %(due)s: %(counted)s") % {
        "event": words.event(why.met_by),
        "due": words.time(why),
        "counted": words.counted(why),
    }


def _paused(words: _Words, why: Why) -> str:
    if why.event == "contact_restricted":  # (A3, N7)
        return _("Paused since %(since)s while contact is restricted") % {"since": words.time(why)}
    return _("Paused since %(since)s while waiting for the customer") % {"since": words.time(why)}


def _starts_when(words: _Words, why: Why) -> str:
    return _("Starts when “%(event)s” happens") % {"event": words.event(why.event)}


def _waits_for_date(words: _Words, why: Why) -> str:
    return _("Waits for the case's “%(field)s”") % {"field": words.field(why.field)}


def _no_new_date(words: _Words, why: Why) -> str:
    return _("“%(event)s” on %(at)s states no new date") % {
        "event": words.event(why.event),
        "at": words.time(why),
    }


def _cycles(words: _Words, why: Why) -> str:
    return ngettext(
        "Ended by “%(event)s”; %(missed)d of %(count)d cycle late",
        "Ended by “%(event)s”; %(missed)d of %(count)d cycles late",
        why.cycles,
    ) % {"event": words.event(why.event), "missed": why.missed, "count": why.cycles}


def _internal_only(words: _Words, why: Why) -> str:
    return _("Applies only to customers' cases, not to “%(type)s”") % {
        "type": case_type_label(why.names[0], words.charter, words.language)
    }


def _not_for_type(words: _Words, why: Why) -> str:
    names = [case_type_label(name, words.charter, words.language) for name in why.names]
    return _("Applies only to cases of the types %(types)s") % {"types": _quoted_list(names)}


def _not_for_channel(words: _Words, why: Why) -> str:
    names = [channel_label(name, words.charter, words.language) for name in why.names]
    return _("Applies only to cases received by %(channels)s") % {"channels": _quoted_list(names)}


def _in_hours(words: _Words, why: Why) -> str:
    return _("Applies only to cases received in working hours")


def _out_of_hours(words: _Words, why: Why) -> str:
    return _("Applies only to cases received out of working hours")


def _when_field(words: _Words, why: Why) -> str:
    value = why.value
    if value is True:
        shown = _("ticked")
    elif value is False:
        shown = _("not ticked")
    elif value is None:
        shown = _("empty")
    else:
        shown = _("“%(name)s”") % {"name": value}
    return _("Applies only when “%(field)s” is %(value)s") % {
        "field": words.field(why.field),
        "value": shown,
    }


_SAYINGS: dict[WhyKind, Callable[[_Words, Why], str]] = {
    WhyKind.DUE: _due,
    WhyKind.MET: _met,
    WhyKind.MET_LATE: _met_late,
    WhyKind.PAUSED: _paused,
    WhyKind.STARTS_WHEN: _starts_when,
    WhyKind.WAITS_FOR_DATE: _waits_for_date,
    WhyKind.NO_NEW_DATE: _no_new_date,
    WhyKind.CYCLES: _cycles,
    WhyKind.INTERNAL_ONLY: _internal_only,
    WhyKind.NOT_FOR_TYPE: _not_for_type,
    WhyKind.NOT_FOR_CHANNEL: _not_for_channel,
    WhyKind.IN_HOURS: _in_hours,
    WhyKind.OUT_OF_HOURS: _out_of_hours,
    WhyKind.WHEN_FIELD: _when_field,
}
