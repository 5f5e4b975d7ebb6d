"""What became of one received mail (the value :func:`charterdesk.intake.receive.receive`
returns). Pure (no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OutcomeKind = Literal["case", "message", "duplicate", "bounce", "rejected"]


@dataclass(frozen=True)
class Outcome:
    """``kind`` is what happened; ``code`` is stable (code compares it: ``opened``,
    ``threaded``, ``automatic-reply``, ``unknown-recipient``...); ``detail`` is for people
    (logs, an LMTP answer), in English."""

    kind: OutcomeKind
    code: str
    case_reference: str | None
    detail: str
