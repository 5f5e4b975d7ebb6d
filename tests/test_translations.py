"""The interface translations are complete, safe to format, and what Django loads.

``make messages`` gathers the strings into charterdesk/locale/*/LC_MESSAGES/django.po and
compiles the .mo files that are committed; docs/translating.md says how to translate.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from django.template.loader import render_to_string
from django.utils import translation

import charterdesk

LOCALE = Path(charterdesk.__file__).parent / "locale"

#: Language directory on disk -> (Django's code, Plural-Forms the .po must declare).
LANGUAGES = {
    "pl": ("pl", 3, "(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : 2)"),
    "ru": (
        "ru",
        3,
        "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2)",
    ),
    "sr_Latn": (
        "sr-latn",
        3,
        "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2)",
    ),
    "ro": ("ro", 3, "(n==1 ? 0 : (n==0 || (n%100>0 && n%100<20)) ? 1 : 2)"),
    "az": ("az", 2, "(n != 1)"),
}
TRANSLATED = sorted(LANGUAGES)
#: English is the source language: its catalog may stay empty, but it is compiled too.
COMPILED = [*TRANSLATED, "en"]

#: Named printf placeholders (%(name)s, %(count)d), positional ones (%s, %d) and
#: str.format fields ({reference}); "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%%|%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|(%[sdifr])|\{(\w+)\}")


def placeholders(text: str) -> list[str]:
    found = []
    for named, positional, field in PLACEHOLDER.findall(text):
        if named:
            found.append(f"%({named})")
        elif positional:
            found.append(positional)
        elif field:
            found.append(f"{{{field}}}")
    return sorted(found)


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@cache
def catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as f:
        return read_po(f)


def messages(language: str) -> list[Message]:
    return [m for m in catalog(language) if m.id]


def forms(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string or "",)


def ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)


def test_every_language_has_a_catalog() -> None:
    assert sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/django.po")) == sorted(
        COMPILED
    )
    assert len(messages("en")) > 100


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_header(language: str) -> None:
    _, count, expression = LANGUAGES[language]
    assert catalog(language).num_plurals == count
    assert catalog(language).plural_expr.replace(" ", "") == expression.replace(" ", "")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    _, count, _ = LANGUAGES[language]
    assert {m.id for m in messages(language)} == {m.id for m in messages("en")}
    untranslated = [
        m.id
        for m in messages(language)
        if not all(f.strip() for f in forms(m)) or (m.pluralizable and len(forms(m)) != count)
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", COMPILED)
def test_nothing_is_fuzzy(language: str) -> None:
    assert not catalog(language).fuzzy
    assert [m.id for m in messages(language) if "fuzzy" in m.flags] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_kept(language: str) -> None:
    """Every form keeps the source's placeholders: none lost, none invented (a name the
    code does not pass is a KeyError at run time)."""
    wrong = []
    for m in messages(language):
        expected = sorted(set().union(*(placeholders(i) for i in ids(m))))
        for form in forms(m):
            found = placeholders(form)
            if sorted(set(found)) != expected or (
                not m.pluralizable and found != placeholders(ids(m)[0])
            ):
                wrong.append((m.id, form))
    assert wrong == []


@pytest.mark.parametrize("language", COMPILED)
def test_committed_mo_matches_po(language: str) -> None:
    """The .mo Django loads says what the .po says (run `make messages` after editing)."""
    compiled = io.BytesIO()
    write_mo(compiled, catalog(language))
    compiled.seek(0)
    with po_path(language).with_suffix(".mo").open("rb") as f:
        assert translations(read_mo(f)) == translations(read_mo(compiled))


def translations(mo: Catalog) -> dict[tuple[str, ...], tuple[str, ...]]:
    return {ids(m): forms(m) for m in mo if m.id}


def test_console_strings_render_in_russian() -> None:
    with translation.override("ru"):
        assert translation.gettext("Queue") == "Очередь"
        assert "Нарушено" in render_to_string("console/_badge.html", {"state": "breached"})


@pytest.mark.parametrize("language", TRANSLATED)
def test_templates_render_translated(language: str) -> None:
    code, _, _ = LANGUAGES[language]
    (breached,) = [forms(m)[0] for m in messages(language) if m.id == "Breached"]
    with translation.override(code):
        assert translation.get_language() == code
        assert breached in render_to_string("console/_badge.html", {"state": "breached"})


MONTHS = ("%(n)d month", "%(n)d months")
YEARS = ("%(n)d year", "%(n)d years")


@pytest.mark.parametrize(
    ("code", "words", "n", "expected"),
    [
        ("pl", MONTHS, 1, "1 miesiąc"),
        ("pl", MONTHS, 3, "3 miesiące"),
        ("pl", MONTHS, 5, "5 miesięcy"),
        ("pl", MONTHS, 22, "22 miesiące"),
        ("ru", YEARS, 21, "21 год"),
        ("ru", YEARS, 3, "3 года"),
        ("ru", YEARS, 11, "11 лет"),
        ("sr-latn", MONTHS, 2, "2 meseca"),
        ("sr-latn", MONTHS, 12, "12 meseci"),
        ("ro", MONTHS, 2, "2 luni"),
        ("ro", MONTHS, 20, "20 de luni"),
        ("az", YEARS, 5, "5 il"),
    ],
)
def test_plural_forms_choose_the_right_words(
    code: str, words: tuple[str, str], n: int, expected: str
) -> None:
    with translation.override(code):
        assert translation.ngettext(*words, n) % {"n": n} == expected
