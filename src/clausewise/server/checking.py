"""Request text -> validated actions -> decisions and their JSON records.

No HTTP here: the routes hand over the body's text, and get back what to answer
and what to log. A single action is checked exactly as `clausewise check` checks
an action file (the same `parse_action`, `decide` and `to_dict`); a batch as
`check --jsonl` checks its lines, each bad one answered with its own located error
while the rest go on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..engine import Action, Decision, decide, parse_action
from ..engine.action import load_json
from ..engine.explain import to_dict
from ..errors import ActionError, Diagnostic
from ..model import Span
from .problems import ApiError, error_json
from .store import Version

#: the file name a request's body goes by in error messages
SOURCE = "<request>"


@dataclass(frozen=True, slots=True)
class Checked:
    """One decided action: the action as logged, the decision and its answer."""

    action: dict[str, Any]
    decision: Decision
    record: dict[str, Any]


def decode(body: bytes, source: str = SOURCE) -> str:
    """Strict UTF-8, as `clausewise check` reads: a wrong byte is a located error."""
    try:
        return body.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark, as the CLI
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        start = body.rfind(b"\n", 0, exc.start) + 1
        column = len(body[start:exc.start].decode("utf-8", "replace")) + 1
        span = Span(file=source, line=line, column=column, end_line=line, end_column=column + 1)
        raise ActionError((Diagnostic("encoding", f"byte 0x{body[exc.start]:02x} is not valid "
                                      "UTF-8", span, "send the body as UTF-8"),)) from None


def parse(text: str, version: Version, source: str = SOURCE) -> tuple[dict[str, Any], Action]:
    """The action in `text` and its JSON as logged; raises a located `ActionError`.

    The common case (a valid JSON object) is validated as data; only a failure
    goes through the text again, for the line and column of the bad value.
    """
    vocabulary = version.engine.vocabulary
    try:  # strict: a key given twice is an error here too, never the last one silently
        raw = load_json(text, source)
    except ActionError:
        raw = None
    if isinstance(raw, dict):
        try:
            return raw, parse_action(raw, vocabulary)
        except ActionError:
            pass
    action = parse_action(text, vocabulary, source=source, text=text)
    return action.model_dump(mode="json", exclude_none=True), action


def check(raw: dict[str, Any], action: Action, version: Version, explain: bool) -> Checked:
    compiled = version.engine.compiled
    if explain:
        decision = decide(compiled, action)
        return Checked(raw, decision, to_dict(decision, compiled))
    decision = decide(compiled, action, explain_denials=False)
    return Checked(raw, decision, {"decision": decision.effect,
                                   "clauses": list(decision.clause_ids)})


def check_batch(text: str, ndjson: bool, version: Version, explain: bool, max_batch: int,
                deadline: float) -> list[Checked | dict[str, Any]]:
    """Each action of a batch in order: a `Checked`, or an error record for a bad one."""
    items = list(_lines(text) if ndjson else _elements(text, version))
    if len(items) > max_batch:
        raise ApiError(413, "batch-too-large", f"the batch holds {len(items)} actions, more "
                       f"than the {max_batch} allowed", help="split it into smaller batches")
    out: list[Checked | dict[str, Any]] = []
    for index, (line, item) in enumerate(items):
        if index % 64 == 63 and time.monotonic() > deadline:
            raise ApiError(503, "timeout", "the batch took longer than the request timeout",
                           help="send smaller batches")
        where = {"index": index} if line is None else {"index": index, "line": line}
        try:
            raw, action = _parse_item(item, index, line, version)
        except ActionError as exc:
            out.append({**where, "error": error_json(exc)})
            continue
        checked = check(raw, action, version, explain)
        out.append(Checked(raw, checked.decision, {**checked.record, **where}))
    return out


def _parse_item(item: tuple[object, str] | str, index: int, line: int | None,
                version: Version) -> tuple[dict[str, Any], Action]:
    if line is not None:  # a JSONL line: located in the body, as `check --jsonl` does
        assert isinstance(item, str)
        try:
            return parse(item, version)
        except ActionError as exc:
            raise exc.moved_to_line(line) from None
    assert isinstance(item, tuple)
    _value, text = item  # an element of a JSON array, and the text it was sent as
    return parse(text, version, source=f"{SOURCE}[{index}]")  # strictly, on its own


def _lines(text: str) -> Iterator[tuple[int | None, Any]]:
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield number, line.rstrip("\r")


def _elements(text: str, version: Version) -> Iterator[tuple[int | None, Any]]:
    """A JSON array's elements, each with its own text (for errors located within it)."""
    try:
        data = json.loads(text)
    except ValueError:
        parse_action(text, version.engine.vocabulary, source=SOURCE, text=text)
        raise  # pragma: no cover - parse_action has raised the located error
    if not isinstance(data, list):
        raise ApiError(400, "bad-batch", "a batch is a JSON array of actions, or JSONL",
                       help="send a JSON array, or one action per line with Content-Type: "
                       "application/x-ndjson")
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    for _ in data:
        while text[position] in " \t\r\n,":
            position += 1
        value, end = decoder.raw_decode(text, position)
        yield None, (value, text[position:end])
        position = end
