"""Checks that a parsed policy means something: an ordered list of named checks.

Each check takes the merged policy, its documents and the vocabulary and yields
`Diagnostic`s; a new check is one function added to `CHECKS` (OPA's compiler
stages work the same way). All findings are collected, then sorted by position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import model as m
from .errors import Diagnostic, did_you_mean
from .vocabulary import Vocabulary, base_vocabulary

Check = Callable[[m.Policy, list[m.Document], Vocabulary], Iterator[Diagnostic]]


def check_single_header(policy: m.Policy, documents: list[m.Document],
                        vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    headers = [d.header for d in documents if d.header is not None]
    for extra in headers[1:]:
        yield Diagnostic("duplicate-header", "a policy has one `policy ... end` header; "
                         "another file already has one", extra.span,
                         f"the first is at {headers[0].span}")


def check_term_definitions(policy: m.Policy, documents: list[m.Document],
                           vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    base = base_vocabulary()
    seen: dict[tuple[m.Vocab, str], m.TermDef] = {}
    for term in policy.terms:
        where = (term.vocab, term.key)
        if base.knows(term.vocab, term.key):
            yield Diagnostic("term-exists", f"{term.vocab.value} `{term.key}` is already "
                             "defined by the built-in vocabulary", term.span,
                             "use it as it is, or pick a new key")
        elif where in seen:
            yield Diagnostic("duplicate-term", f"{term.vocab.value} `{term.key}` is defined "
                             "twice", term.span, f"first defined at {seen[where].span}")
        seen.setdefault(where, term)
        parent = term.parent or (term.key.rsplit(".", 1)[0] if "." in term.key else None)
        if parent is not None and not vocabulary.knows(term.vocab, parent):
            # point at the word after `under` where there is one
            at = next((ref.span for ref in _parent_references(documents)
                       if _within(ref.span, term.span)), term.span)
            yield Diagnostic("unknown-parent", f"{term.vocab.value} `{term.key}` is placed "
                             f"under `{parent}`, which is not a known {term.vocab.value}",
                             at, did_you_mean(parent, vocabulary.terms[term.vocab]))
        if parent is not None and term.key in vocabulary.ancestors(term.vocab, parent):
            yield Diagnostic("term-cycle", f"{term.vocab.value} `{term.key}` is placed under "
                             "itself", term.span)


def check_references(policy: m.Policy, documents: list[m.Document],
                     vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    parents = set(map(id, _parent_references(documents)))  # check_term_definitions' part
    for document in documents:
        for ref in document.references:
            if not vocabulary.knows(ref.vocab, ref.key) and id(ref) not in parents:
                yield Diagnostic("unknown-term", f"unknown {ref.vocab.value} `{ref.key}`",
                                 ref.span, did_you_mean(ref.key, vocabulary.terms[ref.vocab])
                                 or f"declare it with `define {ref.vocab.value} {ref.key} "
                                 "\"its label\"`")


def _parent_references(documents: list[m.Document]) -> list[m.Reference]:
    """The references that name the parent of a `define ... under X` (the X)."""
    found = []
    for document in documents:
        defines: dict[tuple[m.Vocab, str], list[m.Span | None]] = {}
        for term in document.terms:
            if term.parent is not None:
                defines.setdefault((term.vocab, term.parent), []).append(term.span)
        if not defines:
            continue
        for ref in document.references:
            spans = defines.get((ref.vocab, ref.key))
            if spans and any(_within(ref.span, span) for span in spans):
                found.append(ref)
    return found


def _within(inner: m.Span | None, outer: m.Span | None) -> bool:
    return inner is not None and outer is not None and inner.file == outer.file and \
        (outer.line, outer.column) <= (inner.line, inner.column) <= \
        (outer.end_line, outer.end_column)


def check_clause_ids(policy: m.Policy, documents: list[m.Document],
                     vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    seen: dict[str, m.Clause] = {}
    for clause in policy.clauses:
        if clause.id in seen:
            yield Diagnostic("duplicate-id", f"clause id `{clause.id}` is used twice",
                             clause.span, f"first used at {seen[clause.id].span}; "
                             "clause ids must be unique across all files of a policy")
        else:
            seen[clause.id] = clause


def check_fact_definitions(policy: m.Policy, documents: list[m.Document],
                           vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    builtin = base_vocabulary().facts
    seen: dict[str, m.FactDef] = {}
    for fact in policy.facts:
        if fact.name in builtin:
            yield Diagnostic("fact-exists", f"fact `{fact.name}` is a standard fact already",
                             fact.span)
        elif fact.name in seen:
            yield Diagnostic("duplicate-fact", f"fact `{fact.name}` is defined twice",
                             fact.span, f"first defined at {seen[fact.name].span}")
        seen.setdefault(fact.name, fact)


def check_conditions(policy: m.Policy, documents: list[m.Document],
                     vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    for clause in policy.clauses:
        for condition in (getattr(clause, "condition", None), getattr(clause, "exception", None)):
            if condition is not None:
                yield from _check_condition(condition, vocabulary)


def _check_condition(node: m.Condition, vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    if isinstance(node, (m.Not,)):
        yield from _check_condition(node.operand, vocabulary)
        return
    if isinstance(node, (m.All, m.Any_)):
        for operand in node.operands:
            yield from _check_condition(operand, vocabulary)
        return
    fact = vocabulary.facts.get(node.fact)
    if fact is None:
        yield Diagnostic("unknown-fact", f"unknown fact `{node.fact}`", node.span,
                         did_you_mean(node.fact, vocabulary.facts)
                         or f"declare it with `define fact {node.fact} bool \"what it means\"`")
        return
    if isinstance(node, m.FactIsTrue) and fact.type is not m.FactType.bool:
        yield Diagnostic("fact-type", f"fact `{node.fact}` is a number, not true or false",
                         node.span, f"compare it, e.g. `{node.fact} < 13`")
    elif isinstance(node, m.Comparison):
        is_bool_value = isinstance(node.value, bool)
        if fact.type is m.FactType.int and is_bool_value:
            yield Diagnostic("fact-type", f"fact `{node.fact}` is a number and cannot be "
                             f"compared with `{str(node.value).lower()}`", node.span)
        elif fact.type is m.FactType.bool and not is_bool_value:
            yield Diagnostic("fact-type", f"fact `{node.fact}` is true or false and cannot be "
                             f"compared with the number `{node.value}`", node.span,
                             f"write `{node.fact}` or `not {node.fact}`")
        elif fact.type is m.FactType.bool and node.op not in ("==", "!="):
            yield Diagnostic("fact-type", f"fact `{node.fact}` is true or false; `{node.op}` "
                             "compares numbers", node.span,
                             f"write `{node.fact}` or `not {node.fact}`")


CHECKS: tuple[Check, ...] = (
    check_single_header,
    check_term_definitions,
    check_references,
    check_clause_ids,
    check_fact_definitions,
    check_conditions,
)


def validate(policy: m.Policy, documents: list[m.Document],
             vocabulary: Vocabulary) -> list[Diagnostic]:
    """Every finding of every check, sorted by file and position."""
    findings = [d for check in CHECKS for d in check(policy, documents, vocabulary)]
    return sorted(findings, key=Diagnostic.sort_key)
