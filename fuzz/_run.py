"""Running one atheris target for a bounded time, seeded with the repository's own inputs.

Each target (``mail_parser.py``, ``charter_loader.py``) calls :func:`fuzz` with its
``one_input`` and its seed files. The seeds are copied into a working corpus under
``var/fuzz/<target>/corpus`` (kept between runs, so each run starts where the last one got
to); a crash is written to ``var/fuzz/<target>/crash-*`` and ends the run with a non-zero
status, so ``make fuzz`` (and ``make test``) fails. Every crash found becomes a test in
tests/reliability/ (see docs/reliability.md).

Usage: ``python fuzz/<target>.py [SECONDS]`` (default ``$FUZZ_SECONDS``, else 30); any
further arguments go to libFuzzer (e.g. a crash file, to replay it).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fuzz(name: str, one_input: Callable[[bytes], None], seeds: Iterable[Path]) -> None:
    args = sys.argv[1:]
    seconds = args.pop(0) if args and args[0].isdigit() else os.environ.get("FUZZ_SECONDS", "30")
    work = ROOT / "var" / "fuzz" / name
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        target = corpus / f"seed-{seed.name}"
        if not target.exists():
            shutil.copyfile(seed, target)
    replaying = any(not arg.startswith("-") for arg in args)
    libfuzzer = [
        sys.argv[0],
        f"-max_total_time={seconds}",
        "-timeout=10",  # one input taking longer is a hang, and a finding
        "-rss_limit_mb=2048",
        "-max_len=262144",
        f"-artifact_prefix={work}/",
        "-print_final_stats=1",
        *args,
    ]
    if not replaying:
        libfuzzer.append(str(corpus))
    print(f"fuzzing {name} for {seconds} s from {corpus}", flush=True)
    atheris.Setup(libfuzzer, one_input)
    atheris.Fuzz()
