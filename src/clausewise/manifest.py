"""A feature's data-flow manifest (YAML): each flow is a name plus action fields.

    feature: newsletter
    flows:
      - name: send the newsletter
        action: notify
        ...

PyYAML's node tree gives each flow its line, so a denial points at it. A manifest
is read as data only, and bounded: a regular file of at most `MAX_MANIFEST_BYTES`,
nested at most `MAX_DEPTH` deep, with at most `MAX_ALIASES` aliases and
`MAX_VALUES` values once aliases are expanded (a 430-byte alias bomb expands to
billions). Only plain values are built: text, whole numbers, true/false, null,
lists and mappings; dates stay the text they were written as; other tags
(`!!binary`, `!!set`, `!!python/...`) and repeated keys are errors of their flow,
and every other flow is still answered.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from typing import Any

import yaml

from .errors import ActionError, Diagnostic, UsageError
from .model import Span

#: the largest manifest read (a feature's flows take a few kilobytes)
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
#: how deep mappings and lists may nest (a flow needs three levels)
MAX_DEPTH = 32
#: how many aliases (`*name`) a manifest may use
MAX_ALIASES = 1000
#: how many values one flow may hold once its aliases are expanded
MAX_VALUES = 10_000
#: the most digits a number may have (facts and days are far smaller)
MAX_DIGITS = 18

_PLAIN_SCALARS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
                  "tag:yaml.org,2002:null", "tag:yaml.org,2002:float",
                  "tag:yaml.org,2002:timestamp"}


@dataclass(frozen=True)
class Flow:
    name: str
    fields: dict[str, Any]
    line: int
    end_line: int
    error: ActionError | None = None  # the flow could not be read as action fields


class _FlowError(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None, help: str | None = None) -> None:
        super().__init__(message)
        self.message, self.mark, self.help = message, mark, help


class _ManifestLoader(yaml.SafeLoader):
    """PyYAML's safe loader, building plain values only and refusing repeated keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, yaml.Node] = {}
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise _FlowError("a key must be a plain name, not a list or a mapping",
                                 key_node.start_mark)
            if key_node.value in seen:
                first = seen[key_node.value].start_mark.line + 1
                raise _FlowError(f"`{key_node.value}` is given twice (first at line {first})",
                                 key_node.start_mark, "give each field once")
            seen[key_node.value] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if sum(c.isdigit() for c in node.value) > MAX_DIGITS:
            raise _FlowError(f"the number `{node.value[:30]}...` is too large",
                             node.start_mark, f"numbers have at most {MAX_DIGITS} digits")
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> str:  # type: ignore[override]
        return node.value  # a date is the text it was written as, as in JSON

    def construct_undefined(self, node: yaml.Node) -> Any:
        name = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _FlowError(f"`{name}` values are not action fields", node.start_mark,
                         "action fields are text, whole numbers, true/false, lists and mappings")


_ManifestLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                _ManifestLoader.construct_yaml_timestamp)
_ManifestLoader.add_constructor("tag:yaml.org,2002:int", _ManifestLoader.construct_yaml_int)
for _tag in ("binary", "set", "omap", "pairs"):
    _ManifestLoader.add_constructor(f"tag:yaml.org,2002:{_tag}",
                                    _ManifestLoader.construct_undefined)
_ManifestLoader.add_constructor(None, _ManifestLoader.construct_undefined)


def read_manifest(path: str) -> tuple[list[Flow], str]:
    """The flows of a manifest and its text; `UsageError` with a position if malformed."""
    text = _read_text(path)
    _check_shape(text, path)
    loader = _ManifestLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, text) from None
    finally:
        loader.dispose()
    if isinstance(root, yaml.MappingNode):
        entries = {key.value: value for key, value in root.value
                   if isinstance(key, yaml.ScalarNode)}  # a list as a key names no field
        root = entries.get("flows")
    if not isinstance(root, yaml.SequenceNode):
        span = Span(file=path, line=1, column=1, end_line=1, end_column=1)
        raise UsageError.single("bad-manifest", "a manifest is a list of flows, or a mapping "
                                "with a `flows:` list", span, "see `clausewise check --help`",
                                source=text)
    return [_flow(index, node, loader, path, text) for index, node in enumerate(root.value)], \
        text


