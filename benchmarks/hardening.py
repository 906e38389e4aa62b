"""Bounded work on hostile policies: the quadratic paths of issue 8, timed at full size.

    python benchmarks/hardening.py              # every case at full size, best of 3
    python benchmarks/hardening.py --quick      # a tenth of each size
    python benchmarks/hardening.py --only chain --repeats 1
    python benchmarks/hardening.py --only 'diff, terms' --profile   # where one case spends

Each case writes a generated policy (and, for the diff cases, its edited copy) to a
temporary directory, then times what a user runs on it: `load()` (read, parse,
validate; a policy that is refused raises `PolicyError`, whose message is part of
the time) or, for the diff cases, `diff()` of the two versions, loaded beforehand
(a diff case whose policy is refused times that refusal). Each case runs in a
child process of its own, so its peak memory is its own too; a case still running
after `--timeout` seconds is stopped and shown as such. The table, "what | size |
time | peak memory | found", gives the best of `--repeats` runs (fewer once a
case's runs add up to `--budget` seconds), the peak memory of the process during
the first (its baseline, Python and clausewise loaded, is about 35 MB) and what the
last run found: a return to
quadratic work shows as a time that grows a hundredfold when the size grows tenfold.
tests/test_bounded_work.py checks what the same generators' policies give.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from clausewise.diff.changes import DiffResult, diff  # noqa: E402
from clausewise.errors import PolicyError  # noqa: E402
from clausewise.loader import Loaded, load  # noqa: E402

#: the depth a hierarchy may reach below its root (validate.MAX_TERM_DEPTH, if present)
try:
    from clausewise.validate import MAX_TERM_DEPTH  # noqa: E402
except ImportError:  # before the depth limit existed: the benchmark still runs
    MAX_TERM_DEPTH = 32

HEADER = 'policy "Generated"\n  organization "Generated"\nend\n\n'


# -------------------------------------------------------------- generators
def unknown_parents(size: int) -> str:
    """`size` recipients, each placed under a parent nobody defines (`partner_7`, close to
    the built-in `partner`: each is a different name to find a suggestion for)."""
    return HEADER + "".join(f'define recipient broker_{i} "broker {i}" under partner_{i}\n'
                            for i in range(size))


def unknown_terms_one_line(size: int) -> str:
    """One data line naming `size` categories that do not exist."""
    terms = ", ".join(f"no_such_{i}" for i in range(size))
    return HEADER + f"collection everything\n  collect {terms}\nend\n"


def header_texts(size: int) -> str:
    """A header with `size` `text` lines."""
    texts = "".join(f'  text "paragraph {i} of the preamble"\n' for i in range(size))
    return f'policy "Generated"\n  organization "Generated"\n{texts}end\n'


def define_chain(size: int) -> str:
    """A category hierarchy `size` terms deep: a1, a2 under a1, a3 under a2, ..."""
    lines = ['define category a1 "level 1"\n']
    lines += [f'define category a{i} "level {i}" under a{i - 1}\n' for i in range(2, size + 1)]
    return HEADER + "".join(lines)


def define_chain_edited(size: int) -> str:
    """`define_chain` with a clause that collects the deepest term."""
    return define_chain(size) + f"\ncollection deepest\n  collect a{size}\nend\n"


def deep_forest(size: int, depth: int = MAX_TERM_DEPTH) -> str:
    """`size` categories in chains as deep as allowed under `user`, and a use of each deepest.

    Chain `c` is `user.c{c}` (1 level below `user`), then `c{c}_2` under it, and so
    on down to `depth` levels below `user` (the last chain may be shorter). Each
    chain's deepest term has a clause of its own (`use deep{c}`, for marketing with
    consent), and the policy collects and shares some of the rest.
    """
    lines, clauses, made, chain = [], [], 0, 0
    while made < size:
        deepest = f"user.c{chain}"
        lines.append(f'define category {deepest} "chain {chain}"\n')
        made += 1
        level = 2
        while level <= depth and made < size:
            term = f"c{chain}_{level}"
            lines.append(f'define category {term} "chain {chain} level {level}" '
                         f"under {deepest}\n")
            deepest, made, level = term, made + 1, level + 1
        clauses.append(f"use deep{chain}\n  use {deepest}\n  for marketing\n  if consent\nend\n")
        chain += 1
    fixed = ("collection signup\n  collect user\n  from customer\n  for essential.service\n"
             "end\n\nsharing partners\n  share user.contact\n  with partner\n"
             "  for marketing\n  consent opt-in\nend\n\n")
    return HEADER + "".join(lines) + "\n" + fixed + "".join(clauses)


def deep_forest_edited(size: int) -> str:
    """`deep_forest` with partner sharing widened from contact data to all user data, and
    the first chain's deepest term used for marketing without consent."""
    text = deep_forest(size).replace("  share user.contact\n", "  share user\n")
    first = text.index("use deep0\n")
    return text[:first] + text[first:].replace("  if consent\n", "", 1)


