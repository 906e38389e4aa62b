"""clausewise against Cedar, Rego and Casbin, side by side, on the same decisions.

    python benchmarks/peers/run.py                 # Kareo, then 10 to 10,000 rules
    python benchmarks/peers/run.py --quick         # fewer rounds and actions (< 1 min)
    python benchmarks/peers/run.py --json out.json # also the numbers as JSON

The Kareo decision cases (rules/kareo.tests.yaml, the policy tests) are
encoded for each peer from the compiled policy (encode.py): cedarpy with a
`PolicySet` and `Entities` parsed once, and its string-policy path that parses them
on every call; regopy (rego-cpp) with the module and data built once into a bundle
queried with `query_bundle`; pycasbin with a model and policy rows. Before anything
is timed, every engine must give clausewise's decision on every case: one
disagreement stops the run. Then the engines take turns, in several rounds of one
process, and the table gives microseconds per decision (the median round), the
spread (fastest to slowest round) and the ratio to clausewise. clausewise is timed
as callers use it: `Engine.check(dict)`, which validates the action and keeps what
its explanation is derived from. Peers get their requests prepared beforehand (the
most favourable reading for them).

Scaling: policies generated with 10, 100, 1,000 and 10,000 rules (the generator of
benchmarks/decide.py), the same actions for every engine, checked for agreement,
then timed; a table and a PNG plot go to benchmarks/peers/out/ (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

import clausewise  # noqa: E402
from clausewise.api import Engine  # noqa: E402

from benchmarks.peers.casbin_peer import CasbinPeer  # noqa: E402
from benchmarks.peers.cedar import CedarPeer  # noqa: E402
from benchmarks.peers.encode import requests, rules  # noqa: E402
from benchmarks.peers.rego import RegoPeer  # noqa: E402

KAREO = ROOT / "rules" / "kareo.policy"
CASES = ROOT / "rules" / "kareo.tests.yaml"
OUT = Path(__file__).resolve().parent / "out"
PEERS = ("cedarpy", "cedarpy_string", "regopy", "pycasbin")


class Contender:
    """One engine's way of deciding the prepared actions: name -> (decide, inputs)."""

    def __init__(self, name: str, decide: Callable[[object], bool], inputs: list) -> None:
        self.name, self.decide, self.inputs = name, decide, inputs
        self.next_start = 0

    def run_once(self) -> list[bool]:
        decide = self.decide
        return [decide(item) for item in self.inputs]


def contenders(engine: Engine, actions: list[dict], only: tuple[str, ...] = PEERS
               ) -> list[Contender]:
    compiled = engine.compiled
    encoded = rules(compiled)
    reqs = [requests(engine.action(action)) for action in actions]
    out = [Contender("clausewise", lambda a: engine.check(a).allowed, actions)]
    if "cedarpy" in only:
        cedar = CedarPeer(compiled, encoded)
        out.append(Contender("cedarpy", cedar.decide, [cedar.prepare(r) for r in reqs]))
    if "cedarpy_string" in only:
        naive = CedarPeer(compiled, encoded, strings=True)
        out.append(Contender("cedarpy_string", naive.decide, [naive.prepare(r) for r in reqs]))
    if "regopy" in only:
        rego = RegoPeer(compiled, encoded)
        out.append(Contender("regopy", rego.decide, [rego.prepare(r) for r in reqs]))
    if "pycasbin" in only:
        casbin = CasbinPeer(compiled, encoded)
        out.append(Contender("pycasbin", casbin.decide, [casbin.prepare(r) for r in reqs]))
    return out


def agree(engine: Engine, actions: list[dict], ids: list[str], field: list[Contender]) -> None:
    """Every engine decides every action as clausewise does, or the run stops here."""
    expected = [engine.check(action).allowed for action in actions]
    for contender in field[1:]:
        got = contender.run_once()
        for index, (want, have) in enumerate(zip(expected, got)):
            if want != have:
                print(f"DISAGREEMENT: {contender.name} says "
                      f"{'allow' if have else 'deny'} on `{ids[index]}`, clausewise says "
                      f"{'allow' if want else 'deny'}:\n  {json.dumps(actions[index])}",
                      file=sys.stderr)
                raise SystemExit(1)


def timed(contender: Contender, budget: float, start: int = 0) -> float:
    """Microseconds per decision, deciding the inputs in turn (from `start`) for at least
    `budget` seconds; an engine too slow for a whole pass in that time is timed on the
    part it got through (at least 3 decisions), the next round going on from there."""
    decide, inputs = contender.decide, contender.inputs
    count, started = 0, time.perf_counter()
    while True:
        for offset in range(len(inputs)):
            decide(inputs[(start + offset) % len(inputs)])
            count += 1
            if count >= 3 and not count % 8 and time.perf_counter() - started >= budget:
                break
        elapsed = time.perf_counter() - started
        if elapsed >= budget and count >= 3:
            contender.next_start = (start + count) % len(inputs)
            return elapsed / count * 1e6


