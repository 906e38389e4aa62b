"""The fuzz oracle, the clock and the hypothesis budget shared by every target.

Every target hands one input to `exercise`, which runs it and judges the outcome:

- it returns normally, or raises a `ClausewiseError` (PolicyError, ActionError,
  TemplateError, UsageError) whose every diagnostic, when it refers to a file, has a
  span with line >= 1 and column >= 1 (and an end not before its start). Anything
  else (another exception, a diagnostic without a place, a failed target-specific
  check raised as `OracleFailure`) is a crash;
- its time is measured. An input over `SLOW_SECONDS` (10 s, the aim of issue 8) is a
  finding: recorded with the input, printed at the end of the session, and in the
  CI run it fails the test at teardown (see conftest.py). Slowness is never raised
  inside the test, so hypothesis does not spend minutes shrinking a slow input.

In the normal suite (`CLAUSEWISE_FUZZ` unset or `ci`) a crash is raised, so
hypothesis shrinks it and the test fails. In a campaign (`run.py`) `RECORD` is
true: crashes are counted and kept, one per distinct place, and generation goes on.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, settings

from clausewise.errors import ClausewiseError

#: "ci" (the normal suite: brief) or "long" (a campaign through pytest)
MODE = os.environ.get("CLAUSEWISE_FUZZ", "ci")
#: how many times more inputs each test tries in the long mode
LONG_FACTOR = int(os.environ.get("CLAUSEWISE_FUZZ_FACTOR", "200"))
#: the aim of issue 8: no single input takes longer than this
SLOW_SECONDS = 10.0
#: true in a campaign (run.py, atheris): record crashes instead of raising them
RECORD = False
#: the source tree, for the real policies, manifests and actions that seed mutation
ROOT = Path(__file__).resolve().parents[2]
SRC = str(ROOT / "src" / "clausewise")

settings.register_profile(
    "clausewise-fuzz", deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture])


def budget(ci_examples: int) -> settings:
    """The settings of one fuzz test: `ci_examples` inputs in CI, LONG_FACTOR times more long."""
    scale = LONG_FACTOR if MODE == "long" else 1
    return settings(settings.get_profile("clausewise-fuzz"),
                    max_examples=ci_examples * scale)


class OracleFailure(AssertionError):
    """A target's own check failed (a wrong exit code, output that leaks a file, ...)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


@dataclass
class Crash:
    key: str
    shown: str
    trace: str
    count: int = 1


@dataclass
class Stats:
    """What one target has seen: inputs, distinct crashes, the slowest input, the slow ones."""

    inputs: int = 0
    crashes: dict[str, Crash] = field(default_factory=dict)
    slowest: float = 0.0
    slowest_input: str = ""
    slow: list[tuple[float, str]] = field(default_factory=list)

    @property
    def crash_count(self) -> int:
        return sum(c.count for c in self.crashes.values())


STATS: dict[str, Stats] = {}


def shorten(text: object, limit: int = 600) -> str:
    try:
        shown = text if isinstance(text, str) else repr(text)
    except Exception as exc:  # noqa: BLE001 - a hostile object's repr may raise anything
        shown = f"<unprintable {type(text).__name__}: {type(exc).__name__}>"
    return shown if len(shown) <= limit else f"{shown[:limit]}... ({len(shown):,} chars)"


def exercise(target: str, run: Callable[[], object], shown: object, *,
             located: bool = True) -> object:
    """Run one input through `run` and judge it; return its result (None if it failed).

    `located`: the input came from a file or a text, so every diagnostic needs a span.
    """
    stats = STATS.setdefault(target, Stats())
    stats.inputs += 1
    start = time.perf_counter()
    result: object = None
    try:
        result = run()
    except ClausewiseError as exc:
        try:
            check_diagnostics(exc, located)
        except OracleFailure as failure:
            _crash(stats, failure, shown)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - this is the oracle: anything else is a crash
        _crash(stats, exc, shown)
    finally:
        elapsed = time.perf_counter() - start
        if elapsed > stats.slowest:
            stats.slowest, stats.slowest_input = elapsed, shorten(shown)
        if elapsed > SLOW_SECONDS:
            stats.slow.append((elapsed, shorten(shown, 20_000)))
    return result


def check_diagnostics(exc: ClausewiseError, located: bool) -> None:
    """Raise `OracleFailure` unless every diagnostic is well placed and the error prints."""
    if not exc.diagnostics:
        raise OracleFailure("no-diagnostics", f"{type(exc).__name__} with no diagnostic")
    for d in exc.diagnostics:
        span = d.span
        if span is None:
            if located and not _unplaced_ok(exc, d.code):
                raise OracleFailure("unlocated-diagnostic", f"{d.code}: {d.message}")
            continue
        if span.line < 1 or span.column < 1 or (span.end_line, span.end_column) < (
                span.line, span.column):
            raise OracleFailure("bad-span", f"{d.code} at {span.line}:{span.column}-"
                                f"{span.end_line}:{span.end_column}: {d.message}")
    exc.format()  # printing an error must not fail either


def _unplaced_ok(exc: ClausewiseError, code: str) -> bool:
    """The errors that are about no place in a file: usage, a template that ran out of time."""
    return type(exc).__name__ == "UsageError" or code == "template-timeout"


def _crash(stats: Stats, exc: BaseException, shown: object) -> None:
    key = crash_key(exc)
    trace = "".join(traceback.format_exception(exc)[-12:])
    if key in stats.crashes:
        stats.crashes[key].count += 1
    else:
        stats.crashes[key] = Crash(key, shorten(shown, 4000), trace)
    if not RECORD:
        raise exc


def crash_key(exc: BaseException) -> str:
    """One key per kind of crash: the exception type and the innermost line of clausewise."""
    if isinstance(exc, OracleFailure):
        return f"OracleFailure[{exc.kind}]"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f.filename.startswith(SRC)]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = f"{Path(where.filename).name}:{where.lineno}" if where else "?"
    return f"{type(exc).__name__} at {place}"


def report(stats: dict[str, Stats] | None = None) -> str:
    """The campaign's table: inputs, crashes, the slowest input of every target."""
    stats = STATS if stats is None else stats
    lines = [f"{'target':<22} {'inputs':>9} {'crashes':>8} {'distinct':>8} {'slowest':>9}"]
    for name, s in sorted(stats.items()):
        lines.append(f"{name:<22} {s.inputs:>9,} {s.crash_count:>8,} {len(s.crashes):>8} "
                     f"{s.slowest:>8.2f}s")
    total = sum(s.inputs for s in stats.values())
    crashes = sum(s.crash_count for s in stats.values())
    lines.append(f"{'total':<22} {total:>9,} {crashes:>8,} "
                 f"{sum(len(s.crashes) for s in stats.values()):>8}")
    for name, s in sorted(stats.items()):
        if s.slowest_input:
            lines.append(f"slowest {name}: {s.slowest:.2f}s: {shorten(s.slowest_input, 300)}")
        for elapsed, shown in s.slow:
            lines.append(f"SLOW {name}: {elapsed:.1f}s (over {SLOW_SECONDS:.0f}s): "
                         f"{shorten(shown, 300)}")
        for crash in s.crashes.values():
            lines.append(f"CRASH {name}: {crash.key} x{crash.count}: {shorten(crash.shown, 300)}")
    return "\n".join(lines)
