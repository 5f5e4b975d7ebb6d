"""Every promise of shared/seeds/README.md has a test named ``test_<ID>_...`` here.

The ids are written out below (the tests never read shared/ at run time); test
functions are found by parsing this directory's modules, so a module that fails to
import still counts its tests and the failure is reported where it belongs.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import SLUGS, load_desk

#: Every promise id of shared/seeds/README.md, by organization, as written there.
SEED_IDS = {
    "leviatan": "L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11 L12 L13 L14 L15 L16",
    "ask4": "A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12",
    "lt-pro": "T1 T3 T6 T8 T11 T12 T14 T15 T16 T17 T18 T21 T22 T23",
    "eurolux": "E1 E2 E3 E4 E5 E6 E7 E8 E9 E10",
    "anlp": "N1 N2 N3 N4 N5 N6 N7 N10 N11",
}
PROMISES = {slug: re.findall(r"\S+", ids) for slug, ids in SEED_IDS.items()}
ALL_IDS = [promise for ids in PROMISES.values() for promise in ids]
TEST_NAME = re.compile(r"^test_((?:[LATEN]\d+_)+)")


def _test_names() -> dict[str, set[str]]:
    """Test function names of each ``test_*.py`` module of this directory."""
    names: dict[str, set[str]] = {}
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names[path.name] = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
        }
    return names


def _cited(name: str) -> set[str]:
    """The ids a test name starts with: test_A8_A9_A10_chain -> {A8, A9, A10}."""
    match = TEST_NAME.match(name)
    return set(match.group(1).rstrip("_").split("_")) if match else set()


def test_the_id_list_is_that_of_the_seeds_readme() -> None:
    assert len(ALL_IDS) == len(set(ALL_IDS)) == 16 + 12 + 14 + 10 + 9


@pytest.mark.parametrize("promise", ALL_IDS)
def test_every_promise_has_its_own_test(promise: str) -> None:
    prefix = f"test_{promise}_"
    having = [
        f"{module}::{name}"
        for module, names in _test_names().items()
        for name in names
        if name.startswith(prefix)
    ]
    assert having, f"no test is named {prefix}..."


def test_tests_cite_only_known_promises() -> None:
    unknown = {
        f"{module}::{name}": sorted(_cited(name) - set(ALL_IDS))
        for module, names in _test_names().items()
        for name in names
        if _cited(name) - set(ALL_IDS)
    }
    assert unknown == {}


@pytest.mark.parametrize("slug", SLUGS)
def test_each_organizations_promises_are_tested_in_its_own_module(slug: str) -> None:
    module = f"test_{slug.replace('-', '_')}.py"
    cited = set().union(*(_cited(name) for name in _test_names()[module]))
    assert set(PROMISES[slug]) <= cited


@pytest.mark.parametrize("slug", SLUGS)
def test_charters_cite_only_their_own_promise_ids(slug: str) -> None:
    desk = load_desk(slug)
    cited = {promise for c in desk.charter.commitments for promise in c.promise}
    assert cited <= set(PROMISES[slug])
