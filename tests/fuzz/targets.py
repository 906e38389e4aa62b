"""The fuzz targets: each takes one generated input, runs it through clausewise, judges it.

The same functions serve the pytest suite (test_fuzz_*.py), the campaign driver
(run.py) and the atheris harnesses. Each calls `harness.exercise` with the target's
name, so inputs, crashes and times are counted per target.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tracemalloc
from functools import cached_property
from pathlib import Path

import clausewise
from clausewise.cli.check import _check_manifest
from clausewise.engine import Decision
from clausewise.errors import ActionError, ClausewiseError
from clausewise.loader import load
from clausewise.renderers import render

from .harness import ROOT, OracleFailure, check_diagnostics, exercise
from .policies import SECRET, Sandbox

KAREO = ROOT / "rules" / "kareo.policy"
#: the most a user template's render may allocate (traced by tracemalloc), beyond ours
TEMPLATE_MEMORY = 128 * 1024 * 1024
#: a whole `clausewise` process that runs longer than this is stopped and reported
PROCESS_SECONDS = 60
#: the exit codes a process may end with: allow/ok, deny/finding, bad input
EXIT_CODES = (0, 1, 2)
#: one action every loaded policy is asked, to reach the engine and renderers
PROBE = {"action": "share", "data": ["user.contact.email"], "recipient": "partner",
         "purpose": "marketing", "context": {"consent": True}}


class Targets:
    """Shared state (a sandbox directory, Kareo loaded once) and one method per target."""

    def __init__(self) -> None:
        self.sandbox = Sandbox()
        self.templates_dir = self.sandbox.base / "templates"
        self.templates_dir.mkdir()

    def close(self) -> None:
        self.sandbox.close()

    @cached_property
    def engine(self) -> clausewise.Engine:
        return clausewise.load(KAREO)

    # ------------------------------------------------------------ policies

    def policy(self, data: bytes, directory: str = "", target: str = "parser") -> None:
        """Load policy bytes from a file; a policy that loads is also decided and rendered."""
        path = self.sandbox.write(data, directory)
        try:
            loaded = exercise(target, lambda: _no_leak(lambda: load(str(path))), data)
            if loaded is not None:
                exercise("policy-pipeline", lambda: _pipeline(loaded), data)
        finally:
            path.unlink(missing_ok=True)

    # ------------------------------------------------------------- actions

    def action_object(self, value: object) -> None:
        def run() -> Decision:
            decision = _decided(self.engine, self.engine.check(value))
            days = value.get("days") if isinstance(value, dict) else None
            if days is not None and type(days) is not int:
                raise OracleFailure("loose-days-accepted", f"days={days!r} was decided")
            return decision
        exercise("action-object", run, value, located=False)

    def action_json(self, text: str | bytes, target: str = "action-json") -> None:
        def run() -> Decision:
            decision = _decided(self.engine, self.engine.check(text))
            if _repeats_a_key(text):
                raise OracleFailure("duplicate-key-accepted", "JSON with a repeated key "
                                    "was decided")
            return decision
        exercise(target, run, text)

    def action_batch(self, values: list[object]) -> None:
        exercise("action-batch", lambda: _batch(self.engine, values), values, located=False)

    # ----------------------------------------------------------- manifests

    def manifest(self, data: bytes, fmt: str = "json", target: str = "manifest") -> None:
        path = self.sandbox.write(data, suffix=".yaml")
        try:
            exercise(target, lambda: _manifest(self.engine, str(path), fmt), data)
        finally:
            path.unlink(missing_ok=True)

    # ----------------------------------------------------------- templates

    def template(self, name: str, text: str, target: str = "template") -> None:
        for old in self.templates_dir.iterdir():
            old.unlink()
        (self.templates_dir / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        fmt = {"policy.txt.j2": "text", "policy.md.j2": "markdown",
               "policy.html.j2": "html"}[name]
        exercise(target, lambda: _bounded_render(self.engine, fmt, self.templates_dir),
                 text)

    # ----------------------------------------------------- whole processes

    def cli(self, target: str, args: list[str], files: dict[str, bytes],
            jsonl_lines: int | None = None) -> None:
        """Run `clausewise ARGS` with `files` written to the sandbox ({name} in ARGS)."""
        paths = {name: self.sandbox.write(data, suffix=Path(name).suffix or ".txt")
                 for name, data in files.items()}
        argv = [a.format(**{k.split(".")[0]: str(p) for k, p in paths.items()}) for a in args]
        try:
            exercise(target, lambda: _process(argv, jsonl_lines), (args, files))
        finally:
            for p in paths.values():
                p.unlink(missing_ok=True)


def _repeats_a_key(text: str | bytes) -> bool:
    """Whether an object anywhere in this JSON text gives a key twice (fail-open, finding 3)."""
    found = False

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        nonlocal found
        found |= len({k for k, _ in items}) != len(items)
        return dict(items)

    try:
        json.loads(text, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return False
    return found


def _no_leak(run):  # type: ignore[no-untyped-def]
    """`run()`, failing if an error message shows the secret file outside the tree."""
    try:
        return run()
    except ClausewiseError as exc:
        if SECRET in exc.format():
            raise OracleFailure("include-leaks-file", exc.format()[:300]) from exc
        raise


def _pipeline(loaded) -> None:  # type: ignore[no-untyped-def]
    engine = clausewise.Engine(loaded)
    _decided(engine, engine.check(PROBE))
    render(loaded, "text", trace=True)


def _decided(engine: clausewise.Engine, decision: Decision) -> Decision:
    """A decision must explain itself, as text and as JSON."""
    json.dumps(engine.explain(decision))
    engine.explain_text(decision)
    return decision


def _batch(engine: clausewise.Engine, values: list[object]) -> None:
    """`check_many` answers every item, in order: a decision or the item's `ActionError`."""
    results = list(engine.check_many(values))
    if len(results) != len(values):
        raise OracleFailure("batch-lost-items", f"{len(values)} in, {len(results)} out")
    for result in results:
        if isinstance(result, ActionError):
            check_diagnostics(result, located=False)
        elif not isinstance(result, Decision):
            raise OracleFailure("batch-bad-item", type(result).__name__)


