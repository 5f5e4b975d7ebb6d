"""Fuzz the charter loader (charterdesk/core/charter_source.py ``read_charter``) with atheris.

Its promise: any text either loads as a charter or raises ``CharterError``, whose every
problem names a place (line and column from 1) and prints; nothing else escapes. Seeded
with the seed charters (charters/*.yaml). Run: ``python fuzz/charter_loader.py [SECONDS]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _run import ROOT, fuzz

with atheris.instrument_imports(include=["charterdesk.core"]):
    from charterdesk.core.charter_source import read_charter
    from charterdesk.core.problems import CharterError


def one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        read_charter(text, "fuzz.yaml")
    except CharterError as error:
        if not error.problems:
            raise AssertionError("a CharterError without problems") from error
        for problem in error.problems:
            if problem.line < 1 or problem.column < 1:
                raise AssertionError(f"a problem without a place: {problem}") from error
            str(problem)


if __name__ == "__main__":
    fuzz("charter_loader", one_input, sorted((ROOT / "charters").glob("*.yaml")))
