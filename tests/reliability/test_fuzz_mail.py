"""Fuzzing the mail parser and intake with hypothesis (issue 8, "Faults and load").

The parser (charterdesk/intake/parsing.py) never raises, whatever the bytes: what it
cannot read is listed in ``problems``. Intake (charterdesk/intake/receive.py) turns every
mail into a case, a message, a duplicate, a bounce or a recorded rejection, and raises
nothing but a database error. Inputs: arbitrary bytes, the intake corpus mutated, mails
built from hostile parts, and every crash the atheris fuzzer (fuzz/mail_parser.py) found.
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charterdesk.cases.models import Case, Message
from charterdesk.intake.models import Bounce, RejectedMail
from charterdesk.intake.parsing import ParsedMail, parse_mail
from charterdesk.intake.receive import receive
from tests.helpers import utc
from tests.seeds import install

from .conftest import ROOT
from .mutations import built_mails, mutated

CORPUS = sorted((ROOT / "tests" / "intake" / "corpus").glob("*.eml"))
CRASHES = sorted((Path(__file__).parent / "crashes").glob("mail-*.eml"))
NOW = utc(2026, 3, 10, 12)
ASK4 = "support@ask4.com"
any_mail = st.one_of(st.binary(max_size=3000), mutated(CORPUS), built_mails(ASK4))


def storable(text: str) -> bool:
    """Text a database takes: no lone surrogates (raw bytes), no NUL."""
    return "\x00" not in text and not any("\ud800" <= letter <= "\udfff" for letter in text)


def check_parsed(mail: ParsedMail) -> None:
    assert mail.message_id
    assert len(mail.message_id) <= 998
    texts = [mail.message_id, mail.sender, mail.sender_name, mail.subject, mail.desk_case,
             *mail.in_reply_to, *mail.references, *mail.header_recipients]  # fmt: skip
    assert all(storable(text) for text in texts), texts
    assert all(isinstance(problem, str) for problem in mail.problems)
    for part in mail.attachments:
        assert part.filename
        assert len(part.filename) <= 255
        assert "/" not in part.filename
        assert "\\" not in part.filename
        assert isinstance(part.data, bytes)
    assert isinstance(mail.text, str)
    assert isinstance(mail.html, str)


@given(raw=any_mail)
@settings(max_examples=400, deadline=None)
def test_the_parser_reads_any_bytes_without_raising(raw: bytes) -> None:
    check_parsed(parse_mail(raw))


# --- what the atheris fuzzer found (fuzz/mail_parser.py), each fixed in the parser --------


@pytest.mark.timeout(30)  # one of them looped forever
@pytest.mark.parametrize("path", CRASHES, ids=lambda path: path.stem)
def test_inputs_that_once_crashed_or_hung_the_parser_are_read(path: Path) -> None:
    check_parsed(parse_mail(path.read_bytes()))


def test_a_multipart_without_boundary_and_an_undecodable_header_is_read() -> None:
    # the email package decodes the body with U+FFFD; re-reading it as ASCII raised
    raw = b"From: a@b.example\nTo: x\xff@y.example\nContent-Type: multipart/mixed\n\n"
    raw += b"--zz\nContent-Type: text/plain\n\nHi \xff there\n--zz--\n"
    mail = parse_mail(raw)
    assert "Hi" in mail.text
    assert any("without a boundary" in problem for problem in mail.problems)


def test_a_charset_with_a_nul_is_read_as_well_as_it_can_be() -> None:
    # Message.get_payload() raised ValueError("embedded null character")
    raw = b'From: a@b.example\nContent-Type: text/plain; charset="utf\x00-8"\n\nPrzyk\xc5\x82ad\n'
    with pytest.raises(ValueError, match="null"):
        email.message_from_bytes(raw, policy=email.policy.default).get_payload()
    assert parse_mail(raw).text == "Przykład"


@pytest.mark.timeout(30)
def test_an_attached_mail_with_a_long_parameter_is_kept_without_refolding() -> None:
    # Python 3.11's email package loops forever refolding this parameter when writing the
    # attached mail back with policy.default; intake writes it back as it was read
    hang = next(path for path in CRASHES if "timeout" in path.name).read_bytes()
    (kept,) = [part for part in parse_mail(hang).attachments if b"delivery-status" in part.data]
    assert kept.data in hang.replace(b"\r\n", b"\n")


# --- intake: every mail becomes something, and is recorded -----------------------------


@pytest.fixture
def ask4(db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    install("ask4")


@given(raw=st.one_of(any_mail, st.sampled_from([p.read_bytes() for p in CRASHES])))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_mail_becomes_a_case_a_message_or_a_recorded_rejection(
    ask4: None, raw: bytes
) -> None:
    rejected, bounces = RejectedMail.objects.count(), Bounce.objects.count()
    outcome = receive(raw, recipients=[ASK4], now=NOW, source="fuzz")
    assert outcome.kind in ("case", "message", "duplicate", "bounce", "rejected")
    assert outcome.code != "failed", outcome.detail  # intake itself broke on this mail
    if outcome.kind == "rejected":  # kept: once per (organization, Message-ID, code)
        assert RejectedMail.objects.filter(code=outcome.code).exists()
        assert RejectedMail.objects.count() == rejected + 1 or "already recorded" in outcome.detail
    else:
        assert RejectedMail.objects.count() == rejected
    if outcome.kind == "bounce":
        assert Bounce.objects.count() == bounces + 1
    if outcome.kind in ("case", "message", "duplicate"):
        case = Case.objects.get(reference=outcome.case_reference)
        assert Message.objects.filter(case=case, direction=Message.Direction.IN).exists()
