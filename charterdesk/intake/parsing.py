"""One raw mail read into what the desk needs of it. Pure (no Django); never raises for
bad mail: what cannot be read is listed in ``problems`` and read as well as it can be.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.parser import BytesHeaderParser
from pathlib import PurePosixPath

from charterdesk.intake.arrival import parse_date, received_stamp
from charterdesk.intake.automatic import automatic_reason
from charterdesk.intake.charsets import decode_text, payload_of
from charterdesk.intake.headers import (
    addresses,
    decoded,
    envelope_sender,
    first_address,
    header_text,
    message_ids,
    raw_value,
    raw_values,
)
from charterdesk.intake.html_text import clean_html, html_to_text
from charterdesk.intake.policy import POLICY
from charterdesk.intake.reports import DeliveryReport, delivery_report

#: Headers that name who a mail was delivered to, most trustworthy first.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")
_BODY_TYPES = ("text/plain", "text/html")
_MAX_ID = 900  # Message.message_id holds 998 characters
_TRACE = re.compile(
    rb"^(?:received|return-path|delivered-to|x-original-to|x-delivered-to):.*\r?\n"
    rb"(?:[ \t].*\r?\n)*",
    re.IGNORECASE | re.MULTILINE,
)
_TYPE = re.compile(r"\s*([\w.+-]+/[\w.+-]+)")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)
#: An attached mail written back as it was read: no header refolded (refolding a long
#: parameter loops forever in Python 3.11's email package; found by fuzz/mail_parser.py).
_AS_READ = email.policy.default.clone(linesep="\n", max_line_length=None, refold_source="none")
_BOUNDARY_LINE = re.compile(r"^--([^\s\"]{1,70}?)(?:--)?[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Part:
    """An attachment as the sender labelled it; checked by ``filetypes.check`` later."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ParsedMail:
    message_id: str  # always set: a synthetic one from the raw bytes if the mail has none
    synthetic_id: bool
    sender: str  # the From address, lowercased; the Return-Path if there is no From
    sender_name: str
    subject: str
    date: datetime | None  # as written, in UTC; None if missing or unreadable
    received: datetime | None  # our mail server's stamp (the topmost Received header)
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    header_recipients: tuple[str, ...]
    text: str  # the whole body as text, quoted history included
    html: str  # cleaned HTML for display, or ""
    attachments: tuple[Part, ...]
    automatic: str  # why no person wrote it, or ""
    x_loop: str  # every X-Loop value, for the check against our addresses
    desk_case: str  # our X-Charterdesk-Case header, if the mail is ours come back
    report: DeliveryReport | None
    problems: tuple[str, ...]

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this mail answers, the most direct first."""
        return tuple(dict.fromkeys((*self.in_reply_to, *reversed(self.references))))


def synthetic_id(raw: bytes) -> str:
    """An id for a mail without one, from its bytes without the trace headers that each
    delivery adds (Received, Return-Path, Delivered-To...): a re-delivery, even through
    another server, is still a duplicate."""
    head, separator, body = raw.partition(b"\n\n")
    if not separator:
        head, separator, body = raw.partition(b"\r\n\r\n")
    kept = _TRACE.sub(b"", head + b"\n") if separator else raw
    digest = hashlib.sha256(kept.replace(b"\r\n", b"\n") + separator + body).hexdigest()
    return f"<{digest[:40]}@intake.charterdesk.invalid>"


def read_headers(raw: bytes) -> Message:
    """Only the header block (for a mail too large to read whole)."""
    return BytesHeaderParser(policy=POLICY).parsebytes(raw)


def parse_mail(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=POLICY)
    name, sender = first_address(message, "From")
    problems: list[str] = []
    if not sender:
        sender = envelope_sender(message) or ""
        problems.append("no From address" + (f"; replies go to {sender}" if sender else ""))
    ids = message_ids(raw_value(message, "Message-ID"))
    message_id = ids[0] if ids and len(ids[0]) <= _MAX_ID else synthetic_id(raw)
    texts, htmls, attachments = _contents(_with_boundary(message, problems), problems)
    html = clean_html("\n".join(htmls)) if htmls else ""
    text = "\n\n".join(texts) if texts else html_to_text(html)
    problems += _defects(message)
    return ParsedMail(
        message_id=message_id,
        synthetic_id=not ids,
        sender=sender,
        sender_name=name,
        subject=decoded(message, "Subject"),
        date=parse_date(raw_value(message, "Date")),
        received=received_stamp(message),
        in_reply_to=tuple(message_ids(raw_value(message, "In-Reply-To"))[:5]),
        references=tuple(message_ids(" ".join(raw_values(message, "References")))[-30:]),
        header_recipients=tuple(address for _, address in addresses(message, *RECIPIENT_HEADERS)),
        text=text.replace("\r\n", "\n").strip(),
        html=html,
        attachments=tuple(attachments),
        automatic=automatic_reason(message, sender),
        x_loop=" ".join(raw_values(message, "X-Loop")),
        desk_case=decoded(message, "X-Charterdesk-Case"),
        report=delivery_report(message, sender),
        problems=tuple(dict.fromkeys(problems)),
    )


def _with_boundary(message: Message, problems: list[str]) -> Message:
    """A multipart mail whose boundary parameter is missing, read with the boundary its
    body shows (its first ``--something`` line), if it shows one."""
    payload = payload_of(message)
    if not content_type_of(message).startswith("multipart/") or not isinstance(payload, str):
        return message
    found = _BOUNDARY_LINE.search(payload)
    if found is None:
        return message
    boundary, content_type = found.group(1), content_type_of(message)
    head = f'Content-Type: {content_type}; boundary="{boundary}"\n\n'
    # the raw bytes back (surrogates), and UTF-8 for text the email package decoded itself
    # (U+FFFD after an undecodable header): "ascii" raised on those (fuzz/mail_parser.py)
    body = payload.encode("utf-8", "surrogateescape")
    problems.append(f"{content_type} without a boundary: read with {boundary!r}")
    return email.message_from_bytes(head.encode() + body, policy=POLICY)


def content_type_of(part: Message) -> str:
    """``maintype/subtype`` from the raw header (the email package parses the whole header
    again on every call); the part's default if the header is missing or unreadable."""
    found = _TYPE.match(raw_value(part, "Content-Type"))
    return found.group(1).lower() if found else part.get_default_type()


