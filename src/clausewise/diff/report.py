"""A `DiffResult` in words: text, Markdown for a pull-request comment, JSON, GitHub annotations.

Each statement says the cause first, in the policy's own terms (which clause
changed, and how: old -> new), then the effect on decisions, then a witness
action built from the changed clause's terms with the facts that make the
difference, which `clausewise check` decides one way with the old version and
the other with the new. A statement never covers more than it says: records are
merged only when they share the class, the kind of action, the cause and the
duties moved, and a statement's deciding clauses are its witness's.

What comes from a policy (file names, wording) is escaped for where it goes:
shown as escapes on a terminal (safe_text.py), Markdown-escaped in a comment.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import replace
from typing import Any

from .. import model as m
from ..loader import Loaded
from ..renderers.markdown import code_block, code_span, md
from ..safe_text import visible, visible_line
from .causes import clause_changes, described
from .changes import CLASSES, Change, DiffResult, Location, own_terms, witness_weight
from .locate import changed_line, start
from .text import content_key, renames

_TITLE = {"widening": "Widened: newly allowed, or a duty weakened or dropped",
          "narrowing": "Narrowed: newly denied, or a duty made stricter",
          "both": "Duties changed both ways",
          "drift": "Drift: rules changed, the published text did not",
          "text": "Text only (no decision changes)"}
#: the dimensions a statement names, in the order a sentence says them
_SAID = ("subject", "right", "recipient", "purpose", "event", "method", "source", "actor",
         "place", "mechanism", "basis", "channel")
_WORD = {"subject": "of", "right": "right", "recipient": "with", "purpose": "for",
         "event": "on", "channel": "via", "method": "method", "source": "through",
         "actor": "by", "place": "in", "mechanism": "under", "basis": "on the basis of"}
#: at most this many other values of a dimension are listed after a witness
_LISTED = 6


def witness_json(change: Change) -> dict[str, Any]:
    assert change.witness is not None
    return change.witness.model_dump(mode="json", exclude_defaults=True)


# ------------------------------------------------------------- statements
def statements(result: DiffResult) -> list[Change]:
    """The changes as a reader wants them: one statement per cause.

    Records (one per pair of deciding clause sets) are merged when they share the
    class, kind, cause and the duties moved; each statement keeps the witness that
    uses the changed clauses' own terms best, and that witness's deciding clauses.
    """
    merged: dict[tuple[object, ...], list[Change]] = {}
    for change in result.changes:
        key: tuple[object, ...] = (change.cls, change.kind, change.cause, change.removed,
                                   change.added) if change.kind is not None else (id(change),)
        merged.setdefault(key, []).append(change)
    out = []
    for members in merged.values():
        first = members[0]
        out.append(first if first.kind is None else _with_best(first, members, result))
    return out


def _with_best(first: Change, members: list[Change], result: DiffResult) -> Change:
    own = own_terms((result.old.policy, result.new.policy), first.cause)
    best = min(members, key=lambda c: _weight(c, own, result))
    spans: dict[str, dict[str, None]] = {}
    for change in members:
        for name, values in change.values.items():
            spans.setdefault(name, {}).update(dict.fromkeys(values))
    return replace(best, count=sum(c.count for c in members),
                   values={k: tuple(v) for k, v in spans.items()})


def _weight(change: Change, own: tuple[set[str], set[str]], result: DiffResult) -> tuple:
    witness = change.witness
    assert witness is not None
    return (len(_unknown(witness, result)), *witness_weight(witness, own))


def _unknown(witness, result: DiffResult) -> list[tuple[str, str]]:
    """Terms and facts of the witness that one version does not know: (term, version)."""
    out = []
    for loaded, side in ((result.old, "old"), (result.new, "new")):
        vocabulary = loaded.vocabulary
        for key in witness.data:
            if not vocabulary.knows(m.Vocab.category, key):
                out.append((key, side))
        for dimension in m.DIMENSIONS:
            key = getattr(witness, dimension.name)
            if key is not None and not vocabulary.knows(dimension.vocab, key):
                out.append((key, side))
        if witness.until is not None and not vocabulary.knows(m.Vocab.event, witness.until):
            out.append((witness.until, side))
        for fact in witness.context:
            if fact not in vocabulary.facts:
                out.append((fact, side))
    return out


# ------------------------------------------------------------------- causes
def cause_lines(change: Change, result: DiffResult) -> list[str]:
    """What changed in each clause the statement turns on, old -> new."""
    renamed = renames(result.old.policy, result.new.policy)
    back = {b: a for a, b in renamed.items()}
    old = {c.id: c for c in result.old.policy.clauses}
    new = {c.id: c for c in result.new.policy.clauses}
    lines = []
    for clause_id in change.cause:
        if clause_id == "header":
            lines.append(_header_cause(result))
            continue
        before = old.get(back.get(clause_id, clause_id))
        after = new.get(renamed.get(clause_id, clause_id))
        if before is not None and after is not None:
            if content_key(before) == content_key(after):
                lines.append(f"`{clause_id}` is unchanged, but the vocabulary moved: "
                             + _moves(result))
                continue
            how = clause_changes(before, after, result.new.vocabulary)
            lines.append(f"`{after.id}` " + ("; ".join(how) if how else "changed"))
        elif after is not None:
            lines.append(f"`{clause_id}` added: {described(after)}")
        elif before is not None:
            lines.append(f"`{clause_id}` removed: {described(before)}")
    return lines or ["the vocabulary moved: " + _moves(result)]


def _header_cause(result: DiffResult) -> str:
    a, b = result.old.policy.header, result.new.policy.header
    parts = []
    for name, word in (("covers", "covers"), ("effective", "takes effect")):
        was = getattr(a, name, None) if a else None
        now = getattr(b, name, None) if b else None
        if was != now:
            parts.append(f"the policy {word} {_plain(was)} -> {_plain(now)}")
    return "; ".join(parts) or "the policy header changed"


def _plain(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(f"`{v}`" for v in value) or "everything"
    return "never said" if value is None else f"`{value}`"


def _moves(result: DiffResult) -> str:
    found = []
    for vocab, table in result.new.vocabulary.terms.items():
        before = result.old.vocabulary.terms[vocab]
        for key, term in table.items():
            was = before.get(key)
            if was is not None and was.parent != term.parent:
                found.append(f"`{key}` now under `{term.parent}` (was under `{was.parent}`)")
    return "; ".join(found[:_LISTED]) or "terms were redefined"


# ------------------------------------------------------------------- effects
def _shape(witness) -> str:
    parts = [witness.action]
    if witness.data:
        parts.append(", ".join(witness.data))
    for name in _SAID:
        value = getattr(witness, name)
        if value is not None:
            word = _WORD[name] if not (name == "subject" and not witness.data) else ""
            parts.append(f"{word} {value}".strip())
    if witness.days is not None or witness.until is not None:
        if witness.until is not None:
            parts.append(f"until {witness.until}" + (f" plus {witness.days} days"
                                                     if witness.days else ""))
        else:
            parts.append(f"for {witness.days} days")
    return " ".join(parts)


def effect(change: Change, markdown: bool = False) -> str:
    """The effect on decisions, said of the witness."""
    witness = change.witness
    assert witness is not None
    text = _shape(witness)
    facts = ", ".join(f"{k}={json.dumps(v)}" for k, v in witness.context.items())
    old, new = change.effects
    if old != new:
        text += " is now allowed (was denied)" if new == "allow" else \
            " is now denied (was allowed)"
    else:
        still = "still allowed" if new == "allow" else "still denied"
        what = "duty" if new == "allow" else "remedy"
        words = (lambda o: md(o)) if markdown else (lambda o: o)
        if change.removed and change.added:
            said = f"its {what} " + "; ".join(words(o) for o in change.removed) + " -> " + \
                "; ".join(words(o) for o in change.added)
        elif change.removed:
            said = f"without the {what} to " + "; ".join(words(o) for o in change.removed)
        else:
            said = f"with a new {what}: " + "; ".join(words(o) for o in change.added)
        text += f" is {still}, {said}"
    text += f" when {facts}" if facts else " whatever the facts"
    return text


def also(change: Change) -> str:
    """The other values the statement's group takes, by dimension, in words."""
    witness = change.witness
    assert witness is not None
    parts = []
    for name, values in change.values.items():
        mine = set(witness.data) if name == "data" else {getattr(witness, name, None)}
        others = [v for v in values if v not in mine]
        if not others:
            continue
        shown = ", ".join(others[:_LISTED])
        more = len(others) - _LISTED
        word = "data" if name == "data" else name
        parts.append(f"{word} {shown}" + (f" and {more} more" if more > 0 else ""))
    return "; ".join(parts)


