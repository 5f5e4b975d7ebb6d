"""Reading a charter file: YAML in, a validated :class:`Charter` out.

Every problem names ``file:line:column``. The text is handed in; this module does
no I/O of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from charterdesk.core.charter import Charter
from charterdesk.core.problems import CharterError, CharterProblem

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Finds the line and column of any part of the YAML document."""

    source: str
    root: Any

    def position(self, path: Sequence[str | int]) -> tuple[int, int]:
        """The 1-based place of the value at ``path``, or of its nearest parent."""
        node, place = self.root, (1, 1)
        for step in path:
            if isinstance(node, CommentedMap) and step in node:
                line, column = node.lc.value(step)
                if line is None:  # an empty value: point at its key
                    line, column = node.lc.key(step)
                place, node = (line + 1, column + 1), node[step]
            elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
                line, column = node.lc.item(step)
                place, node = (line + 1, column + 1), node[step]
            else:
                break
        return place

    def readable(self, path: Sequence[str | int]) -> str:
        """``case_types.enquiry.title``: the path as a person writes it."""
        return _readable_path(path, self.root)

    def problem(
        self, path: Sequence[str | int], code: str, message: str, **kw: Any
    ) -> CharterProblem:
        line, column = self.position(path)
        return CharterProblem(
            code=code, message=message, source=self.source, line=line, column=column, **kw
        )


@dataclass(frozen=True, slots=True)
class LoadedCharter:
    charter: Charter
    positions: SourceMap
    warnings: tuple[CharterProblem, ...] = ()


def parse_yaml(text: str, source: str) -> SourceMap:
    try:
        document = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise CharterError(
            [CharterProblem(code="yaml", message=message, source=source, line=line, column=column)]
        ) from None
    except YAMLError as error:  # e.g. a NUL or another character YAML forbids (ReaderError)
        position = getattr(error, "position", None)
        line, column = _line_column(text, position) if isinstance(position, int) else (1, 1)
        message = str(error).split("\n", 1)[0]
        raise CharterError(
            [CharterProblem(code="yaml", message=message, source=source, line=line, column=column)]
        ) from None
    except NotImplementedError as error:  # ruamel: "overlap in comment", on broken indentation
        found = re.search(r"line: (\d+), col: (\d+)", str(error))
        line, column = (int(found[1]) + 1, int(found[2]) + 1) if found else (1, 1)
        message = "the YAML cannot be read around this comment; check the indentation"
        raise CharterError(
            [CharterProblem(code="yaml", message=message, source=source, line=line, column=column)]
        ) from None
    except (ValueError, OverflowError, RecursionError) as error:  # e.g. a date 0000-00-00
        line, column = _unreadable_value(text)
        message = f"a value that cannot be read: {error}"
        raise CharterError(
            [CharterProblem(code="yaml", message=message, source=source, line=line, column=column)]
        ) from None
    if not isinstance(document, CommentedMap):
        raise CharterError(
            [
                CharterProblem(
                    code="not-a-charter",
                    message="a charter is a YAML mapping that starts with 'charter: 1'",
                    source=source,
                    line=1,
                    column=1,
                )
            ]
        )
    return SourceMap(source, document)


def _unreadable_value(text: str) -> tuple[int, int]:
    """The place of the first value YAML parses but Python cannot hold (a timestamp such as
    2026-02-30: ruamel raises a bare ValueError without a place; found by fuzzing)."""
    try:
        yaml = YAML(typ="rt")
        for node in _scalars(yaml.compose(text)):
            try:
                yaml.constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError):
                return node.start_mark.line + 1, node.start_mark.column + 1
    except (YAMLError, ValueError, OverflowError, RecursionError):
        pass
    return 1, 1


def _scalars(node: Node | None) -> Iterator[ScalarNode]:
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item)


def _line_column(text: str, position: int) -> tuple[int, int]:
    """The 1-based line and column of the character at ``position`` in ``text``."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def validation_problems(error: ValidationError, positions: SourceMap) -> list[CharterProblem]:
    problems = []
    for detail in error.errors(include_url=False):
        path = [step for step in detail["loc"] if isinstance(step, str | int)]
        readable = _readable_path(path, positions.root)
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = _unknown_setting(path, positions.root)
        elif detail["type"] == "missing":
            message = "is required"
        problems.append(positions.problem(path, detail["type"], f"{readable}: {message}"))
    return _unique(problems)


def _unknown_setting(path: Sequence[str | int], root: Any) -> str:
    node = root
    for step in path[:-1]:
        node = node[step] if isinstance(node, CommentedMap | CommentedSeq) else None
    message = f"{path[-1]!r} is not a known setting here (check its spelling)"
    if isinstance(node, CommentedMap) and node.fa.flow_style():
        message += "; inside {...} a comma starts a new setting, so quote text with commas"
    return message


def _readable_path(path: Sequence[str | int], root: Any) -> str:
    """``commitments[3].within`` rather than pydantic's union-branch noise."""
    parts: list[str] = []
    node = root
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif step in _TYPE_TAGS or not step.isidentifier():
            continue  # pydantic names the branch of a union it tried: not a key
        else:
            parts.append(f".{step}" if parts else step)
        present = isinstance(node, CommentedMap | CommentedSeq) and (
            step in node if isinstance(node, CommentedMap) else isinstance(step, int)
        )
        node = node[step] if present else None
    return "".join(parts) or "charter"


_TYPE_TAGS = frozenset({"str", "int", "bool", "float", "list", "dict", "date", "none"})


def _unique(problems: list[CharterProblem]) -> list[CharterProblem]:
    """Union types make pydantic report one mistake once per branch; keep the first."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for problem in problems:
        if (problem.line, problem.column) not in seen:
            seen.add((problem.line, problem.column))
            kept.append(problem)
    return kept


def read_charter(text: str, source: str = "<charter>") -> LoadedCharter:
    """Parse, validate and check a charter; raise :class:`CharterError` on any error."""
    from charterdesk.core.charter_checks import check_charter

    positions = parse_yaml(text, source)
    try:
        charter = Charter.model_validate(positions.root)
    except ValidationError as error:
        raise CharterError(validation_problems(error, positions)) from None
    problems = check_charter(charter, positions)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise CharterError(errors)
    return LoadedCharter(charter, positions, tuple(problems))
