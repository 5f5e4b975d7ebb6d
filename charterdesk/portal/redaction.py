"""Tracking tokens kept out of the logs.

Django logs the path of every 4xx and 5xx answer (``django.request``: "Not Found:
/track/...") and the development server logs every request (``django.server``). This
filter blanks the token in those messages; a reverse proxy in front must be told not to
log it either (docs/portal.md).
"""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/track/)[^/\s?\"']+")
HIDDEN = r"\1[hidden]"


def without_tokens(text: str) -> str:
    return TOKEN_IN_PATH.sub(HIDDEN, text)


class RedactTrackingTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = without_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
            if hasattr(record, "request"):
                record.request = None  # an error mail would print the path again
        return True
