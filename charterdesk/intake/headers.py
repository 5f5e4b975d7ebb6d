"""Header values as text, whatever the sender did to them. Pure (no Django); never raises.

The ``email`` package's own header objects raise or give up on some real mail (an
encoded word in an unknown charset, raw 8-bit bytes, a split multi-byte letter), so
intake reads the raw values and decodes them here, with :mod:`charterdesk.intake.charsets`.
"""

from __future__ import annotations

import base64
import binascii
import re
from email.message import Message
from email.utils import getaddresses, parseaddr

from charterdesk.intake.charsets import decode_text, guess_text

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"\?=\s+=\?")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_SURROGATES = re.compile(r"[\udc80-\udcff]")


def raw_values(message: Message, name: str) -> list[str]:
    """Every raw value of header ``name``, unfolded, in order."""
    wanted = name.lower()
    found = []
    for key, value in message.raw_items():
        if key.lower() == wanted:
            found.append(_FOLD.sub("", str(value)).strip())
    return found


def raw_value(message: Message, name: str) -> str:
    values = raw_values(message, name)
    return values[0] if values else ""


def header_text(raw: str) -> str:
    """The text of a raw header value: raw 8-bit bytes in a guessed charset, RFC 2047
    encoded words in theirs (adjacent words of one charset decoded together, so a letter
    split between two words survives). No NUL characters."""
    raw = raw.replace("\x00", "")
    if _SURROGATES.search(raw):
        raw = guess_text(raw.encode("ascii", "surrogateescape"))
    if "=?" not in raw:
        return raw
    raw = _BETWEEN_WORDS.sub("?==?", raw)  # whitespace between encoded words is not text
    pieces: list[str] = []
    pending: list[bytes] = []
    pending_charset = ""
    position = 0

    def flush() -> None:
        if pending:
            pieces.append(decode_text(b"".join(pending), pending_charset))
            pending.clear()

    for match in _ENCODED_WORD.finditer(raw):
        charset = match.group(1).split("*", 1)[0]
        data = _word_bytes(match.group(2), match.group(3))
        if data is None:
            continue
        if match.start() > position or charset.lower() != pending_charset.lower():
            flush()
            pieces.append(raw[position : match.start()])
            pending_charset = charset
        pending.append(data)
        position = match.end()
    flush()
    pieces.append(raw[position:])
    return "".join(pieces)


def _word_bytes(encoding: str, text: str) -> bytes | None:
    if encoding in "bB":
        try:
            return base64.b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            return None
    data = text.replace("_", " ").encode("ascii", "replace")
    out = bytearray()
    index = 0
    while index < len(data):
        if data[index : index + 1] == b"=" and index + 2 < len(data):
            try:
                out.append(int(data[index + 1 : index + 3], 16))
                index += 3
                continue
            except ValueError:
                pass
        out.append(data[index])
        index += 1
    return bytes(out)


def decoded(message: Message, name: str) -> str:
    """The text of the first ``name`` header, or ``""``."""
    return " ".join(header_text(raw_value(message, name)).split())


def addresses(message: Message, *names: str) -> list[tuple[str, str]]:
    """(display name, address) for every address in the named headers, in order; the
    address lowercased, display names decoded; entries without an ``@`` left out."""
    found: list[tuple[str, str]] = []
    for name in names:
        for raw in raw_values(message, name):
            value = raw.encode("ascii", "surrogateescape").decode("utf-8", "replace")
            value = value.replace("\x00", "")
            for display, address in getaddresses([value]):
                address = address.strip().strip("<>").lower()
                if "@" in address and " " not in address:
                    found.append((" ".join(header_text(display).split()), address))
    return found


def first_address(message: Message, name: str) -> tuple[str, str]:
    found = addresses(message, name)
    return found[0] if found else ("", "")


def envelope_sender(message: Message) -> str | None:
    """The Return-Path address: ``""`` for the null sender ``<>``, None when absent."""
    values = raw_values(message, "Return-Path")
    if not values:
        return None
    value = _storable(values[-1]).strip()
    if value in ("<>", ""):
        return ""
    return parseaddr(value)[1].lower()


def message_ids(raw: str) -> list[str]:
    """Every ``<id>`` in a Message-ID, In-Reply-To or References value, in order."""
    return [f"<{found}>" for found in _MESSAGE_ID.findall(_storable(raw))]


def _storable(raw: str) -> str:
    """Raw 8-bit bytes (surrogates) read as UTF-8, without NULs: text a database takes
    (an 8-bit Return-Path or Message-ID made intake fail; found by tests/reliability)."""
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\x00", "")
