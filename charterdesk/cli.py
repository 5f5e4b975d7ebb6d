"""The `charterdesk` command: check charters, show what they promise, print the schema."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from charterdesk.core.charter import Charter, json_schema
from charterdesk.core.charter_calendars import calendars_of
from charterdesk.core.charter_preview import preview
from charterdesk.core.charter_source import LoadedCharter, read_charter
from charterdesk.core.problems import CharterError
from charterdesk.localized import local_time, translated


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="charterdesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check-charter", help="validate and lint charter files")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--lang", help="language of the table (default: the charter's first)")
    demo = commands.add_parser("demo", help="what each charter promises a case arriving now")
    demo.add_argument("files", nargs="+", type=Path)
    commands.add_parser("schema", help="print the charter JSON Schema")
    args = parser.parse_args(argv)
    if args.command == "schema":
        print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
        return 0
    now = datetime.now(UTC)
    return check_files(args.files, now, getattr(args, "lang", None))


def check_files(files: Sequence[Path], now: datetime, lang: str | None) -> int:
    """Check every file, print its problems and its promises; 1 if any has an error."""
    failed = False
    for path in files:
        loaded = _load(path)
        if loaded is None:
            failed = True
            continue
        for warning in loaded.warnings:
            print(warning)
        print_promises(loaded.charter, now, lang or loaded.charter.organization.languages[0])
    return 1 if failed else 0


def _load(path: Path) -> LoadedCharter | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: cannot read the charter: {error}", file=sys.stderr)
        return None
    try:
        return read_charter(text, str(path))
    except CharterError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            f"{path}: {len(error.problems)} error(s); the charter was not accepted", file=sys.stderr
        )
        return None


def print_promises(charter: Charter, now: datetime, lang: str) -> None:
    org = charter.organization
    zone_now = local_time(now, org.timezone, lang)
    print(f"\n{translated(org.name, lang)} ({org.slug}, {org.timezone}, version {charter.version})")
    print(f"A case received now, {zone_now}:")
    rows = [("", "promise", "commitment", "rule", "example: due", "")]
    for item in preview(charter, calendars_of(charter), now):
        c, clock = item.commitment, item.clock
        due = local_time(clock.due_at, org.timezone, lang) if clock.due_at else clock.state.value
        rows.append(
            (
                "",
                ",".join(c.promise),
                translated(c.title, lang),
                str(c.within),
                due,
                f"({item.case_type} by {item.channel})",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def run() -> None:
    """The console script: like main(), but quiet when its output pipe closes early."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    run()