def statement(change: Change, result: DiffResult, markdown: bool = False) -> str:
    """One line that says the change: its cause, then its effect."""
    if change.kind is None:
        return md(change.detail) if markdown else change.detail
    causes = cause_lines(change, result)
    cause = "; ".join(md(c) if markdown else c for c in causes)
    return f"{cause}: {effect(change, markdown)}"


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


def _deciders(change: Change, result: DiffResult, markdown: bool = False) -> tuple[str, str]:
    def said(loaded: Loaded, ids: tuple[str, ...], outcome: str) -> str:
        word = "allowed by" if outcome == "allow" else "denied by"
        names = ", ".join(_where(loaded, ids, markdown))
        return f"{word} {names}" if names else "denied: no clause allows it"
    old, new = change.effects
    return said(result.old, change.old_clauses, old), said(result.new, change.new_clauses, new)


def notes(change: Change, result: DiffResult) -> list[str]:
    """What a reader checking the witness must know: a term one version does not know."""
    out = []
    for key, side in dict.fromkeys(_unknown(change.witness, result)):
        other = "new" if side == "old" else "old"
        out.append(f"`{key}` is new in the {other} version: the {side} version does not know "
                   f"it, and `clausewise check` with the {side} version reports it as unknown")
    return out


def summary(result: DiffResult) -> dict[str, int]:
    found = statements(result)
    return {cls: sum(1 for c in found if c.cls == cls) for cls in CLASSES}


