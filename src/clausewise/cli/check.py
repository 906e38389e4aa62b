"""`clausewise check`: decide one action, a JSONL stream of them, or a feature's manifest."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from typing import IO, Any

import click

from ..api import Engine, load
from ..engine import decide, parse_action
from ..engine.explain import to_dict, to_text
from ..errors import ActionError, UsageError
from . import EXIT_FINDING, EXIT_INPUT, EXIT_OK, main, reports_errors
from .manifest import locate_in_flow, read_manifest


@main.command()
@click.argument("policy", type=click.Path(dir_okay=False))
@click.argument("action", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print a single decision.")
@click.option("--jsonl", is_flag=True, help="ACTION holds one JSON action per line; print "
              "one JSON decision per line, in order. A bad line gets an error record and "
              "the rest go on.")
@click.option("--brief", is_flag=True, help="With --jsonl: print only each decision and its "
              "deciding clauses, without explanations (several times faster, for auditing "
              "logged actions at scale).")
@click.option("--manifest", type=click.Path(dir_okay=False, exists=False),
              help="A YAML file of a feature's data flows (name plus action fields); "
              "check every flow.")
@reports_errors
def check(policy: str, action: str | None, fmt: str, jsonl: bool, brief: bool,
          manifest: str | None) -> None:
    """Decide whether POLICY allows ACTION (a JSON file, or - for stdin).

    Exit code 0 when allowed, 1 when denied (for --jsonl and --manifest: when any
    is denied), 2 for bad input (for --jsonl: when any line is bad).
    """
    if manifest is not None and action is not None:
        raise _usage("give either ACTION or --manifest, not both")
    if brief and not jsonl:
        raise _usage("--brief goes with --jsonl")
    if manifest is None and action is None:
        raise _usage("missing ACTION: a JSON file, or - to read standard input")
    engine = load(policy)
    if manifest is not None:
        sys.exit(_check_manifest(engine, manifest, fmt))
    assert action is not None
    stream = click.open_file(action, "r", encoding="utf-8", errors="replace") \
        if action == "-" else _open(action)
    with stream:
        if jsonl:
            sys.exit(_check_jsonl(engine, stream, "<stdin>" if action == "-" else action,
                                  brief))
        text = stream.read()
    source = "<stdin>" if action == "-" else action
    decision = decide(engine.compiled, parse_action(text, engine.vocabulary, source=source,
                                                    text=text))
    if fmt == "json":
        click.echo(json.dumps(to_dict(decision, engine.compiled), indent=2))
    else:
        click.echo(to_text(decision, engine.compiled))
    sys.exit(EXIT_OK if decision.allowed else EXIT_FINDING)


def _open(path: str) -> IO[str]:
    try:
        return open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise _usage(f"cannot read `{path}`: {exc.strerror.lower()}") from None


def _usage(message: str) -> UsageError:
    return UsageError.single("usage", message)


def _check_jsonl(engine: Engine, stream: IO[str], source: str, brief: bool = False) -> int:
    """One decision record per input line; repeated lines are decided once."""
    compiled, vocabulary = engine.compiled, engine.vocabulary
    out = sys.stdout
    denied = bad = False

    @lru_cache(maxsize=65536)
    def answer(line: str) -> tuple[str, bool]:
        action = parse_action(line, vocabulary, source=source, text=line)
        if brief:
            decision = decide(compiled, action, explain_denials=False)
            record: dict[str, Any] = {"decision": decision.effect,
                                      "clauses": list(decision.clause_ids)}
        else:
            decision = decide(compiled, action)
            record = to_dict(decision, compiled)
        return json.dumps(record, separators=(",", ":")), decision.allowed

    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record, allowed = answer(line.rstrip("\n"))
        except ActionError as exc:
            bad = True
            shifted = _at_line(exc, number)
            click.echo(shifted.format(), err=True)
            out.write(json.dumps({"line": number, "error": [
                {"code": d.code, "message": d.message, "help": d.help}
                for d in shifted.diagnostics]}, separators=(",", ":")) + "\n")
            continue
        denied |= not allowed
        out.write(record[:-1] + f',"line":{number}}}\n')
    out.flush()
    return EXIT_INPUT if bad else EXIT_FINDING if denied else EXIT_OK


def _at_line(error: ActionError, number: int) -> ActionError:
    """An error found in one line, re-pointed at that line of the stream."""
    from dataclasses import replace

    from ..model import Span

    moved = []
    for d in error.diagnostics:
        span = d.span
        if span is not None:
            span = Span(file=span.file, line=number, column=span.column, end_line=number,
                        end_column=span.end_column)
        moved.append(replace(d, span=span))
    sources = {k: "\n" * (number - 1) + v.lstrip("\n") for k, v in error.sources.items()}
    return ActionError(tuple(moved), sources)


def _check_manifest(engine: Engine, path: str, fmt: str) -> int:
    """Every flow of a feature; each denial points at its line in the manifest."""
    flows, text = read_manifest(path)
    results: list[dict[str, Any]] = []
    denied = bad = False
    for flow in flows:
        try:
            action = parse_action(flow.fields, engine.vocabulary, source=path)
        except ActionError as exc:
            bad = True
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
