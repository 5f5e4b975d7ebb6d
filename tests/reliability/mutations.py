"""Hypothesis strategies for broken input: arbitrary bytes, real files mutated a few bytes
at a time (as a fuzzer does), and mails built from hostile parts."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

#: What a mutation does: (operation, where as a fraction of the length, span, new bytes).
Mutation = tuple[str, float, int, bytes]
OPERATIONS = ("flip", "delete", "insert", "duplicate", "truncate", "overwrite")
HOSTILE = [b"\x00", b"\xff", b"\r", b"\n\n", b"--", b"=?", b"?=", b"\\", b'"', b";", b":",
           b"\t", b" " * 80, b"=\n", b"\xc3", b"\xe2\x80\xae", b"%", b"*", b"'"]  # fmt: skip

mutations = st.lists(
    st.tuples(
        st.sampled_from(OPERATIONS),
        st.floats(0, 1, allow_nan=False),
        st.integers(1, 64),
        st.one_of(st.sampled_from(HOSTILE), st.binary(min_size=1, max_size=16)),
    ),
    min_size=1,
    max_size=8,
)


def mutate(data: bytes, changes: list[Mutation]) -> bytes:
    for operation, where, span, new in changes:
        at = int(where * len(data))
        if operation == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << (span % 8))]) + data[at + 1 :]
        elif operation == "delete":
            data = data[:at] + data[at + span :]
        elif operation == "insert":
            data = data[:at] + new + data[at:]
        elif operation == "duplicate":
            data = data[:at] + data[at : at + span] * 3 + data[at:]
        elif operation == "truncate":
            data = data[:at]
        else:
            data = data[:at] + new + data[at + len(new) :]
    return data


def mutated(files: list[Path]) -> st.SearchStrategy[bytes]:
    """One of ``files``, mutated."""
    contents = [path.read_bytes() for path in files]
    return st.builds(mutate, st.sampled_from(contents), mutations)


header_text = st.one_of(
    st.text(max_size=120),
    st.binary(max_size=120).map(lambda raw: raw.decode("latin-1")),
    st.sampled_from(["=?utf-8?B?0J/RgNC40LLQtdGC?=", "=?koi8-r?Q?=F0=D2=C9?=", "=?x?q?=ZZ?=",
                     "=?utf-8*pl?Q?a?=", '"quoted \\" name" <a@b>', "<<>>@@", "a@b, @, ,,"]),
)  # fmt: skip
charsets = st.sampled_from(
    ["utf-8", "windows-1251", "koi8-r", "iso-8859-2", "x-unknown", "", "utf\x00-8", "utf-7",
     "cp1252", "us-ascii", "latin-1", "utf-16", "\u0131"]
)  # fmt: skip
transfer_encodings = st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-uue", ""])
content_types = st.sampled_from(
    ["text/plain", "text/html", "multipart/mixed", "multipart/alternative", "message/rfc822",
     "multipart/report; report-type=delivery-status", "message/delivery-status",
     "text/rfc822-headers", "application/pdf", "image/png", "", "text"]
)  # fmt: skip


@st.composite
def built_mails(draw: st.DrawFn, recipient: str = "support@ask4.com") -> bytes:
    """A mail of hostile headers and parts: every field drawn, some left out."""
    lines = [f"To: {recipient}"]
    for name in ("From", "Subject", "Message-ID", "In-Reply-To", "References", "Date",
                 "Auto-Submitted", "X-Loop", "Return-Path", "Content-Disposition"):  # fmt: skip
        if draw(st.booleans()):
            lines.append(f"{name}: {draw(header_text)}")
    boundary = draw(st.sampled_from(["b1", "", '"', "a" * 80, "--", "=_x"]))
    content_type = draw(content_types)
    charset = draw(charsets)
    lines.append(f'Content-Type: {content_type}; charset="{charset}"; boundary="{boundary}"')
    lines.append(f"Content-Transfer-Encoding: {draw(transfer_encodings)}")
    head = "\n".join(lines).encode("utf-8", "surrogateescape")
    parts = draw(st.lists(st.tuples(content_types, charsets, st.binary(max_size=300)), max_size=4))
    body = draw(st.binary(max_size=400))
    for part_type, part_charset, data in parts:
        body += f'\n--{boundary}\nContent-Type: {part_type}; charset="{part_charset}"\n'.encode()
        if draw(st.booleans()):
            body += f'Content-Disposition: attachment; filename="{draw(header_text)}"\n'.encode(
                "utf-8", "surrogateescape"
            )
        body += b"\n" + data
    closed = draw(st.booleans())
    if parts and closed:
        body += f"\n--{boundary}--\n".encode()
    return head + b"\n\n" + body
