"""Checks of what a charter tells customers: every language present, and every time
limit a text states agreeing with the rule that enforces it.

A published charter that says "5 (three) working days" in one place and "3 working
days" in another is exactly what a desk should catch before customers do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from charterdesk.core.charter import Charter, Commitment
from charterdesk.core.charter_source import SourceMap
from charterdesk.core.durations import Basis, Duration, parse_duration
from charterdesk.core.problems import CharterProblem
from charterdesk.core.stated_durations import StatedDuration, find_stated_durations

Path = tuple[str | int, ...]
_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800}


def check_texts(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    return [*_durations_in_texts(charter, where), *_missing_languages(charter, where)]


def _rules(commitment: Commitment) -> list[Duration]:
    rules = commitment.durations()
    if commitment.repeat:
        rules.append(parse_duration(commitment.repeat.every))
    if commitment.extension:
        rules.append(parse_duration(commitment.extension.max))
    return rules


def agrees(stated: StatedDuration, rule: Duration) -> bool:
    """Does a text's "within 3 working days" say what the rule does?"""
    if rule.basis == Basis.STATED_DATE or stated.working != rule.is_working:
        return False
    unit = stated.unit.removesuffix("s")
    if unit not in _SECONDS or rule.unit not in _SECONDS:
        return False
    if rule.basis in (Basis.WORKING_DAYS, Basis.WORKING_DAYS_SAME_CLOCK):
        return unit == "day" and set(stated.amounts) == {rule.amount}
    seconds = {amount * _SECONDS[unit] for amount in stated.amounts}
    return seconds == {rule.amount * _SECONDS[rule.unit]}


def _text_places(path: Path, commitment: Commitment) -> Iterator[tuple[Path, str, str]]:
    many = isinstance(commitment.text, list)
    for index, text in enumerate(commitment.texts()):
        base = (*path, "text", index) if many else (*path, "text")
        for language, words in text.items():
            yield (*base, language), language, words


def _durations_in_texts(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    problems = []
    for index, commitment in enumerate(charter.commitments):
        path: Path = ("commitments", index)
        rules = _rules(commitment)
        rule_place = _place(where, (*path, "within"))
        said = [
            (p, lang, s)
            for p, lang, words in _text_places(path, commitment)
            for s in find_stated_durations(words, lang)
        ]
        for place, language, stated in said:
            if stated.self_contradictory:
                numbers = " and ".join(str(a) for a in dict.fromkeys(stated.amounts))
                agreeing = sorted(
                    {
                        _place(where, p)
                        for p, lang, s in said
                        if lang == language
                        and not s.self_contradictory
                        and any(agrees(s, r) for r in rules)
                    }
                )
                elsewhere = f"; the same promise says {commitment.within} at " + ", ".join(
                    [*agreeing, f"{rule_place} (the rule)"]
                )
                problems.append(
                    where.problem(
                        place,
                        "text-contradicts-itself",
                        f"{commitment.id}: the {language} text says "
                        f"{stated.text!r}, which states {numbers} at once"
                        f"{elsewhere}",
                    )
                )
            elif not any(agrees(stated, rule) for rule in rules):
                problems.append(
                    where.problem(
                        place,
                        "text-contradicts-rule",
                        f"{commitment.id}: the {language} text says "
                        f"{stated.text!r}, but the rule at {rule_place} "
                        f"says {commitment.within}",
                    )
                )
    return problems


def _place(where: SourceMap, path: Path) -> str:
    line, column = where.position(path)
    return f"{where.source}:{line}:{column}"


def _customer_texts(charter: Charter) -> Iterator[tuple[Path, Mapping[str, str]]]:
    """Every text customers may read, with where it is written."""
    yield ("organization", "name"), charter.organization.name
    for name, case_type in charter.case_types.items():
        yield ("case_types", name, "title"), case_type.title
        for i, field in enumerate(case_type.fields):
            yield ("case_types", name, "fields", i, "label"), field.label
    for index, commitment in enumerate(charter.commitments):
        yield ("commitments", index, "title"), commitment.title
        many = isinstance(commitment.text, list)
        for i, text in enumerate(commitment.texts()):
            yield (
                (("commitments", index, "text", i) if many else ("commitments", index, "text")),
                text,
            )
    for key, text in charter.texts.items():
        yield ("texts", key), text
    for i, body in enumerate(charter.external_bodies):
        yield ("external_bodies", i, "name"), body.name
    if charter.appeal:
        yield ("appeal", "text"), charter.appeal.text
    if charter.conduct:
        yield ("conduct", "text"), charter.conduct.text
    for i, question in enumerate(charter.survey.questions if charter.survey else []):
        yield ("survey", "questions", i, "text"), question.text


def _missing_languages(charter: Charter, where: SourceMap) -> list[CharterProblem]:
    languages = charter.organization.languages
    problems = []
    for path, text in _customer_texts(charter):
        missing = [language for language in languages if language not in text]
        if missing:
            problems.append(
                where.problem(
                    path,
                    "missing-translation",
                    f"{where.readable(path)}: no {', '.join(missing)} text",
                    severity="warning",
                )
            )
    return problems
