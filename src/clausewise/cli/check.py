"""`clausewise check`: decide one action, a JSONL stream of them, or a feature's manifest."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, Any

import click

from ..api import Engine, load
from ..engine import decide, parse_action
from ..engine.explain import to_dict, to_text
from ..errors import ActionError, Diagnostic, UsageError
from ..model import Span
from . import EXIT_FINDING, EXIT_INPUT, EXIT_OK, include_root_option, main, reports_errors
from .manifest import locate_in_flow, read_manifest


#: the largest action file (or JSONL line) read
MAX_ACTION_BYTES = 8 * 1024 * 1024


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
@include_root_option
@reports_errors
def check(policy: str, action: str | None, fmt: str, jsonl: bool, brief: bool,
          manifest: str | None, include_root: str | None) -> None:
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
    engine = load(policy, include_root=include_root)
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
    decision = decide(engine.compiled, parse_action(text, engine.vocabulary, source=source,
                                                    text=text))
    if fmt == "json":
        click.echo(json.dumps(to_dict(decision, engine.compiled), indent=2))
    else:
        click.echo(to_text(decision, engine.compiled))
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
    """One decision record per input line; repeated lines are decided once."""
    compiled, vocabulary = engine.compiled, engine.vocabulary
    out = sys.stdout
    denied = bad = False

    @lru_cache(maxsize=65536)
    def answer(line: str) -> tuple[dict[str, Any], bool]:
        action = parse_action(line, vocabulary, source=source, text=line)
        if brief:
            decision = decide(compiled, action, explain_denials=False)
            record: dict[str, Any] = {"decision": decision.effect,
                                      "clauses": list(decision.clause_ids)}
        else:
            decision = decide(compiled, action)
            record = to_dict(decision, compiled)
        return record, decision.allowed

    for number, raw in enumerate(_bounded_lines(stream), 1):
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
            click.echo(moved.format(), err=True)
            out.write(json.dumps({"line": number, "error": [
                {"code": d.code, "message": d.message, "help": d.help}
                for d in moved.diagnostics]}, separators=(",", ":")) + "\n")
            continue
        denied |= not allowed
        out.write(json.dumps({**record, "line": number}, separators=(",", ":")) + "\n")
    out.flush()
    return EXIT_INPUT if bad else EXIT_FINDING if denied else EXIT_OK


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
        decision = decide(engine.compiled, action)
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