def _manifest(engine: clausewise.Engine, path: str, fmt: str) -> int:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = _check_manifest(engine, path, fmt)
    if code not in EXIT_CODES:
        raise OracleFailure("manifest-exit-code", str(code))
    if fmt == "json":
        json.loads(out.getvalue())
    return code


def _bounded_render(engine: clausewise.Engine, fmt: str, directory: Path) -> str:
    """Render with the user's templates; fail if the render allocated past the bound."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        return render(engine.loaded, fmt, templates=directory)
    finally:
        peak = tracemalloc.get_traced_memory()[1] - base
        if started:
            tracemalloc.stop()
        if peak > TEMPLATE_MEMORY:
            raise OracleFailure("template-memory", f"the render allocated {peak / 2**20:,.0f} "
                                f"MB, more than {TEMPLATE_MEMORY // 2**20} MB")


def _process(argv: list[str], jsonl_lines: int | None) -> int:
    """The whole `clausewise` process: exit 0, 1 or 2, never a traceback; with --jsonl,
    one record for every line that is not blank."""
    try:
        done = subprocess.run([sys.executable, "-m", "clausewise", *argv], capture_output=True,
                              timeout=PROCESS_SECONDS, cwd=ROOT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise OracleFailure("process-timeout", f"over {PROCESS_SECONDS} s") from None
    stderr = done.stderr.decode("utf-8", "replace")
    if b"Traceback" in done.stderr or done.returncode not in EXIT_CODES:
        last = stderr.strip().splitlines()[-1:] or [""]
        raise OracleFailure(f"process-exit-{done.returncode}", last[0][:300])
    if jsonl_lines is not None:
        records = done.stdout.count(b"\n")
        if records != jsonl_lines:
            raise OracleFailure("jsonl-lost-lines", f"{jsonl_lines} lines in, "
                                f"{records} records out")
    return done.returncode
