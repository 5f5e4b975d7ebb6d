"""HTML mail made safe to show, and read as plain text. Pure (no Django).

The server never fetches remote content, and neither must the staff's browser when it
shows a customer's mail: images keep only ``cid:`` sources (parts of the mail itself),
scripts and styles go with their content, links lose every scheme but web and mail.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}
_DROPPED_WITH_CONTENT = {"script", "style", "title", "head", "template", "noscript"}
_SRC_ATTRIBUTES = {"src", "srcset", "background", "poster", "lowsrc", "dynsrc"}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in _SRC_ATTRIBUTES and not value.strip().lower().startswith("cid:"):
        return None  # a remote image is a tracking pixel at best
    return value


def clean_html(html: str) -> str:
    """The mail's HTML with nothing that runs or fetches."""
    return nh3.clean(
        html,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attribute_filter=_keep_attribute,
        url_schemes=_URL_SCHEMES,
    )


_BLOCKS = {
    "address", "article", "aside", "blockquote", "div", "dl", "dt", "dd", "fieldset",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_BLANK_RUNS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.skipping = 0
        self.quote_depth = 0
        self.pre = 0

    def _break(self) -> None:
        if self.lines[-1].strip(" >"):
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.skipping += 1
        elif tag == "br":
            self.lines.append("")
        elif tag in _BLOCKS:
            self._break()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "li":
                self._write("- ")
            elif tag == "pre":
                self.pre += 1
        elif tag in ("td", "th"):
            self._write(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            first, *rest = data.split("\n")
            self._write(first)
            for line in rest:
                self.lines.append("")
                self._write(line)
            return
        self._write(_SPACES.sub(" ", data.replace("\n", " ")))

    def _write(self, text: str) -> None:
        if not text:
            return
        if not self.lines[-1] and self.quote_depth:
            self.lines[-1] = "> " * self.quote_depth
        if not self.lines[-1].strip(" >"):
            text = text.lstrip() if not self.pre else text
        self.lines[-1] += text


def html_to_text(html: str) -> str:
    """Plain text of an HTML mail: paragraphs and line breaks kept, list items as
    ``- ``, blockquotes as ``> `` lines (so quoted history can be told apart)."""
    reader = _TextReader()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # HTMLParser is lenient; this is only a last guard
        return _SPACES.sub(" ", re.sub(r"<[^>]*>", " ", html)).strip()
    text = "\n".join(line.rstrip() for line in reader.lines)
    return _BLANK_RUNS.sub("\n\n", text).strip()