# ----------------------------------------------------------- the rendered diff
def rendered_diff(result: DiffResult, fmt: str = "markdown") -> str:
    """The unified diff of the published policy (Markdown or HTML), old to new."""
    from ..renderers import render

    old = render(result.old, fmt).splitlines(keepends=True)
    new = render(result.new, fmt).splitlines(keepends=True)
    suffix = "" if fmt == "markdown" else f" ({fmt})"
    return "".join(difflib.unified_diff(old, new,
                                        f"a/{result.old.policy.root.lstrip('/')}{suffix}",
                                        f"b/{result.new.policy.root.lstrip('/')}{suffix}"))


def rendered_diffs(result: DiffResult) -> dict[str, str]:
    """The published policy's diff in each format that has parts of its own (HTML has
    the decision matrix and tables that Markdown does not)."""
    return {fmt: rendered_diff(result, fmt) for fmt in ("markdown", "html")}


def with_layout(result: DiffResult, rendered: dict[str, str] | str) -> DiffResult:
    """Add a text change when the published policy changed and nothing else says so."""
    diffs = rendered if isinstance(rendered, dict) else {"markdown": rendered}
    changed = [fmt for fmt, text in diffs.items() if text]
    if not changed or any(c.cls in ("text", "drift") for c in result.changes) or \
            result.decision_changes:
        return result
    detail = "the published policy's layout changed (" + " and ".join(changed) + \
        "): see the rendered diff"
    return replace(result, changes=result.changes + (Change("text", None, detail=detail),))


def _rendered(rendered: dict[str, str] | str) -> dict[str, str]:
    return rendered if isinstance(rendered, dict) else {"markdown": rendered}


# ---------------------------------------------------------------- formats
def to_text(result: DiffResult, rendered: dict[str, str] | str = "") -> str:
    counts = summary(result)
    if not result.changes:
        return "no changes: every action is decided the same way, and the text is the same"
    lines = [", ".join(f"{n} {cls}" for cls, n in counts.items() if n)]
    found = statements(result)
    for cls in CLASSES:
        for change in (c for c in found if c.cls == cls):
            if change.kind is None:
                lines.append(f"{cls}: {change.detail}")
                continue
            lines.append(f"{cls}: {'; '.join(cause_lines(change, result))}")
            lines.append(f"    effect: {effect(change)}")
            old, new = _deciders(change, result)
            lines.append(f"    before: {old}")
            lines.append(f"    now:    {new}")
            lines.append(f"    witness: {json.dumps(witness_json(change))}")
            other = also(change)
            if other:
                lines.append(f"    the same for: {other}")
            lines += [f"    note: {n}" for n in notes(change, result)]
    lines = [visible_line(line) for line in lines]
    for fmt, text in _rendered(rendered).items():
        if text:
            lines += ["", f"the published policy, rendered ({fmt}):", visible(text.rstrip("\n"))]
    return "\n".join(lines)


def to_markdown(result: DiffResult, rendered: dict[str, str] | str) -> str:
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
            if change.kind is None:
                lines.append(f"- {_md_code(change.detail)}")
                continue
            lines.append(f"- **{'; '.join(_md_code(c) for c in cause_lines(change, result))}**")
            lines.append(f"  - effect: {effect(change, markdown=True)}")
            old, new = _deciders(change, result, markdown=True)
            lines.append(f"  - before: {old}; now: {new}")
            lines.append(f"  - witness: {code_span(json.dumps(witness_json(change)))}")
            other = also(change)
            if other:
                lines.append(f"  - the same for: {md(other)}")
            lines += [f"  - note: {md(n)}" for n in notes(change, result)]
    shown = "".join(text for text in _rendered(rendered).values() if text)
    if shown:  # the Markdown and the HTML (which has parts of its own) in one block
        lines += ["", "<details><summary>Published policy: rendered diff</summary>", "",
                  code_block(shown.rstrip("\n"), "diff"), "", "</details>"]
    return "\n".join(lines) + "\n"


