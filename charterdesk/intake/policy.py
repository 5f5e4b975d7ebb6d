"""The ``email`` package's ``policy.default``, with each parsed header kept for reuse.

Reading a mail with ``policy.default`` parses a structured header (Content-Type above all,
which the parser itself asks for part after part) into a header object every time it is
looked at: that was most of the cost of reading a plain mail. The same (name, value)
always parses to the same object, and header objects are not changed once made, so
:data:`POLICY` keeps the last few thousand it made and hands them out again. Everything
else is ``policy.default``. Pure (no Django).
"""

from __future__ import annotations

import email.policy
from email.headerregistry import BaseHeader, HeaderRegistry

#: Values longer than this are parsed each time (a long References header is rarely seen twice).
LONGEST_KEPT = 1000
#: Headers kept; past this the store starts afresh.
KEPT = 4096


class _KeptHeaders(HeaderRegistry):
    def __init__(self) -> None:
        super().__init__()
        self._kept: dict[tuple[str, str], BaseHeader] = {}

    def __call__(self, name: str, value: str) -> BaseHeader:
        if len(value) > LONGEST_KEPT:
            return super().__call__(name, value)
        key = (name, value)
        found = self._kept.get(key)
        if found is None:
            if len(self._kept) >= KEPT:
                self._kept.clear()
            found = self._kept[key] = super().__call__(name, value)
        return found


POLICY = email.policy.default.clone(header_factory=_KeptHeaders())
