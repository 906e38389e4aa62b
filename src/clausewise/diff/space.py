"""The action space two policies can tell apart, enumerated exactly and without a solver.

A decision depends only on which clauses an action matches (structurally: its
kind, data, period and every dimension of the model's table)
and on the facts those clauses test. So, per action kind:

1. list the rules of both policies that can take part (permissions, prohibitions,
   notices on events, security duties);
2. for every value of every dimension (every known term, plus "absent"), compute
   the bitmask of rules it matches on that dimension (masks.py, in time linear in
   terms and rules), and keep one value per distinct mask: values with equal masks
   are interchangeable;
3. walk the product of these classes depth-first, intersecting masks and pruning
   a branch whose partial mask was already seen at that depth (its leaves repeat);
4. at each leaf, decide a representative action with both policies for every
   combination of the facts the matched rules test (booleans: true, false,
   missing; numbers: each threshold and its neighbours, and missing).

Actions with several data categories need no enumeration: a decision is the
conjunction of per-category decisions, so any change shows on one category.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta
from collections.abc import Iterator
from dataclasses import dataclass

from .. import model as m
from ..engine.action import DATA_ACTIONS, Action
from ..engine.compile import VOCAB_OF_FIELD, CompiledClause, CompiledPolicy
from ..engine.decision import Decision
from ..engine.evaluate import decide
from ..errors import UsageError
from ..vocabulary import Vocabulary
from .masks import ABSENT, masks

#: the dimensions each action kind is decided on: data, the model's table, a period
DIMENSIONS: dict[str, tuple[str, ...]] = {
    kind: ("category", *(d.name for d in m.DIMENSIONS if kind in d.actions),
           *(("period",) if kind == "retain" else ()))
    for kind in m.ACTION_KINDS}
#: the most facts one group of actions may depend on: each takes up to three values
MAX_FACTS = 12


@dataclass(frozen=True, slots=True)
class Rule:
    """A clause of one side, in the role it plays for one action kind."""

    side: int           # 0 old, 1 new
    role: str           # permit, prohibition, notice, security, scope
    item: CompiledClause


@dataclass(frozen=True, slots=True)
class Point:
    """One action of the space decided by both sides."""

    action: Action
    old: Decision
    new: Decision


def rules_for(kind: str, sides: tuple[CompiledPolicy, CompiledPolicy]) -> list[Rule]:
    rules: list[Rule] = []
    for side, policy in enumerate(sides):
        rules += [Rule(side, "permit", item) for item in policy.permits.get(kind, ())]
        rules += [Rule(side, "prohibition", item) for item in policy.prohibitions.get(kind, ())]
        if kind != "notify":
            notices = {id(i): i for table in (policy.notices_before, policy.notices_other)
                       for items in table.values() for i in items}
            rules += [Rule(side, "notice", item) for item in notices.values()]
        if policy.scope is not None and kind in m.DIMENSION["source"].actions:
            rules.append(Rule(side, "scope", policy.scope))
        security = {id(i): i for table in (policy.security,) for (k, _), items in table.items()
                    if k == kind for i in items}
        rules += [Rule(side, "security", item) for item in
                  sorted(security.values(), key=lambda i: i.order)]
    return rules


def _values(dim: str, rules: list[Rule], vocabs: tuple[Vocabulary, Vocabulary],
            required: tuple[str, ...]) -> list[object]:
    """Every value a dimension can take, mentioned terms first (they make better witnesses).

    A dimension in `required` must be given for a valid action, so "absent" is left out.
    """
    if dim == "period":
        days = {0}
        for rule in rules:
            clause = rule.item.clause
            if isinstance(clause, m.Retention) and clause.period.days is not None:
                days |= {clause.period.days, clause.period.days + 1}
        events = sorted(set(vocabs[0].terms[m.Vocab.event]) | set(vocabs[1].terms[m.Vocab.event]))
        after = any(isinstance(r.item.clause, m.Retention) and r.item.clause.period.until
                    and r.item.clause.period.days is not None for r in rules)
        both = [(d, e) for d in sorted(days) if d for e in events] if after else []
        return [(None, None), *((d, None) for d in sorted(days)), *((None, e) for e in events),
                *both]
    vocab = m.Vocab.category if dim == "category" else VOCAB_OF_FIELD[dim]
    keys = set(vocabs[0].terms[vocab]) | set(vocabs[1].terms[vocab])
    mentioned: dict[str, None] = {}
    for rule in rules:
        clause = rule.item.clause
        attr = "data" if dim == "category" else m.DIMENSION[dim].attr
        for key in getattr(clause, attr, ()) or ():
            mentioned.setdefault(key, None)
    rest = sorted(keys - set(mentioned), key=lambda k: (k.count("."), k))
    return [ABSENT, *mentioned, *rest] if dim not in required else [*mentioned, *rest]


def _classes(dim: str, rules: list[Rule], vocabs: tuple[Vocabulary, Vocabulary],
             required: tuple[str, ...]) -> list[tuple[int, object]]:
    """One (mask, representative) per group of values that match the same rules."""
    seen: dict[int, object] = {}
    values = _values(dim, rules, vocabs, required)
    for mask, value in zip(masks(dim, rules, vocabs, values), values):
        seen.setdefault(mask, value)
    return [(mask, value) for mask, value in seen.items()]


def _fact_values(facts: list[str], thresholds: dict[str, list[int]],
                 vocabs: tuple[Vocabulary, Vocabulary]) -> list[list[object]]:
    """Each fact's distinguishing values: missing first, then bools or thresholds."""
    out: list[list[object]] = []
    for name in facts:
        declared = vocabs[1].facts.get(name) or vocabs[0].facts.get(name)
        if declared is not None and declared.type is m.FactType.int:
            out.append([ABSENT, *thresholds.get(name, [0])])
        elif declared is not None and declared.type is m.FactType.date:
            out.append([ABSENT, *thresholds.get(name, ["2000-01-01"])])
        elif declared is not None and declared.type is m.FactType.enum:
            names = dict.fromkeys(declared.values)
            for side in vocabs:  # a name either version knows
                other = side.facts.get(name)
                names.update(dict.fromkeys(other.values if other is not None else ()))
            out.append([ABSENT, *names])
        else:
            out.append([ABSENT, True, False])
    return out


