"""A `DiffResult` in words: text, Markdown for a pull-request comment, JSON, GitHub annotations.

Like the engine's explanations, these only read the result and the two models.
What comes from a policy (file names, obligation wording) is escaped for where
it goes: shown as escapes on a terminal (safe_text.py), Markdown-escaped in a
comment, with code spans and fences no backtick in it can close.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import replace
from typing import Any

from ..loader import Loaded
from ..renderers.markdown import code_block, code_span, md
from ..safe_text import visible, visible_line
from .changes import CLASSES, Change, DiffResult

_TITLE = {"widening": "Widened: denied before, allowed now",
          "narrowing": "Narrowed: allowed before, denied now",
          "obligation-added": "Obligations added", "obligation-removed": "Obligations removed",
          "text": "Text only (no decision changes)"}
_VERB = {"widening": "is now allowed (was denied)", "narrowing": "is now denied (was allowed)",
         "obligation-added": "is allowed with a new obligation",
         "obligation-removed": "is allowed without an obligation it had"}


def witness_json(change: Change) -> dict[str, Any]:
    assert change.witness is not None
    return change.witness.model_dump(mode="json", exclude_defaults=True)


def _where(loaded: Loaded, clause_ids: tuple[str, ...], markdown: bool = False) -> list[str]:
    out = []
    for clause_id in clause_ids:
        clause = next((c for c in loaded.policy.clauses if c.id == clause_id), None)
        where = f"{clause.span.file}:{clause.span.line}" if clause and clause.span else ""
        if markdown:
            out.append(code_span(clause_id) + (f" ({md(where)})" if where else ""))
        else:
            out.append(f"`{clause_id}`" + (f" ({where})" if where else ""))
    return out


def statement(change: Change, result: DiffResult, markdown: bool = False) -> str:
    """One sentence that says the change, with the witness's shape (Markdown-escaped
    where it quotes the policy, if `markdown`)."""
    if change.cls == "text":
        return change.detail
    witness = change.witness
    assert witness is not None
    parts = [witness.action]
    if witness.data:
        parts.append(", ".join(witness.data))
    for name, word in (("subject", "of" if witness.data else ""), ("right", "right"),
                       ("recipient", "with"), ("purpose", "for"), ("event", "on"),
                       ("channel", "via")):
        value = getattr(witness, name)
        if value is not None:
            parts.append(f"{word} {value}".strip())
    facts = ", ".join(f"{k}={json.dumps(v)}" for k, v in witness.context.items())
    text = " ".join(parts) + f" {_VERB[change.cls]}"
    if facts:
        text += f" when {facts}"
    if change.obligations:
        text += ": " + "; ".join(md(o) if markdown else o for o in change.obligations)
    if change.count > 1:
        text += f" ({change.count} distinguishable actions like it)"
    return text


def _deciders(change: Change, result: DiffResult, markdown: bool = False) -> tuple[str, str]:
    old = ", ".join(_where(result.old, change.old_clauses, markdown)) or \
        "no clause (default deny)"
    new = ", ".join(_where(result.new, change.new_clauses, markdown)) or \
        "no clause (default deny)"
    return old, new


def statements(result: DiffResult) -> list[Change]:
    """The changes as a reader wants them: one statement per cause.

    The records of `result` are exact (one per pair of deciding clause sets); a
    reader asks what a change lifted or added, so widenings are merged by what
    used to block them, narrowings by what blocks them now, and obligation changes
    by the obligations. Each keeps the simplest witness of its members.
    """
    merged: dict[tuple[object, ...], list[Change]] = {}
    for change in result.changes:
        cause: object = {"widening": change.old_clauses, "narrowing": change.new_clauses,
                         "text": id(change)}.get(change.cls, change.obligations)
        merged.setdefault((change.cls, change.kind, cause), []).append(change)
    out = []
    for members in merged.values():
        first = members[0]
        if len(members) == 1:
            out.append(first)
            continue
        witness = min(members, key=lambda c: (len(c.witness.context), c.count))  # type: ignore
        out.append(replace(
            first, witness=witness.witness,
            old_clauses=tuple(dict.fromkeys(i for c in members for i in c.old_clauses)),
            new_clauses=tuple(dict.fromkeys(i for c in members for i in c.new_clauses)),
            count=sum(c.count for c in members)))
    return out


def summary(result: DiffResult) -> dict[str, int]:
    found = statements(result)
    return {cls: sum(1 for c in found if c.cls == cls) for cls in CLASSES}


def rendered_diff(result: DiffResult) -> str:
    """The unified diff of the published (Markdown) policy, old to new."""
    from ..renderers import render

    old = render(result.old, "markdown").splitlines(keepends=True)
    new = render(result.new, "markdown").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{result.old.policy.root.lstrip('/')}",
                                        f"b/{result.new.policy.root.lstrip('/')}"))


def to_text(result: DiffResult, rendered: str = "") -> str:
    counts = summary(result)
    if not result.changes:
        return "no changes: every action is decided the same way, and the text is the same"
    lines = [", ".join(f"{n} {cls}" for cls, n in counts.items() if n)]
    found = statements(result)
    for cls in CLASSES:
        for change in (c for c in found if c.cls == cls):
            lines.append(f"{cls}: {statement(change, result)}")
            if change.cls != "text":
                old, new = _deciders(change, result)
                lines.append(f"    before: {old}")
                lines.append(f"    now:    {new}")
                lines.append(f"    witness: {json.dumps(witness_json(change))}")
    lines = [visible_line(line) for line in lines]
    if rendered:
        lines += ["", "the published policy, rendered (markdown):", visible(rendered.rstrip("\n"))]
    return "\n".join(lines)


def to_markdown(result: DiffResult, rendered: str) -> str:
    counts = summary(result)
    lines = ["## clausewise: what this change does to data use", ""]
    if not result.changes:
        lines.append("No changes: every action is decided the same way, and the text is "
                     "the same.")
        return "\n".join(lines) + "\n"
    lines += ["| change | statements |", "|---|---|"]
    lines += [f"| {cls} | {n} |" for cls, n in counts.items() if n]
    found = statements(result)
    for cls in CLASSES:
        changes = [c for c in found if c.cls == cls]
        if not changes:
            continue
        lines += ["", f"### {_TITLE[cls]}", ""]
        for change in changes:
            lines.append(f"- {statement(change, result, markdown=True)}")
            if change.cls != "text":
                old, new = _deciders(change, result, markdown=True)
                lines.append(f"  - before: {old}; now: {new}")
                lines.append(f"  - witness: {code_span(json.dumps(witness_json(change)))}")
    if rendered:
        lines += ["", "<details><summary>Published policy: rendered diff</summary>", "",
                  code_block(rendered.rstrip("\n"), "diff"), "", "</details>"]
    return "\n".join(lines) + "\n"


def to_json(result: DiffResult, rendered: str) -> str:
    def record(change: Change) -> dict[str, Any]:
        data: dict[str, Any] = {"class": change.cls, "statement": statement(change, result)}
        if change.cls == "text":
            data["clause"] = change.clause
            return data
        data.update({
            "kind": change.kind, "witness": witness_json(change), "count": change.count,
            "old": {"clauses": list(change.old_clauses)},
            "new": {"clauses": list(change.new_clauses)},
            "obligations": list(change.obligations),
            "spans": {k: list(v) for k, v in change.values.items()},
        })
        data["old"]["sources"] = _where(result.old, change.old_clauses)
        data["new"]["sources"] = _where(result.new, change.new_clauses)
        return data

    # `changes` are the exact records; `statements` merge them by cause, as the
    # text and markdown formats show them
    return json.dumps({"old": result.old.policy.root, "new": result.new.policy.root,
                       "summary": summary(result),
                       "changes": [record(c) for c in result.changes],
                       "statements": [record(c) for c in statements(result)],
                       "rendered_diff": rendered}, indent=2)


def to_github(result: DiffResult) -> str:
    """GitHub workflow commands: one annotation per change, on the clause's line."""
    level = {"widening": "error", "narrowing": "warning", "obligation-added": "notice",
             "obligation-removed": "warning", "text": "notice"}
    lines = []
    for change in statements(result):
        file, line = result.new.policy.root, 1
        ids = change.new_clauses or change.old_clauses or ((change.clause,) if change.clause
                                                            else ())
        for loaded in (result.new, result.old):
            clause = next((c for c in loaded.policy.clauses if ids and c.id == ids[0]), None)
            if clause is not None and clause.span is not None:
                file, line = clause.span.file, clause.span.line
                break
        message = _command_data(visible_line(statement(change, result)))
        lines.append(f"::{level[change.cls]} file={_command_property(file)},line={line},"
                     f"title=clausewise {change.cls}::{message}")
    return "\n".join(lines)


def _command_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    """A workflow command's property value (a file name), escaped as GitHub's toolkit does."""
    return _command_data(visible_line(text)).replace(":", "%3A").replace(",", "%2C")
