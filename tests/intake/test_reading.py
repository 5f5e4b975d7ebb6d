"""The pure reading of mail: charsets, headers, HTML, quoted history, file types,
languages and delivery reports. No database."""

from __future__ import annotations

import ast
import base64
from pathlib import Path

import pytest

from charterdesk.intake.charsets import decode_text, guess_text
from charterdesk.intake.filetypes import check
from charterdesk.intake.headers import header_text
from charterdesk.intake.html_text import clean_html, html_to_text
from charterdesk.intake.language import guess_language
from charterdesk.intake.parsing import parse_mail

from .conftest import CORPUS

PURE = ("arrival", "automatic", "charsets", "filetypes", "headers", "html_text", "language",
        "outcome", "parsing", "policy", "quoted", "reports")  # fmt: skip
RU = "Здравствуйте! Прошу вернуть деньги за заказ, товар не работает. Иван"
PL = "Dzień dobry, proszę o zwrot pieniędzy za zamówienie. Łukasz Żółć"


@pytest.mark.parametrize("module", PURE)
def test_the_reading_modules_import_no_django(module: str) -> None:
    source = (Path(__file__).parents[2] / "charterdesk" / "intake" / f"{module}.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {name for name in imported if name.split(".")[0] == "django"}
    assert all(
        name.removeprefix("charterdesk.intake.") in PURE
        for name in imported
        if name.startswith("charterdesk.")
    )


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        (RU.encode("cp1251"), "windows-1251", RU),
        (RU.encode("cp1251"), None, RU),  # undeclared
        (RU.encode("koi8_r"), None, RU),
        (RU.encode("koi8_r"), "x-unknown", RU),  # a name Python does not know
        (RU.encode("koi8_r"), "us-ascii", RU),  # declared wrongly
        (RU.encode("cp1251"), "utf-8", RU),  # declared wrongly
        (PL.encode("iso8859_2"), None, PL),
        (PL.encode("iso8859_2"), "iso-8859-2", PL),
        ("Ən yaxşı xidmət".encode(), None, "Ən yaxşı xidmət"),
        ("\ufeffȘtefan".encode(), None, "Ștefan"),  # a byte-order mark
        (b"curly \x93quotes\x94", "iso-8859-1", "curly \u201cquotes\u201d"),  # really cp1252
        (b"abc", "base64", "abc"),  # not a charset at all
        (b"nul\x00byte", "utf-8", "nulbyte"),  # no database stores NUL in text
    ],
)
def test_text_is_decoded_whatever_the_charset(
    data: bytes, declared: str | None, expected: str
) -> None:
    assert decode_text(data, declared) == expected


def test_undecodable_bytes_never_raise() -> None:
    assert isinstance(guess_text(bytes(range(256))), str)


def encoded(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (encoded("Запись на экзамен", "koi8-r"), "Запись на экзамен"),
        (f"Re: {encoded('Zamówienie', 'iso-8859-2')} nr 5", "Re: Zamówienie nr 5"),
        ("=?utf-8?q?Factur=C4=83_gre=C8=99it=C4=83?=", "Factură greșită"),
        # one letter split between two encoded words
        ("=?utf-8?B?w4k=?= =?utf-8?B?bg==?=", "Én"),
        ("=?x-unknown?Q?=CF=F0=E8=E2=E5=F2?=", "Привет"),  # cp1251 under an unknown name
        ("Сертификаты".encode("cp1251").decode("ascii", "surrogateescape"), "Сертификаты"),
        ("=?utf-8?B?not base64 at all?=", "=?utf-8?B?not base64 at all?="),
        ("plain text", "plain text"),
    ],
)
def test_header_values_are_decoded(raw: str, expected: str) -> None:
    assert header_text(raw) == expected


def test_html_keeps_no_script_and_fetches_nothing() -> None:
    html = (
        '<p onclick="x()">Hi<script>alert(1)</script></p><img src="https://t.example/p.gif">'
        '<img src="cid:logo"><a href="javascript:alert(1)">a</a><style>p{}</style>'
        '<p style="background:url(https://t.example/bg)">b</p>'
    )
    cleaned = clean_html(html)
    assert "script" not in cleaned
    assert "onclick" not in cleaned
    assert "https://t.example" not in cleaned
    assert 'src="cid:logo"' in cleaned
    assert "javascript" not in cleaned


def test_html_reads_as_text_with_quotes_marked() -> None:
    html = "<div>New<br>text</div><ul><li>one</li></ul><blockquote><p>old</p></blockquote>"
    assert html_to_text(html) == "New\ntext\n- one\n> old"


