"""Which of an organization's languages a customer wrote in. Pure (no Django).

A simple guess, enough to answer in the right language: letters only one language of
ours uses (``ə`` is Azerbaijani, ``ł`` Polish, ``ț`` Romanian, ``đ`` Serbian, Cyrillic
Russian) count three points each, and a few everyday words one each. Nothing found,
or a tie, gives the organization's first language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_LETTERS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "az": "əğı",
    "pl": "ąęłńśźż",
    "ro": "ăâîșțşţ",
    "sr": "đčćšž",
}
_WORDS = {
    "en": "the and is are you your to of my for please thank thanks order have not with",
    "pl": "nie jest się sie dzień dzien dobry proszę prosze że ze na do mam czy bardzo",
    "ro": "și si este pentru nu care cu am la vă va mulțumesc multumesc bună buna ziua",
    "sr": "je da se sam za molim hvala poštovani postovani nije što sto kako",
    "az": "və ve bu üçün ucun mən men salam xahiş xahis edirəm edirem sizin",
    "ru": "и в не на что я с по это как",
}
_WORD_SETS = {language: frozenset(words.split()) for language, words in _WORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+")


def _family(code: str) -> str:
    return code.lower().split("-", 1)[0]


def guess_language(text: str, languages: Sequence[str]) -> str | None:
    """One of ``languages`` (as written there, e.g. ``sr-Latn``), or None if ``languages``
    is empty."""
    if not languages:
        return None
    lowered = text.lower()[:20000]
    words = _TOKEN.findall(lowered)
    best, best_score, tie = languages[0], 0, False
    for code in languages:
        family = _family(code)
        letters = _LETTERS.get(family, "")
        score = 3 * sum(lowered.count(letter) for letter in letters) if letters else 0
        vocabulary = _WORD_SETS.get(family, frozenset())
        score += sum(1 for word in words if word in vocabulary)
        if score > best_score:
            best, best_score, tie = code, score, False
        elif score == best_score and score > 0:
            tie = True
    return languages[0] if tie or best_score == 0 else best
