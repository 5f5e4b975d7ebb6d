"""A small XLSX writer: sheets of plain values, nothing else.

openpyxl writes about 140,000 cells a second; a year's review pack of a large desk has
more than a million. This writes the few parts of an Office Open XML workbook that a
table of values needs (inline strings, numbers, a bold first row), at several million
cells a second, and openpyxl reads the result back in the tests. Strings are written
as inline strings, which a spreadsheet never evaluates; the review pack neutralizes
formula-like text as well (:func:`charterdesk.reports.exports.neutral`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

Value = str | int | float | None

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '{sheets}<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'
)
_SHEET_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
)
#: One normal font and one bold (style 1, for the first rows that hold titles).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def workbook(sheets: Sequence[tuple[str, Iterable[Sequence[Value]], int]]) -> bytes:
    """An XLSX file of ``(name, rows, bold_rows)`` sheets; the first ``bold_rows`` rows of
    a sheet are bold."""
    out = io.BytesIO()
    names = _names([name for name, _, _ in sheets])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        numbers = range(1, len(sheets) + 1)
        types = "".join(_SHEET_TYPE.format(n=n) for n in numbers)
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=types))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        listed = "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in zip(numbers, names, strict=True)
        )
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(sheets=listed))
        rels = "".join(_SHEET_REL.format(n=n) for n in numbers)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(sheets=rels))
        archive.writestr("xl/styles.xml", _STYLES)
        for n, (_, rows, bold) in zip(numbers, sheets, strict=True):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", _sheet(rows, bold))
    return out.getvalue()


def _names(wanted: list[str]) -> list[str]:
    """Sheet names as spreadsheets take them: no []:*?/\\, at most 31 letters, unique."""
    names: list[str] = []
    for name in wanted:
        base = _SHEET_NAME.sub(" ", name).strip()[:31] or "sheet"
        candidate, n = base, 2
        while candidate.casefold() in (existing.casefold() for existing in names):
            candidate, n = f"{base[:28]} {n}", n + 1
        names.append(candidate)
    return names


def _sheet(rows: Iterable[Sequence[Value]], bold: int) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for number, row in enumerate(rows, start=1):
        style = ' s="1"' if number <= bold else ""
        parts.append("<row>")
        parts.extend(_cell(value, style) for value in row)
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def _cell(value: Value, style: str) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<c{style}><v>{value!r}</v></c>"
    text = escape(_NOT_XML.sub("", str(value)), {"\r": "&#13;"})
    return f'<c{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
