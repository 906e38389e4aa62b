"""What the atheris harnesses share: instrumented imports, the seed corpus, the stats file.

An atheris harness (tests/fuzz/atheris_*.py) feeds libFuzzer's inputs to one of the
targets of targets.py with `harness.RECORD` on, so a crash is counted and kept
and fuzzing goes on. libFuzzer ends the process without running Python's exit
handlers, so the counts are written to `CLAUSEWISE_FUZZ_STATS` (a JSON file) every
few seconds and after the last of `-runs=N` inputs; run.py reads it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import atheris

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

with atheris.instrument_imports(include=["clausewise", "lark", "yaml", "jinja2"]):
    import clausewise  # noqa: F401
    import clausewise.cli.check  # noqa: F401
    import clausewise.loader  # noqa: F401
    import clausewise.renderers  # noqa: F401

from fuzz import harness  # noqa: E402
from fuzz.targets import Targets  # noqa: E402


def corpus(name: str, seeds: list[bytes]) -> str:
    """A working corpus directory for `name`, seeded with `seeds` on first use."""
    directory = Path(os.environ.get("CLAUSEWISE_FUZZ_CORPUS", "/tmp/clausewise-fuzz-corpus")) / name
    if not directory.exists():
        directory.mkdir(parents=True)
        for index, seed in enumerate(seeds):
            (directory / f"seed-{index}").write_bytes(seed)
    return str(directory)


def run(name: str, one_input: Callable[[Targets, bytes], None], seeds: list[bytes]) -> None:
    """Fuzz `one_input` under libFuzzer with the command line's options (-runs=N, ...)."""
    harness.RECORD = True
    targets = Targets()
    stats_path = os.environ.get("CLAUSEWISE_FUZZ_STATS")
    runs = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("-runs=")), None)
    state = {"count": 0, "written": time.monotonic()}

    def write_stats() -> None:
        if stats_path:
            data = {target: {"inputs": s.inputs, "crashes": s.crash_count,
                             "slowest": s.slowest, "slowest_input": s.slowest_input,
                             "slow": s.slow, "distinct": {k: [c.count, c.shown, c.trace]
                                                          for k, c in s.crashes.items()}}
                    for target, s in harness.STATS.items()}
            Path(stats_path).write_text(json.dumps(data))
        state["written"] = time.monotonic()

    def test_one_input(data: bytes) -> None:
        crashes = sum(s.crash_count for s in harness.STATS.values())
        one_input(targets, data)
        state["count"] += 1
        if state["count"] == runs or time.monotonic() - state["written"] > 5 or \
                sum(s.crash_count for s in harness.STATS.values()) != crashes:
            write_stats()

    argv = [a for a in sys.argv] + [corpus(name, seeds)]
    atheris.Setup(argv, test_one_input)
    try:
        atheris.Fuzz()
    finally:
        write_stats()
        shutil.rmtree(targets.sandbox.base, ignore_errors=True)
