"""Test files -> `Suite`s: found beside policies, read with the manifests' hardened
YAML loader, bounded; a malformed case is an error of that case only."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import yaml

from .. import model as m
from ..manifest import (_check_shape, _check_size, _FlowError, _ManifestLoader, _read_text,
                        _yaml_error, mapping_scalar)
from ..errors import Diagnostic, UsageError, did_you_mean
from .running import Case, Suite

SUFFIX = ".tests.yaml"
#: the most cases one file may hold
MAX_CASES = 10_000
CASE_KEYS = ("id", "seed", "note", "action", "decision", "clause_ids", "obligations", "unmet",
             "reasons")


def discover(paths: Iterable[str]) -> list[str]:
    """The test files named or found: a `.tests.yaml` file, the one beside a `.policy`
    file, or every one under a directory (sorted). A path that is none is an error."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            under = sorted(str(p) for p in Path(path).rglob(f"*{SUFFIX}") if p.is_file())
            if not under:  # a CI step pointed at the wrong place must not pass quietly
                raise UsageError.single("no-tests", f"no `*{SUFFIX}` files under `{path}`",
                                        help="policy tests sit beside their policy: "
                                        f"`NAME{SUFFIX}` next to `NAME.policy`")
            found += under
        elif path.endswith(SUFFIX):
            found.append(path)
        elif path.endswith(".policy"):
            beside = path[: -len(".policy")] + SUFFIX
            if not os.path.isfile(beside):
                raise UsageError.single("no-tests", f"`{path}` has no tests beside it",
                                        help=f"write its cases in `{beside}`")
            found.append(beside)
        else:
            raise UsageError.single("no-tests", f"`{path}` is neither a directory, a policy "
                                    f"nor a `*{SUFFIX}` file")
    return list(dict.fromkeys(found))


def tests_beside(policy: str) -> str | None:
    """The test file of a policy, if it has one."""
    beside = str(policy)[: -len(".policy")] + SUFFIX if str(policy).endswith(".policy") else None
    return beside if beside and os.path.isfile(beside) else None


def read_suite(path: str) -> Suite:
    """A test file's cases; `UsageError` when the file as a whole cannot be read."""
    try:
        text = _read_text(path)
        _check_shape(text, path)
    except UsageError as exc:
        raise _renamed(exc) from None
    loader = _ManifestLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _renamed(_yaml_error(exc, path, text)) from None
    finally:
        loader.dispose()
    entries = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)} \
        if isinstance(root, yaml.MappingNode) else {}
    cases = entries.get("cases")
    if not isinstance(cases, yaml.SequenceNode):
        raise UsageError.single("bad-tests", "a test file is a mapping with a `cases:` list",
                                _span(path, 1, 1), "see docs/testing.md",
                                source=text)
    if len(cases.value) > MAX_CASES:
        raise UsageError.single("bad-tests", f"`{path}` holds more than {MAX_CASES:,} cases",
                                help="split it into several test files")
    policy = entries.get("policy")
    name = policy.value if isinstance(policy, yaml.ScalarNode) and policy.value else \
        Path(path).name[: -len(SUFFIX)] + ".policy"
    policy_path = str(Path(path).parent / name) if not os.path.isabs(name) else name
    read = [_case(index, node, loader, path, text) for index, node in enumerate(cases.value)]
    return Suite(path, policy_path, tuple(_unique_ids(read, path, text)))


def _case(index: int, node: yaml.Node, loader: _ManifestLoader, path: str, text: str) -> Case:
    line = node.start_mark.line + 1
    default = f"case {index + 1}"

    def bad(message: str, mark: yaml.Mark | None, help: str | None = None) -> Case:
        mark = mark or node.start_mark
        span = _span(path, mark.line + 1, mark.column + 1)
        return Case(_id_of(node) or default, line, {}, UsageError(
            (Diagnostic("bad-test", message, span, help),), {path: text}))

    try:
        data = loader.construct_object(node, deep=True)
        loader.constructed_objects.clear()
        if not isinstance(data, dict):
            return bad(f"{default} is not a mapping", node.start_mark)
        _check_size(data, node.start_mark)
    except _FlowError as exc:
        return bad(exc.message, exc.mark, exc.help)
    except yaml.YAMLError as exc:
        error = _renamed(_yaml_error(exc, path, text, node.start_mark))
        return Case(_id_of(node) or default, line, {}, error)
    for key in data:
        if key not in CASE_KEYS:
            return bad(f"a case has no field `{key}`", _mark_of(node, key),
                       did_you_mean(str(key), CASE_KEYS) or "fields: " + ", ".join(CASE_KEYS))
    for key in ("action", "decision"):
        if key not in data:
            return bad(f"the case gives no `{key}`", node.start_mark)
    if data["decision"] not in ("allow", "deny"):
        return bad(f"`decision` is `{data['decision']}`: give allow or deny",
                   _mark_of(node, "decision"))
    for key in ("clause_ids", "obligations", "unmet", "reasons"):
        if key in data and not isinstance(data[key], list):
            return bad(f"`{key}` is a list", _mark_of(node, key))
    return Case(str(data.get("id") or default), line, data)


def _unique_ids(cases: list[Case], path: str, text: str) -> Iterator[Case]:
    seen: dict[str, int] = {}
    for case in cases:
        if case.id in seen and case.error is None:
            yield replace(case, error=UsageError((Diagnostic(
                "bad-test", f"case id `{case.id}` is given twice (first at line "
                f"{seen[case.id]})", _span(path, case.line, 1), "give each case its own id"),),
                {path: text}))
            continue
        seen.setdefault(case.id, case.line)
        yield case


def _id_of(node: yaml.Node) -> str | None:
    return mapping_scalar(node, "id")


def _mark_of(node: yaml.Node, key: str) -> yaml.Mark | None:
    if isinstance(node, yaml.MappingNode):
        for k, _value in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k.start_mark
    return None


def _span(path: str, line: int, column: int) -> m.Span:
    return m.Span(file=path, line=line, column=column, end_line=line, end_column=column + 1)


def _renamed(exc: UsageError) -> UsageError:
    """The manifest reader's error, said of a test file."""
    return UsageError(tuple(replace(d, code="bad-tests",
                                    message=d.message.replace("manifest", "test file"))
                            for d in exc.diagnostics), exc.sources)
