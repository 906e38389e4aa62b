"""Vocabulary: terms and facts defined but never used (CW301, CW302), and a list
naming a term beside one under it (CW303)."""

from __future__ import annotations

from .. import model as m
from ..vocabulary import Vocabulary
from .codes import Finding, finding


def terms(policy: m.Policy, vocabulary: Vocabulary) -> list[Finding]:
    return _unused_terms(policy, vocabulary) + _unused_facts(policy) + \
        _parents_beside_children(policy, vocabulary)


def _unused_terms(policy: m.Policy, vocabulary: Vocabulary) -> list[Finding]:
    """A defined term no clause or header names, and under which no named term lies."""
    named = {(r.vocab, r.key) for d in policy.documents for r in d.references}
    used: set[tuple[m.Vocab, str]] = set()
    for vocab, key in named:
        used.update((vocab, above) for above in vocabulary.ancestors(vocab, key))
    out = []
    for term in policy.terms:
        if (term.vocab, term.key) not in used:
            out.append(finding(
                "CW301", f"{term.vocab.value} `{term.key}` is defined but no clause uses it",
                term.span, fix=f"use `{term.key}` in a clause, or remove its `define`"))
    return out


def _unused_facts(policy: m.Policy) -> list[Finding]:
    tested: set[str] = set()
    for clause in policy.clauses:
        for root in (getattr(clause, "condition", None), getattr(clause, "exception", None)):
            tested.update(m.condition_facts(root))
    return [finding("CW302", f"fact `{fact.name}` is defined but no condition tests it",
                    fact.span, fix=f"test `{fact.name}` in a condition, or remove its `define`")
            for fact in policy.facts if fact.name not in tested]


def _lists(clause: m.AnyClause) -> list[tuple[str, m.Vocab, tuple[str, ...]]]:
    """Every list of terms a clause states: its data, each dimension, what it leaves out."""
    found = []
    if getattr(clause, "data", ()):
        found.append(("data", m.Vocab.category, clause.data))
    for name, keys in clause.terms:
        found.append((m.DIMENSION[name].keywords[0], m.DIMENSION[name].vocab, keys))
    for name, keys in getattr(clause, "exempt", ()):
        found.append((f"except {m.DIMENSION[name].keywords[0]}", m.DIMENSION[name].vocab, keys))
    return found


def _parents_beside_children(policy: m.Policy, vocabulary: Vocabulary) -> list[Finding]:
    spans = _reference_spans(policy)
    out = []
    for clause in policy.clauses:
        for where, vocab, keys in _lists(clause):
            listed = set(keys)
            for key in keys:
                parent = next((a for a in vocabulary.ancestors(vocab, key)[1:] if a in listed),
                              None)
                if parent is None:
                    continue
                span = _span_in(spans, clause, vocab, key) or clause.span
                out.append(finding(
                    "CW303", f"{clause.kind} `{clause.id}` lists `{key}` beside `{parent}`, "
                    f"which already covers it ({where})", span, clause=clause.id,
                    fix=f"remove `{key}`; `{parent}` covers it"))
    return out


def _reference_spans(policy: m.Policy) -> dict[tuple[str, m.Vocab, str], list[m.Span]]:
    table: dict[tuple[str, m.Vocab, str], list[m.Span]] = {}
    for document in policy.documents:
        for ref in document.references:
            if ref.span is not None:
                table.setdefault((ref.span.file, ref.vocab, ref.key), []).append(ref.span)
    return table


def _span_in(spans: dict[tuple[str, m.Vocab, str], list[m.Span]], clause: m.AnyClause,
             vocab: m.Vocab, key: str) -> m.Span | None:
    """Where the clause names `key`: its reference inside the clause's lines."""
    if clause.span is None:
        return None
    for span in spans.get((clause.span.file, vocab, key), ()):
        if clause.span.line <= span.line <= clause.span.end_line:
            return span
    return None
