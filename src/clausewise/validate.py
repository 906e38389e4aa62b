"""Checks that a parsed policy means something: an ordered list of named checks.

Each check takes the merged policy, its documents and the vocabulary and yields
`Diagnostic`s; a new check is one function added to `CHECKS` (OPA's compiler
stages work the same way). All findings are collected, then sorted by position.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from collections.abc import Callable, Iterator

from . import model as m
from .errors import Diagnostic, did_you_mean
from .suggest import Suggestion, suggest, suggesting
from .vocabulary import Term, Vocabulary, base_vocabulary

Check = Callable[[m.Policy, list[m.Document], Vocabulary], Iterator[Diagnostic]]

#: how many levels below its root a term may sit. A hierarchy is a vocabulary a legal
#: editor reads: fideslang's own taxonomy is 3 levels deep (`user.contact.email` is 2
#: below `user`), so 32 leaves room for any real one and keeps every walk up it short.
MAX_TERM_DEPTH = 32


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
    parent_refs = _parent_references(documents)
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
            ref = parent_refs.get(id(term))
            yield suggesting("unknown-parent", f"{term.vocab.value} `{term.key}` is placed "
                             f"under `{parent}`, which is not a known {term.vocab.value}",
                             ref.span if ref is not None else term.span,
                             Suggestion(parent, term.vocab))


def check_term_hierarchy(policy: m.Policy, documents: list[m.Document],
                         vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    """Every declared term sits in a finite tree: no cycles, at most `MAX_TERM_DEPTH` deep.

    Each term's level is worked out once and remembered, so the check is linear in the
    number of terms however they are arranged (a walk up from every term would be
    quadratic in a long chain). Only the first term past the limit on each path is
    reported: the ones under it are too deep for the same reason.
    """
    levels = {vocab: _Levels(table) for vocab, table in vocabulary.terms.items()}
    for term in policy.terms:
        level, root = levels[term.vocab].of(term.key)
        if level is None:
            if levels[term.vocab].on_cycle(term.key):
                yield Diagnostic("term-cycle", f"{term.vocab.value} `{term.key}` is placed "
                                 "under itself", term.span)
        elif level == MAX_TERM_DEPTH + 1:
            yield Diagnostic("term-too-deep", f"{term.vocab.value} `{term.key}` is {level} "
                             f"levels below its root `{root}`; a hierarchy may be at most "
                             f"{MAX_TERM_DEPTH} levels deep", term.span,
                             f"place it, and the terms under it, nearer `{root}` (fideslang's "
                             "own taxonomy is 3 levels deep)")


class _Levels:
    """How many levels below its root each term of one vocabulary is, remembered.

    A key the vocabulary does not know is a root (as `Vocabulary.ancestors` ends
    there); a term on a cycle, or under one, has no level (None).
    """

    def __init__(self, table: dict[str, Term]) -> None:
        self.table = table
        self.level: dict[str, int | None] = {}
        self.root: dict[str, str | None] = {}
        self.cyclic: set[str] = set()

    def of(self, key: str) -> tuple[int | None, str | None]:
        """`key`'s level and root, walking up only as far as the first known level."""
        path: list[str] = []
        position: dict[str, int] = {}
        current: str | None = key
        level: int | None = -1
        root: str | None = None
        while current is not None:
            if current in self.level:
                level, root = self.level[current], self.root[current]
                break
            if current in position:  # back on this walk's own path: a cycle
                on_cycle = path[position[current]:]
                self.cyclic.update(on_cycle)
                for k in on_cycle:
                    self.level[k], self.root[k] = None, None
                del path[position[current]:]
                level = None
                break
            position[current] = len(path)
            path.append(current)
            term = self.table.get(current)
            current = term.parent if term is not None else None
        if root is None and level == -1 and path:
            root = path[-1]
        for k in reversed(path):
            level = None if level is None else level + 1
            self.level[k], self.root[k] = level, root if level is not None else None
        return self.level[key], self.root[key]

    def on_cycle(self, key: str) -> bool:
        return key in self.cyclic


