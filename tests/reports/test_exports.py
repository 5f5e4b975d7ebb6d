"""The review pack's writers: formula injection neutralized in every cell, and a PDF
even without the Unicode font."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone

from charterdesk.reports.exports import as_csv, as_pdf, neutral
from charterdesk.reports.pack import ReviewPack, Table
from charterdesk.reports.periods import parse_period


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31 20 000", "'+31 20 000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("billing error", "billing error"),
        ("a=b", "a=b"),
        ("", ""),
        (-2, -2),  # numbers stay numbers
        (3.5, 3.5),
        (None, None),
    ],
)
def test_cells_that_look_like_formulas_are_neutralized(value, written) -> None:
    assert neutral(value) == written


def pack(text: str) -> ReviewPack:
    table = Table("causes", "Причины", ["Причина", "n"], [[text, 1], ["=2*3", -1]])
    return ReviewPack("Eurolux", parse_period("2026-Q1"), timezone.now(), "Asia/Baku", [table])


def test_csv_has_a_byte_order_mark_and_no_live_formula() -> None:
    written = as_csv(pack("Şikayət")).decode("utf-8")
    assert written.startswith("\ufeff")
    assert "Şikayət" in written
    assert "'=2*3,-1" in written


@override_settings(CHARTERDESK_PDF_FONT="/nonexistent/font.ttf")
def test_a_pdf_is_written_even_without_the_unicode_font() -> None:
    assert as_pdf(pack("Şikayət " * 40)).startswith(b"%PDF")


def test_xlsx_reads_back_with_every_value_and_no_formula() -> None:
    import io
    import warnings

    from openpyxl import load_workbook

    from charterdesk.reports.exports import as_xlsx

    written = pack('Şikayət <&> "x"\x0b \rcmd')
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl finds nothing missing
        book = load_workbook(io.BytesIO(as_xlsx(written)))
    assert book.sheetnames == ["review", "causes"]
    sheet = book["causes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Причины", None)
    assert rows[1] == ("Причина", "n")
    assert rows[2] == ('Şikayət <&> "x" \rcmd', 1)
    assert rows[3] == ("'=2*3", -1)
    assert sheet["A2"].font.b
    assert not sheet["A3"].font.b
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
