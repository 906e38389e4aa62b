"""Which clauses, and which branch of each condition, the cases' actions exercised.

Whether an action falls within a clause is the diff's definition (diff/masks.py
`matches`, held to the engine by its tests), dimension by dimension.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import model as m
from ..api import Engine
from ..diff import space
from ..diff.masks import ABSENT, matches
from ..engine.conditions import choice_condition, compile_condition
from .running import Outcome


@dataclass(frozen=True)
class Part:
    """One condition of a clause, whose two branches a test should each exercise."""

    clause: m.AnyClause
    label: str          # how it is written: `if subject_age < 13`, `consent opt-in`
    node: m.Condition
    span: m.Span | None


@dataclass
class Coverage:
    clauses: list[m.AnyClause]
    parts: list[Part]
    covered: set[str] = field(default_factory=set)
    #: (part index, branch) seen: True holds, False does not hold
    branches: set[tuple[int, bool]] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.clauses) + 2 * len(self.parts)

    @property
    def hit(self) -> int:
        return sum(c.id in self.covered for c in self.clauses) + len(self.branches)

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * self.hit / self.total

    def missing(self) -> list[tuple[m.Span | None, str]]:
        """What no case exercised, in file order: (where, what)."""
        out = [(c.span, f"{c.kind} `{c.id}` is exercised by no case")
               for c in self.clauses if c.id not in self.covered]
        for index, part in enumerate(self.parts):
            for branch in (True, False):
                if (index, branch) not in self.branches:
                    word = "holding" if branch else "not holding"
                    out.append((part.span or part.clause.span,
                                f"`{part.label}` of {part.clause.kind} `{part.clause.id}` is "
                                f"never seen {word}"))
        return sorted(out, key=lambda x: (x[0].file, x[0].line, x[0].column) if x[0] else
                      ("", 0, 0))


def parts_of(clause: m.AnyClause) -> list[Part]:
    """The conditions of a clause, each a part whose branches coverage counts."""
    parts: list[Part] = []
    choice = getattr(clause, "choice", None)
    implied = choice_condition(choice)
    if implied is not None:
        parts.append(Part(clause, f"consent {choice.value}", implied, clause.span))
    condition = getattr(clause, "condition", None)
    word = "if"
    for node in (condition.operands if isinstance(condition, m.All) else
                 (condition,) if condition is not None else ()):
        text = m.condition_text(node)
        label = f"unless {m.condition_text(node.operand)}" if isinstance(node, m.Not) \
            else f"{word} {text}"
        parts.append(Part(clause, label, node, node.span or clause.span))
    exception = getattr(clause, "exception", None)
    if exception is not None:
        parts.append(Part(clause, f"unless {m.condition_text(exception)}", exception,
                          exception.span or clause.span))
    return parts


def coverage(engine: Engine, outcomes: list[Outcome]) -> Coverage:
    """Which clauses and condition branches the cases' actions exercised.

    A clause is exercised when a decision names it (as deciding, or by a duty it
    adds) or when an action falls within it so that its conditions are evaluated; a
    branch when such an action makes the condition hold, or not hold.
    """
    clauses = [c for c in engine.model.clauses if c.kind != "disclaimer"]
    parts = [part for clause in clauses for part in parts_of(clause)]
    result = Coverage(clauses, parts)
    index_of: dict[str, list[int]] = {}
    for n, part in enumerate(parts):
        index_of.setdefault(part.clause.id, []).append(n)
    compiled = engine.compiled
    for outcome in outcomes:
        decision = outcome.decision
        if decision is None:
            continue
        result.covered |= set(decision.clause_ids) | {d.clause for d in decision.obligations}
        action = engine.action(outcome.case.spec["action"])
        context = action.context
        for item in _reached(compiled, action):
            result.covered.add(item.clause.id)
            for n in index_of.get(item.clause.id, ()):
                value = compile_condition(parts[n].node)(context)
                result.branches.add((n, value is True))
    return result


def _reached(compiled, action) -> Iterator[Any]:
    """The permissions and prohibitions of the action's kind that it falls within."""
    kind = action.action
    rules = [space.Rule(0, "permit", i) for i in compiled.permits.get(kind, ())] + \
        [space.Rule(0, "prohibition", i) for i in compiled.prohibitions.get(kind, ())]
    vocab = compiled.vocabulary
    dims = space.DIMENSIONS[kind]
    for rule in rules:
        ok = True
        for dim in dims:
            if dim == "category":
                values = list(action.data) or [ABSENT]
                if not any(matches(rule, dim, value, vocab) for value in values):
                    ok = False
                    break
            else:
                value = (action.days, action.until) if dim == "period" else \
                    getattr(action, dim, None)
                if not matches(rule, dim, ABSENT if value is None else value, vocab):
                    ok = False
                    break
        if ok:
            yield rule.item
