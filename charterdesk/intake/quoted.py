"""What is new in a reply, and what is the history it quotes. Pure (no Django).

The desk keeps the whole text (``Message.body``); the console hides the history behind a
"show quoted text" link with :func:`split_quoted`. History starts at the first of:
an attribution line ("On ... wrote:", in our customers' languages), an
"-----Original Message-----" line, an Outlook header block (From:/Sent:/To:/Subject:,
translated), or a ``>``-quoted block that nothing new follows (an answer written between
the quoted lines is all new).
"""

from __future__ import annotations

import re

_ATTRIBUTION_END = re.compile(
    r"("
    r"\bwrote|napisał\(a\)|napisała?|\bpisze"  # en, pl
    r"|пишет|написала?|написал\(а\)"  # ru
    r"|napisao(\(la\)|\(a\))?|napisala|\bpiše|\bpise"  # sr-Latn
    r"|a scris"  # ro
    r"|yazdı|yazıb|yazmışdır"  # az
    r"|schrieb|a écrit"
    r"|@[\w.-]+>"  # ru mail services: "02.03.2026, 10:00, LT-PRO <info@lt-pro.ru>:"
    r")\s*:\s*$",
    re.IGNORECASE,
)
_ATTRIBUTION_START = re.compile(
    r"^(on|w dniu|dnia|\d|в|вт|пн|ср|чт|пт|сб|вс|dana|на|în|in|la|pe|tarixində|am|le)\b|<.+@",
    re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*("
    r"original message|oryginalna wiadomość|wiadomość oryginalna|"
    r"исходное сообщение|оригинальное сообщение|"
    r"originalna poruka|izvorna poruka|originalna poruka|"
    r"mesaj(ul)? original|"
    r"orijinal mesaj|əsl məktub|ilkin məktub"
    r")\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_KEYS = {
    "from": "from", "od": "from", "от": "from", "šalje": "from", "salje": "from",
    "pošiljalac": "from", "de": "from", "de la": "from", "kimdən": "from", "kimden": "from",
    "von": "from",
    "sent": "date", "date": "date", "wysłano": "date", "data": "date", "отправлено": "date",
    "дата": "date", "poslato": "date", "poslano": "date", "datum": "date", "trimis": "date",
    "göndərilib": "date", "göndərildi": "date", "tarix": "date", "gesendet": "date",
    "to": "to", "do": "to", "кому": "to", "za": "to", "prima": "to", "către": "to",
    "catre": "to", "pentru": "to", "kimə": "to", "kime": "to", "an": "to",
    "subject": "subject", "temat": "subject", "тема": "subject", "predmet": "subject",
    "subiect": "subject", "mövzu": "subject", "movzu": "subject", "betreff": "subject",
    "cc": "cc", "dw": "cc", "копия": "cc",
}  # fmt: skip
_HEADER_LINE = re.compile(r"^\s*\*?([^\W\d_][^\W\d_ ]*(?: [a-z]+)?)\s*:\*?\s+\S", re.IGNORECASE)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")


def split_quoted(text: str) -> tuple[str, str]:
    """``(new, quoted)``; ``new + quoted`` is the text again, up to the line break
    between them. No history found gives ``(text, "")``."""
    lines = text.split("\n")
    start = _history_start(lines)
    if start is None:
        return text, ""
    new = "\n".join(lines[:start]).rstrip()
    return new, "\n".join(lines[start:])


def _history_start(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _ORIGINAL_MESSAGE.match(stripped) or _is_header_block(lines, index):
            return _back_over_separator(lines, index)
        if _is_attribution(lines, index):
            attribution = index - 1 if _joins_previous(lines, index) else index
            return attribution
        if stripped.startswith(">"):
            return index if _only_quotes_follow(lines, index) else None
    return None


def _is_attribution(lines: list[str], index: int) -> bool:
    line = lines[index].strip()
    if not _ATTRIBUTION_END.search(line) or len(line) > 300:
        return False
    if _ATTRIBUTION_START.search(line) or _joins_previous(lines, index):
        return True
    return _quote_follows(lines, index)


def _joins_previous(lines: list[str], index: int) -> bool:
    """An attribution wrapped over two lines: ``On Mon, 2 Mar 2026, Jan <jan@`` + ``x> wrote:``."""
    if index == 0 or not lines[index - 1].strip():
        return False
    previous = lines[index - 1].strip()
    return bool(_ATTRIBUTION_START.search(previous)) and not _ATTRIBUTION_END.search(previous)


def _quote_follows(lines: list[str], index: int) -> bool:
    for line in lines[index + 1 :]:
        if line.strip():
            return line.lstrip().startswith(">")
    return False


def _only_quotes_follow(lines: list[str], index: int) -> bool:
    """True when nothing after ``index`` is new text (quotes, blanks, a signature)."""
    for line in lines[index:]:
        stripped = line.strip()
        if line.rstrip() == "--" or line.startswith("-- "):
            return True  # the rest is a signature
        if stripped and not stripped.startswith(">"):
            return False
    return True


def _is_header_block(lines: list[str], index: int) -> bool:
    """Two or more of From/Date/To/Subject (translated) on consecutive lines, starting
    with From."""
    if _header_key(lines[index]) != "from":
        return False
    keys = {"from"}
    for line in lines[index + 1 : index + 6]:
        key = _header_key(line)
        if key is None:
            break
        keys.add(key)
    return len(keys & {"date", "to", "subject"}) >= 1 and len(keys) >= 3


def _header_key(line: str) -> str | None:
    match = _HEADER_LINE.match(line)
    return _HEADER_KEYS.get(match.group(1).lower()) if match else None


def _back_over_separator(lines: list[str], index: int) -> int:
    """Outlook puts a line of underscores above its header block: it is history too."""
    previous = index - 1
    while previous >= 0 and not lines[previous].strip():
        previous -= 1
    if previous >= 0 and _UNDERSCORES.match(lines[previous]):
        return previous
    return index
