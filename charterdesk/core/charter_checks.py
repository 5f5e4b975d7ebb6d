"""Checks that a charter's parts fit together and that its texts say what its rules do.

Each check is a function from the charter (and where its parts are written) to a
list of problems; :func:`check_charter` runs them all.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterator
from itertools import product

from charterdesk.core.charter import Charter, Commitment
from charterdesk.core.charter_calendars import build_calendar
from charterdesk.core.charter_source import SourceMap
from charterdesk.core.charter_texts import check_texts
from charterdesk.core.durations import Basis
from charterdesk.core.events import BUILTIN_EVENTS, DATED_EVENTS, STATES
from charterdesk.core.problems import CharterProblem

Check = Callable[[Charter, SourceMap], list[CharterProblem]]


def check_charter(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    """Names first; the checks that follow names are run only once the names are right,
    so that one typing mistake is reported once, not again as every consequence of it."""
    problems: list[CharterProblem] = []
    for stage in (NAMES, MEANING):
        for check in stage:
            problems.extend(check(charter, where))
        if any(problem.severity == "error" for problem in problems):
            break
    return problems


def _commitments(charter: Charter) -> Iterator[tuple[tuple[str | int, ...], Commitment]]:
    for index, commitment in enumerate(charter.commitments):
        yield ("commitments", index), commitment


def check_references(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    """Every name a charter uses is defined: events, calendars, case types, channels."""
    events = set(BUILTIN_EVENTS) | set(charter.events)
    problems: list[CharterProblem] = []

    def need(
        known: Collection[str],
        name: str | None,
        path: tuple[str | int, ...],
        what: str,
    ) -> None:
        if name is not None and name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "known: " + ", ".join(sorted(known))
            problems.append(
                where.problem(
                    path,
                    f"unknown-{what.replace(' ', '-')}",
                    f"unknown {what} {name!r}; {hint}",
                )
            )

    for path, c in _commitments(charter):
        need(charter.calendars, c.calendar, (*path, "calendar"), "calendar")
        need(events, c.starts.event, (*path, "starts"), "event")
        for key, names in (("met_by", c.met_by), ("restart_on", c.restart_on)):
            for i, name in enumerate(names):
                need(events, name, (*path, key, i), "event")
        for i, name in enumerate(c.pause_while):
            need(set(STATES), name, (*path, "pause_while", i), "state")
        for i, name in enumerate(c.applies.case_types or []):
            need(charter.case_types, name, (*path, "applies", "case_types", i), "case type")
        for i, name in enumerate(c.applies.channels or []):
            need(charter.channels, name, (*path, "applies", "channels", i), "channel")
        for i, name in enumerate(c.repeat.until if c.repeat else []):
            need(events, name, (*path, "repeat", "until", i), "event")
        for i, action in enumerate(c.on_breach):
            need(charter.texts, action.notify_customer, (*path, "on_breach", i), "text")
    for name, channel in charter.channels.items():
        for i, case_type in enumerate(channel.accepts or []):
            need(charter.case_types, case_type, ("channels", name, "accepts", i), "case type")
        need(charter.channels, channel.redirect_to, ("channels", name, "redirect_to"), "channel")
    for i, point in enumerate(charter.organization.contact_points):
        need(charter.channels, point.channel, ("organization", "contact_points", i), "channel")
    for i, body in enumerate(charter.external_bodies):
        for j, case_type in enumerate(body.case_types or []):
            need(
                charter.case_types, case_type, ("external_bodies", i, "case_types", j), "case type"
            )
    for i, case_type in enumerate(charter.appeal.case_types if charter.appeal else []):
        need(charter.case_types, case_type, ("appeal", "case_types", i), "case type")
    if charter.survey:
        need(events, charter.survey.after, ("survey", "after"), "event")
    return problems


def check_fields(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    """Date-field starts and field conditions name fields of the case types they apply to."""
    problems = []
    for path, c in _commitments(charter):
        types = c.applies.case_types or list(charter.case_types)
        date_field = c.starts.before or c.starts.after
        for case_type in types:
            if case_type not in charter.case_types:
                continue
            fields = {f.name: f for f in charter.case_types[case_type].fields}
            if date_field and (date_field not in fields or fields[date_field].kind != "date"):
                problems.append(
                    where.problem(
                        (*path, "starts"),
                        "unknown-field",
                        f"{case_type} cases have no date field {date_field!r}",
                    )
                )
            for name in c.applies.fields:
                if name not in fields:
                    problems.append(
                        where.problem(
                            (*path, "applies", "fields", name),
                            "unknown-field",
                            f"{case_type} cases have no field {name!r}",
                        )
                    )
    return problems


def check_durations(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    """Rule durations fit how the clock starts."""
    problems = []
    for path, c in _commitments(charter):
        bases = {d.basis for d in c.durations()}
        if (c.starts.before or c.starts.after) and bases != {Basis.WORKING_DAYS}:
            problems.append(
                where.problem(
                    (*path, "within"),
                    "duration-kind",
                    "a deadline before or after a date is 'N working days'",
                )
            )
        if Basis.STATED_DATE in bases and c.starts.event not in DATED_EVENTS:
            problems.append(
                where.problem(
                    (*path, "within"),
                    "duration-kind",
                    f"'stated date' needs a start that states a date ({' or '.join(DATED_EVENTS)})",
                )
            )
    return problems


def possible_cases(charter: Charter, commitment: Commitment) -> set[tuple[str, str]]:
    """Every (case type, channel) a commitment could apply to, given the channel rules."""
    types = commitment.applies.case_types or list(charter.case_types)
    channels = commitment.applies.channels or list(charter.channels)
    return {
        (case_type, name)
        for case_type, name in product(types, channels)
        if name in charter.channels and charter.channels[name].accepts_case(case_type)
    }


def check_applicability(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    """Commitments that can never apply, and chains that can never start."""
    problems = []
    reachable = _startable(charter)
    for path, c in _commitments(charter):
        if not possible_cases(charter, c):
            problems.append(
                where.problem(
                    (*path, "applies"),
                    "never-applies",
                    f"{c.id} can never apply: none of its channels accepts any of its case types",
                )
            )
        elif c.applies.received and _impossible_hours(charter, c):
            problems.append(
                where.problem(
                    (*path, "applies", "received"),
                    "never-applies",
                    f"{c.id} can never apply: its calendar has no "
                    f"{'working' if c.applies.received == 'in_hours' else 'closed'} hours",
                )
            )
        elif c.id not in reachable:
            problems.append(
                where.problem(
                    (*path, "starts"),
                    "chain-never-starts",
                    f"{c.id} starts on {c.starts.event!r}, which only "
                    "commitments that cannot apply to the same cases "
                    "(or that never start themselves) bring about",
                )
            )
    return problems


def _impossible_hours(charter: Charter, commitment: Commitment) -> bool:
    spec = charter.calendars.get(charter.calendar_of(commitment))
    if spec is None:
        return False
    hours = spec.intervals()
    if commitment.applies.received == "in_hours":
        return not any(hours.values()) and not spec.extra_open
    always = all(intervals == [("00:00", "24:00")] for intervals in hours.values())
    return always and not spec.closed and spec.holidays is None


def _startable(charter: Charter) -> set[str]:
    """Commitments that can start: by a spontaneous event, or after a step that can happen."""
    producers: dict[str, list[Commitment]] = {}
    for c in charter.commitments:
        for event in c.met_by:
            producers.setdefault(event, []).append(c)
    started: set[str] = set()
    changed = True
    while changed:
        changed = False
        for c in charter.commitments:
            if c.id in started:
                continue
            before = producers.get(c.starts.event or "", [])
            own = [p for p in before if p.id != c.id]
            if (
                c.starts.event is None
                or not own
                or any(
                    p.id in started and possible_cases(charter, p) & possible_cases(charter, c)
                    for p in own
                )
            ):
                started.add(c.id)
                changed = True
    return started


def check_calendars(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    """Each calendar can be built: sensible hours and a country with known holidays."""
    problems = []
    for name, spec in charter.calendars.items():
        try:
            build_calendar(charter, spec)
        except ValueError as error:
            problems.append(where.problem(("calendars", name), "bad-calendar", str(error)))
    return problems


def check_unique_ids(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    seen: dict[str, int] = {}
    problems = []
    for path, c in _commitments(charter):
        if c.id in seen:
            problems.append(
                where.problem(
                    (*path, "id"),
                    "duplicate-id",
                    f"{c.id!r} is already the id of commitment number {seen[c.id] + 1}",
                )
            )
        seen.setdefault(c.id, int(path[1]))
    return problems


def check_escalation(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    ladder = {step.role for step in charter.escalation}
    problems = []
    for path, c in _commitments(charter):
        for i, action in enumerate(c.on_breach):
            if action.escalate and action.escalate not in ladder:
                problems.append(
                    where.problem(
                        (*path, "on_breach", i),
                        "unknown-role",
                        f"escalates to {action.escalate!r}, which is not on the escalation ladder",
                    )
                )
    return problems


NAMES: tuple[Check, ...] = (
    check_calendars,
    check_references,
    check_fields,
    check_durations,
    check_unique_ids,
    check_escalation,
)
MEANING: tuple[Check, ...] = (check_applicability, check_texts)