@pytest.mark.parametrize(
    ("data", "content_type", "name", "kind"),
    [
        (b"%PDF-1.4 ...", "application/pdf", "a.pdf", "pdf"),
        (b"%PDF-1.4 ...", "application/octet-stream", "scan", "pdf"),
        (b"\x89PNG\r\n\x1a\n...", "image/png", "Photo.PNG", "png"),
        (b"\xff\xd8\xff\xe0...", "image/jpeg", "a.jpg", "jpeg"),
        (b"GIF89a...", "image/gif", "a.gif", "gif"),
        (b"PK\x03\x04...", "application/vnd.openxmlformats-officedocument.wordprocessingml."
         "document", "letter.docx", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...", "application/msword", "old.doc", "ole"),
        ("Zwykły tekst".encode(), "text/plain", "notes.txt", "text"),
        (b"MZ\x90\x00...", "application/pdf", "invoice.pdf", None),  # a program named .pdf
        (b"MZ\x90\x00...", "application/octet-stream", "setup.exe", None),
        (b"%PDF-1.4", "application/pdf", "invoice.pdf.exe", None),  # named as a program
        (b"@echo off", "text/plain", "run.bat", None),
        (b"%PDF-1.4", "image/png", "a.png", None),  # mismatch with the declared type
        (b"\x89PNG\r\n\x1a\n", "application/octet-stream", "a.pdf", None),  # with the name
        (b"\x00\x01\x02\x03binary", "application/octet-stream", "data.bin", None),  # unknown
    ],
)  # fmt: skip
def test_attachments_are_what_they_say(
    data: bytes, content_type: str, name: str, kind: str | None
) -> None:
    assert check(data, content_type, name).kind == kind


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        ("Здравствуйте, прошу помочь", ["ru", "az", "en"], "ru"),
        ("Salam, xahiş edirəm kömək edin", ["ru", "az", "en"], "az"),
        ("Hello, please help me with my order", ["ru", "az", "en"], "en"),
        ("Bună ziua, vă rog să mă ajutați", ["en", "ro"], "ro"),
        ("Buna ziua, va rog sa ma sunati, multumesc", ["en", "ro"], "ro"),  # no diacritics
        ("Dzień dobry, proszę o pomoc", ["pl", "en"], "pl"),
        ("Poštovani, molim vas za pomoć", ["sr-Latn", "en"], "sr-Latn"),
        ("12345", ["ro", "en"], "ro"),  # nothing to go on: the first language
    ],
)
def test_the_language_is_guessed_among_the_organizations(
    text: str, languages: list[str], expected: str
) -> None:
    assert guess_language(text, languages) == expected


def test_a_bounce_is_read_with_what_it_answers() -> None:
    mail = parse_mail((CORPUS / "28-bounce-rfc3464.eml").read_bytes())
    assert mail.report is not None
    assert mail.report.status == "5.1.1"
    assert mail.report.action == "failed"
    assert mail.report.recipient == "nobody@invalid.example.ro"
    assert mail.report.original_ids[0] == "<ack.LEV-2026-000002@leviatan.ro>"
    assert "User unknown" in mail.report.diagnostic


def test_a_returned_message_rfc822_part_names_the_original() -> None:
    mail = parse_mail((CORPUS / "29-bounce-of-no-mail-of-ours.eml").read_bytes())
    assert mail.report is not None
    assert mail.report.original_ids == ("<not.ours@spoofed.example>",)
    assert mail.report.status == "5.2.2"


def test_filenames_in_rfc2047_and_rfc2231_are_decoded() -> None:
    mail = parse_mail((CORPUS / "09-rfc2047-and-2231-filenames.eml").read_bytes())
    assert [part.filename for part in mail.attachments] == [
        "Factură 2211 – corectată.pdf",
        "Ședință foto.png",
    ]


def test_a_missing_boundary_is_found_in_the_body() -> None:
    mail = parse_mail((CORPUS / "10-missing-boundary.eml").read_bytes())
    assert mail.text.startswith("Hello, I would like to book")
    assert any("without a boundary" in problem for problem in mail.problems)


def test_a_mail_without_message_id_gets_the_same_synthetic_one_each_time() -> None:
    raw = (CORPUS / "13-no-message-id.eml").read_bytes()
    assert parse_mail(raw).synthetic_id
    assert parse_mail(raw).message_id == parse_mail(raw).message_id
    assert parse_mail(raw + b"\n").message_id != parse_mail(raw).message_id
    relayed = b"Received: from mx2 by mail.leviatan.ro;\r\n\tTue, 10 Mar 2026\r\n" + raw
    assert parse_mail(relayed).message_id == parse_mail(raw).message_id  # a new trace line


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda path: path.name)
def test_every_corpus_mail_can_be_read(path: Path) -> None:
    mail = parse_mail(path.read_bytes())
    assert mail.message_id.startswith("<")
    assert "\ufffd" not in mail.subject
