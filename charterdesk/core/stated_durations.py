"""Durations stated in customer-facing text, so the charter lint can check them.

``find_stated_durations("… подтверждается в течение 5 (Трех) рабочих дней.", "ru")``
finds one phrase, ``5 (Трех) рабочих дней``: amounts ``(5, 3)``, unit ``days``, working,
and self-contradictory because the digits and the words disagree.

Only *number + unit* phrases count: a number (digits or a numeral word in any case
form, optionally followed by a parenthesised second number), then optional qualifiers
and fillers, then a unit word. Dates, phone numbers, counts of other things
("6 шагов") and rates ("24 hours a day") are not durations. Ranges ("3-5 days",
"двух-трёх дней") are skipped rather than reported as a contradiction.

Matching is done on a folded copy of the text: lower case, diacritics and ``ё``
removed, one character for one character, so spans are those of the original text.

Languages: en, pl, ru, sr (Latin script), ro, az; a tag's primary subtag decides
("sr-Latn", "en-GB"). For any other tag every language's vocabulary is tried and the
longest phrase at each position is kept.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from charterdesk.core.duration_words import VOCABULARIES, Unit, Vocabulary

__all__ = ["LANGUAGES", "StatedDuration", "Unit", "find_stated_durations"]

LANGUAGES: tuple[str, ...] = tuple(VOCABULARIES)


@dataclass(frozen=True, kw_only=True, slots=True)
class StatedDuration:
    """One duration phrase found in a text."""

    amounts: tuple[int, ...]  # every number stated: (3,) normally; (5, 3) for "5 (Трех)"
    unit: Unit
    working: bool  # a working/business qualifier is present
    start: int  # span of the whole phrase in the text
    end: int
    text: str  # the phrase itself: text[start:end]

    @property
    def self_contradictory(self) -> bool:
        """True when the phrase states two different numbers ("5 (Трех)")."""
        return len(set(self.amounts)) > 1


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in itertools.chain(range(0x00C0, 0x0250), range(0x0400, 0x0460)):
        decomposed = unicodedata.normalize("NFD", chr(code))
        if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
            table[code] = decomposed[0].lower()
    table.update({ord(c): f for c, f in zip("łŁđĐəƏıİøØ", "llddeeiioo", strict=True)})
    return table


_FOLD = _fold_table()


def _fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping one character per character."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ".lower() is two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_FOLD)


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternative of folded phrases, longest first, spaces as any whitespace."""
    folded = sorted({_fold(p) for p in phrases}, key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in folded)


_DIGITS_AT = re.compile(r"\d+")
_RANGE_BEFORE = re.compile(r"(?:\d\s*[-‐‑–—]\s*|\w[-‐‑–—])$")  # "10 - 15 days", "двух-трёх"
_SEP = r"(?:\s+|\s*[-‐‑]\s*)"


@dataclass(frozen=True, slots=True)
class _Matcher:
    """One language's vocabulary, folded, and the regex built from it."""

    numbers: dict[str, int]
    units: dict[str, Unit]
    joiners: frozenset[str]
    pattern: re.Pattern[str]
    working: re.Pattern[str]

    @classmethod
    def build(cls, vocabulary: Vocabulary) -> _Matcher:
        numbers = {_fold(w): n for w, n in vocabulary.numbers.items()}
        units = {_fold(w): u for w, u in vocabulary.units.items()}
        qualifiers = vocabulary.working | vocabulary.calendar
        tens = _alternation(
            w for w, n in numbers.items() if n % 10 == 0 and n >= vocabulary.compound_tens_from
        )
        ones = _alternation(w for w, n in numbers.items() if n < 10)
        joiner = rf"(?:(?:{_alternation(vocabulary.joiners)})\s+)?" if vocabulary.joiners else ""
        suffix = (
            rf"(?:-(?:{_alternation(vocabulary.digit_suffixes)}))?"
            if vocabulary.digit_suffixes
            else ""
        )
        amount = (
            rf"(?:(?<![\w.,:/+‐‑–—-])\d+{suffix}"
            rf"|(?<!\w)(?:(?:{tens})[\s-]+{joiner}(?:{ones})|{_alternation(numbers)}))"
        )
        modifiers = vocabulary.fillers | (qualifiers if vocabulary.qualifier_before_unit else set())
        before = rf"(?:(?:{_alternation(modifiers)}){_SEP})*" if modifiers else ""
        after = (
            rf"(?:\s+(?P<after>{_alternation(qualifiers)})(?!\w))?"
            if vocabulary.qualifier_after_unit
            else ""
        )
        not_rate = rf"(?!\s+(?:{_alternation(vocabulary.rates)})(?!\w))" if vocabulary.rates else ""
        pattern = (
            rf"(?P<amount>{amount})"
            rf"(?:\s*\(\s*(?P<alt>{amount})\s*\))?"
            rf"(?:{_SEP}|(?<=\d))"
            rf"(?P<before>{before})"
            rf"(?P<unit>{_alternation(units)})(?!\w)"
            rf"{after}{not_rate}"
        )
        return cls(
            numbers=numbers,
            units=units,
            joiners=frozenset(_fold(w) for w in vocabulary.joiners),
            pattern=re.compile(pattern),
            working=re.compile(rf"(?<!\w)(?:{_alternation(vocabulary.working)})(?!\w)"),
        )

    def amount(self, phrase: str) -> int:
        digits = _DIGITS_AT.match(phrase)
        if digits is not None:
            return int(digits.group())
        words = re.findall(r"\w+", phrase)
        return sum(self.numbers[w] for w in words if w not in self.joiners)

    def find(self, text: str, folded: str) -> Iterator[StatedDuration]:
        for match in self.pattern.finditer(folded):
            start, end = match.span()
            if _RANGE_BEFORE.search(folded, max(0, start - 8), start):
                continue
            amounts = tuple(self.amount(match[g]) for g in ("amount", "alt") if match[g])
            working = bool(self.working.search(match["before"]))
            after = match.groupdict().get("after")
            if after is not None:
                working = working or bool(self.working.fullmatch(after))
            yield StatedDuration(
                amounts=amounts,
                unit=self.units[match["unit"]],
                working=working,
                start=start,
                end=end,
                text=text[start:end],
            )


_MATCHERS: dict[str, _Matcher] = {lang: _Matcher.build(v) for lang, v in VOCABULARIES.items()}


def _primary_subtag(lang: str) -> str:
    return lang.strip().lower().replace("_", "-").split("-")[0]


def find_stated_durations(text: str, lang: str) -> list[StatedDuration]:
    """Every duration phrase in ``text``, in order of appearance.

    ``lang`` is a language tag; its primary subtag picks the vocabulary ("sr-Latn" is
    Serbian). An unsupported tag does not raise: every known vocabulary is tried and,
    where phrases overlap, the earliest and then longest one wins.
    """
    folded = _fold(text)
    matcher = _MATCHERS.get(_primary_subtag(lang))
    if matcher is not None:
        return list(matcher.find(text, folded))
    candidates = sorted(
        (d for m in _MATCHERS.values() for d in m.find(text, folded)),
        key=lambda d: (d.start, -d.end),
    )
    found: list[StatedDuration] = []
    for duration in candidates:
        if not found or duration.start >= found[-1].end:
            found.append(duration)
    return found