def _md_code(text: str) -> str:
    """Markdown for a statement: its `quoted` terms as code spans, the rest escaped
    (whatever backticks the policy's own words hold, each part is one or the other)."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no pairing to trust
        return md(text)
    def words(part: str) -> str:  # md() trims: keep the spaces beside the code spans
        inner = md(part)
        lead = " " if part[:1].isspace() and inner else ""
        tail = " " if part[-1:].isspace() and inner else ""
        return lead + inner + tail if inner else (" " if part.strip() == "" and part else "")
    return "".join(code_span(part) if index % 2 else words(part)
                   for index, part in enumerate(parts) if part or not index % 2)


def to_json(result: DiffResult, rendered: dict[str, str] | str) -> str:
    def record(change: Change, with_words: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"class": change.cls}
        if with_words:
            data["statement"] = statement(change, result)
        if change.kind is None:
            data["clause"] = change.clause
            data["detail"] = change.detail
            if change.where is not None:
                data["where"] = _location_json(change.where, result)
            return data
        data.update({
            "kind": change.kind, "cause": [{"clause": c} for c in change.cause],
            "witness": witness_json(change), "count": change.count,
            "old": {"effect": change.effects[0], "clauses": list(change.old_clauses),
                    "sources": _where(result.old, change.old_clauses)},
            "new": {"effect": change.effects[1], "clauses": list(change.new_clauses),
                    "sources": _where(result.new, change.new_clauses)},
            "obligations": {"removed": list(change.removed), "added": list(change.added)},
            "spans": {k: list(v) for k, v in change.values.items()},
        })
        if with_words:
            data["cause"] = [{"clause": c, "change": line}
                             for c, line in zip(change.cause, cause_lines(change, result))] \
                if len(change.cause) == len(cause_lines(change, result)) else \
                [{"clause": c} for c in change.cause] + [{"change": line} for line in
                                                          cause_lines(change, result)]
            data["effect"] = effect(change)
            data["notes"] = notes(change, result)
        return data

    # `changes` are the statements the text and markdown formats show, and `summary`
    # counts them; `records` are the exact groups they are merged from
    diffs = _rendered(rendered)
    return json.dumps({"old": result.old.policy.root, "new": result.new.policy.root,
                       "revision": result.revision,
                       "summary": summary(result),
                       "changes": [record(c) for c in statements(result)],
                       "records": [record(c, False) for c in result.changes],
                       "rendered_diff": diffs.get("markdown", ""),
                       "rendered_html_diff": diffs.get("html", "")}, indent=2)


def _location_json(where: Location, result: DiffResult) -> dict[str, Any]:
    data: dict[str, Any] = {"file": where.file, "line": where.line, "version": where.side}
    if where.side == "old" and result.revision:
        data["revision"] = result.revision
    return data


# ------------------------------------------------------------------ github
def location(change: Change, result: DiffResult) -> Location | None:
    """Where an annotation goes: the changed line, in the version where it is."""
    if change.kind is None:
        if change.where is not None:
            return change.where
        ids = (change.clause,) if change.clause else ()
    else:
        ids = change.cause or change.new_clauses or change.old_clauses
    renamed = renames(result.old.policy, result.new.policy)
    back = {b: a for a, b in renamed.items()}
    old = {c.id: c for c in result.old.policy.clauses}
    new = {c.id: c for c in result.new.policy.clauses}
    for clause_id in ids:
        if clause_id == "header":
            header = result.new.policy.header or result.old.policy.header
            where = start(header)
            if where:
                return Location(where[0], where[1],
                                "new" if result.new.policy.header else "old")
            continue
        after = new.get(renamed.get(clause_id, clause_id))
        before = old.get(back.get(clause_id, clause_id))
        if after is not None:
            where = changed_line(result.old, result.new, before, after) if before is not None \
                else start(after)
            if where:
                return Location(where[0], where[1], "new")
        elif before is not None and start(before):
            file, line = start(before)  # type: ignore[misc]
            return Location(file, line, "old")
    return None


def to_github(result: DiffResult) -> str:
    """GitHub workflow commands: one annotation per statement, on the line that changed."""
    level = {"widening": "error", "drift": "error", "narrowing": "warning", "both": "warning",
             "text": "notice"}
    lines = []
    for change in statements(result):
        where = location(change, result)
        message = visible_line(statement(change, result))
        title = f"clausewise {change.cls}"
        if where is not None and where.side == "old":
            version = result.revision or "the old version"
            message = f"removed; line {where.line} of {where.file} in {version}: {message}"
            title += f" (in {result.revision or 'the old version'})"
        props = f"title={_command_property(title)}"
        if where is not None:
            props = f"file={_command_property(where.file)},line={where.line}," + props
        lines.append(f"::{level[change.cls]} {props}::{_command_data(message)}")
    return "\n".join(lines)


def _command_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    """A workflow command's property value (a file name), escaped as GitHub's toolkit does."""
    return _command_data(visible_line(text)).replace(":", "%3A").replace(",", "%2C")
