"""Writing benchmark figures into BENCHMARKS.md, one marked section per script.

Each script owns the text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``
and replaces only that; the rest of the file (other scripts' sections) is kept.
"""

from __future__ import annotations

import fcntl
import os
import platform
import re
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

BENCHMARKS_FILE = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"

HEADER = """# Benchmarks

The figures below are written by the scripts in `benchmarks/`, each into its own
marked section. Rerun them all with `make bench` (or one with
`.venv/bin/python benchmarks/NAME.py`).
"""


def write_section(name: str, markdown: str, path: Path = BENCHMARKS_FILE) -> None:
    """Replace the section ``name`` of ``path`` with ``markdown`` (append it if new)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    with path.open("a+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # other benchmark scripts write other sections
        file.seek(0)
        text = file.read() or HEADER
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
        if pattern.search(text):
            text = pattern.sub(lambda _: block, text, count=1)
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        file.seek(0)
        file.truncate()
        file.write(text)


def machine_summary(*packages: str) -> str:
    """A markdown line saying when and on what the figures were taken."""
    versions = ", ".join(f"{name} {_version(name)}" for name in packages)
    return (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs "
        f"({_cpu_model()}), Python {platform.python_version()}"
        + (f", {versions}" if versions else "")
        + "."
    )


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
