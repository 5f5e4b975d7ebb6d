"""Durations stated in charter texts: the real seed sentences, then properties."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from charterdesk.core.duration_words import VOCABULARIES
from charterdesk.core.stated_durations import (
    LANGUAGES,
    StatedDuration,
    Unit,
    _fold,
    find_stated_durations,
)

# (amounts, unit, working, phrase)
Expected = tuple[tuple[int, ...], Unit, bool, str]


def _found(text: str, lang: str) -> list[Expected]:
    found = find_stated_durations(text, lang)
    for d in found:
        assert text[d.start : d.end] == d.text
    return [(d.amounts, d.unit, d.working, d.text) for d in found]


SEED_SENTENCES: list[tuple[str, str, list[Expected]]] = [
    # en: seed 000
    (
        "en",
        "Acknowledge emails sent to contact@leviatan.ro within 48 hours and respond fully "
        "within 2 working days",
        [((48,), "hours", False, "48 hours"), ((2,), "days", True, "2 working days")],
    ),
    (
        "en",
        "Return your call within one working day if you have left us a message",
        [((1,), "days", True, "one working day")],
    ),
    (
        "en",
        "See you within 1 working day of an appointment time",
        [((1,), "days", True, "1 working day")],
    ),
    (
        "en",
        "If your query can't be resolved within 5 days we will contact you",
        [((5,), "days", False, "5 days")],
    ),
    (
        "en",
        "Respond to complaints within 10 working days",
        [((10,), "days", True, "10 working days")],
    ),
    ("en", "Always answer the phone within working days", []),
    # pl: seed 001
    (
        "pl",
        "otrzymasz wstępną odpowiedź w ciągu 24 godzin od nadejścia e-maila lub listu",
        [((24,), "hours", False, "24 godzin")],
    ),
    (
        "pl",
        "w ciągu 3 dni roboczych od potwierdzenia",
        [((3,), "days", True, "3 dni roboczych")],
    ),
    (
        "pl",
        "w ciągu 7 dni roboczych od otrzymania pierwszej aktualizacji",
        [((7,), "days", True, "7 dni roboczych")],
    ),
    # ru: seeds 002 and 003
    (
        "ru",
        "ответим на него не позднее, чем в течение двух рабочих дней",
        [((2,), "days", True, "двух рабочих дней")],
    ),
    (
        "ru",
        "мы перезвоним Вам в течение трёх рабочих часов",
        [((3,), "hours", True, "трёх рабочих часов")],
    ),
    (
        "ru",
        "Получение жалобы подтверждается нами в течение двух дней с момента ее поступления",
        [((2,), "days", False, "двух дней")],
    ),
    (
        "ru",
        "дать исчерпывающий ответ в течение тридцати дней",
        [((30,), "days", False, "тридцати дней")],
    ),
    (
        "ru",
        "не позднее, чем за пять рабочих дней до даты экзамена",
        [((5,), "days", True, "пять рабочих дней")],
    ),
    (
        "ru",
        "не позднее пяти рабочих дней после их получения из Кембриджа",
        [((5,), "days", True, "пяти рабочих дней")],
    ),
    (
        "ru",
        "Регистрация жалобы подтверждается в течение 5 (Трех) рабочих дней.",
        [((5, 3), "days", True, "5 (Трех) рабочих дней")],
    ),
    (
        "ru",
        "Жалоба регистрируется в течение 3 рабочих дней.",
        [((3,), "days", True, "3 рабочих дней")],
    ),
    (
        "ru",
        "Мы стараемся решить жалобу в течение 10 дней, но если это невозможно",
        [((10,), "days", False, "10 дней")],
    ),
    ("ru", "6 шагов в процессе рассмотрения жалоб:", []),
    ("ru", "ТЕЛ.: 8(812)244-54-88", []),
    ("ru", "позвонив (*3388);", []),
    ("ru", "Ул. Маяковского д. 1, Санкт-Петербург", []),
    ("ru", "Наша электронная почта регулярно проверяется в течение рабочего дня.", []),
    # sr: seed 004
    (
        "sr",
        "Odgovaranje na telefonske poruke u roku od tri radna dana",
        [((3,), "days", True, "tri radna dana")],
    ),
    ("sr", "Najnovije ažuriranje 08 jul 2021", []),
    ("sr", "Svaki kontakt napravljen van ovih radnih sati biće rešen sledećeg radnog dana.", []),
]

OWN_SENTENCES: list[tuple[str, str, list[Expected]]] = [
    # ro
    (
        "ro",
        "Răspundem la e-mailuri în termen de 2 zile lucrătoare",
        [((2,), "days", True, "2 zile lucrătoare")],
    ),
    ("ro", "Confirmăm primirea în 48 de ore.", [((48,), "hours", False, "48 de ore")]),
    ("ro", "Vă contactăm în trei zile", [((3,), "days", False, "trei zile")]),
    ("ro", "în 2 zile lucratoare", [((2,), "days", True, "2 zile lucratoare")]),
    (  # comma-below and cedilla s
        "ro",
        "în șapte zile și în şapte zile",
        [((7,), "days", False, "șapte zile"), ((7,), "days", False, "şapte zile")],
    ),
    ("ro", "în termen de treizeci de zile", [((30,), "days", False, "treizeci de zile")]),
    ("ro", "o zi lucrătoare", [((1,), "days", True, "o zi lucrătoare")]),
    ("ro", "5 zile de lucru", [((5,), "days", True, "5 zile de lucru")]),
    ("ro", "20 de zile calendaristice", [((20,), "days", False, "20 de zile calendaristice")]),
    (
        "ro",
        "douăzeci și patru de ore",
        [((24,), "hours", False, "douăzeci și patru de ore")],
    ),
    ("ro", "în 6 luni", [((6,), "months", False, "6 luni")]),
    ("ro", "Program: luni - vineri, 09:00-17:00", []),
    ("ro", "deschis 24 de ore pe zi", []),
    # az
    (
        "az",
        "Şikayətin qeydiyyatı 3 iş günü ərzində təsdiqlənir",
        [((3,), "days", True, "3 iş günü")],
    ),
    ("az", "48 saat ərzində cavab veririk", [((48,), "hours", False, "48 saat")]),
    ("az", "beş iş günü", [((5,), "days", True, "beş iş günü")]),
    ("az", "otuz gün ərzində", [((30,), "days", False, "otuz gün")]),
    ("az", "On bir gün", [((11,), "days", False, "On bir gün")]),
    ("az", "İki həftə", [((2,), "weeks", False, "İki həftə")]),
    ("az", "3 ay ərzində", [((3,), "months", False, "3 ay")]),
    ("az", "ay ərzində", []),
    ("az", "Bir iş saatı", [((1,), "hours", True, "Bir iş saatı")]),
    # en, further forms
    ("en", "a 24h line", [((24,), "hours", False, "24h")]),
    ("en", "within 48 h", [((48,), "hours", False, "48 h")]),
    ("en", "our 48-hour promise", [((48,), "hours", False, "48-hour")]),
    ("en", "a 3-day turnaround", [((3,), "days", False, "3-day")]),
    ("en", "within twenty-four hours", [((24,), "hours", False, "twenty-four hours")]),
    ("en", "within thirty days", [((30,), "days", False, "thirty days")]),
    ("en", "three (3) working days", [((3, 3), "days", True, "three (3) working days")]),
    ("en", "within 5 (three) business days", [((5, 3), "days", True, "5 (three) business days")]),
    ("en", "within 10 (ten) days", [((10, 10), "days", False, "10 (ten) days")]),
    ("en", "within 3 working hours", [((3,), "hours", True, "3 working hours")]),
    ("en", "within 10 calendar days", [((10,), "days", False, "10 calendar days")]),
    ("en", "within 5 full working days", [((5,), "days", True, "5 full working days")]),
    ("en", "We spent 5 days working on it", [((5,), "days", False, "5 days")]),
    ("en", "ISO 10002 and 24/7 support", []),
    ("en", "open 24 hours a day, 7 days a week", []),
    ("en", "within 3-5 days", []),
    ("en", "within 10 - 15 days", []),
    ("en", "within 1.5 hours", []),
    ("en", "on the 1st day", []),
    ("en", "Last updated 08 Jul 2021, call 0800 123 4567", []),
    # pl, further forms
    ("pl", "w ciągu jednego dnia roboczego", [((1,), "days", True, "jednego dnia roboczego")]),
    ("pl", "w ciągu trzech dni", [((3,), "days", False, "trzech dni")]),
    ("pl", "w ciągu 3 (trzech) dni", [((3, 3), "days", False, "3 (trzech) dni")]),
    ("pl", "w ciągu trzydziestu dni", [((30,), "days", False, "trzydziestu dni")]),
    ("pl", "w ciągu 14 dni kalendarzowych", [((14,), "days", False, "14 dni kalendarzowych")]),
    ("pl", "w ciągu dwóch tygodni", [((2,), "weeks", False, "dwóch tygodni")]),
    ("pl", "w ciągu pięciu robocze dni", [((5,), "days", True, "pięciu robocze dni")]),
    ("pl", "dostępni 24 godziny na dobę, 7 dni w tygodniu", []),
    # ru, further forms
    ("ru", "в течение 3-х рабочих дней", [((3,), "days", True, "3-х рабочих дней")]),
    ("ru", "в течение одного рабочего дня", [((1,), "days", True, "одного рабочего дня")]),
    ("ru", "в течение одной недели", [((1,), "weeks", False, "одной недели")]),
    ("ru", "в течение трех суток", [((3,), "days", False, "трех суток")]),
    ("ru", "в течение 10 календарных дней", [((10,), "days", False, "10 календарных дней")]),
    ("ru", "в течение 24 часов", [((24,), "hours", False, "24 часов")]),
    (
        "ru",
        "в течение двадцати четырёх часов",
        [((24,), "hours", False, "двадцати четырёх часов")],
    ),
    ("ru", "в течение ДВУХ МЕСЯЦЕВ", [((2,), "months", False, "ДВУХ МЕСЯЦЕВ")]),
    ("ru", "в течение 15 минут", [((15,), "minutes", False, "15 минут")]),
    ("ru", "в течение 2-3 дней", []),
    ("ru", "в течение двух-трёх дней", []),
    ("ru", "работаем 24 часа в сутки, 7 дней в неделю", []),
    ("ru", "согласно п. 5 ч. 2 ст. 8 закона", []),
    # sr, further forms
    ("sr", "u roku od 24 sata", [((24,), "hours", False, "24 sata")]),
    ("sr", "u roku od 24 časa", [((24,), "hours", False, "24 časa")]),
    ("sr", "u roku od jednog radnog dana", [((1,), "days", True, "jednog radnog dana")]),
    ("sr", "u roku od dva dana", [((2,), "days", False, "dva dana")]),
    ("sr", "u roku od dve nedelje", [((2,), "weeks", False, "dve nedelje")]),
    ("sr", "u roku od trideset dana", [((30,), "days", False, "trideset dana")]),
    ("sr", "u roku od 5 radnih dana", [((5,), "days", True, "5 radnih dana")]),
    ("sr", "u roku od dvadeset i četiri sata", [((24,), "hours", False, "dvadeset i četiri sata")]),
    ("sr", "dostupni 24 sata dnevno", []),
]


@pytest.mark.parametrize(("lang", "text", "expected"), SEED_SENTENCES + OWN_SENTENCES)
def test_sentences(lang: str, text: str, expected: list[Expected]) -> None:
    assert _found(text, lang) == expected


def test_the_seed_contradiction_is_self_contradictory() -> None:
    (stated,) = find_stated_durations(
        "Регистрация жалобы подтверждается в течение 5 (Трех) рабочих дней.", "ru"
    )
    assert stated.amounts == (5, 3)
    assert stated.self_contradictory
    (plain,) = find_stated_durations("Жалоба регистрируется в течение 3 рабочих дней", "ru")
    assert not plain.self_contradictory
    (agreeing,) = find_stated_durations("within three (3) working days", "en")
    assert not agreeing.self_contradictory


def test_two_durations_in_one_sentence_come_in_order_with_spans() -> None:
    text = "Мы подтвердим жалобу в течение 3 рабочих дней и решим её в течение тридцати дней."
    found = find_stated_durations(text, "ru")
    assert [d.text for d in found] == ["3 рабочих дней", "тридцати дней"]
    assert [text[d.start : d.end] for d in found] == ["3 рабочих дней", "тридцати дней"]
    assert found[0].start == text.index("3 рабочих")
    assert found[1].end == text.index(" дней.") + len(" дней")
    assert [(d.amounts, d.working) for d in found] == [((3,), True), ((30,), False)]


def test_whole_seed_paragraph() -> None:
    text = (
        "Мы стараемся решить проблему на месте, но это не всегда возможно. Регистрация жалобы "
        "подтверждается в течение 5 (Трех) рабочих дней. С момента поступления жалобы она "
        "рассматривается в первую очередь. Мы стараемся решить жалобу в течение 10 дней.\n"
        "  1. 6 шагов в процессе рассмотрения жалоб:\n"
        "Отмечаем: Жалоба регистрируется в течение 3 рабочих дней."
    )
    assert _found(text, "ru") == [
        ((5, 3), "days", True, "5 (Трех) рабочих дней"),
        ((10,), "days", False, "10 дней"),
        ((3,), "days", True, "3 рабочих дней"),
    ]


@pytest.mark.parametrize("lang", ["sr-Latn", "sr_latn", "SR", " sr "])
def test_language_tags_pick_the_primary_subtag(lang: str) -> None:
    assert _found("u roku od tri radna dana", lang) == [((3,), "days", True, "tri radna dana")]


def test_unknown_language_tries_every_vocabulary() -> None:
    text = "5 (Трех) рабочих дней; 3 dni roboczych; 2 zile lucrătoare; 3 iş günü; 48 hours"
    assert _found(text, "xx") == [
        ((5, 3), "days", True, "5 (Трех) рабочих дней"),
        ((3,), "days", True, "3 dni roboczych"),
        ((2,), "days", True, "2 zile lucrătoare"),
        ((3,), "days", True, "3 iş günü"),
        ((48,), "hours", False, "48 hours"),
    ]


def test_self_contradictory_property() -> None:
    stated = StatedDuration(amounts=(5, 3), unit="days", working=True, start=0, end=1, text="x")
    assert stated.self_contradictory
    assert not StatedDuration(
        amounts=(3, 3), unit="days", working=True, start=0, end=1, text="x"
    ).self_contradictory


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_folded_word_has_two_meanings(lang: str) -> None:
    v = VOCABULARIES[lang]
    groups = [
        set(v.numbers),
        set(v.units),
        set(v.working | v.calendar),
        set(v.fillers),
        set(v.joiners),
    ]
    folded = [{_fold(w) for w in g} for g in groups]
    for i, a in enumerate(folded):
        for b in folded[i + 1 :]:
            assert not a & b
    numbers: dict[str, int] = {}
    for word, n in v.numbers.items():
        assert numbers.setdefault(_fold(word), n) == n


@pytest.mark.parametrize("lang", LANGUAGES)
def test_numbers_one_to_ten_and_thirty_are_words(lang: str) -> None:
    values = set(VOCABULARIES[lang].numbers.values())
    assert {*range(1, 11), 20, 30} <= values


# --- properties -----------------------------------------------------------------------

UNITS: list[Unit] = ["minutes", "hours", "days", "weeks", "months"]


def _slavic(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _en(n: int, unit: Unit) -> str:
    return f"within {n} {unit[:-1] if n == 1 else unit} "


_RU = {
    "minutes": ("минута", "минуты", "минут"),
    "hours": ("час", "часа", "часов"),
    "days": ("день", "дня", "дней"),
    "weeks": ("неделя", "недели", "недель"),
    "months": ("месяц", "месяца", "месяцев"),
}
_PL = {
    "minutes": ("minuta", "minuty", "minut"),
    "hours": ("godzina", "godziny", "godzin"),
    "days": ("dzień", "dni", "dni"),
    "weeks": ("tydzień", "tygodnie", "tygodni"),
    "months": ("miesiąc", "miesiące", "miesięcy"),
}
_SR = {
    "minutes": ("minut", "minuta", "minuta"),
    "hours": ("sat", "sata", "sati"),
    "days": ("dan", "dana", "dana"),
    "weeks": ("nedelja", "nedelje", "nedelja"),
    "months": ("mesec", "meseca", "meseci"),
}
_RO = {
    "minutes": ("minut", "minute"),
    "hours": ("oră", "ore"),
    "days": ("zi", "zile"),
    "weeks": ("săptămână", "săptămâni"),
    "months": ("lună", "luni"),
}
_AZ = {"minutes": "dəqiqə", "hours": "saat", "days": "gün", "weeks": "həftə", "months": "ay"}


def _ru(n: int, unit: Unit) -> str:
    return f"в течение {n} {_slavic(n, *_RU[unit])} "


def _pl(n: int, unit: Unit) -> str:
    one, few, many = _PL[unit]
    return f"w ciągu {n} {one if n == 1 else _slavic(n, many, few, many)} "


def _sr(n: int, unit: Unit) -> str:
    return f"u roku od {n} {_slavic(n, *_SR[unit])} "


def _ro(n: int, unit: Unit) -> str:
    one, other = _RO[unit]
    return f"în termen de {n} {one if n == 1 else ('de ' if n >= 20 else '') + other} "


def _az(n: int, unit: Unit) -> str:
    return f"{n} {_AZ[unit]} ərzində "


FORMATTERS: dict[str, Callable[[int, Unit], str]] = {
    "en": _en,
    "ru": _ru,
    "pl": _pl,
    "sr": _sr,
    "ro": _ro,
    "az": _az,
}


def test_every_language_has_a_formatter() -> None:
    assert set(FORMATTERS) == set(LANGUAGES)


@given(
    n=st.integers(min_value=1, max_value=31),
    lang=st.sampled_from(LANGUAGES),
    unit=st.sampled_from(UNITS),
)
def test_digits_and_unit_round_trip(n: int, lang: str, unit: Unit) -> None:
    text = FORMATTERS[lang](n, unit)
    (stated,) = find_stated_durations(text, lang)
    assert (stated.amounts, stated.unit, stated.working) == ((n,), unit, False)
    assert text[stated.start : stated.end] == stated.text
    assert stated.text.startswith(str(n))


def _working_days(lang: str, n: int) -> str:
    de = "de " if n >= 20 else ""
    return {
        "en": f"{n} working {'day' if n == 1 else 'days'}",
        "ru": f"{n} {_slavic(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}",
        "pl": f"{n} {'dzień roboczy' if n == 1 else 'dni roboczych'}",
        "sr": f"{n} {_slavic(n, 'radni dan', 'radna dana', 'radnih dana')}",
        "ro": f"{n} {'zi lucrătoare' if n == 1 else de + 'zile lucrătoare'}",
        "az": f"{n} iş günü",
    }[lang]


@given(n=st.integers(min_value=1, max_value=31), lang=st.sampled_from(LANGUAGES))
def test_working_days_round_trip(n: int, lang: str) -> None:
    phrase = _working_days(lang, n)
    text = f"({phrase}), "
    assert _found(text, lang) == [((n,), "days", True, phrase)]


@given(text=st.text(), lang=st.sampled_from([*LANGUAGES, "xx"]))
def test_any_text_gives_consistent_spans(text: str, lang: str) -> None:
    found = find_stated_durations(text, lang)
    assert len(_fold(text)) == len(text)
    previous_end = 0
    for d in found:
        assert previous_end <= d.start < d.end <= len(text)
        assert text[d.start : d.end] == d.text
        assert d.amounts
        previous_end = d.end
