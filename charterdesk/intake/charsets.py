"""Bytes to text for any charset a customer's mail program sends, or forgets to name.

Pure (no Django). Never raises: a declared charset is tried first, then UTF-8, then the
single-byte charsets our customers write in (Windows-1251 and KOI8-R Russian, ISO-8859-2
Polish), chosen by which reads as words; ``errors="replace"`` is the last resort.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message
from typing import Any

#: Tried in this order when the declared charset is missing, unknown or wrong; a tie
#: goes to the earlier one.
GUESSES = ("cp1251", "koi8_r", "iso8859_2")

#: What mail programs write that Python does not know, or knows as something narrower.
_ALIASES = {
    "iso-8859-1": "cp1252",  # as browsers do: "latin-1" mail is nearly always Windows-1252
    "latin1": "cp1252",
    "win-1251": "cp1251",
    "windows-1251": "cp1251",
    "cp-1251": "cp1251",
    "x-cp1251": "cp1251",
    "win-1250": "cp1250",
    "x-cp1250": "cp1250",
    "koi8r": "koi8_r",
    "ks_c_5601-1987": "cp949",
    "x-mac-cyrillic": "mac_cyrillic",
    "iso-8859-8-i": "iso8859_8",
}
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def codec_for(charset: str | None) -> str | None:
    """The Python codec a declared charset names, or None if it names no text codec."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or "escape" in info.name:
        return None  # base64_codec, zlib_codec, unicode_escape...: not a charset
    return info.name


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Text from bytes declared as ``charset`` (which may be absent, unknown or wrong),
    without NUL characters (no database text column takes them)."""
    return _decode(data, charset).replace("\x00", "")


def _decode(data: bytes, charset: str | None) -> str:
    codec = codec_for(charset)
    if codec is not None:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            if codec == "cp1252":
                return data.decode("latin-1")
        except Exception:  # a codec with a bug of its own must not lose the mail
            pass
    return guess_text(data)


def guess_text(data: bytes) -> str:
    """Text from bytes in an unnamed charset."""
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best, best_score = "", 0
    for codec in GUESSES:
        text = data.decode(codec, errors="replace")
        score = plausibility(text)
        if score > best_score:
            best, best_score = text, score
    return best if best_score > 0 else data.decode("utf-8", errors="replace")


def plausibility(text: str) -> int:
    """How much ``text`` reads as words: one point per word in one script and in a
    sensible case (``Привет``, ``dzień``), minus one per word that is not (``рТЙЧЕФ``,
    a Polish word with a Cyrillic letter in it, ``Ďđčâĺň``). Words that are all ASCII
    say nothing about the charset and are skipped."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        cyrillic = len(_CYRILLIC.findall(word))
        sensible_case = word.islower() or word[1:].islower() or len(word) == 1
        if cyrillic == len(word):
            score += 1 if sensible_case else -1
        elif cyrillic:
            score -= 1  # Latin and Cyrillic in one word: the wrong charset
        else:
            accented = sum(1 for letter in word if not letter.isascii())
            score += 1 if sensible_case and accented * 2 <= len(word) else -1
    return score - 2 * text.count("\ufffd")


def payload_of(part: Message) -> Any:
    """``part.get_payload()``: a list of parts, or a string, even when the part's charset
    breaks it. The email package decodes a text part's raw 8-bit bytes with its ``charset``
    parameter, and raises ``ValueError`` for one no codec lookup can take (a NUL in it:
    found by fuzz/mail_parser.py); then the payload is taken as it was read (the raw bytes
    as surrogates), which the callers decode themselves."""
    try:
        return part.get_payload()
    except (ValueError, LookupError):
        return getattr(part, "_payload", "")
