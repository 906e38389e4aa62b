"""`clausewise check`: decide one action, a JSONL stream of them, or a feature's manifest."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, Any

import click

from ..api import Engine, load
from ..engine import Decision, parse_action
from ..engine.explain import to_dict, to_text
from ..engine.plan import run
from ..engine.why import why_clause
from ..errors import ActionError, Diagnostic, UsageError, did_you_mean
from ..model import Span
from ..safe_text import visible_line
from . import EXIT_FINDING, EXIT_INPUT, EXIT_OK, include_root_option, main, reports_errors
from ..manifest import locate_in_flow, read_manifest


#: the largest action file (or JSONL line) read
MAX_ACTION_BYTES = 8 * 1024 * 1024
#: a batch longer than this shows a progress bar, when stderr is a terminal
PROGRESS_AFTER = 20_000

try:  # orjson reads and writes JSON several times faster; the checks stay ours
    import orjson as _orjson
except ImportError:  # pragma: no cover - without it, the standard library does the work
    _orjson = None


@main.command()
@click.argument("policy", type=click.Path(dir_okay=False))
@click.argument("action", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print a decision or a manifest's decisions "
              "(--jsonl always prints JSON).")
@click.option("--jsonl", is_flag=True, help="ACTION holds one JSON action per line; print "
              "one JSON decision per line, in order. A bad line gets an error record and "
              "the rest go on.")
@click.option("--brief", is_flag=True, help="With --jsonl: print only each decision and its "
              "deciding clauses, without explanations (several times faster, for auditing "
              "logged actions at scale).")
@click.option("--manifest", type=click.Path(dir_okay=False, exists=False),
              help="A YAML file of a feature's data flows (name plus action fields); "
              "check every flow.")
@click.option("--why", "why", metavar="CLAUSE", help="Also say why the clause CLAUSE did "
              "or did not apply to ACTION: its kind, data, each dimension, its condition.")
@click.option("--verbose", "-v", is_flag=True, help="List every assumption and the nearest "
              "permissions, not only those that would change the decision.")
@include_root_option
@reports_errors
def check(policy: str, action: str | None, fmt: str, jsonl: bool, brief: bool,
          manifest: str | None, why: str | None, verbose: bool,
          include_root: str | None) -> None:
    """Decide whether POLICY allows ACTION (a JSON file, or - for stdin).

    Exit code 0 when allowed, 1 when denied (for --jsonl and --manifest: when any
    is denied), 2 for bad input (for --jsonl and --manifest: when any line or flow
    is bad; the others are still answered).
    """
    if manifest is not None and action is not None:
        raise _usage("give either ACTION or --manifest, not both")
    if manifest is not None and jsonl:
        raise _usage("--jsonl reads ACTION; a manifest is read with --manifest alone")
    if brief and not jsonl:
        raise _usage("--brief goes with --jsonl")
    if manifest is None and action is None:
        raise _usage("missing ACTION: a JSON file, or - to read standard input")
    if why is not None and (jsonl or manifest is not None):
        raise _usage("--why explains one action: give ACTION without --jsonl or --manifest")
    engine = load(policy, include_root=include_root)
    if why is not None and why not in engine.compiled.clauses:
        raise UsageError.single("usage", f"no clause `{why}` in `{policy}`",
                                help=did_you_mean(why, engine.compiled.clauses))
    if manifest is not None:
        sys.exit(_check_manifest(engine, manifest, fmt))
    assert action is not None
    source = "<stdin>" if action == "-" else action
    with _open(action) as stream:
        if jsonl:
            sys.exit(_check_jsonl(engine, stream, source, brief))
        data = stream.read(MAX_ACTION_BYTES + 1)
    if len(data) > MAX_ACTION_BYTES:
        raise _usage(f"`{source}` is larger than {MAX_ACTION_BYTES // 1024 // 1024} MB; "
                     "for many actions, use --jsonl")
    text = _decode(data, source, 1)
    validated = parse_action(text, engine.vocabulary, source=source, text=text)
    decision = engine.check(validated)
    reasons = why_clause(engine.compiled, validated, decision, why) if why else None
    if fmt == "json":
        record = to_dict(decision, engine.compiled, verbose=verbose)
        if reasons is not None:
            record["why"] = {"clause": why, "lines": reasons}
        click.echo(json.dumps(record, indent=2))
    else:
        click.echo(to_text(decision, engine.compiled, verbose=verbose))
        if reasons is not None:
            click.echo("why " + "\n".join(visible_line(line) for line in reasons))
    sys.exit(EXIT_OK if decision.allowed else EXIT_FINDING)


def _open(path: str) -> IO[bytes]:
    if path == "-":
        return click.get_binary_stream("stdin")
    if os.path.exists(path) and not os.path.isfile(path) and not path.startswith("/dev/"):
        raise _usage(f"`{path}` is not a regular file")
    try:
        return open(path, "rb")
    except OSError as exc:
        raise _usage(f"cannot read `{path}`: {(exc.strerror or str(exc)).lower()}") from None


def _decode(data: bytes, source: str, line: int) -> str:
    """Strict UTF-8, as for policy files: a wrong byte is an error, not a silent U+FFFD."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        column = len(data[:exc.start].decode("utf-8", "replace")) + 1
        span = Span(file=source, line=line, column=column, end_line=line, end_column=column + 1)
        raise ActionError((Diagnostic("encoding", f"byte 0x{data[exc.start]:02x} is not valid "
                                      "UTF-8", span, "save the file as UTF-8"),)) from None