def rounds(field: list[Contender], count: int, budget: float,
           budgets: dict[str, float] | None = None) -> dict[str, list[float]]:
    """The engines take turns, `count` times (the order rotates each round)."""
    found: dict[str, list[float]] = {c.name: [] for c in field}
    for number in range(count):
        order = field[number % len(field):] + field[:number % len(field)]
        for contender in order:
            found[contender.name].append(timed(contender, (budgets or {}).get(
                contender.name, budget), contender.next_start))
    return found


def summary(found: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    base = statistics.median(found["clausewise"])
    return {name: {"us": statistics.median(values), "min": min(values), "max": max(values),
                   "ratio": statistics.median(values) / base}
            for name, values in found.items()}


def print_kareo(table: dict[str, dict[str, float]], cases: int) -> None:
    print(f"\nKareo: {cases} decision cases (µs per decision, median of the rounds)\n")
    print("| engine | µs/decision | spread (rounds) | × clausewise |")
    print("|---|---|---|---|")
    for name, row in table.items():
        print(f"| {name} | {row['us']:,.1f} | {row['min']:,.1f} – {row['max']:,.1f} | "
              f"{row['ratio']:,.1f} |")


def kareo(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    engine = clausewise.load(KAREO)
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    actions = [case["action"] for case in cases]
    field = contenders(engine, actions)
    agree(engine, actions, [case["id"] for case in cases], field)
    print(f"all {len(field)} engines agree on all {len(cases)} Kareo cases")
    budget = 0.05 if args.quick else 0.25
    found = rounds(field, 3 if args.quick else 7, budget)
    table = summary(found)
    print_kareo(table, len(cases))
    return table


def scaling(args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    from decide import generate_actions, generate_policy

    sizes = [int(s) for s in args.sizes.split(",")]
    count = 40 if args.quick else 200
    result: dict[str, object] = {"rules": sizes}
    series: dict[str, list[float | None]] = {"clausewise": [], **{p: [] for p in PEERS}}
    print(f"\nScaling: generated policies, {count} actions each (30 at 10,000 rules; "
          "µs per decision)\n")
    print("| rules | " + " | ".join(series) + " |")
    print("|---|" + "---|" * len(series))
    for size in sizes:
        path = workdir / f"generated-{size}.policy"
        path.write_text(generate_policy(size, seed=args.seed + size), encoding="utf-8")
        engine = clausewise.load(path)
        # the slowest peers take seconds a decision at 10,000 rules: fewer actions there
        actions = generate_actions(engine, count if size < 5000 else min(count, 30),
                                   seed=args.seed + size)
        field = contenders(engine, actions)
        agree(engine, actions, [f"generated-{size}[{i}]" for i in range(len(actions))], field)
        slow = 0.02 if args.quick else 0.2
        found = rounds(field, 2 if args.quick else 3, 0.1 if args.quick else 0.3,
                       {"pycasbin": slow, "cedarpy_string": slow})
        row = []
        for name in series:
            value = statistics.median(found[name])
            series[name].append(value)
            row.append(f"{value:,.1f}")
        print(f"| {size:,} | " + " | ".join(row) + " |", flush=True)
    result.update(series)
    return result


def plot(result: dict[str, object], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    for name in ("clausewise", *PEERS):
        axes.plot(result["rules"], result[name], marker="o", label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("rules in the policy")
    axes.set_ylabel("µs per decision")
    axes.set_title("Cost of one decision against policy size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and actions")
    parser.add_argument("--json", metavar="FILE", help="write the numbers as JSON")
    parser.add_argument("--sizes", default=None, help="rule counts of the generated policies "
                        "(default 10,100,1000,10000; with --quick 10,100,1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-scaling", action="store_true")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = "10,100,1000" if args.quick else "10,100,1000,10000"
    print(f"{platform.python_implementation()} {platform.python_version()} on "
          f"{platform.machine()}, {os.cpu_count()} cores; {platform.platform()}")
    started = time.perf_counter()
    table = kareo(args)
    data: dict[str, object] = {"kareo": {name: round(row["us"], 2)
                                         for name, row in table.items()}}
    if not args.no_scaling:
        OUT.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            result = scaling(args, Path(tmp))
        plot(result, OUT / "scaling.png")
        (OUT / "scaling.json").write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nplot: {OUT / 'scaling.png'}")
        data["scaling"] = result
    else:
        data["scaling"] = {}
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
