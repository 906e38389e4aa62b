"""Which rules each value of a dimension matches: the bitmasks the diff's walk intersects.

`matches` is the definition: whether one rule lets an action with one value of one
dimension through, on that dimension alone. `masks` gives every value's bitmask of
matched rules at once without testing each pair: a rule is filed under the terms
it names, and a value collects the rules filed under its ancestors (and, for the
rules that apply on any overlap, under itself). Testing every pair costs values x
rules, the square of a policy's size (ten thousand terms, a thousand clauses);
`masks_by_pairs` is that slow path, which tests hold `masks` to.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import model as m
from ..engine.compile import VOCAB_OF_FIELD
from ..engine.evaluate import _period_mismatch
from ..vocabulary import Vocabulary

if TYPE_CHECKING:
    from .space import Rule

#: the value of a dimension an action leaves out
ABSENT = None


def matches(rule: Rule, dim: str, value: object, vocab: Vocabulary) -> bool:
    """Whether `rule` lets an action with this `dim` value through, on that dimension alone."""
    item, role = rule.item, rule.role
    if dim == "category":
        if role == "notice":
            return True
        if value is ABSENT:
            return item.data is None and role != "security"
        if item.data is None:  # a permission naming no data covers only actions naming none
            return role != "permit"
        above = vocab.ancestors(m.Vocab.category, value)
        if not item.data.isdisjoint(above):
            return True
        return role != "permit" and any(value in vocab.ancestors(m.Vocab.category, d)
                                        for d in item.data)
    if role == "security":
        return True
    if role == "notice":
        if dim != "event":
            return True
        clause = item.clause
        return value is not ABSENT and not set(clause.events).isdisjoint(
            vocab.ancestors(m.Vocab.event, value))
    if dim == "period":
        clause = item.clause
        days, until = value
        probe = _PeriodProbe(days, until)
        if isinstance(clause, m.Prohibition) and clause.beyond is not None:
            # `never keep ... beyond P` applies only to keeping longer than P
            return _period_mismatch(clause.beyond, probe, vocab.ancestors) is not None
        if not isinstance(clause, m.Retention):
            return True
        return _period_mismatch(clause.period, probe, vocab.ancestors) is None
    for field, vocab_name, exempt in item.exempt:  # `except for ...`: known to be out
        if field == dim and value is not ABSENT and \
                not exempt.isdisjoint(vocab.ancestors(vocab_name, value)):
            return False
    for field, vocab_name, allowed in item.dims:
        if field == dim:
            if allowed is None:
                return True
            if value is ABSENT:  # an unstated dimension escapes no prohibition; a scope
                return role in ("prohibition", "scope")  # takes an unstated source in
            if not allowed.isdisjoint(vocab.ancestors(vocab_name, value)):
                return True
            # a prohibition applies on any overlap: a term above a prohibited one too
            return role == "prohibition" and any(value in vocab.ancestors(vocab_name, key)
                                                 for key in allowed)
    return True


@dataclass(frozen=True, slots=True)
class _PeriodProbe:
    days: int | None
    until: str | None


def masks(dim: str, rules: list[Rule], vocabs: tuple[Vocabulary, Vocabulary],
          values: list[object]) -> list[int]:
    """Each value's bitmask of the rules it matches on `dim`, as `matches` says for each pair.

    A rule on `user` takes `user.contact.email`: filed under `user`, it is found
    among the rules filed under the value's ancestors. A prohibition on
    `user.contact.email` also applies to an action on `user` (any overlap): it is
    filed under every ancestor of what it names too, and found under the value.
    """
    if any(field == dim for rule in rules for field, _, _ in rule.item.exempt):
        return masks_by_pairs(dim, rules, vocabs, values)  # `except` on this dimension
    if dim == "period":
        if any(_after_period(rule) or _bounded(rule) for rule in rules):  # pair by pair
            return masks_by_pairs(dim, rules, vocabs, values)
        return _period_masks(rules, vocabs, values)
    vocab_name = m.Vocab.category if dim == "category" else VOCAB_OF_FIELD[dim]
    every = absent = 0  # the rules any present value matches; those an absent one does
    under: tuple[dict[str, int], dict[str, int]] = ({}, {})  # a term: rules taking it and below
    over: tuple[dict[str, int], dict[str, int]] = ({}, {})   # a term: rules naming one below it
    for bit, rule in enumerate(rules):
        flag = 1 << bit
        everything, when_absent, names, overlaps = _reach(rule, dim)
        every |= flag if everything else 0
        absent |= flag if when_absent else 0
        for key in names:
            under[rule.side][key] = under[rule.side].get(key, 0) | flag
        if overlaps:
            ancestors = vocabs[rule.side].ancestors
            for key in names:
                for above in ancestors(vocab_name, key):
                    over[rule.side][above] = over[rule.side].get(above, 0) | flag
    out = []
    for value in values:
        if value is ABSENT:
            out.append(absent)
            continue
        mask = every
        for side in (0, 1):
            if under[side]:
                for above in vocabs[side].ancestors(vocab_name, value):  # type: ignore[arg-type]
                    mask |= under[side].get(above, 0)
            mask |= over[side].get(value, 0)  # type: ignore[call-overload]
        out.append(mask)
    return out


def _reach(rule: Rule, dim: str) -> tuple[bool, bool, frozenset[str] | tuple[str, ...], bool]:
    """What `matches` lets through on a vocabulary dimension, as data: whether every
    present value passes, whether an absent one does, the terms at or under which a
    value passes, and whether a value above one of those terms passes too."""
    item, role = rule.item, rule.role
    if dim == "category":
        if role == "notice":
            return True, True, (), False
        if item.data is None:
            return role != "permit", role != "security", (), False
        return False, False, item.data, role != "permit"
    if role == "security":
        return True, True, (), False
    if role == "notice":
        if dim != "event":
            return True, True, (), False
        return False, False, tuple(item.clause.events), False
    for field, _, allowed in item.dims:
        if field == dim:
            if allowed is None:
                return True, True, (), False
            return False, role in ("prohibition", "scope"), allowed, role == "prohibition"
    return True, True, (), False


def _bounded(rule: Rule) -> bool:
    """A prohibition bounded in time (`beyond`): its masks depend on the period too."""
    clause = rule.item.clause
    return isinstance(clause, m.Prohibition) and clause.beyond is not None


def _after_period(rule: Rule) -> bool:
    """A retention of N days after an event: its masks need both parts of a value."""
    clause = rule.item.clause
    return isinstance(clause, m.Retention) and clause.period.days is not None \
        and clause.period.until is not None


def _period_masks(rules: list[Rule], vocabs: tuple[Vocabulary, Vocabulary],
                  values: list[object]) -> list[int]:
    """`masks` for retention periods: (None, None), (days, None) and (None, event) values."""
    every = 0
    by_days: list[tuple[int, int]] = []                      # (a clause's days, its rule)
    until: tuple[dict[str, int], dict[str, int]] = ({}, {})  # an event: rules kept until it
    for bit, rule in enumerate(rules):
        flag = 1 << bit
        clause = rule.item.clause
        if rule.role in ("security", "notice") or not isinstance(clause, m.Retention) \
                or clause.period.forever:
            every |= flag
        elif clause.period.days is not None:
            by_days.append((clause.period.days, flag))
        elif clause.period.until is not None:
            until[rule.side][clause.period.until] = \
                until[rule.side].get(clause.period.until, 0) | flag
    # the rules whose days are at least d, for every d, by one sweep from the longest
    by_days.sort(reverse=True)
    longest: list[tuple[int, int]] = []  # (days, rules with at least that many), decreasing
    acc = 0
    for days, flag in by_days:
        acc |= flag
        if longest and longest[-1][0] == days:
            longest[-1] = (days, acc)
        else:
            longest.append((days, acc))
    ascending = [days for days, _ in reversed(longest)]
    out = []
    for days, event in values:  # type: ignore[misc]
        mask = every
        if days is not None:
            at = bisect_left(ascending, days)  # the shortest period that is still long enough
            if at < len(ascending):
                mask |= longest[len(longest) - 1 - at][1]
        elif event is not None:
            for side in (0, 1):
                if until[side]:
                    for above in vocabs[side].ancestors(m.Vocab.event, event):
                        mask |= until[side].get(above, 0)
        out.append(mask)
    return out


def masks_by_pairs(dim: str, rules: list[Rule], vocabs: tuple[Vocabulary, Vocabulary],
                   values: list[object]) -> list[int]:
    """`masks` the slow way, by testing every value against every rule."""
    out = []
    for value in values:
        mask = 0
        for bit, rule in enumerate(rules):
            if matches(rule, dim, value, vocabs[rule.side]):
                mask |= 1 << bit
        out.append(mask)
    return out