def _usage(message: str) -> UsageError:
    return UsageError.single("usage", message)


def _check_jsonl(engine: Engine, stream: IO[bytes], source: str, brief: bool = False) -> int:
    """One decision record per input line, in order.

    A line is read with orjson when it is installed and looks plain (see `_fast`);
    anything else, and every line that is wrong in any way, takes the full way
    through `parse_action`, which raises the located error. Repeated lines that take
    the full way are decided once.
    """
    compiled, vocabulary, shapes = engine.compiled, engine.vocabulary, engine.shapes
    out = _Output(sys.stdout)
    progress = _Progress.start(stream)
    denied = bad = False
    briefs: dict[int, tuple[Decision, bytes]] = {}

    def brief_record(decision: Decision) -> bytes:
        found = briefs.get(id(decision))
        if found is None or found[0] is not decision:
            if len(briefs) > 65536:
                briefs.clear()
            prefix = json.dumps({"decision": decision.effect,
                                 "clauses": list(decision.clause_ids)},
                                separators=(",", ":"))[:-1] + ',"line":'
            found = briefs[id(decision)] = (decision, prefix.encode())
        return found[1]

    @lru_cache(maxsize=65536)
    def answer(line: str) -> tuple[dict[str, Any] | Decision, bool]:
        action = parse_action(line, vocabulary, source=source, text=line)
        plan = shapes.learn(_plain(line), action)
        decision = run(plan, action.context, not brief, action)
        if brief:
            return decision, decision.allowed
        return to_dict(decision, compiled), decision.allowed

    for number, raw in enumerate(_bounded_lines(stream), 1):
        if progress is not None and not number & 4095:
            progress.show(number)
        known = _fast(raw, shapes) if brief else None
        if known is not None:
            decision = run(known[0], known[1], False)
            denied |= decision.effect == "deny"
            out.write(brief_record(decision) + b"%d}\n" % number)
            continue
        if not raw.strip():
            continue
        try:
            if len(raw) > MAX_ACTION_BYTES:
                raise ActionError.single("line-too-long", f"the line is longer than "
                                         f"{MAX_ACTION_BYTES // 1024 // 1024} MB",
                                         Span(file=source, line=1, column=1, end_line=1,
                                              end_column=1))
            record, allowed = answer(_decode(raw, source, 1).rstrip("\r\n"))
        except ActionError as exc:
            bad = True
            moved = exc.moved_to_line(number)
            if progress is not None:
                progress.clear()
            out.flush()
            click.echo(moved.format(), err=True)
            out.write(json.dumps({"line": number, "error": [
                {"code": d.code, "message": d.message, "help": d.help}
                for d in moved.diagnostics]}, separators=(",", ":")).encode() + b"\n")
            continue
        denied |= not allowed
        if isinstance(record, Decision):
            out.write(brief_record(record) + b"%d}\n" % number)
        else:
            out.write(_dumps({**record, "line": number}) + b"\n")
    out.flush()
    if progress is not None:
        progress.clear()
    return EXIT_INPUT if bad else EXIT_FINDING if denied else EXIT_OK


def _fast(raw: bytes, shapes) -> tuple | None:
    """A line's plan and checked facts, read with orjson, or None for the full way.

    orjson keeps the last of a key given twice, where clausewise refuses the line; so
    a line is taken only if its colons are exactly its keys (each key has one colon
    after it, and a colon inside a string, or a key given twice, makes more of them).
    NaN, numbers too large for 64 bits and bad UTF-8 make orjson fail: the full way.
    A line's shape is its fields but the context written back by orjson.
    """
    if _orjson is None:
        return None
    try:
        parsed = _orjson.loads(raw)
    except _orjson.JSONDecodeError:
        return None
    if parsed.__class__ is not dict:
        return None
    context = parsed.pop("context", None)
    keys = len(parsed) + (len(context) + 1 if context.__class__ is dict else
                          0 if context is None else 1)
    if raw.count(b":") != keys:
        return None
    key = _orjson.dumps(parsed)
    found = shapes.known_line(key, context)
    if found is not None:
        return found
    if context is not None:
        parsed["context"] = context
    found = shapes.read(parsed)
    if found is not None:
        shapes.learn_line(key, found[0])
    return found


