"""A feature's data-flow manifest (YAML): each flow is a name plus action fields.

    feature: newsletter
    flows:
      - name: send the newsletter
        action: notify
        ...

PyYAML's node tree gives each flow its line, so a denial points at it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import yaml

from ..errors import ActionError, Diagnostic, UsageError
from ..model import Span


@dataclass(frozen=True)
class Flow:
    name: str
    fields: dict[str, Any]
    line: int
    end_line: int


def read_manifest(path: str) -> tuple[list[Flow], str]:
    """The flows of a manifest and its text; `UsageError` with a position if malformed."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError.single("bad-manifest", f"cannot read manifest `{path}`: {exc}") from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, text) from None
    if isinstance(root, yaml.MappingNode):
        entries = {key.value: value for key, value in root.value}
        root = entries.get("flows")
    if not isinstance(root, yaml.SequenceNode):
        span = Span(file=path, line=1, column=1, end_line=1, end_column=1)
        raise UsageError.single("bad-manifest", "a manifest is a list of flows, or a mapping "
                                "with a `flows:` list", span, "see `clausewise check --help`",
                                source=text)
    flows = []
    for index, node in enumerate(root.value):
        try:
            data = yaml.safe_load(yaml.serialize(node))
        except yaml.YAMLError as exc:  # e.g. a `!!python/...` tag: safe_load builds no objects
            raise _yaml_error(exc, path, text, node.start_mark) from None
        line = node.start_mark.line + 1
        if not isinstance(data, dict):
            span = Span(file=path, line=line, column=node.start_mark.column + 1, end_line=line,
                        end_column=node.start_mark.column + 2)
            raise UsageError.single("bad-manifest", f"flow {index + 1} is not a mapping of "
                                    "action fields", span, source=text)
        name = data.pop("name", None)
        name = f"flow {index + 1}" if name in (None, "") else str(name)
        flows.append(Flow(name, data, line, node.end_mark.line + 1))
    return flows, text


def _yaml_error(exc: yaml.YAMLError, path: str, text: str,
                flow: yaml.Mark | None = None) -> UsageError:
    """`flow` is where the flow starts: marks of a flow re-read on its own are not the file's."""
    mark = flow or getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    span = Span(file=path, line=line, column=column, end_line=line, end_column=column + 1)
    problem = (getattr(exc, "problem", None) or str(exc)).split(" in \"<")[0]
    return UsageError.single("bad-manifest", f"not valid YAML: {problem}", span, source=text)


def locate_in_flow(error: ActionError, flow: Flow, path: str, text: str) -> ActionError:
    """Point each diagnostic at the flow's line holding the bad value, or at the flow."""
    lines = text.splitlines()
    moved: list[Diagnostic] = []
    for d in error.diagnostics:
        needle = d.message.split("`")[1] if "`" in d.message else d.message.split(":")[0]
        line, column, width = flow.line, 1, 1
        for number in range(flow.line, min(flow.end_line, len(lines)) + 1):
            found = lines[number - 1].find(needle)
            if found >= 0:
                line, column, width = number, found + 1, len(needle)
                break
        span = Span(file=path, line=line, column=column, end_line=line,
                    end_column=column + width)
        moved.append(replace(d, span=span))
    return ActionError(tuple(moved), {path: text})
