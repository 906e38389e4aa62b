"""The long fuzz campaign: `python3 tests/fuzz/run.py --inputs 1000000 [--minutes M] [--atheris]`.

Runs every target of the fuzz suite with the same strategies as the tests, but
records crashes instead of stopping at the first (one kept per distinct place,
with its input and traceback, in --out), and prints for each target the inputs
tried, the crashes, and the slowest input with its time; an input over 10 s is
listed as SLOW. Inputs are shared out by each target's weight; `--minutes` caps
the whole run (each target gets its share of the time). `--atheris` then runs
the coverage-guided harnesses (tests/fuzz/atheris_*.py) for their share.

The process limits its address space to --memory-gb (4 by default), so an input
that would allocate without bound ends in a recorded MemoryError instead of
taking the machine's memory. Exit code: 0 when nothing crashed and no input was
slow, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
os.environ.setdefault("CLAUSEWISE_FUZZ", "long")  # before `fuzz` reads it: big template sizes

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz import harness  # noqa: E402
from fuzz.manifests import manifests  # noqa: E402
from fuzz.policies import mutants, policies, seed_files, valid_policies  # noqa: E402
from fuzz.targets import Targets  # noqa: E402
from fuzz.templates import templates  # noqa: E402
from fuzz.values import json_texts, objects  # noqa: E402

KAREO = "rules/kareo.policy"
CHUNK = 1_000  # inputs per hypothesis run: each run starts from a fresh random seed


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _jsonl(t: Targets, lines: list[str]) -> None:
    data = _utf8("\n".join(line.replace("\n", " ") for line in lines) + "\n")
    t.cli("cli-jsonl", ["check", KAREO, "{log}", "--jsonl"], {"log.jsonl": data},
          jsonl_lines=sum(1 for line in data.split(b"\n") if line.strip()))


#: name -> (weight, strategy, how to feed one input to the targets)
CAMPAIGN: dict[str, tuple[float, st.SearchStrategy, Callable[[Targets, object], None]]] = {
    "parser-generated": (16, policies(), lambda t, x: t.policy(_utf8(x), target="parser-generated")),
    "parser-valid": (8, valid_policies(), lambda t, x: t.policy(_utf8(x), target="parser-valid")),
    "parser-mutated": (10, mutants(seed_files()),
                       lambda t, x: t.policy(x[1], x[0], target="parser-mutated")),
    "parser-bytes": (4, st.binary(max_size=300),
                     lambda t, x: t.policy(x, target="parser-bytes")),
    "action-object": (20, objects(), lambda t, x: t.action_object(x)),
    "action-json": (20, json_texts(), lambda t, x: t.action_json(x)),
    "action-batch": (4, st.lists(st.one_of(objects(), json_texts()), min_size=1, max_size=6),
                     lambda t, x: t.action_batch(x)),
    "manifest": (12, st.tuples(manifests(), st.sampled_from(("json", "text"))),
                 lambda t, x: t.manifest(*x)),
    "template": (5, templates(), lambda t, x: t.template(*x)),
    "cli-check": (0.05, json_texts(), lambda t, x: t.cli(
        "cli-check", ["check", KAREO, "{action}"], {"action.json": _utf8(x)})),
    "cli-jsonl": (0.05, st.lists(json_texts(), min_size=1, max_size=8), _jsonl),
    "cli-manifest": (0.05, manifests(), lambda t, x: t.cli(
        "cli-manifest", ["check", KAREO, "--manifest", "{flows}"], {"flows.yaml": x})),
    "cli-validate": (0.05, policies(), lambda t, x: t.cli(
        "cli-validate", ["validate", "{policy}"], {"policy.policy": _utf8(x)})),
}
ATHERIS = {"atheris-parser": 6, "atheris-actions": 4, "atheris-manifests": 4,
           "atheris-templates": 1}


def run_target(name: str, targets: Targets, inputs: int, seconds: float | None) -> None:
    _, strategy, feed = CAMPAIGN[name]
    start = time.monotonic()
    stop = start + seconds if seconds else None
    done = 0

    while done < inputs and (stop is None or time.monotonic() < stop):
        chunk = min(CHUNK, inputs - done)
        if stop is not None:  # a round should end near the deadline: size it by the rate so far
            rate = done / max(time.monotonic() - start, 1e-3) if done else 20
            chunk = max(1, min(chunk, int(rate * (stop - time.monotonic())) + 1))

        @settings(max_examples=chunk, phases=[Phase.generate], database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(value=strategy)
        def one(value: object) -> None:
            feed(targets, value)

        before = harness.STATS.setdefault(name, harness.Stats()).inputs
        one()
        tried = harness.STATS[name].inputs - before
        done += max(tried, 1)
        print(f"  {name}: {done:,} inputs", file=sys.stderr, flush=True)


def run_atheris(name: str, runs: int, seconds: float | None, out: Path) -> None:
    stats_file = out / f"{name}.json"
    stats_file.unlink(missing_ok=True)
    argv = [sys.executable, str(Path(__file__).with_name(name.replace("-", "_") + ".py")),
            f"-runs={runs}", "-rss_limit_mb=4096", "-print_final_stats=1"]
    if seconds:
        argv.append(f"-max_total_time={max(1, int(seconds))}")
    env = dict(os.environ, CLAUSEWISE_FUZZ_STATS=str(stats_file))
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    (out / f"{name}.log").write_text(done.stderr[-20000:])
    stats = harness.STATS.setdefault(name, harness.Stats())
    if stats_file.exists():
        for target, data in json.loads(stats_file.read_text()).items():
            s = harness.STATS.setdefault(target, harness.Stats())
            s.inputs += data["inputs"]
            if data["slowest"] > s.slowest:
                s.slowest, s.slowest_input = data["slowest"], data["slowest_input"]
            s.slow += [tuple(x) for x in data["slow"]]
            for key, (count, shown, trace) in data["distinct"].items():
                s.crashes.setdefault(key, harness.Crash(key, shown, trace, 0)).count += count
    if done.returncode != 0:  # libFuzzer stopped early: out of memory, a timeout, a signal
        tail = done.stderr.strip().splitlines()[-3:]
        stats.crashes.setdefault(f"libFuzzer exit {done.returncode}",
                                 harness.Crash(f"libFuzzer exit {done.returncode}",
                                               "see the log", "\n".join(tail)))


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def save_crashes(out: Path) -> None:
    for name, s in harness.STATS.items():
        for index, crash in enumerate(s.crashes.values()):
            (out / f"crash-{name}-{index}.txt").write_text(
                f"{crash.key} (x{crash.count})\n\ninput:\n{crash.shown}\n\n{crash.trace}")
        for index, (elapsed, shown) in enumerate(s.slow):
            (out / f"slow-{name}-{index}.txt").write_text(f"{elapsed:.2f} s\n\ninput:\n{shown}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=1_000_000, help="inputs in all")
    parser.add_argument("--minutes", type=float, help="stop after this long in all")
    parser.add_argument("--targets", help="comma-separated names (default: all): "
                        + ", ".join(list(CAMPAIGN) + list(ATHERIS)))
    parser.add_argument("--atheris", action="store_true",
                        help="also run the coverage-guided atheris harnesses")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir())
                        / "clausewise-fuzz-findings", help="where crashes are written")
    parser.add_argument("--memory-gb", type=float, default=4.0)
    args = parser.parse_args()

    limit = int(args.memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    harness.RECORD = True
    args.out.mkdir(parents=True, exist_ok=True)
    chosen = args.targets.split(",") if args.targets else list(CAMPAIGN) + (
        list(ATHERIS) if args.atheris else [])
    weights = {n: CAMPAIGN[n][0] if n in CAMPAIGN else ATHERIS[n] for n in chosen}
    total = sum(weights.values())
    started = time.monotonic()
    targets = Targets()
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        for name in chosen:
            share = weights[name] / total
            inputs = max(1, int(args.inputs * share))
            seconds = args.minutes * 60 * share if args.minutes else None
            if name in ATHERIS:
                run_atheris(name, inputs, seconds, args.out)
            else:
                run_target(name, targets, inputs, seconds)
    except KeyboardInterrupt:
        print("interrupted: the counts so far", file=sys.stderr)
    finally:
        targets.close()
    save_crashes(args.out)
    print(harness.report())
    print(f"{time.monotonic() - started:.0f} s in all; crashes written to {args.out}")
    bad = any(s.crashes or s.slow for s in harness.STATS.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
