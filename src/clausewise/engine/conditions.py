"""Conditions, three-valued: True, False, or None when a fact they need is missing.

A missing fact never satisfies a condition (fail closed): `consent` with no
`consent` in the context is None, and so is `not consent`. `and`/`or` follow
Kleene's logic, so `legal_requirement or terms_violation` holds when either is
known to be true. Compiled conditions are closures (the hot path); `explain`
walks the model only when a decision needs to say why.
"""

from __future__ import annotations

import operator
from datetime import date
from functools import lru_cache
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .. import model as m

Context = Mapping[str, bool | int]
Compiled = Callable[[Context], bool | None]

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
        "==": operator.eq, "!=": operator.ne}


@lru_cache(maxsize=4096)
def compile_condition(node: m.Condition) -> Compiled:
    """A closure that evaluates `node` on a context (memoised: explain() asks often)."""
    if isinstance(node, m.FactIsTrue):
        fact = node.fact
        return lambda ctx: ctx.get(fact)  # type: ignore[return-value]
    if isinstance(node, m.Comparison):
        fact, op, value = node.fact, _OPS[node.op], node.value
        if isinstance(value, date):  # days are given as YYYY-MM-DD, which sorts as dates
            value = value.isoformat()

        def compare(ctx: Context) -> bool | None:
            given = ctx.get(fact)
            if given is None:
                return None
            try:
                return op(given, value)
            except TypeError:  # a value of another type (the fact's type changed): unknown
                return None
        return compare
    if isinstance(node, m.Not):
        inner = compile_condition(node.operand)

        def negate(ctx: Context) -> bool | None:
            value = inner(ctx)
            return None if value is None else not value
        return negate
    parts = tuple(compile_condition(op) for op in node.operands)
    if isinstance(node, m.All):
        def all_(ctx: Context) -> bool | None:
            result: bool | None = True
            for part in parts:
                value = part(ctx)
                if value is False:
                    return False
                if value is None:
                    result = None
            return result
        return all_

    def any_(ctx: Context) -> bool | None:
        result: bool | None = False
        for part in parts:
            value = part(ctx)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    return any_


def choice_condition(choice: m.Choice | None) -> m.Condition | None:
    """What a consent mode requires, as a condition over the standard facts."""
    if choice is m.Choice.opt_in:
        return m.FactIsTrue(fact="consent")
    if choice is m.Choice.opt_out:
        return m.Not(operand=m.FactIsTrue(fact="opted_out"))
    return None


def effective_condition(clause: m.Clause) -> m.Condition | None:
    """A clause's own condition joined with what its consent mode and its frequency
    limit (`at most N`: fewer than N before, the standard fact `previous`) require."""
    parts = [choice_condition(getattr(clause, "choice", None))]
    at_most = getattr(clause, "at_most", None)
    if at_most is not None:
        parts.append(m.Comparison(fact="previous", op="<", value=at_most))
    if getattr(clause, "effective", None) is not None:
        parts.append(m.Comparison(fact="date", op=">=", value=clause.effective))
    if getattr(clause, "expires", None) is not None:
        parts.append(m.Comparison(fact="date", op="<", value=clause.expires))
    parts.append(getattr(clause, "condition", None))
    present = [part for part in parts if part is not None]
    if len(present) <= 1:
        return present[0] if present else None
    return m.All(operands=tuple(present))


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a condition did not hold: the parts that failed and the facts that were missing."""

    needs: tuple[str, ...]
    missing: tuple[str, ...]
    given: tuple[tuple[str, bool | int], ...]


def explain(node: m.Condition, ctx: Context) -> Failure:
    """The top-level conjuncts that do not hold, and the facts behind them."""
    conjuncts = node.operands if isinstance(node, m.All) else (node,)
    needs: list[str] = []
    missing: dict[str, None] = {}
    given: dict[str, bool | int] = {}
    for part in conjuncts:
        value = compile_condition(part)(ctx)
        if value is True:
            continue
        needs.append(m.condition_text(part))
        for fact in m.condition_facts(part):
            if fact not in ctx:
                missing.setdefault(fact, None)
            elif value is False:
                given.setdefault(fact, ctx[fact])
    return Failure(tuple(needs), tuple(missing), tuple(given.items()))