def duplicate_ids(size: int) -> str:
    """`size` clause ids, each used by two clauses."""
    block = "use u{i}\n  use user.contact.email\n  for essential.service\nend\n"
    return HEADER + "".join(block.format(i=i) * 2 for i in range(size))


def unused_facts(size: int) -> str:
    """`size` declared facts that no condition tests, and one clause."""
    facts = "".join(f'define fact fact_{i} bool "fact number {i}"\n' for i in range(size))
    return HEADER + facts + "\nuse login\n  use user.contact.email\n  for essential.service\nend\n"


def unused_facts_edited(size: int) -> str:
    """`unused_facts` whose clause now needs the first fact."""
    return unused_facts(size).replace("  for essential.service\nend",
                                      "  for essential.service\n  if fact_0\nend")


def unknown_facts(size: int) -> str:
    """`size` declared facts and `size` conditions on facts nobody declared."""
    facts = "".join(f'define fact fact_{i} bool "fact number {i}"\n' for i in range(size))
    uses = "".join(f"use u{i}\n  use user.contact.email\n  if undeclared_{i}\nend\n"
                   for i in range(size))
    return HEADER + facts + uses


def misspelt_facts(size: int) -> str:
    """`size` declared facts and `size` conditions on near misses of them (`fact_1x`)."""
    facts = "".join(f'define fact fact_{i} bool "fact number {i}"\n' for i in range(size))
    uses = "".join(f"use u{i}\n  use user.contact.email\n  if fact_{i}x\nend\n"
                   for i in range(size))
    return HEADER + facts + uses


# ------------------------------------------------------------------- cases
@dataclass(frozen=True)
class Case:
    """One reproducer: a policy generator and what is timed on it."""

    name: str
    size: int
    make: Callable[[int], str]
    edited: Callable[[int], str] | None = None   # a diff case: the new version

    def write(self, workdir: Path, size: int) -> tuple[Path, Path | None]:
        old = workdir / f"{self.make.__name__}-{size}.policy"
        old.write_text(self.make(size), encoding="utf-8")
        if self.edited is None:
            return old, None
        new = workdir / f"{self.make.__name__}-{size}-edited.policy"
        new.write_text(self.edited(size), encoding="utf-8")
        return old, new


CASES: tuple[Case, ...] = (
    Case("define under an unknown parent", 4_000, unknown_parents),
    Case("unknown terms on one data line", 20_000, unknown_terms_one_line),
    Case("header text lines", 40_000, header_texts),
    Case("define chain (refused: too deep)", 10_000, define_chain),
    Case("terms in chains at the depth limit", 10_000, deep_forest),
    Case("diff, terms at the depth limit", 10_000, deep_forest, deep_forest_edited),
    Case("diff, define chain (refused: too deep)", 10_000, define_chain, define_chain_edited),
    Case("duplicate clause ids", 10_000, duplicate_ids),
    Case("unused facts", 10_000, unused_facts),
    Case("diff, unused facts", 10_000, unused_facts, unused_facts_edited),
    Case("unknown facts among declared ones", 10_000, unknown_facts),
    Case("misspelt facts among declared ones", 10_000, misspelt_facts),
)


