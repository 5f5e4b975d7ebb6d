"""Fuzzing the charter loader with hypothesis (issue 8, "Faults and load").

``read_charter`` (charterdesk/core/charter_source.py) either returns a charter or raises
``CharterError``, whose every problem names a place (``file:line:column``, from 1) and a
code; nothing else escapes. Inputs: arbitrary text, the seed charters mutated line by line
and byte by byte, arbitrary YAML documents, and every crash the atheris fuzzer
(fuzz/charter_loader.py) found.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from charterdesk.core.charter_source import read_charter
from charterdesk.core.problems import CharterError

from .conftest import CHARTERS
from .mutations import mutated

SEEDS = sorted(CHARTERS.glob("*.yaml"))
TEXTS = [path.read_text(encoding="utf-8") for path in SEEDS]
CRASHES = sorted((Path(__file__).parent / "crashes").glob("charter-*.yaml"))


def loads_or_explains(text: str) -> None:
    """The loader's promise: a charter, or a CharterError that says where and what."""
    try:
        read_charter(text, "fuzz.yaml")
    except CharterError as error:
        problems = error.problems
    else:
        return
    assert problems
    lines = text.count("\n") + 2
    for problem in problems:
        assert problem.code
        assert problem.message
        assert 1 <= problem.line <= lines, problem
        assert problem.column >= 1, problem
        assert str(problem).startswith("fuzz.yaml:")


ODD_VALUES = ["", "~", "[]", "{}", "-1", "1e999", "0x10", "!!binary aGk=", "*anchor",
              "&a [*a]", "2026-02-30", "25:00", "'", "|", "? x", "7 working fortnights",
              "-3 working days", "200%", "!!set {a}"]  # fmt: skip


@st.composite
def line_edits(draw: st.DrawFn) -> str:
    """A seed charter with lines deleted, repeated, swapped, re-indented or rewritten."""
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "repeat", "swap", "indent", "dedent", "value"]))
        if edit == "delete":
            del lines[at]
        elif edit == "repeat":
            lines.insert(at, lines[at])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "indent":
            lines[at] = "  " + lines[at]
        elif edit == "dedent":
            lines[at] = lines[at][2:]
        else:  # the value after the key: any text, or a YAML-looking one
            key, _, _ = lines[at].partition(":")
            value = draw(st.one_of(st.text(max_size=30), st.sampled_from(ODD_VALUES)))
            lines[at] = f"{key}: {value}"
        if not lines:
            break
    return "\n".join(lines) + "\n"


yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)


def dumped(value: Any) -> str:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(value, stream)
    return stream.getvalue()


@given(text=st.text(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_any_text_loads_or_is_explained(text: str) -> None:
    loads_or_explains(text)


@given(text=line_edits())
@settings(max_examples=150, deadline=None)
def test_a_seed_charter_edited_line_by_line_loads_or_is_explained(text: str) -> None:
    loads_or_explains(text)


@given(raw=mutated(SEEDS))
@settings(max_examples=150, deadline=None)
def test_a_seed_charter_mutated_byte_by_byte_loads_or_is_explained(raw: bytes) -> None:
    loads_or_explains(raw.decode("utf-8", errors="replace"))


@given(value=yaml_values, top=st.dictionaries(st.sampled_from(
    ["charter", "organization", "calendars", "case_types", "channels", "commitments",
     "texts", "escalation", "survey", "privacy", "conduct"]), yaml_values, max_size=6))  # fmt: skip
@settings(max_examples=200, deadline=None)
def test_any_yaml_document_loads_or_is_explained(value: Any, top: dict[str, Any]) -> None:
    loads_or_explains(dumped(value))
    loads_or_explains(dumped({"charter": 1, **top}))


# --- what the atheris fuzzer found (fuzz/charter_loader.py), each fixed in the loader -----


@pytest.mark.parametrize("path", CRASHES, ids=lambda path: path.stem)
def test_inputs_that_once_crashed_the_loader_are_explained(path: Path) -> None:
    loads_or_explains(path.read_bytes().decode("utf-8", errors="replace"))


def test_a_character_yaml_forbids_is_a_charter_error_with_its_place() -> None:
    # ruamel's ReaderError is not a MarkedYAMLError: it escaped read_charter
    text = TEXTS[0].replace("charter: 1", "charter: 1\n# a NUL: \x00", 1)
    line = text.splitlines().index("# a NUL: \x00") + 1
    with pytest.raises(CharterError) as caught:
        read_charter(text, "seed.yaml")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("yaml", line, 10)
    assert "#x0000" in problem.message


@pytest.mark.parametrize("value", ["0000-00-00", "2026-02-30"])
def test_a_date_that_cannot_exist_is_a_charter_error_with_its_place(value: str) -> None:
    # ruamel raised a bare ValueError ("year 0 is out of range") out of read_charter
    text = TEXTS[0].replace("charter: 1", f"charter: 1\nlast_seen: {value}", 1)
    line = text.splitlines().index(f"last_seen: {value}") + 1
    with pytest.raises(CharterError) as caught:
        read_charter(text, "seed.yaml")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("yaml", line, 12)
    assert "cannot be read" in problem.message


def test_a_comment_ruamel_cannot_place_is_a_charter_error_with_its_place() -> None:
    # ruamel's round-trip reader raised NotImplementedError("overlap in comment")
    with pytest.raises(CharterError) as caught:
        read_charter("charter: 1\ncase_types:   # the kinds\n  x y\n\nchannels: {}\n", "c.yaml")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("yaml", 2, 15)
    assert "indentation" in problem.message