def _leaves(message: Message) -> Iterator[Message]:
    """Every part that holds content, in order; an attached mail is one part."""
    payload = payload_of(message)
    if content_type_of(message).startswith("multipart/") and isinstance(payload, list):
        for part in payload:
            if isinstance(part, Message):
                yield from _leaves(part)
    else:
        yield message


def _contents(message: Message, problems: list[str]) -> tuple[list[str], list[str], list[Part]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Part] = []
    for part in _leaves(message):
        content_type = content_type_of(part)
        raw_type = raw_value(part, "Content-Type")
        disposition = raw_value(part, "Content-Disposition").lower()
        named = "name" in disposition or "name" in raw_type.lower()
        filename = _filename(part) if named else ""
        is_attachment = bool(filename) or disposition.startswith("attachment")
        if content_type.startswith("multipart/"):
            problems.append(f"{content_type} without a usable boundary: read as text")
            content_type = "text/plain"
        if content_type in _BODY_TYPES and not is_attachment:
            charset = _CHARSET.search(raw_type)
            text = decode_text(_payload(part), charset.group(1) if charset else None)
            (plain if content_type == "text/plain" else html).append(text)
        else:
            attachments.append(
                Part(filename or _unnamed(content_type), content_type, _payload(part))
            )
    return plain, html, attachments


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            return data
        inner = payload_of(part)
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0].as_bytes(policy=_AS_READ)
        return str(inner).encode("utf-8", "surrogateescape")
    except Exception:
        return str(payload_of(part)).encode("utf-8", "replace")


def _filename(part: Message) -> str:
    """The sender's file name (RFC 2231 or RFC 2047 encoded), without any path."""
    try:
        name = part.get_filename() or part.get_param("name", header="content-type") or ""
    except Exception:
        name = ""
    if isinstance(name, tuple):  # an RFC 2231 value the email package left undecoded
        name = decode_text(str(name[2]).encode("latin-1", "replace"), name[0])
    name = header_text(str(name).encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    name = PurePosixPath(name.replace("\\", "/")).name
    return "".join(letter for letter in name if letter.isprintable()).strip()[:255]


def _unnamed(content_type: str) -> str:
    return "message.eml" if content_type == "message/rfc822" else "attachment"


def _defects(message: Message) -> list[str]:
    found: list[str] = []
    for part in message.walk():
        for defect in getattr(part, "defects", []):
            found.append(type(defect).__name__.removesuffix("Defect"))
    return [f"malformed mail: {name}" for name in dict.fromkeys(found)]
