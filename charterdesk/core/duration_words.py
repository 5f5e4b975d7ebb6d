"""The words a charter text may use to state a duration, one table per language.

Used by :mod:`charterdesk.core.stated_durations`. Words are written here as a native
speaker writes them (diacritics, ``ё``, ``ş``/``ș``); the matcher folds case and
diacritics on both sides, so ``Трех``/``трёх`` and ``lucratoare``/``lucrătoare`` are equal
and no table needs a spelling variant that only differs in those.

Tables list word forms separated by spaces; a form that is itself several words (a
rate such as ``a day``) is given as a tuple entry instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

Unit = Literal["minutes", "hours", "days", "weeks", "months"]

_K = TypeVar("_K")


def _forms(table: Mapping[_K, str]) -> dict[str, _K]:
    """Invert ``{value: "form form form"}`` into ``{form: value}``."""
    inverted: dict[str, _K] = {}
    for value, forms in table.items():
        for form in forms.split():
            if inverted.setdefault(form, value) != value:
                raise ValueError(f"{form!r} means both {inverted[form]!r} and {value!r}")
    return inverted


def _words(forms: str) -> frozenset[str]:
    return frozenset(forms.split())


@dataclass(frozen=True, kw_only=True, slots=True)
class Vocabulary:
    """How one language states "N [working] units"."""

    numbers: Mapping[str, int]  # numeral forms, every case form, 1..31 and round tens
    units: Mapping[str, Unit]  # every form of every unit word (only accepted after a number)
    working: frozenset[str]  # qualifier meaning working/business time
    calendar: frozenset[str] = frozenset()  # qualifier meaning calendar time (not working)
    qualifier_before_unit: bool = True  # "3 working days", "трёх рабочих часов", "3 iş günü"
    qualifier_after_unit: bool = False  # "3 dni roboczych", "2 zile lucrătoare"
    fillers: frozenset[str] = frozenset()  # tolerated between number and unit: ro "de", "full"
    joiners: frozenset[str] = frozenset()  # inside compound numerals: ro "și", sr "i"
    digit_suffixes: frozenset[str] = frozenset()  # case endings glued to digits: ru "3-х"
    compound_tens_from: int = 20  # smallest tens word that takes a ones word: az "on bir"
    rates: tuple[str, ...] = ()  # a following phrase that makes it a rate: "24 hours a day"


def _rates(prepositions: str, periods: str) -> tuple[str, ...]:
    return tuple(f"{p} {q}" for p in prepositions.split() for q in periods.split())


EN = Vocabulary(
    numbers=_forms(
        {
            1: "one",
            2: "two",
            3: "three",
            4: "four",
            5: "five",
            6: "six",
            7: "seven",
            8: "eight",
            9: "nine",
            10: "ten",
            11: "eleven",
            12: "twelve",
            13: "thirteen",
            14: "fourteen",
            15: "fifteen",
            16: "sixteen",
            17: "seventeen",
            18: "eighteen",
            19: "nineteen",
            20: "twenty",
            30: "thirty",
            40: "forty",
            50: "fifty",
            60: "sixty",
            70: "seventy",
            80: "eighty",
            90: "ninety",
        }
    ),
    units=_forms(
        {
            "minutes": "minute minutes min mins",
            "hours": "hour hours hr hrs h",
            "days": "day days",
            "weeks": "week weeks",
            "months": "month months",
        }
    ),
    working=_words("working business"),
    calendar=_words("calendar"),
    fillers=_words("full clear complete consecutive further additional more"),
    rates=_rates("a an per each every", "hour day week month year"),
)

PL = Vocabulary(
    numbers=_forms(
        {
            1: "jeden jedna jedno jednego jednej jednemu jednym jedną",
            2: "dwa dwie dwóch dwu dwom dwóm dwoma dwiema",
            3: "trzy trzech trzem trzema",
            4: "cztery czterech czterem czterema",
            5: "pięć pięciu pięcioma",
            6: "sześć sześciu sześcioma",
            7: "siedem siedmiu siedmioma",
            8: "osiem ośmiu ośmioma",
            9: "dziewięć dziewięciu dziewięcioma",
            10: "dziesięć dziesięciu dziesięcioma",
            11: "jedenaście jedenastu jedenastoma",
            12: "dwanaście dwunastu dwunastoma",
            13: "trzynaście trzynastu trzynastoma",
            14: "czternaście czternastu czternastoma",
            15: "piętnaście piętnastu piętnastoma",
            16: "szesnaście szesnastu szesnastoma",
            17: "siedemnaście siedemnastu siedemnastoma",
            18: "osiemnaście osiemnastu osiemnastoma",
            19: "dziewiętnaście dziewiętnastu dziewiętnastoma",
            20: "dwadzieścia dwudziestu dwudziestoma",
            30: "trzydzieści trzydziestu trzydziestoma",
            40: "czterdzieści czterdziestu czterdziestoma",
            50: "pięćdziesiąt pięćdziesięciu",
            60: "sześćdziesiąt sześćdziesięciu",
        }
    ),
    units=_forms(
        {
            "minutes": "minuta minuty minut minutę minucie minutach minutami min",
            "hours": "godzina godziny godzin godzinę godzinie godzinach godzinami godz h",
            "days": "dzień dni dnia dniu dniach dniami doba doby dób dobę",
            "weeks": "tydzień tygodnie tygodni tygodnia tygodniu tygodniach tygodniami",
            "months": "miesiąc miesiące miesięcy miesiąca miesiącu miesiącach miesiącami",
        }
    ),
    working=_words("roboczy robocza robocze roboczą roboczego roboczej roboczych roboczym"),
    calendar=_words("kalendarzowy kalendarzowe kalendarzowego kalendarzowych kalendarzowym"),
    qualifier_after_unit=True,
    fillers=_words("pełne pełnych kolejne kolejnych dodatkowe dodatkowych"),
    rates=(
        *_rates("na", "godzinę dobę dzień tydzień miesiąc rok"),
        *_rates("w", "tygodniu miesiącu roku"),
        "dziennie",
        "tygodniowo",
    ),
)

RU = Vocabulary(
    numbers=_forms(
        {
            1: "один одна одно одни одного одной одному одним одном одну одних",
            2: "два две двух двум двумя двое двоих",
            3: "три трёх трём тремя трое троих",
            4: "четыре четырёх четырём четырьмя четверо четверых",
            5: "пять пяти пятью пятеро",
            6: "шесть шести шестью шестеро",
            7: "семь семи семью семеро",
            8: "восемь восьми восемью восьмью",
            9: "девять девяти девятью",
            10: "десять десяти десятью",
            11: "одиннадцать одиннадцати одиннадцатью",
            12: "двенадцать двенадцати двенадцатью",
            13: "тринадцать тринадцати тринадцатью",
            14: "четырнадцать четырнадцати четырнадцатью",
            15: "пятнадцать пятнадцати пятнадцатью",
            16: "шестнадцать шестнадцати шестнадцатью",
            17: "семнадцать семнадцати семнадцатью",
            18: "восемнадцать восемнадцати восемнадцатью",
            19: "девятнадцать девятнадцати девятнадцатью",
            20: "двадцать двадцати двадцатью",
            30: "тридцать тридцати тридцатью",
            40: "сорок сорока",
            50: "пятьдесят пятидесяти пятьюдесятью",
            60: "шестьдесят шестидесяти шестьюдесятью",
        }
    ),
    units=_forms(
        {
            "minutes": "минута минуты минут минуту минуте минутам минутами минутах мин",
            "hours": "час часа часов часу часе часам часами часах",  # not "ч": "п. 5 ч. 2 ст. 8"
            "days": "день дня дней дню дне дням днями днях дн сутки суток суткам сутками сутках",
            "weeks": "неделя недели недель неделю неделе неделям неделями неделях нед",
            "months": "месяц месяца месяцев месяцу месяце месяцам месяцами месяцах мес",
        }
    ),
    working=_words(
        "рабочий рабочая рабочее рабочие рабочего рабочей рабочему рабочим рабочих рабочую "
        "рабочем рабочими"
    ),
    calendar=_words(
        "календарный календарная календарные календарного календарной календарных "
        "календарным календарными"
    ),
    fillers=_words("полных полные полный полного полным дополнительных дополнительные"),
    digit_suffixes=_words("х ти ми го ого му ому м й ой и ух ех ёх"),
    rates=(*_rates("в", "час сутки день неделю месяц год"), "ежедневно", "еженедельно"),
)

SR = Vocabulary(  # Serbian, Latin script (ekavian, with the common ijekavian unit forms)
    numbers=_forms(
        {
            1: "jedan jedna jedno jednog jednoga jednom jednome jedne jednu",
            2: "dva dve dvije dvaju dvema dvama dvoje",
            3: "tri triju trima troje",
            4: "četiri četiriju četirima",
            5: "pet",
            6: "šest",
            7: "sedam",
            8: "osam",
            9: "devet",
            10: "deset",
            11: "jedanaest",
            12: "dvanaest",
            13: "trinaest",
            14: "četrnaest",
            15: "petnaest",
            16: "šesnaest",
            17: "sedamnaest",
            18: "osamnaest",
            19: "devetnaest",
            20: "dvadeset",
            30: "trideset",
            40: "četrdeset",
            50: "pedeset",
            60: "šezdeset",
        }
    ),
    units=_forms(
        {
            "minutes": "minut minuta minute minuti minutu minutama min",
            "hours": "sat sata sati satu satima čas časa časova h",
            "days": "dan dana dani danu danima",
            "weeks": (
                "nedelja nedelje nedelju nedelji nedeljama nedjelja nedjelje nedjelju "
                "sedmica sedmice sedmicu sedmici sedmicama tjedan tjedna tjedana"
            ),
            "months": "mesec meseca meseci mesecu mesecima mjesec mjeseca mjeseci mjesecu",
        }
    ),
    working=_words("radni radna radno radne radnih radnog radnoga radnom radnim radnu"),
    calendar=_words("kalendarski kalendarska kalendarske kalendarskih kalendarskog"),
    fillers=_words("punih puna pune dodatnih dodatna"),
    joiners=_words("i"),
    rates=(
        *_rates("na u", "sat dan danu nedelji sedmici mesecu"),
        "dnevno",
        "nedeljno",
        "nedjeljno",
        "sedmično",
        "mesečno",
    ),
)

RO = Vocabulary(
    numbers=_forms(
        {
            1: "unu un una o",
            2: "doi două",
            3: "trei",
            4: "patru",
            5: "cinci",
            6: "șase",
            7: "șapte",
            8: "opt",
            9: "nouă",
            10: "zece",
            11: "unsprezece unșpe",
            12: "doisprezece douăsprezece doișpe",
            13: "treisprezece treișpe",
            14: "paisprezece paișpe",
            15: "cincisprezece cinșpe",
            16: "șaisprezece șaișpe",
            17: "șaptesprezece șapteșpe",
            18: "optsprezece optișpe",
            19: "nouăsprezece nouășpe",
            20: "douăzeci",
            30: "treizeci",
            40: "patruzeci",
            50: "cincizeci",
            60: "șaizeci",
        }
    ),
    units=_forms(
        {
            "minutes": "minut minute minutul minutele min",
            "hours": "oră ore orei orele h",
            "days": "zi zile zilei zilele",
            "weeks": "săptămână săptămâni săptămânii săptămânile",
            "months": "lună luni lunii lunile",  # "luni" is also Monday: only after a number
        }
    ),
    working=frozenset({"lucrătoare", "lucrător", "lucrători", "de lucru"}),
    calendar=_words("calendaristice calendaristică calendaristic calendaristici"),
    qualifier_before_unit=False,
    qualifier_after_unit=True,
    fillers=_words("de"),  # "48 de ore": numbers from 20 up take "de"
    joiners=_words("și"),
    rates=_rates("pe", "oră zi săptămână lună an"),
)

AZ = Vocabulary(
    numbers=_forms(
        {
            1: "bir",
            2: "iki",
            3: "üç",
            4: "dörd",
            5: "beş",
            6: "altı",
            7: "yeddi",
            8: "səkkiz",
            9: "doqquz",
            10: "on",
            20: "iyirmi",
            30: "otuz",
            40: "qırx",
            50: "əlli",
            60: "altmış",
        }
    ),
    units=_forms(
        {
            "minutes": "dəqiqə dəqiqəyə dəqiqədə dəqiqədən dəqiqəlik dəq",
            "hours": "saat saatı saata saatda saatdan saatın saatlıq",
            "days": "gün günü günə gündə gündən günün günlük",
            "weeks": "həftə həftəyə həftədə həftədən həftənin həftəlik",
            "months": "ay ayı aya ayda aydan ayın aylıq",  # "ay" only after a number
        }
    ),
    working=_words("iş"),  # "3 iş günü"
    calendar=_words("təqvim"),
    compound_tens_from=10,  # "on bir" = 11
)

VOCABULARIES: Mapping[str, Vocabulary] = {
    "en": EN,
    "pl": PL,
    "ru": RU,
    "sr": SR,
    "ro": RO,
    "az": AZ,
}
