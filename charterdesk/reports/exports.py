"""The review pack written out: CSV, XLSX and PDF.

Spreadsheets run what looks like a formula. Every text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a case
reference, a cause or a reason typed by anyone is shown, never run (OWASP's CSV
injection advice). Numbers are left as numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from fpdf import FPDF

from charterdesk.reports.pack import Cell, ReviewPack
from charterdesk.reports.xlsx import workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The PDF lists this many breaches; the CSV and XLSX list every one.
PDF_BREACHES = 200


def neutral(value: Cell) -> Cell:
    """A cell a spreadsheet will show and never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(pack: ReviewPack) -> bytes:
    """One file, one table after another, each under its title; UTF-8 with a byte order
    mark so that spreadsheets read Cyrillic and Azerbaijani letters right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutral(pack.heading)])
    writer.writerow([neutral(pack.generated)])
    for table in pack.tables:
        writer.writerow([])
        writer.writerow([neutral(table.title)])
        writer.writerow([neutral(cell) for cell in table.header])
        writer.writerows([neutral(cell) for cell in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(pack: ReviewPack) -> bytes:
    """One sheet per table, after a first sheet naming the organization and period."""
    cover = ("review", [[neutral(pack.heading)], [neutral(pack.generated)]], 1)
    sheets = [
        (
            table.name,
            [
                [neutral(table.title)],
                [neutral(cell) for cell in table.header],
                *([neutral(cell) for cell in row] for row in table.rows),
            ],
            2,
        )
        for table in pack.tables
    ]
    return workbook([cover, *sheets])


def as_pdf(pack: ReviewPack) -> bytes:
    """A landscape A4 document with every table (the first :data:`PDF_BREACHES`
    breaches), in a font that has the letters of every language of the desk. Cells are
    one line each, cut with an ellipsis where too long: the spreadsheets have the full
    texts."""
    pdf = FPDF(orientation="landscape", format="A4")
    font = _font(pdf)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font(font, size=15)
    pdf.multi_cell(0, 8, _text(pack.heading, font), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, size=9)
    pdf.multi_cell(0, 6, _text(pack.generated, font), new_x="LMARGIN", new_y="NEXT")
    for table in pack.tables:
        rows = table.rows
        pdf.ln(4)
        pdf.set_font(font, size=12)
        shown = f" ({len(rows)} / {table.count})" if table.count > len(rows) else ""
        pdf.multi_cell(0, 7, _text(table.title + shown, font), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font, size=7)
        if rows:
            _grid(pdf, font, table.header, rows)
        else:
            pdf.cell(0, 5, "-", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _grid(pdf: FPDF, font: str, header: list[str], rows: list[list[Cell]]) -> None:
    """A table of one-line cells, columns as wide as their texts need, within the page."""
    lines = [header, *[["" if c is None else str(c) for c in row] for row in rows]]
    needs = [
        min(max(pdf.get_string_width(_text(line[i], font)) for line in lines[:200]) + 3, 90)
        for i in range(len(header))
    ]
    widths = _widths(needs, pdf.epw)
    for number, line in enumerate(lines):
        pdf.set_fill_color(236, 239, 243)
        for width, value in zip(widths, line, strict=True):
            pdf.cell(
                width,
                4.5,
                _fit(pdf, _text(value, font), width - 1.5, "..." if font == "helvetica" else "…"),
                border="B",
                fill=number == 0,
            )
        pdf.ln()


def _widths(needs: list[float], room: float, narrow: float = 32) -> list[float]:
    """Narrow columns as wide as they need; the wide ones share what room is left."""
    if sum(needs) <= room:
        return needs
    fixed = sum(need for need in needs if need <= narrow)
    wide = sum(need for need in needs if need > narrow)
    scale = max(room - fixed, 0) / wide if wide else 1.0
    return [need if need <= narrow else need * scale for need in needs]


def _fit(pdf: FPDF, text: str, width: float, ellipsis: str) -> str:
    """``text`` cut to ``width`` with an ellipsis, if it is wider."""
    if pdf.get_string_width(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if pdf.get_string_width(text[:middle] + ellipsis) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + ellipsis


def _font(pdf: FPDF) -> str:
    path = Path(settings.CHARTERDESK_PDF_FONT)
    if path.is_file():
        pdf.add_font("desk", fname=str(path))
        return "desk"
    return "helvetica"  # no Unicode font installed: Latin-1 only, the rest replaced


def _text(value: str, font: str) -> str:
    if font == "helvetica":
        return value.replace("…", "...").encode("latin-1", "replace").decode("latin-1")
    return value
