"""How fast the semantic diff is: `diff()` on Kareo and on generated policies, each vs an edit.

    python benchmarks/diff.py                   # Kareo, and generated policies of 100
                                                # and 1,000 clauses
    python benchmarks/diff.py --sizes 100,300 --each   # other sizes, each edit alone too
    python benchmarks/diff.py --sizes 100 --profile gen-100   # where one case spends its time
    python benchmarks/diff.py --sizes "" --sweep   # every single-clause edit of Kareo

Each case loads two versions of a policy (once, not timed with the diff) and times
`clausewise.diff.changes.diff(old, new)`: the exact enumeration of the actions
the two versions can tell apart, deciding each with both, grouping the changes,
and the text comparison. It prints the best and the median of a few runs (fewer
when one run is slow: see --budget), with what the diff found. A run that takes
longer than --timeout seconds is stopped and shown as such (on systems with
SIGALRM); a profile stopped that way still shows where the time went.

The Kareo cases are the edits a legal editor makes (tests/test_diff_kareo.py
checks what each reports): dropping the opt-out on partner sharing, dropping the
notice before a merger transfer (the most changes of any single edit), and five
edits at once. The generated policies come from benchmarks/decide.py (realistic,
with their own vocabularies); their edited copies change a few clauses: a
condition dropped, a category added, a retention period changed, an obligation
added, a prohibition's exception dropped, and prose reworded. Everything is
seeded: the same options give the same policies and edits.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from decide import generate_policy  # noqa: E402  (the decision benchmark's generator)

from clausewise.diff import space  # noqa: E402
from clausewise.diff.changes import DiffResult, diff  # noqa: E402
from clausewise.loader import Loaded, load  # noqa: E402

RULES = ROOT / "rules"
KAREO_FILES = ("kareo.policy", "kareo-vocabulary.policy")


# ------------------------------------------------------------------- edits
def _block(text: str, clause_id: str) -> re.Match[str]:
    found = re.search(rf"^\w+ {re.escape(clause_id)}\n.*?^end\n", text, re.S | re.M)
    if found is None:
        raise SystemExit(f"benchmark: no clause `{clause_id}` to edit")
    return found


def edit_clause(text: str, clause_id: str, old: str, new: str) -> str:
    block = _block(text, clause_id)
    if old not in block.group(0):
        raise SystemExit(f"benchmark: `{old.strip()}` is not in clause `{clause_id}`: "
                         "the Kareo policy changed; update the edits")
    return text[:block.start()] + block.group(0).replace(old, new, 1) + text[block.end():]


KAREO_EDITS: dict[str, tuple[str, str, str]] = {
    "partner opt-out dropped": ("partners", "  unless opted_out\n", ""),
    "phone number shared with partners": (
        "partners", "share user.name, user.contact.email\n",
        "share user.name, user.contact.email, user.contact.phone_number\n"),
    "merger notice no longer before": ("merger-notice", "  before\n", ""),
    "IP retention limited to 30 days": ("ip-not-linked", "  indefinitely\n", "  for 30 days\n"),
    "prose reworded": ("partners", "With your consent, we do share",
                       "If you agree, we will share"),
}
#: single edits timed alone too (not part of "5 edits"): a fact threshold of the
#: prohibition every action on personal data meets
KAREO_SINGLE: dict[str, tuple[str, str, str]] = {
    "age limit 13 -> 16": ("no-children", "if subject_age < 13", "if subject_age < 16"),
}


@dataclass
class Edit:
    clause: str
    label: str
    block: str             # the clause as edited

    def __str__(self) -> str:
        return f"{self.clause}: {self.label}"


def edit_generated(text: str, count: int, seed: int) -> list[Edit]:
    """`count` edits of different sorts, each to a different clause of a generated policy."""
    rng = random.Random(seed)
    blocks = list(re.finditer(r"^(\w+) (c\d+)\n.*?^end\n", text, re.S | re.M))
    data_terms = sorted({term for b in blocks
                         for line in re.findall(r"^  (?:collect|use|share|keep) (.+)$",
                                                b.group(0), re.M)
                         for term in line.split(", ")})

    def drop_condition(block: str) -> str | None:
        return re.sub(r"^  if .*\n", "", block, count=1, flags=re.M) \
            if re.search(r"^  if ", block, re.M) else None

    def add_category(block: str) -> str | None:
        line = re.search(r"^  (collect|use|share|keep) (.+)$", block, re.M)
        if line is None:
            return None
        extra = rng.choice([t for t in data_terms if t not in line.group(2).split(", ")])
        return block.replace(line.group(0), f"{line.group(0)}, {extra}", 1)

    def change_period(block: str) -> str | None:
        if not block.startswith("retention "):
            return None
        days = re.search(r"^  for (\d+) days$", block, re.M)
        if days:
            return block.replace(days.group(0), f"  for {int(days.group(1)) + 30} days", 1)
        return re.sub(r"^  (indefinitely|until \w+)$", "  for 30 days", block, count=1,
                      flags=re.M)

    def add_obligation(block: str) -> str | None:
        if not block.startswith("sharing "):
            return None
        return block.replace("\nend\n", "\n  must encrypt in transit\nend\n")

    def drop_exception(block: str) -> str | None:
        return re.sub(r"^  unless .*\n", "", block, count=1, flags=re.M) \
            if block.startswith("prohibition ") and "\n  unless " in block else None

    def reword(block: str) -> str | None:
        return re.sub(r'text "', 'text "Reworded: ', block, count=1) if 'text "' in block \
            else None

    sorts: list[tuple[str, Callable[[str], str | None]]] = [
        ("condition dropped", drop_condition), ("category added", add_category),
        ("retention period changed", change_period), ("obligation added", add_obligation),
        ("exception dropped", drop_exception), ("prose reworded", reword)]
    edits: list[Edit] = []
    taken: set[int] = set()
    order = list(range(len(blocks)))
    rng.shuffle(order)
    for label, apply in (sorts * (count // len(sorts) + 1))[:count]:
        for index in order:
            if index in taken:
                continue
            changed = apply(blocks[index].group(0))
            if changed is not None and changed != blocks[index].group(0):
                taken.add(index)
                edits.append(Edit(blocks[index].group(2), label, changed))
                break
    return edits


def apply_edits(text: str, edits: list[Edit]) -> str:
    for edit in edits:
        block = _block(text, edit.clause)
        text = text[:block.start()] + edit.block + text[block.end():]
    return text


# ------------------------------------------------------------------- cases
@dataclass
class Case:
    label: str
    old: Path
    new: Path
    edits: list[str]


def kareo_cases(workdir: Path) -> list[Case]:
    original = (RULES / "kareo.policy").read_text(encoding="utf-8")
    old_dir = workdir / "kareo-old"
    old_dir.mkdir()
    for name in KAREO_FILES:
        shutil.copy(RULES / name, old_dir / name)

    def version(name: str, edits: list[str]) -> Case:
        folder = workdir / f"kareo-new-{len(list(workdir.iterdir()))}"
        folder.mkdir()
        shutil.copy(RULES / "kareo-vocabulary.policy", folder / "kareo-vocabulary.policy")
        text = original
        for edit in edits:
            text = edit_clause(text, *{**KAREO_EDITS, **KAREO_SINGLE}[edit])
        (folder / "kareo.policy").write_text(text, encoding="utf-8")
        return Case(name, old_dir / "kareo.policy", folder / "kareo.policy", edits)

    return [version("kareo: opt-out", ["partner opt-out dropped"]),
            version("kareo: merger notice", ["merger notice no longer before"]),
            version("kareo: age limit", ["age limit 13 -> 16"]),
            version("kareo: 5 edits", list(KAREO_EDITS))]


def sweep_edits(block: str) -> list[tuple[str, str | None]]:
    """The single edits tried on one Kareo clause: deleting it, dropping each of its
    lines but the first and last, and moving each number in it by a few."""
    lines = block.splitlines(keepends=True)
    out: list[tuple[str, str | None]] = [("deleted", "")]
    for index in range(1, len(lines) - 1):
        if not lines[index].lstrip().startswith(("text ", "#")):
            out.append((f"line {index + 1} dropped", "".join(lines[:index] + lines[index + 1:])))
    for number in re.finditer(r"(?<![\w.-])(\d+)(?![\w.-])", block):
        value = int(number.group(1))
        for moved in (value + 3, max(0, value - 3)):
            out.append((f"{value} -> {moved}", block[:number.start()] + str(moved)
                        + block[number.end():]))
    return out


def sweep(workdir: Path) -> None:
    """Time `diff()` on every single-clause edit of Kareo (`sweep_edits` of each clause)."""
    original = (RULES / "kareo.policy").read_text(encoding="utf-8")
    old_dir = workdir / "sweep-old"
    old_dir.mkdir()
    for name in KAREO_FILES:
        shutil.copy(RULES / name, old_dir / name)
    old = load(old_dir / "kareo.policy")
    new_dir = workdir / "sweep-new"
    new_dir.mkdir()
    shutil.copy(RULES / "kareo-vocabulary.policy", new_dir / "kareo-vocabulary.policy")
    times: list[tuple[float, str]] = []
    for found in re.finditer(r"^\w+ ([\w-]+)\n.*?^end\n", original, re.S | re.M):
        for label, block in sweep_edits(found.group(0)):
            text = original[:found.start()] + block + original[found.end():]
            (new_dir / "kareo.policy").write_text(text, encoding="utf-8")
            try:
                new = load(new_dir / "kareo.policy")
            except Exception:  # an edit that leaves an invalid clause: not a policy
                continue
            best = float("inf")
            for _ in range(2):
                start = time.perf_counter()
                diff(old, new)
                best = min(best, time.perf_counter() - start)
            times.append((best, f"{found.group(1)}: {label}"))
    times.sort()
    print(f"\nevery single-clause edit of Kareo: {len(times)} edits, diff() best of 2 each")
    print(f"  median {statistics.median(t for t, _ in times) * 1e3:,.0f} ms, "
          f"95th percentile {times[int(len(times) * 0.95)][0] * 1e3:,.0f} ms, "
          f"slowest {times[-1][0] * 1e3:,.0f} ms")
    for seconds, label in times[-5:]:
        print(f"  {seconds * 1e3:6,.0f} ms  {label}")


def generated_cases(workdir: Path, size: int, edits: int, seed: int, each: bool) -> list[Case]:
    """The generated policy vs its copy with `edits` edits (and, with `each`, vs each alone)."""
    text = generate_policy(size, seed=seed + size)
    old = workdir / f"gen-{size}-old.policy"
    old.write_text(text, encoding="utf-8")
    chosen = edit_generated(text, edits, seed + size + 1)
    versions = [(f"gen-{size}: {e.label}", [e]) for e in chosen] if each else []
    versions.append((f"gen-{size}", chosen))
    cases = []
    for number, (label, applied) in enumerate(versions):
        new = workdir / f"gen-{size}-new-{number}.policy"
        new.write_text(apply_edits(text, applied), encoding="utf-8")
        cases.append(Case(label, old, new, [str(e) for e in applied]))
    return cases


# ----------------------------------------------------------------- timing
@dataclass
class Row:
    case: str
    clauses: int
    edits: int
    load: float
    runs: list[float]
    result: DiffResult | None      # None: stopped after `timeout` seconds


class Stopped(Exception):
    pass


def _stop(signum: int, frame: object) -> None:
    raise Stopped


def time_case(case: Case, repeats: int, budget: float, timeout: float) -> Row:
    """Load both versions, then time `diff()`; a run longer than `timeout` is stopped."""
    start = time.perf_counter()
    old, new = load(case.old), load(case.new)
    loaded = time.perf_counter() - start
    runs: list[float] = []
    result = None
    can_stop = hasattr(signal, "setitimer") and timeout > 0
    while len(runs) < repeats and (not runs or sum(runs) < budget):
        if can_stop:
            previous = signal.signal(signal.SIGALRM, _stop)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        start = time.perf_counter()
        try:
            result = diff(old, new)
        except Stopped:
            return Row(case.label, len(old.policy.clauses), len(case.edits), loaded,
                       [time.perf_counter() - start], None)
        finally:
            if can_stop:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
        runs.append(time.perf_counter() - start)
    return Row(case.label, len(old.policy.clauses), len(case.edits), loaded, runs, result)


def count_points(old: Loaded, new: Loaded) -> int:
    """How many actions the enumeration decides (each with both versions)."""
    from clausewise.diff.changes import _widened
    from clausewise.engine import CompiledPolicy

    sides = (CompiledPolicy(old.policy, _widened(old, new)),
             CompiledPolicy(new.policy, _widened(new, old)))
    return sum(1 for kind in space.DIMENSIONS for _ in space.points(kind, sides))


def print_table(rows: list[Row]) -> None:
    header = ("case", "clauses", "edits", "load both", "diff best", "diff median", "runs",
              "decision records", "situations in them", "text, drift")
    body = []
    for row in rows:
        if row.result is None:
            body.append((row.case, f"{row.clauses:,}", str(row.edits),
                         f"{row.load * 1e3:,.0f} ms", f"> {row.runs[0]:.3g} s", "", "stopped",
                         "", "", ""))
            continue
        decisions = row.result.decision_changes
        body.append((row.case, f"{row.clauses:,}", str(row.edits), f"{row.load * 1e3:,.0f} ms",
                     f"{min(row.runs) * 1e3:,.0f} ms",
                     f"{statistics.median(row.runs) * 1e3:,.0f} ms", str(len(row.runs)),
                     ", ".join(f"{len(row.result.of(c))} {c}" for c in
                               ("widening", "narrowing", "both") if row.result.of(c))
                     or "none",
                     f"{sum(c.count for c in decisions):,}",
                     str(len(row.result.of("text")) + len(row.result.of("drift")))))
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    right = {1, 2, 3, 4, 5, 6, 8, 9}

    def fmt(line: tuple[str, ...]) -> str:
        return "  ".join(f"{cell:>{widths[i]}}" if i in right else f"{cell:<{widths[i]}}"
                         for i, cell in enumerate(line)).rstrip()

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for line in body:
        print(fmt(line))


def profile(case: Case, top: int, timeout: float) -> None:
    old, new = load(case.old), load(case.new)
    print(f"\nprofile of diff() on {case.label} ({len(old.policy.clauses):,} clauses)")
    profiler = cProfile.Profile()
    can_stop = hasattr(signal, "setitimer") and timeout > 0
    if can_stop:
        signal.signal(signal.SIGALRM, _stop)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    profiler.enable()
    try:
        diff(old, new)
        stopped = False
    except Stopped:
        stopped = True
    finally:
        profiler.disable()
        if can_stop:
            signal.setitimer(signal.ITIMER_REAL, 0)
    if stopped:
        print(f"stopped after {timeout:g} s: the profile of what ran until then")
    else:
        print(f"{count_points(old, new):,} actions decided by both versions")
    for order in ("cumulative", "tottime"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order).print_stats(top)
        print(stream.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000",
                        help="clause counts of the generated policies (default: %(default)s)")
    parser.add_argument("--edits", type=int, default=5,
                        help="clauses changed in each generated copy (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="diff() runs per case, at most (default: %(default)s)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="stop repeating a case after this many seconds (default: "
                        "%(default)s)")
    parser.add_argument("--seed", type=int, default=20100525)
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="stop one diff() run after this many seconds; 0: never "
                        "(default: %(default)s)")
    parser.add_argument("--each", action="store_true",
                        help="also time each edit of the generated policies alone")
    parser.add_argument("--profile", metavar="CASE",
                        help="also profile one case (e.g. `kareo: 5 edits` or gen-1000)")
    parser.add_argument("--top", type=int, default=20, help="profile lines (default: 20)")
    parser.add_argument("--sweep", action="store_true",
                        help="also time every single-clause edit of Kareo (deleting each "
                        "clause, dropping each line, moving each number)")
    args = parser.parse_args(argv)

    print(f"clausewise diff benchmark (python {sys.version.split()[0]})", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="clausewise-diff-bench-") as tmp:
        workdir = Path(tmp)
        cases = kareo_cases(workdir)
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            cases += generated_cases(workdir, size, args.edits, args.seed, args.each)
        rows = []
        for case in cases:
            print(f"  {case.label}: {'; '.join(case.edits)}", file=sys.stderr, flush=True)
            rows.append(time_case(case, args.repeats, args.budget, args.timeout))
        print()
        print_table(rows)
        if args.profile:
            chosen = [c for c in cases if c.label == args.profile]
            if not chosen:
                parser.error(f"no case {args.profile!r}; cases: "
                             + ", ".join(c.label for c in cases))
            profile(chosen[0], args.top, args.timeout)
        if args.sweep:
            sweep(workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