def _plain(line: str) -> object:
    """The line as a dict for learning its shape, when its keys are each given once."""
    if _orjson is None:
        return None
    try:
        parsed = _orjson.loads(line)
    except _orjson.JSONDecodeError:
        return None
    if parsed.__class__ is not dict:
        return None
    context = parsed.get("context")
    keys = len(parsed) + (len(context) if context.__class__ is dict else 0)
    return parsed if line.count(":") == keys else None


def _dumps(record: dict[str, Any]) -> bytes:
    """A record as one compact JSON line; pure ASCII, as `json.dumps` writes it."""
    if _orjson is not None:
        data = _orjson.dumps(record)
        if data.isascii():
            return data
    return json.dumps(record, separators=(",", ":")).encode()


class _Output:
    """Lines written to stdout in blocks (one write per few thousand lines)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.binary = getattr(stream, "buffer", None)
        self.lines: list[bytes] = []

    def write(self, line: bytes) -> None:
        self.lines.append(line)
        if len(self.lines) >= 4096:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            data = b"".join(self.lines)
            self.lines.clear()
            if self.binary is not None:
                self.stream.flush()
                self.binary.write(data)
            else:  # a text stream with no buffer (a test's capture)
                self.stream.write(data.decode())
        self.stream.flush()


class _Progress:
    """A progress line on stderr for long batches, when stderr is a terminal."""

    def __init__(self, total: int | None, stream: IO[bytes]) -> None:
        self.total, self.stream = total, stream
        self.started = self.last = time.monotonic()
        self.shown = False

    @classmethod
    def start(cls, stream: IO[bytes]) -> _Progress | None:
        if not sys.stderr.isatty():
            return None
        try:
            total = os.fstat(stream.fileno()).st_size or None
        except (OSError, ValueError, AttributeError):
            total = None
        return cls(total, stream)

    def show(self, number: int) -> None:
        now = time.monotonic()
        if number < PROGRESS_AFTER or now - self.last < 0.2:
            return
        self.last = now
        rate = number / max(now - self.started, 1e-9)
        part = ""
        if self.total:
            try:
                part = f" {min(self.stream.tell() / self.total, 1):4.0%}"
            except (OSError, ValueError):
                part = ""
        sys.stderr.write(f"\r{number:,} actions{part}, {rate:,.0f}/s")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


def _bounded_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream's lines; a line longer than the limit is cut there and its rest skipped."""
    while True:
        line = stream.readline(MAX_ACTION_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_ACTION_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_ACTION_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield line


def _check_manifest(engine: Engine, path: str, fmt: str) -> int:
    """Every flow of a feature; each denial points at its line in the manifest."""
    flows, text = read_manifest(path)
    results: list[dict[str, Any]] = []
    denied = bad = False
    for flow in flows:
        try:
            if flow.error is not None:
                raise flow.error
            action = parse_action(flow.fields, engine.vocabulary, source=path)
        except ActionError as exc:
            bad = True
            if exc is not flow.error:  # a read error is located already
                exc = locate_in_flow(exc, flow, path, text)
            click.echo(exc.format(), err=True)
            results.append({"flow": flow.name, "line": flow.line, "error": [
                d.message for d in exc.diagnostics]})
            continue
        decision = engine.check(action)
        denied |= not decision.allowed
        record = to_dict(decision, engine.compiled)
        results.append({"flow": flow.name, "line": flow.line, **record})
        if fmt == "text":
            verdict = to_text(decision, engine.compiled).replace("\n", "\n    ")
            click.echo(f"{path}:{flow.line}: flow `{flow.name}`: {verdict}")
    if fmt == "json":
        click.echo(json.dumps({"manifest": path, "flows": results}, indent=2))
    else:
        allowed = sum(1 for r in results if r.get("decision") == "allow")
        click.echo(f"{len(results)} flows: {allowed} allowed, "
                   f"{sum(1 for r in results if r.get('decision') == 'deny')} denied, "
                   f"{sum(1 for r in results if 'error' in r)} invalid")
    return EXIT_INPUT if bad else EXIT_FINDING if denied else EXIT_OK
