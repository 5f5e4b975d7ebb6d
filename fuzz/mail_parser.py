"""Fuzz the mail parser (charterdesk/intake/parsing.py) with atheris.

Its promise: any bytes are read as a mail and never raise (what cannot be read is listed in
``problems``); the result always has a Message-ID that fits the database. Seeded with the
intake corpus (tests/intake/corpus/*.eml). Run: ``python fuzz/mail_parser.py [SECONDS]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _run import ROOT, fuzz

with atheris.instrument_imports(include=["charterdesk.intake"]):
    from charterdesk.intake.parsing import parse_mail


def one_input(data: bytes) -> None:
    mail = parse_mail(data)
    if not mail.message_id or len(mail.message_id) > 998:
        raise AssertionError(f"a Message-ID that does not fit: {mail.message_id!r}")


if __name__ == "__main__":
    fuzz("mail_parser", one_input, sorted((ROOT / "tests" / "intake" / "corpus").glob("*.eml")))