def _flow(index: int, node: yaml.Node, loader: _ManifestLoader, path: str, text: str) -> Flow:
    """One flow's fields, or the error that keeps it from being decided."""
    line, end_line = node.start_mark.line + 1, node.end_mark.line + 1
    default = f"flow {index + 1}"
    try:
        data = loader.construct_object(node, deep=True)
        loader.constructed_objects.clear()
        if not isinstance(data, dict):
            raise _FlowError(f"flow {index + 1} is not a mapping of action fields",
                             node.start_mark)
        _check_size(data, node.start_mark)
    except _FlowError as exc:
        mark = exc.mark or node.start_mark
        at = mark.line + 1, mark.column + 1
        span = Span(file=path, line=at[0], column=at[1], end_line=at[0], end_column=at[1] + 1)
        error = ActionError((Diagnostic("bad-manifest", exc.message, span, exc.help),),
                            {path: text})
        return Flow(_name_of(node) or default, {}, line, end_line, error)
    except yaml.YAMLError as exc:
        return Flow(_name_of(node) or default, {}, line, end_line,
                    ActionError(_yaml_error(exc, path, text, node.start_mark).diagnostics,
                                {path: text}))
    name = data.pop("name", None)
    return Flow(default if name in (None, "") else str(name), data, line, end_line)


def mapping_scalar(node: yaml.Node, wanted: str) -> str | None:
    """The non-empty scalar under key `wanted` of a mapping node, if any (a flow's name,
    a test case's id), read before the node is built, so that errors can name it."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == wanted and \
                    isinstance(value, yaml.ScalarNode) and value.value:
                return value.value
    return None


def _name_of(node: yaml.Node) -> str | None:
    return mapping_scalar(node, "name")


def _check_size(data: object, mark: yaml.Mark) -> None:
    """Count the values of a flow with aliases expanded, iteratively, up to the budget."""
    pending, count = [data], 0
    while pending:
        value = pending.pop()
        count += 1
        if count > MAX_VALUES:
            raise _FlowError(f"the flow holds more than {MAX_VALUES:,} values once its aliases "
                             "are expanded", mark, "write the flow out without nested aliases")
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)


def _check_shape(text: str, path: str) -> None:
    """Depth and aliases from the event stream, which needs no recursion."""
    depth = aliases = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _usage(path, text, event.start_mark, f"the manifest nests more than "
                                 f"{MAX_DEPTH} levels deep", "a flow needs three levels")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise _usage(path, text, event.start_mark, f"the manifest uses more than "
                                 f"{MAX_ALIASES} aliases", "write the flows out")
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, text) from None


def _read_text(path: str) -> str:
    """A regular file, bounded, strict UTF-8: a pipe or /dev/zero is refused, not read."""
    def refuse(reason: str) -> UsageError:
        return UsageError.single("bad-manifest", f"cannot read manifest `{path}`: {reason}")

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise refuse((exc.strerror or str(exc)).lower()) from None
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise refuse("it is not a regular file (a pipe or a device?)")
        data = stream.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise refuse(f"it is larger than {MAX_MANIFEST_BYTES // 1024 // 1024} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UsageError.single("bad-manifest", f"manifest `{path}`: byte "
                                f"0x{data[exc.start]:02x} on line {line} is not valid UTF-8",
                                help="save the file as UTF-8") from None


def _usage(path: str, text: str, mark: yaml.Mark, message: str, help: str) -> UsageError:
    span = Span(file=path, line=mark.line + 1, column=mark.column + 1, end_line=mark.line + 1,
                end_column=mark.column + 2)
    return UsageError.single("bad-manifest", message, span, help, source=text)


def _yaml_error(exc: yaml.YAMLError, path: str, text: str,
                flow: yaml.Mark | None = None) -> UsageError:
    """Located at the problem; `flow` is where the flow starts when no mark is known."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None) or flow
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
