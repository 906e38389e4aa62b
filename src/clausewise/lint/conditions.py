"""Conditions: stated twice (CW201), never holding (CW202), testing facts no test
case gives (CW203).

A condition tests finitely many facts, each over a small domain that decides it
exactly: true and false; an enum's names; for whole numbers (ages, counts, which
are never negative) every constant compared with and its neighbours; for days,
the day before, on and after each date compared with. A condition that holds for
none of these values holds for no value at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from .. import model as m
from ..engine.conditions import choice_condition, compile_condition
from ..vocabulary import Vocabulary
from .codes import Finding, finding

#: the most facts one condition may test before it is not checked for CW202
MAX_FACTS = 10


def conditions(policy: m.Policy, vocabulary: Vocabulary,
               supplied: set[str] | None = None) -> list[Finding]:
    """CW201 and CW202 for every clause; CW203 when the policy's test cases are known
    (`supplied`: the facts some case gives, None when the policy has no tests)."""
    out: list[Finding] = []
    for clause in policy.clauses:
        out += _twice(clause)
        out += _never(clause, vocabulary)
    if supplied is not None:
        out += _never_supplied(policy, supplied)
    return out


# ------------------------------------------------------------------- CW201


def _conjuncts(node: m.Condition | None) -> Iterator[m.Condition]:
    if isinstance(node, m.All):
        for operand in node.operands:
            yield from _conjuncts(operand)
    elif node is not None:
        yield node


def _stated(clause: m.AnyClause) -> list[tuple[str, m.Condition]]:
    """What a clause requires, part by part, with how it was written."""
    parts: list[tuple[str, m.Condition]] = []
    choice = getattr(clause, "choice", None)
    implied = choice_condition(choice)
    if implied is not None:
        parts.append((f"consent {choice.value}", implied))
    parts += [("its condition", part) for part in _conjuncts(getattr(clause, "condition", None))]
    return parts


def _twice(clause: m.AnyClause) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[m.Condition, str] = {}
    for how, part in _stated(clause):
        if part in seen:
            text = m.condition_text(part)
            first = seen[part]
            said = f"`{first}` already requires `{text}`" if first != "its condition" \
                else f"`{text}` is stated twice"
            out.append(finding(
                "CW201", f"{clause.kind} `{clause.id}` states the same condition twice: {said}",
                part.span or clause.span, clause=clause.id,
                fix=f"remove the `{_written(part)}` part" if first != "its condition"
                else "state it once"))
        else:
            seen[part] = how
    for node in _nodes(getattr(clause, "condition", None), getattr(clause, "exception", None)):
        if isinstance(node, (m.All, m.Any_)):
            operands = list(node.operands)
            for index, operand in enumerate(operands):
                if operand in operands[:index] and not isinstance(node, m.All):
                    out.append(finding(
                        "CW201", f"{clause.kind} `{clause.id}` states `"
                        f"{m.condition_text(operand)}` twice in one `or`",
                        operand.span or clause.span, clause=clause.id, fix="state it once"))
    exception = getattr(clause, "exception", None)
    if exception is not None:
        trigger = set(_conjuncts(getattr(clause, "condition", None)))
        for part in _disjuncts(exception):
            if part in trigger:
                out.append(finding(
                    "CW201", f"prohibition `{clause.id}` is triggered and lifted by the same "
                    f"condition `{m.condition_text(part)}`", part.span or clause.span,
                    clause=clause.id, fix="remove it from `if` or from `unless`"))
    return out


def _written(part: m.Condition) -> str:
    """How a condition reads as an `if`/`unless` line."""
    if isinstance(part, m.Not):
        return f"unless {m.condition_text(part.operand)}"
    return f"if {m.condition_text(part)}"


def _disjuncts(node: m.Condition) -> Iterator[m.Condition]:
    if isinstance(node, m.Any_):
        for operand in node.operands:
            yield from _disjuncts(operand)
    else:
        yield node


def _nodes(*roots: m.Condition | None) -> Iterator[m.Condition]:
    pending = [root for root in roots if root is not None]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, m.Not):
            pending.append(node.operand)
        elif isinstance(node, (m.All, m.Any_)):
            pending.extend(node.operands)


# ------------------------------------------------------------------- CW202


def domain(fact: str, atoms: Iterable[m.FactIsTrue | m.Comparison],
           vocabulary: Vocabulary) -> list[object]:
    """The values of `fact` that decide every comparison in `atoms` (missing left out)."""
    declared = vocabulary.facts.get(fact)
    kind = declared.type if declared is not None else m.FactType.bool
    if kind is m.FactType.enum:
        return list(declared.values) if declared is not None else []
    if kind is m.FactType.bool:
        return [True, False]
    points: set[object] = set()
    for atom in atoms:
        if isinstance(atom, m.Comparison) and atom.fact == fact:
            value = atom.value
            if isinstance(value, date):
                points |= {(value + timedelta(days=d)).isoformat() for d in (-1, 0, 1)}
            elif isinstance(value, int) and not isinstance(value, bool):
                points |= {max(0, value - 1), value, value + 1}
    if not points:
        points = {"2000-01-01"} if kind is m.FactType.date else {0}
    return sorted(points)  # type: ignore[type-var]


def can_hold(node: m.Condition, vocabulary: Vocabulary, negated: bool = False) -> bool | None:
    """Whether some values of its facts make `node` true (false, if `negated`);
    None when it tests too many facts to try them all."""
    atoms = list(m.condition_atoms(node))
    facts = m.condition_facts(node)
    if len(facts) > MAX_FACTS:
        return None
    test = compile_condition(node)
    wanted = not negated
    for combo in itertools.product(*(domain(f, atoms, vocabulary) for f in facts)):
        if test(dict(zip(facts, combo))) is wanted:
            return True
    return False


def _never(clause: m.AnyClause, vocabulary: Vocabulary) -> list[Finding]:
    out: list[Finding] = []
    condition = getattr(clause, "condition", None)
    reported = False
    for node in _nodes(condition, getattr(clause, "exception", None)):
        if isinstance(node, m.Comparison) and can_hold(node, vocabulary) is False:
            out.append(finding(
                "CW202", f"`{m.condition_text(node)}` can never hold: {_why(node, vocabulary)}",
                node.span or clause.span, clause=clause.id))
            reported = True
    if reported:
        return out
    if isinstance(clause, m.Prohibition):
        applies = condition
        if clause.exception is not None:
            lifted = m.Not(operand=clause.exception)
            applies = lifted if condition is None else m.All(operands=(condition, lifted))
        if applies is not None and can_hold(applies, vocabulary) is False:
            out.append(finding(
                "CW202", f"prohibition `{clause.id}` never applies: `{_said(clause)}` can "
                "never hold", (condition or clause.exception).span or clause.span,
                clause=clause.id))
    elif condition is not None and can_hold(condition, vocabulary) is False:
        out.append(finding(
            "CW202", f"{clause.kind} `{clause.id}` never allows anything: its condition "
            f"`{m.condition_text(condition)}` can never hold", condition.span or clause.span,
            clause=clause.id))
    return out


def _said(clause: m.Prohibition) -> str:
    parts = []
    if clause.condition is not None:
        parts.append(f"if {m.condition_text(clause.condition)}")
    if clause.exception is not None:
        parts.append(f"unless {m.condition_text(clause.exception)}")
    return " ".join(parts)


def _why(node: m.Comparison, vocabulary: Vocabulary) -> str:
    declared = vocabulary.facts.get(node.fact)
    if declared is not None and declared.type is m.FactType.int:
        return f"`{node.fact}` is a whole number, never negative"
    return f"no value of `{node.fact}` makes it true"


# ------------------------------------------------------------------- CW203

#: facts an action gives by other fields: `original_purpose` from `collected_for`
DERIVED = {"original_purpose": "collected_for"}


def _never_supplied(policy: m.Policy, supplied: set[str]) -> list[Finding]:
    out: list[Finding] = []
    reported: set[str] = set()
    for clause in policy.clauses:
        roots = (getattr(clause, "condition", None), getattr(clause, "exception", None))
        for root in roots:
            for atom in m.condition_atoms(root):
                fact = atom.fact
                if fact in supplied or fact in reported or DERIVED.get(fact) in supplied:
                    continue
                reported.add(fact)
                out.append(finding(
                    "CW203", f"`{fact}` is tested by {clause.kind} `{clause.id}`, but no test "
                    "case gives it", atom.span or clause.span, clause=clause.id,
                    fix=f"add a case that gives `{fact}` in its context to the policy's "
                    ".tests.yaml"))
    return out