def _thresholds(rules: list[Rule]) -> dict[str, list[int]]:
    """Each number fact's values worth trying: each number compared with it, and its
    neighbours, over all the rules (found once per action kind, not at every leaf)."""
    points: dict[str, set[int]] = {}
    for rule in rules:
        for node in (*m.condition_atoms(rule.item.condition_node),
                     *m.condition_atoms(rule.item.exception_node)):
            if isinstance(node, m.Comparison) and isinstance(node.value, int) \
                    and not isinstance(node.value, bool):
                points.setdefault(node.fact, set()).update(
                    {max(0, node.value - 1), node.value, node.value + 1})
            elif isinstance(node, m.Comparison) and isinstance(node.value, date):
                points.setdefault(node.fact, set()).update(_days_around(node.value))
    return {name: sorted(values) for name, values in points.items()}  # type: ignore[type-var]


def _days_around(day: date) -> set[str]:
    """The day before, the day and the day after, as actions write them."""
    return {(day + timedelta(days=delta)).isoformat() for delta in (-1, 0, 1)}


def _facts_of(rules: list[Rule], mask: int) -> list[str]:
    facts: dict[str, None] = {}
    for bit in _bits(mask):  # the matched rules only, in order
        rule = rules[bit]
        for node in (rule.item.condition_node, rule.item.exception_node):
            for fact in m.condition_facts(node):
                facts.setdefault(fact, None)
        if rule.role == "notice":
            facts.setdefault("notice_given", None)
        if rule.role == "security" and rule.item.encrypts:
            facts.setdefault("encrypted", None)
    return list(facts)


