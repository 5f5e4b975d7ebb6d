"""`charterdesk check-charter`: accepts the five seeds, rejects a contradiction clearly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from charterdesk.cli import check_files, main

CHARTERS = Path(__file__).parents[1] / "charters"
SEEDS = sorted(CHARTERS.glob("*.yaml"))
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # Monday


def test_all_five_seed_charters_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(SEEDS) == 5
    assert check_files(SEEDS, NOW, None) == 0
    out, err = capsys.readouterr()
    assert err == ""
    for promise in ("A8", "A9", "A10", "L5", "L6", "T15", "T21", "E4", "N3"):
        assert promise in out


def test_table_shows_deadlines_in_the_organizations_zone_and_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    check_files([CHARTERS / "ask4.yaml"], NOW, None)
    out = capsys.readouterr().out
    assert "A case received now, Pon 23 Lis 2026, 09:30:" in out  # Polish, London time
    # A9 for a complaint received now: 3 working days after confirmation, at the close
    assert "Informacja o postępie" in out
    assert "Czw 26 Lis 2026, 17:30" in out
    check_files([CHARTERS / "lt-pro.yaml"], NOW, "en")
    out = capsys.readouterr().out
    assert "Mon 23 Nov 2026, 12:30" in out  # Moscow is UTC+3
    assert "Voicemail returned" in out
    assert "Mon 23 Nov 2026, 15:30" in out  # T15: 3 working hours


def test_injected_contradiction_fails_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (CHARTERS / "eurolux.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "eurolux.yaml"
    broken.write_text(
        text.replace("в течение 3 рабочих дней.", "в течение 5 (Трех) рабочих дней.", 1),
        encoding="utf-8",
    )
    assert main(["check-charter", str(broken)]) == 1
    err = capsys.readouterr().err
    line = text.split("в течение 3 рабочих дней.", 1)[0].count("\n") + 1
    assert f"{broken}:{line}:13 error [text-contradicts-itself]" in err
    assert "'5 (Трех) рабочих дней', which states 5 and 3 at once" in err
    assert "the charter was not accepted" in err


def test_unreadable_file_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-charter", str(tmp_path / "missing.yaml")]) == 1
    assert "cannot read the charter" in capsys.readouterr().err


def test_schema_command_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert '"title": "Charterdesk charter"' in capsys.readouterr().out
