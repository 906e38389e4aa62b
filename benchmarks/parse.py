"""How fast policies load, and how fast the CLI starts.

    python benchmarks/parse.py              # the table
    python benchmarks/parse.py --profile    # and where loading spends its time

Generates a policy of 10,000 clauses of every kind (with a header, an included
vocabulary file and realistic fields) in a temporary directory, times
`clausewise.loader.load` on it (best of a few runs) and its phases, then times
the start-up of `clausewise validate rules/kareo.policy` and of
`python -c "import clausewise.cli"` as subprocesses (best of several).
Each row shows the best wall-clock time and the best CPU time; on a shared
machine the CPU time is the steadier of the two.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAREO = ROOT / "rules" / "kareo.policy"

VOCABULARY = '''# Terms of the generated policy.
define recipient broker "data brokers" under advertiser
define recipient payroll_provider "payroll providers" under service_provider
define category user.workplace.demographics "your company's demographic information"
define purpose analytics.research "research"
define purpose essential.service.contact "contacting you"
define channel account_email "the contact email of the account" under email
define fact terms_violation bool "the person violates the terms of service"
'''

HEADER = '''include "vocabulary.policy"

policy "Generated Privacy Policy"
  organization "Example Inc."
  version "1.0"
  updated 2024-01-31
  scope "the example.com web site and the services it offers"
  contact email "privacy@example.com"
  contact phone "555-0100"
  certification "An Example Privacy Program"
  complaints "Example Watchdog" at "https://watchdog.example.org/complaint"
  text "Personal information is information that identifies you."
end
'''

# One template per clause kind, written as policies are: indented fields, texts, comments.
TEMPLATES = [
    '''# sign-up form, variant {i}
collection sign-up-{i}
  collect user.name, user.contact.email, user.contact.phone_number, user.workplace.demographics
  from customer
  on sign_up
  method provided
  for essential.service, essential.service.contact
  required
  text "When you sign up we ask for your name, email address and phone number ({i})."
end
''',
    '''use analytics-{i}
  use user.device.ip_address, user.device.cookie_id
  for analytics.reporting, analytics.research
  if aggregated and not opted_out
  text "We use IP addresses to count visitors per region."
end
''',
    '''sharing partners-{i}
  share user.name, user.contact.email
  with partner, broker
  for marketing.advertising.first_party
  consent opt-in
  unless opted_out or subject_age < 18
  must "share only what the partner needs to provide its service"
end
''',
    '''retention logs-{i}
  keep user.device.ip_address, user.behavior
  for 90 days
  unless legal_requirement
end
''',
    '''notification changes-{i}
  on policy_change
  notify customer
  via account_email, web_notice
  within 30 days
  text "We tell you about significant changes to this policy."
end
''',
    '''prohibition no-children-{i}
  never collect, use, share, keep user
  if subject_age < 13
  text "Children under 13 may not use the service."
end
''',
    '''security transport-{i}
  encrypt user.financial.credit_card, user.financial.bank_account
  in transit
  at rest
  using "TLS 1.3 and encrypted disks"
end
''',
    '''right correction-{i}
  grants correction, access, deletion
  via email, phone, postal_mail
  text "You may correct your information by email, phone or post."
end
''',
    '''disclaimer forums-{i}
  about public
  text "Whatever you post in our forums can be read by others. "
       "We are not responsible for what you choose to post."
end
''',
    '''sharing legal-{i}
  share user
  with authority
  for essential.legal_obligation
  if legal_requirement or terms_violation
end
''',
]


def generate(directory: Path, clauses: int) -> Path:
    """Write a policy of `clauses` clauses (plus header and vocabulary); return its root."""
    body = "\n".join(TEMPLATES[i % len(TEMPLATES)].format(i=i) for i in range(clauses))
    (directory / "vocabulary.policy").write_text(VOCABULARY, encoding="utf-8")
    root = directory / "policy.policy"
    root.write_text(HEADER + "\n" + body, encoding="utf-8")
    return root


def best_of(runs: int, func: Callable[[], object]) -> tuple[float, float, object]:
    """Best wall-clock and best CPU seconds of `runs` calls, and the last result.

    Both are shown: on a shared machine the CPU time is the steadier figure.
    """
    wall = cpu = float("inf")
    result = None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, result


def command_time(runs: int, argv: list[str]) -> tuple[float, float]:
    """Best wall-clock and best CPU (user + system) seconds of a command."""
    wall = cpu = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def cell(wall: float, cpu: float) -> str:
    return f"{wall:8.3f} s  {cpu:8.3f} s"


def clausewise_command() -> list[str]:
    script = shutil.which("clausewise", path=str(Path(sys.executable).parent)) \
        or shutil.which("clausewise")
    return [script] if script else [sys.executable, "-m", "clausewise"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per load timing")
    parser.add_argument("--starts", type=int, default=9, help="runs per start-up timing")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one load")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))  # the working tree, even if not installed
    from clausewise.grammar.parser import parse
    from clausewise.loader import load, merge, read_source
    from clausewise.validate import validate
    from clausewise.vocabulary import base_vocabulary

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="clausewise-bench-") as tmp:
        root = generate(Path(tmp), args.clauses)
        size = root.stat().st_size
        load(root)  # warm: grammar, vocabulary snapshot, imports

        wall, cpu, loaded = best_of(args.runs, lambda: load(root))
        assert len(loaded.policy.clauses) == args.clauses
        rows.append((f"load {args.clauses:,} clauses ({size / 1e6:.1f} MB)",
                     cell(wall, cpu) + f"  ({args.clauses / cpu:,.0f} clauses per CPU s)"))

        text = read_source(str(root))
        read_s = best_of(args.runs, lambda: read_source(str(root)))
        parse_s = best_of(args.runs, lambda: parse(text, str(root)))
        document = parse_s[2]
        vocab_doc = parse(read_source(str(Path(tmp) / "vocabulary.policy")),
                          str(Path(tmp) / "vocabulary.policy"))
        documents = [document, vocab_doc]

        def check() -> object:
            policy = merge(str(root), documents)
            vocabulary = base_vocabulary().with_policy(policy.terms, policy.facts)
            return validate(policy, documents, vocabulary)

        check_s = best_of(args.runs, check)
        assert check_s[2] == []
        rows.append(("  read and decode", cell(*read_s[:2])))
        rows.append(("  parse and build the model", cell(*parse_s[:2])))
        rows.append(("  merge and validate", cell(*check_s[:2])))

        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(load, root)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
            profile_text = out.getvalue()

    cli = clausewise_command()
    rows.append(("clausewise validate rules/kareo.policy",
                 cell(*command_time(args.starts, [*cli, "validate", str(KAREO)]))))
    rows.append(('python -c "import clausewise.cli"',
                 cell(*command_time(args.starts, [sys.executable, "-c",
                                                  "import clausewise.cli"]))))
    rows.append(('python -c "pass" (the interpreter alone)',
                 cell(*command_time(args.starts, [sys.executable, "-c", "pass"]))))

    width = max(len(name) for name, _ in rows)
    print(f"{'what':<{width}}  {'wall':>10}  {'CPU':>10}   (best of each)")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\nPython {sys.version.split()[0]}; best of {args.runs} loads, "
          f"{args.starts} starts")
    if args.profile:
        print("\n" + profile_text)


if __name__ == "__main__":
    main()