def outcome(path: Path) -> Loaded | PolicyError:
    """What `load` makes of a file: the loaded policy or the error it raises."""
    try:
        return load(path)
    except PolicyError as exc:
        return exc


def summary(result: Loaded | PolicyError | DiffResult) -> str:
    if isinstance(result, PolicyError):
        codes = sorted(set(result.codes))
        return f"refused: {len(result.diagnostics)} x {', '.join(codes)}"
    if isinstance(result, DiffResult):
        return f"{len(result.decision_changes)} decision changes, {len(result.of('text'))} text"
    return f"loaded: {len(result.policy.clauses)} clauses, {len(result.policy.terms)} terms"


def run_once(case: Case, old: Path, new: Path | None) -> Callable[[], object]:
    """The timed step of a case: `load`, or `diff` of two versions loaded beforehand.

    A diff case whose policy is refused times that refusal instead.
    """
    if new is None:
        return lambda: outcome(old)
    before, after = outcome(old), outcome(new)
    if isinstance(before, PolicyError) or isinstance(after, PolicyError):
        return lambda: outcome(old)
    return lambda: diff(before, after)


def _measure(case: Case, size: int, repeats: int, budget: float, workdir: Path,
             answer: Connection) -> None:
    """In a child process: the best time, what the last run found, the peak memory (MB)."""
    step = run_once(case, *case.write(workdir, size))
    runs: list[float] = []
    found = ""
    peak = 0.0
    while len(runs) < repeats and (not runs or sum(runs) < budget):
        start = time.perf_counter()
        result = step()
        runs.append(time.perf_counter() - start)
        found = summary(result)  # type: ignore[arg-type]
        del result
        if len(runs) == 1:  # the first run's peak: later ones add the allocator's leftovers
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    answer.send((min(runs), found, peak))


def time_case(case: Case, size: int, repeats: int, budget: float, timeout: float,
              workdir: Path) -> tuple[float | None, str, float | None]:
    """Time a case in a child process of its own, so that its peak memory is its own too."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_measure, args=(case, size, repeats, budget, workdir, send))
    child.start()
    send.close()
    if receive.poll(timeout):
        best, found, peak = receive.recv()
        child.join()
        return best, found, peak
    child.kill()
    child.join()
    return None, f"stopped after {timeout:g} s", None


def print_table(rows: list[tuple[str, ...]]) -> None:
    head = ("what", "size", "time", "peak memory", "found")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(row: tuple[str, ...]) -> str:
        cells = [cell.ljust(w) if i in (0, len(head) - 1) else cell.rjust(w)
                 for i, (cell, w) in enumerate(zip(row, widths))]
        return "| " + " | ".join(cells) + " |"
    print(fmt(head))
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print(fmt(row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of each size")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    parser.add_argument("--budget", type=float, default=10.0,
                        help="no further runs of a case once its runs took this long")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="stop a case after this many seconds")
    parser.add_argument("--only", default="", help="cases whose name contains this")
    parser.add_argument("--profile", action="store_true",
                        help="profile the first chosen case instead of timing")
    args = parser.parse_args(argv)
    chosen = [c for c in CASES if args.only in c.name]
    if not chosen:
        parser.error(f"no case matches `{args.only}`")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        warm = workdir / "warm.policy"  # the grammar and the taxonomy, once, before timing
        warm.write_text(unused_facts(1), encoding="utf-8")
        load(warm)
        if args.profile:
            case = chosen[0]
            size = case.size // 10 if args.quick else case.size
            step = run_once(case, *case.write(workdir, size))
            profiler = cProfile.Profile()
            profiler.runcall(step)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            return 0
        rows = []
        for case in chosen:
            size = max(1, case.size // 10) if args.quick else case.size
            best, found, peak = time_case(case, size, args.repeats, args.budget,
                                          args.timeout, workdir)
            rows.append((case.name, f"{size:,}", "-" if best is None else f"{best:.2f} s",
                         "-" if peak is None else f"{peak:,.0f} MB", found))
            print(f"{case.name}: {rows[-1][2]} ({found})", file=sys.stderr, flush=True)
        print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
