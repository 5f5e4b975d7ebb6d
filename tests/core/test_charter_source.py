"""Reading charter files: every mistake is reported with file:line:column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from charterdesk.core.charter import json_schema
from charterdesk.core.charter_source import read_charter
from charterdesk.core.problems import CharterError

CHARTERS = Path(__file__).parents[2] / "charters"
ASK4 = (CHARTERS / "ask4.yaml").read_text(encoding="utf-8")


def problems_of(text: str) -> list[str]:
    with pytest.raises(CharterError) as caught:
        read_charter(text, "ask4.yaml")
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("path", sorted(CHARTERS.glob("*.yaml")), ids=lambda p: p.stem)
def test_seed_charters_load_without_errors_or_warnings(path: Path) -> None:
    loaded = read_charter(path.read_text(encoding="utf-8"), str(path))
    assert loaded.warnings == ()
    assert loaded.charter.commitments


def test_misspelt_event_names_its_place() -> None:
    text = ASK4.replace("met_by: [update_sent]", "met_by: [update_sen]")
    line = line_of(text, "update_sen]")
    [problem] = problems_of(text)
    assert problem == (
        f"ask4.yaml:{line}:14 error [unknown-event] unknown event 'update_sen'; "
        "did you mean 'update_sent'?"
    )


def test_yaml_syntax_error_names_its_place() -> None:
    text = ASK4.replace("  timezone: Europe/London", "  timezone: [Europe/London")
    [problem] = problems_of(text)
    assert problem.startswith("ask4.yaml:")
    assert "[yaml]" in problem


def test_unknown_setting_is_named() -> None:
    text = ASK4.replace("    within: 24 hours", "    within: 24 hours\n    witihn: 3 days")
    [problem] = problems_of(text)
    assert f"ask4.yaml:{line_of(text, 'witihn')}:" in problem
    assert "'witihn' is not a known setting here" in problem


def test_bad_duration_says_what_is_accepted() -> None:
    text = ASK4.replace("within: 24 hours", "within: 24 hourz")
    [problem] = problems_of(text)
    assert f"ask4.yaml:{line_of(text, '24 hourz')}:13" in problem
    assert "commitments[0].within" in problem
    assert "'24 hourz' is not a duration; write e.g. '48 hours'" in problem


def test_unknown_time_zone() -> None:
    [problem] = problems_of(ASK4.replace("Europe/London", "Europe/Londn"))
    assert "organization.timezone: 'Europe/Londn' is not an IANA time zone" in problem


def test_missing_required_setting() -> None:
    [problem] = problems_of(ASK4.replace("  reference_prefix: ASK\n", ""))
    assert "organization.reference_prefix: is required" in problem


def test_duplicate_key_is_a_yaml_error() -> None:
    text = ASK4.replace("  slug: ask4\n", "  slug: ask4\n  slug: ask5\n")
    [problem] = problems_of(text)
    assert "[yaml]" in problem
    assert "duplicate" in problem


def test_a_list_is_not_a_charter() -> None:
    assert problems_of("- 1\n- 2\n") == [
        "ask4.yaml:1:1 error [not-a-charter] a charter is a YAML mapping that starts with "
        "'charter: 1'"
    ]


def test_the_published_json_schema_is_current() -> None:
    published = json.loads((CHARTERS.parent / "charterdesk" / "charter.schema.json").read_text())
    assert published == json_schema(), "run `make schema` and commit charter.schema.json"