def check_references(policy: m.Policy, documents: list[m.Document],
                     vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    # check_term_definitions' part
    parents = {id(ref) for ref in _parent_references(documents).values()}
    for document in documents:
        for ref in document.references:
            if not vocabulary.knows(ref.vocab, ref.key) and id(ref) not in parents:
                yield suggesting("unknown-term", f"unknown {ref.vocab.value} `{ref.key}`",
                                 ref.span, Suggestion(
                                     ref.key, ref.vocab, f"declare it with `define "
                                     f"{ref.vocab.value} {ref.key} \"its label\"`"))


def _parent_references(documents: list[m.Document]) -> dict[int, m.Reference]:
    """id(term) -> the reference naming its parent, the X of its `define ... under X`.

    That reference is the first one at or after the start of the definition, and
    within it; found by bisection among the references to the same key, so that
    thousands of terms under one parent cost no more than thousands of parents.
    """
    found: dict[int, m.Reference] = {}
    for document in documents:
        wanted = {(t.vocab, t.parent) for t in document.terms if t.parent is not None}
        if not wanted:
            continue
        by_key: dict[tuple[m.Vocab, str], list[tuple[tuple[int, int], m.Reference]]] = {}
        for ref in document.references:
            if (ref.vocab, ref.key) in wanted and ref.span is not None:
                by_key.setdefault((ref.vocab, ref.key), []).append(
                    ((ref.span.line, ref.span.column), ref))
        for refs in by_key.values():
            refs.sort(key=lambda item: item[0])
        for term in document.terms:
            if term.parent is None or term.span is None:
                continue
            refs = by_key.get((term.vocab, term.parent), [])
            at = bisect_left(refs, (term.span.line, term.span.column), key=lambda item: item[0])
            if at < len(refs) and _within(refs[at][1].span, term.span):
                found[id(term)] = refs[at][1]
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
    """Facts tested by conditions, and set by choices and rights (the derived rules
    test them), are declared and of a type the test fits."""
    from .lowering import rules

    for clause in rules(policy):
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
        yield suggesting("unknown-fact", f"unknown fact `{node.fact}`", node.span,
                         Suggestion(node.fact, "fact", f"declare it with `define fact "
                                    f"{node.fact} bool \"what it means\"`"))
        return
    if isinstance(node, m.FactIsTrue) and fact.type is m.FactType.date:
        yield Diagnostic("fact-type", f"fact `{node.fact}` is a day, not true or false",
                         node.span, f"compare it, e.g. `{node.fact} >= 2021-01-01`")
    elif isinstance(node, m.FactIsTrue) and fact.type is m.FactType.enum:
        yield Diagnostic("fact-type", f"fact `{node.fact}` is one of {_names(fact)}, not "
                         "true or false", node.span,
                         f"compare it, e.g. `{node.fact} == {fact.values[0]}`")
    elif isinstance(node, m.FactIsTrue) and fact.type is not m.FactType.bool:
        yield Diagnostic("fact-type", f"fact `{node.fact}` is a number, not true or false",
                         node.span, f"compare it, e.g. `{node.fact} < 13`")
    elif isinstance(node, m.Comparison) and fact.type is m.FactType.enum:
        if not isinstance(node.value, str):
            yield Diagnostic("fact-type", f"fact `{node.fact}` is one of {_names(fact)} and "
                             f"cannot be compared with `{str(node.value).lower()}`", node.span)
        elif node.op not in ("==", "!="):
            yield Diagnostic("fact-type", f"fact `{node.fact}` is one of {_names(fact)}; "
                             f"`{node.op}` compares numbers", node.span,
                             f"write `{node.fact} == {node.value}` or `!=`")
        elif node.value not in fact.values:
            yield Diagnostic("unknown-value", f"`{node.value}` is not one of the values of "
                             f"fact `{node.fact}` ({_names(fact)})", node.span,
                             did_you_mean(node.value, fact.values))
    elif isinstance(node, m.Comparison) and fact.type is m.FactType.date:
        if not isinstance(node.value, date):
            yield Diagnostic("fact-type", f"fact `{node.fact}` is a day and is compared with "
                             "a date", node.span, f"write e.g. `{node.fact} >= 2021-01-01`")
    elif isinstance(node, m.Comparison) and isinstance(node.value, date):
        yield Diagnostic("fact-type", f"fact `{node.fact}` is not a day and cannot be "
                         f"compared with the date `{node.value}`", node.span,
                         "a date is compared with a date fact, e.g. `date >= 2021-01-01`")
    elif isinstance(node, m.Comparison) and isinstance(node.value, str):
        yield Diagnostic("fact-type", f"fact `{node.fact}` is "
                         f"{'a number' if fact.type is m.FactType.int else 'true or false'} "
                         f"and cannot be compared with the name `{node.value}`", node.span,
                         "a name is the value of an enum fact: "
                         f"`define fact {node.fact} enum ...`")
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


def _names(fact: m.FactDef) -> str:
    return ", ".join(f"`{value}`" for value in fact.values)


CHECKS: tuple[Check, ...] = (
    check_single_header,
    check_term_definitions,
    check_term_hierarchy,
    check_references,
    check_clause_ids,
    check_fact_definitions,
    check_conditions,
)


def validate(policy: m.Policy, documents: list[m.Document],
             vocabulary: Vocabulary) -> list[Diagnostic]:
    """Every finding of every check, sorted by file and position, with its help line."""
    findings = sorted((d for check in CHECKS for d in check(policy, documents, vocabulary)),
                      key=Diagnostic.sort_key)
    return suggest(findings, vocabulary)
