"""An article's body as HTML: plain text where a blank line parts paragraphs, lines that
start with "- " make a list, and addresses become links. Everything is escaped first."""

from __future__ import annotations

import re

from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe

_PARAGRAPHS = re.compile(r"\n\s*\n")


def _inline(text: str) -> str:
    return urlize(escape(text), nofollow=True, autoescape=False)


def _block(block: str) -> str:
    lines = [line.rstrip() for line in block.strip().split("\n")]
    if all(line.lstrip().startswith("- ") for line in lines):
        items = "".join(f"<li>{_inline(line.lstrip()[2:].strip())}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


def render_body(text: str) -> SafeString:
    blocks = [block for block in _PARAGRAPHS.split(text.replace("\r\n", "\n")) if block.strip()]
    return mark_safe("\n".join(_block(block) for block in blocks))