def _action(kind: str, dims: tuple[str, ...], values: tuple[object, ...],
            context: dict[str, object]) -> Action:
    """The representative action; built without validation, its parts being known terms."""
    fields: dict[str, object] = {"action": kind, "context": context}
    for dim, value in zip(dims, values):
        if value is ABSENT:
            continue
        if dim == "category":
            fields["data"] = (value,)
        elif dim == "period":
            fields["days"], fields["until"] = value
        else:
            fields[dim] = value
    return Action.model_construct(**fields)


def points(kind: str, sides: tuple[CompiledPolicy, CompiledPolicy]) -> Iterator[Point]:
    """Every distinguishable action of this kind, decided by both sides."""
    rules = rules_for(kind, sides)
    vocabs = (sides[0].vocabulary, sides[1].vocabulary)
    dims = DIMENSIONS[kind]
    required = ("category",) if kind in DATA_ACTIONS else ("right",) if kind == "exercise" else ()
    classes = [_classes(dim, rules, vocabs, required) for dim in dims]
    full = (1 << len(rules)) - 1
    seen: set[tuple[int, int]] = set()

    def walk(depth: int, mask: int, chosen: tuple[object, ...]) -> Iterator[tuple[int, tuple]]:
        if depth == len(dims):
            yield mask, chosen
            return
        for dim_mask, value in classes[depth]:
            combined = mask & dim_mask
            if (depth, combined) in seen:
                continue
            seen.add((depth, combined))
            yield from walk(depth + 1, combined, chosen + (value,))

    thresholds = _thresholds(rules)
    # what decides every action and is no clause: the scope and the effective date
    policy_wide = sides[0].covers != sides[1].covers or sides[0].effective != sides[1].effective
    effective = [side.effective for side in sides if side.effective is not None]
    if effective:  # a policy's effective date decides every dated action
        thresholds["date"] = sorted(set(thresholds.get("date", [])) | {
            day for value in effective for day in _days_around(date.fromisoformat(value))})
    # each rule's decisive content as a small int, so leaves compare cheaply
    interned: dict[tuple[object, ...], int] = {}
    key_ids = [interned.setdefault(_semantic_key(rule), len(interned)) for rule in rules]
    old_side = sum(1 << bit for bit, rule in enumerate(rules) if rule.side == 0)
    for mask, values in walk(0, full, ()):
        matched = Matched(rules, key_ids, mask, old_side)
        if matched.same_on_both_sides and not policy_wide:
            continue  # the same clauses decide on both sides: the same decisions
        guards, private = matched.shared_prohibitions()
        facts = [f for f in _facts_of(rules, mask) if f not in private]
        if effective and "date" not in facts:
            facts.append("date")
        if len(facts) > MAX_FACTS:
            raise _too_many_facts(kind, facts, rules, mask)
        unblock = _Unblocker(guards, private, facts, _fact_values(private, thresholds, vocabs))
        base = _action(kind, dims, values, {})
        for combo in itertools.product(*_fact_values(facts, thresholds, vocabs)):
            context = unblock({f: v for f, v in zip(facts, combo) if v is not ABSENT})
            if context is None:
                continue  # a prohibition both sides share forbids it: both deny
            action = base.model_copy(update={"context": context})
            yield Point(action, decide(sides[0], action, explain_denials=False),
                        decide(sides[1], action, explain_denials=False))


def _too_many_facts(kind: str, facts: list[str], rules: list[Rule], mask: int) -> UsageError:
    clauses = sorted({rules[b].item.clause.id for b in _bits(mask)
                      if set(facts) & set(m.condition_facts(rules[b].item.condition_node))})
    return UsageError.single(
        "diff-too-large", f"{kind} actions here depend on {len(facts)} facts at once "
        f"({', '.join(facts)}); an exact diff decides every combination of them, "
        f"3^{len(facts)}, and stops past {MAX_FACTS}",
        help="split the conditions of " + ", ".join(f"`{c}`" for c in clauses[:5]))


