"""Problems found in a charter: values with a code and the place they came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, kw_only=True, slots=True)
class CharterProblem:
    code: str  # what code compares, e.g. "unknown-event"
    message: str  # what a person reads
    source: str  # the file name
    line: int
    column: int
    severity: Severity = "error"

    def __str__(self) -> str:
        return (
            f"{self.source}:{self.line}:{self.column} {self.severity} [{self.code}] {self.message}"
        )


class CharterError(ValueError):
    """A charter that cannot be used; ``problems`` says every reason and where."""

    def __init__(self, problems: list[CharterProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
