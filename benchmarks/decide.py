"""How fast clausewise decides: in-process and through `clausewise check --jsonl`.

    python benchmarks/decide.py            # Kareo, and generated policies of 100,
                                           # 1,000 and 10,000 clauses
    python benchmarks/decide.py --quick    # fewer actions, for a short run

For each policy it measures (µs per decision, decisions per second):

  load                  parse, validate and compile the policy (once)
  decide, first pass    `decide()` on pre-validated actions, on a fresh compile
                        (the look-ups per (kind, category) are memoised as it goes)
  decide                the same, warm; then split into allows only and denials
                        only (a denial also works out the nearest permissions)
  explain_denials=False `decide()` without the parts that only explain a denial
  decide, unindexed     `decide(..., indexed=False)`: the slow path the index
                        replaces, next to the indexed time on the same actions
  Engine.check(dict)    validation against the vocabulary + decide
  cli --jsonl           `clausewise check POLICY FILE --jsonl` in a subprocess over
                        a file of N distinct actions; "net" subtracts the start-up
                        (the same command on a one-line file: Python, imports, load)
  cli --jsonl repeated  the same over N lines that repeat 50 distinct actions (the
                        CLI decides a repeated line once)

Options: --quick (fewer actions and repeats), --sizes 100,1000 (generated policy
sizes), --no-cli (in-process only), --seed N.

Generated policies are random but realistic: they declare their own categories,
purposes, recipients, events and facts (`define ...`) under fideslang's taxonomy
and the built-in sets, and their clauses mix every kind, conditions, consent modes
and obligations, so that the index has something to select from. Everything is
seeded: the same options give the same policies and actions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import clausewise  # noqa: E402
from clausewise import model as m  # noqa: E402
from clausewise.api import Engine  # noqa: E402
from clausewise.engine import decide  # noqa: E402
from clausewise.vocabulary import base_vocabulary  # noqa: E402

KAREO = ROOT / "rules" / "kareo.policy"
BOOL_FACTS = ("consent", "opted_out", "aggregated", "legal_requirement", "notice_given",
              "encrypted", "linked")
DATA_KINDS = ("collect", "use", "share", "retain")
METHODS = ("provided", "automatic", "cookies", "third_party")


# ------------------------------------------------------------ policy generator


def generate_policy(clauses: int, seed: int) -> str:
    """A policy of `clauses` clauses with its own vocabulary, as source text."""
    rng = random.Random(seed)
    base = base_vocabulary()
    text: list[str] = [f'policy "Generated policy of {clauses} clauses"',
                       '  organization "Example Corp"', "end", ""]

    def extend(vocab: m.Vocab, roots: list[str], count: int, dotted: bool) -> list[str]:
        pool = list(roots)
        for i in range(count):
            parent = rng.choice(pool)
            if dotted:
                key = f"{parent}.g{i}"
                text.append(f'define {vocab.value} {key} "generated {vocab.value} {i}"')
            else:
                key = f"{vocab.value}_{i}"
                text.append(f'define {vocab.value} {key} "generated {vocab.value} {i}" '
                            f"under {parent}")
            pool.append(key)
        return pool

    categories = extend(m.Vocab.category,
                        [k for k in base.terms[m.Vocab.category] if k.startswith("user.")],
                        max(20, clauses // 4), dotted=True)
    purposes = extend(m.Vocab.purpose, list(base.terms[m.Vocab.purpose]),
                      max(10, clauses // 10), dotted=True)
    recipients = extend(m.Vocab.recipient, list(base.terms[m.Vocab.recipient]),
                        max(5, clauses // 20), dotted=False)
    events = extend(m.Vocab.event, list(base.terms[m.Vocab.event]), max(5, clauses // 50),
                    dotted=False)
    channels = list(base.terms[m.Vocab.channel])
    rights = list(base.terms[m.Vocab.right])
    subjects = list(base.terms[m.Vocab.subject])
    flags = [f"flag_{i}" for i in range(max(3, clauses // 200))]
    text += [f'define fact {flag} bool "generated fact"' for flag in flags]
    text.append("")

    leaves = [c for c in categories if c.count(".") >= 2]

    def condition() -> str:
        atoms = [rng.choice(BOOL_FACTS + tuple(flags)), "subject_age >= 13",
                 f"not {rng.choice(('opted_out', 'linked'))}"]
        parts = rng.sample(atoms, rng.choice((1, 1, 1, 2)))
        return f" {rng.choice(('and', 'or'))} ".join(parts)

    kinds = (["collection"] * 20 + ["use"] * 25 + ["sharing"] * 20 + ["retention"] * 8 +
             ["notification"] * 5 + ["right"] * 4 + ["prohibition"] * 12 + ["security"] * 4 +
             ["disclaimer"] * 2)
    verbs = {"collection": "collect", "use": "use", "sharing": "share", "retention": "keep"}
    for index in range(clauses):
        kind = rng.choice(kinds)
        lines = [f"{kind} c{index}"]
        if kind in verbs:
            data = rng.sample(categories, rng.randint(1, 4))
            lines.append(f"  {verbs[kind]} {', '.join(data)}")
            if rng.random() < 0.3:
                lines.append(f"  from {rng.choice(subjects)}")
            if kind == "sharing":
                lines.append(f"  with {', '.join(rng.sample(recipients, rng.randint(1, 2)))}")
            if rng.random() < 0.8:
                lines.append(f"  for {', '.join(rng.sample(purposes, rng.randint(1, 3)))}")
            if rng.random() < 0.15:
                lines.append(f"  on {rng.choice(events)}")
            if kind == "collection" and rng.random() < 0.5:
                lines.append(f"  method {rng.choice(METHODS)}")
            if kind == "retention":
                lines.append(rng.choice(("  indefinitely", f"  for {rng.randint(1, 365)} days",
                                         "  until session_end")))
            if rng.random() < 0.4:
                lines.append(f"  if {condition()}")
            elif rng.random() < 0.2:
                lines.append(f"  consent {rng.choice(('opt-in', 'opt-out'))}")
            if rng.random() < 0.2:
                lines.append('  must "record the transfer"')
        elif kind == "prohibition":
            actions = rng.sample(("collect", "use", "share", "keep"), rng.randint(1, 2))
            lines.append(f"  never {', '.join(actions)} "
                         f"{', '.join(rng.sample(leaves, rng.randint(1, 2)))}")
            if rng.random() < 0.5:
                lines.append(f"  for {rng.choice(purposes)}")
            if rng.random() < 0.5:
                lines.append(f"  unless {rng.choice(('consent', 'aggregated', *flags))}")
        elif kind == "security":
            lines.append(f"  {rng.choice(('encrypt', 'protect'))} "
                         f"{', '.join(rng.sample(leaves, rng.randint(1, 3)))}")
            lines += rng.sample(("  in transit", "  at rest"), rng.randint(1, 2))
        elif kind == "notification":
            lines += [f"  on {rng.choice(events)}", f"  notify {rng.choice(subjects)}",
                      f"  via {', '.join(rng.sample(channels, 2))}"]
            if rng.random() < 0.3:
                lines.append("  before")
        elif kind == "right":
            lines += [f"  grants {', '.join(rng.sample(rights, 2))}",
                      f"  via {rng.choice(channels)}"]
        lines.append(f'  text "Generated clause {index}."')
        text += lines + ["end", ""]
    return "\n".join(text)


# ----------------------------------------------------------- action generator


def generate_actions(engine: Engine, count: int, seed: int) -> list[dict]:
    """`count` distinct, valid actions: most aimed at a permission, the rest at random.

    An aimed action takes its kind and terms from one permission (or a term below
    them) and sets its facts at random, so some are allowed and some are not; a
    random action draws from the terms the policy names and a few others.
    """
    rng = random.Random(seed)
    vocabulary = engine.vocabulary
    permissions = [c for c in engine.model.clauses if isinstance(c, m.Permission)]
    named: dict[str, set[str]] = {field: set() for field in
                                  ("data", "subjects", "recipients", "purposes", "events",
                                   "channels", "rights")}
    for clause in engine.model.clauses:
        for field, keys in named.items():
            keys.update(getattr(clause, field, ()))

    def pool(field: str, vocab: m.Vocab, extra: int = 10) -> list[str]:
        others = sorted(vocabulary.terms[vocab])
        return sorted(named[field]) + rng.sample(others, min(extra, len(others)))

    pools = {"data": pool("data", m.Vocab.category, 30),
             "subject": pool("subjects", m.Vocab.subject),
             "recipient": pool("recipients", m.Vocab.recipient),
             "purpose": pool("purposes", m.Vocab.purpose),
             "event": pool("events", m.Vocab.event),
             "channel": pool("channels", m.Vocab.channel),
             "right": pool("rights", m.Vocab.right, 3)}
    children: dict[tuple[m.Vocab, str | None], tuple[str, ...]] = {}

    def below(vocab: m.Vocab, key: str) -> str:
        """`key`, or now and then a term under it."""
        if rng.random() < 0.3:
            found = children.get((vocab, key))
            if found is None:
                found = children[(vocab, key)] = vocabulary.children(vocab, key)
            if found:
                return rng.choice(found)
        return key

    facts = [name for name, fact in vocabulary.facts.items() if fact.type is m.FactType.bool]

    def aimed() -> dict:
        clause = rng.choice(permissions)
        kind = m.ACTION_OF_KIND[clause.kind]
        action: dict = {"action": kind}
        if clause.data:
            action["data"] = [below(m.Vocab.category, k)
                              for k in rng.sample(clause.data, min(len(clause.data),
                                                                   rng.choice((1, 1, 2))))]
        for field, attr, vocab in (("subject", "subjects", m.Vocab.subject),
                                   ("recipient", "recipients", m.Vocab.recipient),
                                   ("purpose", "purposes", m.Vocab.purpose),
                                   ("event", "events", m.Vocab.event),
                                   ("channel", "channels", m.Vocab.channel),
                                   ("right", "rights", m.Vocab.right)):
            keys = getattr(clause, attr, ())
            if keys:
                action[field] = below(vocab, rng.choice(keys))
        if kind == "exercise" and "right" not in action:
            action["right"] = rng.choice(pools["right"])
        if isinstance(clause, m.Collection) and clause.methods:
            action["method"] = rng.choice(clause.methods)
        if isinstance(clause, m.Retention):
            if clause.period.days is not None:
                action["days"] = rng.randint(1, clause.period.days + 10)
            elif clause.period.until is not None:
                action["until"] = clause.period.until
        return action

    def random_action() -> dict:
        kind = rng.choice(DATA_KINDS * 4 + ("notify", "exercise"))
        action: dict = {"action": kind}
        if kind in DATA_KINDS:
            action["data"] = rng.sample(pools["data"], rng.choice((1, 1, 1, 2, 3)))
            for field, chance in (("purpose", 0.8), ("subject", 0.4)):
                if rng.random() < chance:
                    action[field] = rng.choice(pools[field])
            if kind == "share":
                action["recipient"] = rng.choice(pools["recipient"])
            if kind == "collect" and rng.random() < 0.5:
                action["method"] = rng.choice(METHODS)
            if kind == "retain":
                if rng.random() < 0.5:
                    action["days"] = rng.randint(1, 400)
                else:
                    action["until"] = "session_end"
        elif kind == "notify":
            action.update(subject=rng.choice(pools["subject"]),
                          channel=rng.choice(pools["channel"]))
        else:
            action.update(right=rng.choice(pools["right"]), channel=rng.choice(pools["channel"]))
        if rng.random() < 0.2:
            action["event"] = rng.choice(pools["event"])
        return action

    seen: set[str] = set()
    actions: list[dict] = []
    attempts = 0
    while len(actions) < count:
        attempts += 1
        if attempts > count * 50:
            raise RuntimeError(f"could not generate {count} distinct actions")
        action = aimed() if permissions and rng.random() < 0.7 else random_action()
        # facts: mostly the favourable value, sometimes the other, sometimes missing
        context: dict = {}
        for fact in facts:
            draw = rng.random()
            if draw < 0.5:
                context[fact] = fact not in ("opted_out", "linked")
            elif draw < 0.7:
                context[fact] = rng.random() < 0.5
        if rng.random() < 0.7:
            context["subject_age"] = rng.randint(10, 70)
        action["context"] = context
        key = json.dumps(action, sort_keys=True)
        if key not in seen:
            seen.add(key)
            actions.append(action)
    return actions


# ------------------------------------------------------------------- measuring


@dataclass
class Row:
    policy: str
    clauses: int
    path: str
    decisions: int
    seconds: float
    note: str = ""

    @property
    def micros(self) -> float:
        return self.seconds / self.decisions * 1e6

    @property
    def per_second(self) -> float:
        return self.decisions / self.seconds if self.seconds > 0 else float("nan")


def best_of(repeats: int, run: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def run_cli(policy: Path, lines: list[str], workdir: Path, name: str,
            extra: tuple[str, ...] = ()) -> float:
    path = workdir / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "clausewise", "check", str(policy), str(path), "--jsonl",
               *extra]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"clausewise check failed ({done.returncode}): "
                           f"{done.stderr.decode()[:2000]}")
    return elapsed


def bench_policy(label: str, policy: Path, args: argparse.Namespace, workdir: Path,
                 rows: list[Row]) -> None:
    start = time.perf_counter()
    engine = clausewise.load(policy)
    compiled = engine.compiled
    load_seconds = time.perf_counter() - start
    clauses = len(engine.model.clauses)
    print(f"  {label}: {clauses} clauses loaded and compiled in {load_seconds * 1e3:.0f} ms",
          file=sys.stderr, flush=True)
    rows.append(Row(label, clauses, "load (parse+validate+compile)", 1, load_seconds,
                    "once per process"))

    actions = generate_actions(engine, args.actions, seed=args.seed)
    parsed = [engine.action(a) for a in actions]

    fresh = clausewise.load(policy).compiled
    seconds = best_of(1, lambda: [decide(fresh, a) for a in parsed])
    effects = [decide(compiled, a).effect for a in parsed]
    share = f"{effects.count('allow') / len(effects):.0%} allowed"
    rows.append(Row(label, clauses, "decide, first pass", len(parsed), seconds,
                    f"{share}; fills the look-up memo"))

    seconds = best_of(args.repeats, lambda: [decide(compiled, a) for a in parsed])
    rows.append(Row(label, clauses, "decide", len(parsed), seconds, share))
    for effect in ("allow", "deny"):
        subset = [a for a, e in zip(parsed, effects) if e == effect]
        if subset:
            seconds = best_of(args.repeats, lambda: [decide(compiled, a) for a in subset])
            what = "allows" if effect == "allow" else "denials"
            rows.append(Row(label, clauses, f"decide, {what} only", len(subset), seconds))
    seconds = best_of(args.repeats, lambda: [decide(compiled, a, explain_denials=False)
                                             for a in parsed])
    rows.append(Row(label, clauses, "decide, explain_denials=False", len(parsed), seconds,
                    "no nearest / failed parts"))

    slow = parsed[:args.unindexed]
    indexed = best_of(args.repeats, lambda: [decide(compiled, a) for a in slow])
    seconds = best_of(args.repeats, lambda: [decide(compiled, a, indexed=False) for a in slow])
    rows.append(Row(label, clauses, "decide, unindexed", len(slow), seconds,
                    f"indexed on the same: {indexed / len(slow) * 1e6:.1f} µs"))

    seconds = best_of(args.repeats, lambda: [engine.check(a) for a in actions])
    rows.append(Row(label, clauses, "Engine.check(dict)", len(actions), seconds, share))

    if args.no_cli:
        return
    cli_actions = generate_actions(engine, args.cli_lines, seed=args.seed + 1)
    lines = [json.dumps(a, separators=(",", ":")) for a in cli_actions]
    distinct = max(1, args.repeat_distinct)
    repeated = [lines[i % distinct] for i in range(len(lines))]
    # start-up (a one-line run) is measured next to every timed run, and the least
    # of those is taken: on a busy machine a single measurement is too noisy
    startups: list[float] = []
    totals: dict[str, float] = {}
    # distinct lines over a fixed set of shapes (a log of one application: the same
    # flows, each with its own facts)
    shapes = [dict(a, context={}) for a in cli_actions[:50]]
    rng = random.Random(args.seed + 2)
    facts = [n for n, f in engine.vocabulary.facts.items() if f.type is m.FactType.bool][:7]
    known: list[str] = []
    seen: set[str] = set()
    while len(known) < len(lines) and len(seen) < 50 * 2 ** len(facts):
        line = json.dumps(dict(rng.choice(shapes), context={
            f: rng.random() < 0.5 for f in facts if rng.random() < 0.7} | {
            "subject_age": rng.randint(10, 90)}), separators=(",", ":"))
        if line not in seen:
            seen.add(line)
            known.append(line)
    batches = (("distinct", lines, "every line distinct", ()),
               ("repeated", repeated, f"{distinct} distinct lines repeated", ()),
               ("distinct, --brief", lines, "every line distinct", ("--brief",)),
               ("distinct over 50 shapes, --brief", known,
                "every line distinct, 50 shapes", ("--brief",)))
    for _ in range(args.cli_repeats):
        for name, batch, _note, extra in batches:
            startups.append(run_cli(policy, lines[:1], workdir, f"{label}-one.jsonl"))
            elapsed = run_cli(policy, batch, workdir, f"{label}-{name}.jsonl", extra)
            totals[name] = min(totals.get(name, elapsed), elapsed)
    startup = min(startups)
    for name, batch, note, _extra in batches:
        total = totals[name]
        rows.append(Row(label, clauses, f"cli --jsonl, {name}", len(batch), total,
                        f"{note}; start-up {startup * 1e3:.0f} ms"))
        net = total - startup
        rows.append(Row(label, clauses, f"cli --jsonl, {name}, net", len(batch), net,
                        "minus start-up") if net > 0.05 * total else
                    Row(label, clauses, f"cli --jsonl, {name}, net", len(batch), float("nan"),
                        "within start-up noise"))


def print_table(rows: list[Row]) -> None:
    header = ("policy", "clauses", "path", "n", "µs/decision", "decisions/s", "note")
    def number(value: float, digits: int) -> str:
        return "-" if value != value else f"{value:,.{digits}f}"  # NaN: not measurable

    body = [(r.policy, f"{r.clauses:,}", r.path, f"{r.decisions:,}",
             number(r.micros, 1) if r.decisions > 1 else f"{r.seconds * 1e3:,.0f} ms",
             number(r.per_second, 0) if r.decisions > 1 else "", r.note) for r in rows]
    widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]
    align = "<>< >>><"

    def fmt(line: tuple[str, ...]) -> str:
        return "  ".join(f"{cell:{'<' if align[i] == '<' else '>'}{widths[i]}}"
                         for i, cell in enumerate(line)).rstrip()

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    previous = None
    for row, line in zip(rows, body):
        if previous is not None and row.policy != previous:
            print()
        previous = row.policy
        print(fmt(line))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer actions and repeats")
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="clause counts of the generated policies (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=20100525)
    parser.add_argument("--no-cli", action="store_true", help="skip the subprocess runs")
    args = parser.parse_args(argv)
    args.actions = 500 if args.quick else 5000
    args.unindexed = 200 if args.quick else 1000
    args.cli_lines = 2000 if args.quick else 20000
    args.repeats = 1 if args.quick else 3
    args.cli_repeats = 2 if args.quick else 3
    args.repeat_distinct = 50

    rows: list[Row] = []
    print(f"clausewise decision benchmark (python {sys.version.split()[0]}, "
          f"{'quick' if args.quick else 'full'} run)", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="clausewise-bench-") as tmp:
        workdir = Path(tmp)
        policies = [("kareo", KAREO)]
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            path = workdir / f"generated-{size}.policy"
            path.write_text(generate_policy(size, seed=args.seed + size), encoding="utf-8")
            policies.append((f"gen-{size}", path))
        for label, path in policies:
            bench_policy(label, path, args, workdir, rows)
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