class Matched:
    """The rules one leaf of the walk matches, by side."""

    def __init__(self, rules: list[Rule], key_ids: list[int], mask: int, old_side: int) -> None:
        self.rules, self.key_ids, self.mask = rules, key_ids, mask
        self.sides = (Counter(key_ids[b] for b in _bits(mask & old_side)),
                      Counter(key_ids[b] for b in _bits(mask & ~old_side)))

    @property
    def same_on_both_sides(self) -> bool:
        return self.sides[0] == self.sides[1]

    def shared_prohibitions(self) -> tuple[list[CompiledClause], list[str]]:
        """The prohibitions both sides share here, and the facts only they test.

        Such a prohibition applies on both sides (both deny: never a change) or on
        neither, so its private facts need only one value under which none of them
        applies: any change shows there. That cuts the combinations of facts from
        3^n to the facts the two versions really differ on.
        """
        shared = self.sides[0] & self.sides[1]
        guards: list[CompiledClause] = []
        only: set[str] = set()
        used: set[str] = set()
        for bit in _bits(self.mask):
            rule = self.rules[bit]
            item = rule.item
            mentioned = set(m.condition_facts(item.condition_node)) | \
                set(m.condition_facts(item.exception_node))
            if rule.role == "prohibition" and self.key_ids[bit] in shared:
                if rule.side == 0:
                    guards.append(item)
                only |= mentioned
            else:
                used |= mentioned
                if rule.role == "notice":
                    used.add("notice_given")
                if rule.role == "security" and item.encrypts:
                    used.add("encrypted")
        return guards, sorted(only - used)


class _Unblocker:
    """`context` plus values of the private facts under which no shared prohibition applies.

    Whether one applies depends only on the facts the shared prohibitions test, so
    the answer is worked out once for each combination of the public ones among
    them, not once for each combination of all the facts of a leaf (3^n of them,
    each of which would try up to 3^k private values against every prohibition).
    """

    def __init__(self, guards: list[CompiledClause], private: list[str], facts: list[str],
                 private_values: list[list[object]]) -> None:
        self.guards, self.private = guards, private
        tested = {f for item in guards for node in (item.condition_node, item.exception_node)
                  for f in m.condition_facts(node)}
        self.public = [f for f in facts if f in tested]
        self.trials = list(itertools.product(*private_values)) if private else []
        self.memo: dict[tuple[object, ...], dict[str, object] | None] = {}

    def __call__(self, context: dict[str, object]) -> dict[str, object] | None:
        if not self.private:
            return context
        key = tuple(context.get(f, ABSENT) for f in self.public)
        if key not in self.memo:
            self.memo[key] = self._first_unblocked(context)
        found = self.memo[key]
        return None if found is None else dict(context, **found)

    def _first_unblocked(self, context: dict[str, object]) -> dict[str, object] | None:
        for values in self.trials:
            extra = {f: v for f, v in zip(self.private, values) if v is not ABSENT}
            if not any(_applies(item, dict(context, **extra)) for item in self.guards):
                return extra
        return None


def _applies(item: CompiledClause, context: dict[str, object]) -> bool:
    """Whether a prohibition applies under these facts (as evaluate.py decides it)."""
    if (item.condition(context) if item.condition else True) is not True:
        return False
    return not (item.exception is not None and item.exception(context) is True)


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _semantic_key(rule: Rule) -> tuple[object, ...]:
    """What a rule decides with: everything of its clause but its id, prose and place.

    Nested nodes compare and hash without their spans (model.Node), so moving a
    clause to another line changes nothing here.
    """
    if rule.role == "scope":  # the sources covered are all a scope decides with
        return (rule.role, rule.item.dims)
    clause = rule.item.clause
    return (rule.role, type(clause)) + tuple(
        getattr(clause, name) for name in type(clause).model_fields
        if name not in ("id", "text", "span"))
