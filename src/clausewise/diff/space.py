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
3. walk the product of these classes depth-first, intersecting masks, pruning a
   branch whose partial mask was already seen at that depth (its leaves repeat) or
   that no changed rule reaches (the same rules decide there on both sides);
4. at each leaf, decide a representative action with both versions for each
   outcome of the tests of the matched rules (booleans: true, false, missing;
   numbers and dates: each threshold and its neighbours, and missing). Facts that
   no test joins are tried apart, and kept one per outcome; a leaf's contexts are
   decided only where a rule behaves differently on the two sides (its cause), and
   not where a prohibition both sides share applies (both deny alike).

Actions with several data categories need no enumeration: a decision is the
conjunction of per-category decisions, so any change shows on one category.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta
from collections.abc import Callable, Iterator
from functools import lru_cache
from dataclasses import dataclass

from .. import model as m
from ..engine.action import DATA_ACTIONS, OUR_OWN_UNLESS_SAID, Action
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
    cause: tuple[str, ...] = ()  # the clauses that behave differently here ("header": scope)


def required_dims(kind: str) -> tuple[str, ...]:
    """The dimensions every valid action of `kind` gives (so "absent" is no value of
    them): its data, the right exercised, and the recipient of a use or keeping (one
    that names none is our own, first_party)."""
    required = ("category",) if kind in DATA_ACTIONS else ("right",) if kind == "exercise" else ()
    return required + (("recipient",) if kind in OUR_OWN_UNLESS_SAID else ())


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
            required: tuple[str, ...], changed: int = -1) -> list[object]:
    """Every value a dimension can take, mentioned terms first (they make better witnesses).

    A dimension in `required` must be given for a valid action, so "absent" is left out.
    """
    if dim == "period":
        days = {0}
        for rule in rules:
            clause = rule.item.clause
            period = clause.period if isinstance(clause, m.Retention) else \
                getattr(clause, "beyond", None)
            if period is not None and period.days is not None:
                days |= {period.days, period.days + 1}
        events = sorted(set(vocabs[0].terms[m.Vocab.event]) | set(vocabs[1].terms[m.Vocab.event]))
        after = any(isinstance(r.item.clause, m.Retention) and r.item.clause.period.until
                    and r.item.clause.period.days is not None for r in rules)
        both = [(d, e) for d in sorted(days) if d for e in events] if after else []
        return [(None, None), *((d, None) for d in sorted(days)), *((None, e) for e in events),
                *both]
    vocab = m.Vocab.category if dim == "category" else VOCAB_OF_FIELD[dim]
    keys = set(vocabs[0].terms[vocab]) | set(vocabs[1].terms[vocab])
    mentioned: dict[str, None] = {}
    ordered = [r for b, r in enumerate(rules) if changed >> b & 1] + \
        [r for b, r in enumerate(rules) if not changed >> b & 1]
    for rule in ordered:  # the changed clauses' own terms first
        clause = rule.item.clause
        attr = "data" if dim == "category" else m.DIMENSION[dim].attr
        for key in getattr(clause, attr, ()) or ():
            mentioned.setdefault(key, None)
    if dim == "recipient" and dim in required and "first_party" in keys:
        # what an action that names no recipient is (our own use or keeping): the
        # witness says it as the person who wrote the action would, with no recipient
        mentioned = {"first_party": None, **mentioned}
    rest = sorted(keys - set(mentioned), key=lambda k: (k.count("."), k))
    return [ABSENT, *mentioned, *rest] if dim not in required else [*mentioned, *rest]


def _classes(dim: str, rules: list[Rule], vocabs: tuple[Vocabulary, Vocabulary],
             required: tuple[str, ...], changed: int = -1) -> list[tuple[int, object]]:
    """One (mask, representative) per group of values that match the same rules; the
    representative is a term a changed clause names, where one is in the group."""
    seen: dict[int, object] = {}
    values = _values(dim, rules, vocabs, required, changed)
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


def _facts_of(rules: list[Rule], mask: int | list[int],
              known: list[dict[str, None]] | None = None) -> list[str]:
    """The facts the rules of `mask` (a bitmask, or its bits) read (`known`: each rule's,
    worked out before)."""
    facts: dict[str, None] = {}
    for bit in (_bits(mask) if isinstance(mask, int) else mask):  # the matched rules, in order
        facts.update(known[bit] if known is not None else _rule_facts(rules[bit]))
    return list(facts)


def _rule_facts(rule: Rule) -> dict[str, None]:
    """The facts one rule reads: its conditions', and what the engine reads for it."""
    item = rule.item
    found: dict[str, None] = {}
    for node in (item.condition_node, item.exception_node):
        for fact in m.condition_facts(node):
            found.setdefault(fact, None)
    if rule.role == "notice":
        found.setdefault("notice_given", None)
    if rule.role == "security" and item.encrypts:
        found.setdefault("encrypted", None)
    return found


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
    """Every distinguishable action of this kind that the two sides may decide apart,
    decided by both sides, with the clauses that cause the difference."""
    rules = rules_for(kind, sides)
    vocabs = (sides[0].vocabulary, sides[1].vocabulary)
    dims = DIMENSIONS[kind]
    required = required_dims(kind)
    # each rule's decisive content as a small int, so leaves compare cheaply
    interned: dict[tuple[object, ...], int] = {}
    key_ids = [interned.setdefault(_semantic_key(rule), len(interned)) for rule in rules]
    shapes: dict[tuple[object, ...], int] = {}
    shape_ids = [shapes.setdefault(_shape_key(rule), len(shapes)) for rule in rules]
    # what decides every action and is no clause: the scope and the effective date
    policy_wide = sides[0].covers != sides[1].covers or sides[0].effective != sides[1].effective
    changed = _changed_bits(rules, key_ids, vocabs, kind) if not policy_wide else -1
    if not changed:
        return  # the same rules on both sides, over the same hierarchy: the same decisions
    classes = [_classes(dim, rules, vocabs, required, changed) for dim in dims]
    full = (1 << len(rules)) - 1
    seen: set[tuple[int, int]] = set()

    def walk(depth: int, mask: int, chosen: tuple[object, ...]) -> Iterator[tuple[int, tuple]]:
        if depth == len(dims):
            yield mask, chosen
            return
        for dim_mask, value in classes[depth]:
            combined = mask & dim_mask
            if (depth, combined) in seen or not combined & changed:
                continue  # a branch seen before, or one no changed rule reaches
            seen.add((depth, combined))
            yield from walk(depth + 1, combined, chosen + (value,))

    thresholds = _thresholds(rules)
    effective = [side.effective for side in sides if side.effective is not None]
    if effective:  # a policy's effective date decides every dated action
        thresholds["date"] = sorted(set(thresholds.get("date", [])) | {
            day for value in effective for day in _days_around(date.fromisoformat(value))})
    old_side = sum(1 << bit for bit, rule in enumerate(rules) if rule.side == 0)
    tests = [_tests(rule.item) for rule in rules]
    rule_facts = [_rule_facts(rule) for rule in rules]
    situations = _Situations(thresholds, vocabs)
    guard_checks: dict[int, tuple[Test, tuple[str, ...]]] = {}  # per prohibition, made once
    for mask, values in walk(0, full, ()):
        bits = list(_bits(mask))
        matched = Matched(rules, key_ids, mask, old_side, rule_facts, bits)
        if matched.same_on_both_sides and not policy_wide:
            continue  # the same clauses decide on both sides: the same decisions
        guards, private = matched.shared_prohibitions()
        facts = _facts_of(rules, bits, rule_facts)
        if len(facts) - len(private) > MAX_FACTS:
            raise _too_many_facts(kind, [f for f in facts if f not in private], rules, mask)
        if effective and "date" not in facts:
            facts.append("date")
        # a prohibition both sides share that applies makes both deny alike, unless a
        # prohibition here carries remedies (a denial's remedies may then differ)
        remedied = any(rules[b].role == "prohibition" and rules[b].item.clause.obligations
                       for b in bits)
        shared = [] if remedied else guards
        if any(item.condition is None and item.exception is None for item in shared):
            continue  # an unconditional prohibition both sides share: both deny
        base = _action(kind, dims, values, {})
        # only the rules not on both sides alike here can behave differently
        odd = {k for k in matched.sides[0] | matched.sides[1]
               if matched.sides[0][k] != matched.sides[1][k]}
        probes = [(bit, rules[bit].side, shape_ids[bit], tests[bit]) for bit in bits
                  if key_ids[bit] in odd]
        probed = {f for _, _, _, rule_tests in probes for _, names in rule_tests for f in names}
        # a shared prohibition's tests only say whether it applies (then both deny alike)
        guarded = {id(item) for item in shared}
        twins = {key_ids[b] for b in bits if rules[b].role == "prohibition"
                 and id(rules[b].item) in guarded}
        plain = [tests[b] for b in bits if not (rules[b].role == "prohibition"
                                                 and key_ids[b] in twins)]
        checks = [guard_checks.setdefault(id(item), (_guard(item), tuple(
            f for t in _tests(item) for f in t[1]))) for item in shared]
        groups = situations.groups(facts, plain, checks)
        options = [situations.outcomes(*g) for g in groups]
        if any(not option for option in options):
            continue  # a shared prohibition applies whatever the facts: both deny
        telling = [o for g, o in zip(groups, options) if probed & set(g[0])]
        rest = [o for g, o in zip(groups, options) if not probed & set(g[0])]
        for combo in itertools.product(*telling):
            told = _merged(combo)
            cause = _cause(probes, told, rules)
            if cause is None and not policy_wide:
                continue  # every rule behaves alike on both sides here
            for others in itertools.product(*rest):
                context = _merged(others, told)
                action = base.model_copy(update={"context": context})
                yield Point(action, decide(sides[0], action, explain_denials=False),
                            decide(sides[1], action, explain_denials=False), cause or ())


def _guard(item: CompiledClause) -> Test:
    return lambda context: _applies(item, context)


def _merged(parts, first: dict[str, object] | None = None) -> dict[str, object]:
    context = dict(first) if first else {}
    for part in parts:
        context.update(part)
    return context


#: facts the engine reads itself, not only through conditions
_READ_DIRECTLY = ("notice_given", "encrypted", "date")
Test = Callable[[dict[str, object]], object]


def _tests(item: CompiledClause) -> tuple[tuple[Test, tuple[str, ...]], ...]:
    """A rule's tests of the facts: its condition, its exception, and what the engine
    reads itself (a notice's `notice_given`, an encryption's `encrypted`)."""
    if isinstance(item.clause, m.Prohibition):  # all a prohibition does is apply, or not
        facts = tuple(dict.fromkeys((*m.condition_facts(item.condition_node),
                                     *m.condition_facts(item.exception_node))))
        return ((_guard(item), facts),)
    found: list[tuple[Test, tuple[str, ...]]] = []
    for node, compiled in ((item.condition_node, item.condition),
                           (item.exception_node, item.exception)):
        if compiled is not None:
            found.append((compiled, m.condition_facts(node)))
        else:
            found.append((_constant, ()))
    return tuple(found)


def _constant(_context: dict[str, object]) -> object:
    return True


def _cause(probes, context: dict[str, object], rules: list[Rule]) -> tuple[str, ...] | None:
    """The clauses that behave differently on the two sides under `context`, or None.

    A rule behaves by its shape (everything but its conditions) and what its
    conditions say here; the sides decide alike when they hold the same behaviours.
    A prohibition that does not apply (its trigger not known to hold, or its
    exception known to) does nothing a decision reports, as if it were not there.
    """
    behaviour: tuple[Counter, Counter] = (Counter(), Counter())
    who: dict[tuple[int, tuple[object, ...]], list[int]] = {}
    for bit, side, shape, tests in probes:
        if rules[bit].role == "prohibition":
            if not _applies(rules[bit].item, context):
                continue
            key: tuple[object, ...] = (shape, "applies")
        else:
            key = (shape, tuple(test(context) for test, _ in tests))
        behaviour[side][key] += 1
        who.setdefault((side, key), []).append(bit)
    if behaviour[0] == behaviour[1]:
        return None
    ids: dict[str, None] = {}
    for side in (0, 1):
        for key in behaviour[side] - behaviour[1 - side]:
            for bit in who[(side, key)]:
                clause = rules[bit].item.clause
                ids.setdefault(author_id(getattr(clause, "id", "header"))
                               if rules[bit].role != "scope" else "header", None)
    return tuple(ids)


def author_id(rule_id: str) -> str:
    """The clause an author wrote that a rule comes from: a rule derived from a choice,
    a right's effect or a passed duty carries the clause's id and a dotted suffix; the
    header's Do Not Track answer is the header's."""
    from ..lowering import DNT_ID

    if rule_id == DNT_ID:
        return "header"
    return rule_id.split(".", 1)[0]


class _Situations:
    """The contexts worth deciding at a leaf: one per distinct outcome of its tests.

    The engine reads facts only through the tests of the matched rules (and reads
    `notice_given`, `encrypted` and `date` itself), so two contexts on which every
    test says the same are decided alike. Facts fall into groups that no test
    joins; each group's values are tried alone and kept one per outcome (the one
    with the fewest facts given), and the leaf's contexts are the product of these
    few, not of every fact's values.
    """

    def __init__(self, thresholds: dict[str, list[int]],
                 vocabs: tuple[Vocabulary, Vocabulary]) -> None:
        self.thresholds, self.vocabs = thresholds, vocabs
        self.memo: dict[tuple[object, ...], list[dict[str, object]]] = {}

    def groups(self, facts: list[str], tests: list, guards: list | None = None
               ) -> list[tuple[tuple[str, ...], tuple, tuple]]:
        """The facts in groups no test joins, each with its tests and the checks of
        whether a shared prohibition applies (`guards`: (check, facts) pairs)."""
        parent = {f: f for f in facts}

        def root(f: str) -> str:
            while parent[f] != f:
                parent[f] = parent[parent[f]]
                f = parent[f]
            return f
        flat = [(test, tuple(f for f in names if f in parent))
                for rule_tests in tests for test, names in rule_tests]
        checks = [(check, tuple(f for f in names if f in parent)) for check, names in guards or ()]
        for _test, names in (*flat, *checks):
            for other in names[1:]:
                parent[root(other)] = root(names[0])
        members: dict[str, list[str]] = {}
        for f in facts:
            members.setdefault(root(f), []).append(f)
        tests_of: dict[str, list] = {}
        checks_of: dict[str, list] = {}
        for test, used in flat:
            if used:
                tests_of.setdefault(root(used[0]), []).append(test)
        for check, used in checks:
            if used:
                checks_of.setdefault(root(used[0]), []).append(check)
        groups = []
        for top, names in members.items():
            direct = tuple(_reader(f) for f in names if f in _READ_DIRECTLY)
            groups.append((tuple(names), tuple(tests_of.get(top, ())) + direct,
                           tuple(checks_of.get(top, ()))))
        return groups

    def outcomes(self, facts: tuple[str, ...], tests: tuple,
                 checks: tuple = ()) -> list[dict[str, object]]:
        """One context of the group's facts per outcome of its tests, leaving out those
        under which a shared prohibition applies (both sides deny them alike)."""
        key = (facts, tests, checks)
        found = self.memo.get(key)
        if found is None:
            best: dict[tuple[object, ...], dict[str, object]] = {}
            for combo in itertools.product(*_fact_values(list(facts), self.thresholds,
                                                         self.vocabs)):
                context = {f: v for f, v in zip(facts, combo) if v is not ABSENT}
                if any(check(context) for check in checks):
                    continue
                outcome = tuple(test(context) for test in tests)
                if outcome not in best or len(context) < len(best[outcome]):
                    best[outcome] = context
            found = self.memo[key] = list(best.values())
        return found


@lru_cache(maxsize=None)
def _reader(fact: str) -> Test:
    return lambda context: context.get(fact, ABSENT)


def _changed_bits(rules: list[Rule], key_ids: list[int],
                  vocabs: tuple[Vocabulary, Vocabulary], kind: str) -> int:
    """The rules that may decide differently: those whose content is not on both sides
    as often. A rule on both sides matches the same actions on both, unless the two
    versions place terms differently (then every rule counts as changed)."""
    if _hierarchies_differ(vocabs):
        return (1 << len(rules)) - 1
    counts: tuple[Counter, Counter] = (Counter(), Counter())
    for bit, rule in enumerate(rules):
        counts[rule.side][key_ids[bit]] += 1
    changed = 0
    for bit, rule in enumerate(rules):
        if counts[0][key_ids[bit]] != counts[1][key_ids[bit]]:
            changed |= 1 << bit
    return changed


def _hierarchies_differ(vocabs: tuple[Vocabulary, Vocabulary]) -> bool:
    cached = getattr(vocabs[1], "_diff_parents_differ", None)
    if cached is not None and cached[0] is vocabs[0]:
        return cached[1]
    differ = False
    for vocab, table in vocabs[0].terms.items():
        other = vocabs[1].terms[vocab]
        if table is other:
            continue
        if table.keys() != other.keys() or any(
                term.parent != other[key].parent for key, term in table.items()):
            differ = True
            break
    vocabs[1]._diff_parents_differ = (vocabs[0], differ)  # type: ignore[attr-defined]
    return differ


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

    def __init__(self, rules: list[Rule], key_ids: list[int], mask: int, old_side: int,
                 known: list[dict[str, None]] | None = None,
                 bits: list[int] | None = None) -> None:
        self.rules, self.key_ids, self.mask, self.known = rules, key_ids, mask, known
        self.bits = bits if bits is not None else list(_bits(mask))
        self.sides: tuple[Counter, Counter] = (Counter(), Counter())
        for bit in self.bits:
            self.sides[rules[bit].side][key_ids[bit]] += 1

    @property
    def same_on_both_sides(self) -> bool:
        return self.sides[0] == self.sides[1]

    def shared_prohibitions(self) -> tuple[list[CompiledClause], list[str]]:
        """The prohibitions both sides share here, and the facts only they test.

        Such a prohibition applies on both sides (both deny: never a change) or on
        neither, so the contexts under which it applies need no deciding, and its
        private facts do not count towards MAX_FACTS.
        """
        shared = self.sides[0] & self.sides[1]
        guards: list[CompiledClause] = []
        only: set[str] = set()
        used: set[str] = set()
        for bit in self.bits:
            rule = self.rules[bit]
            mentioned = self.known[bit] if self.known is not None else _rule_facts(rule)
            if rule.role == "prohibition" and self.key_ids[bit] in shared:
                if rule.side == 0:
                    guards.append(rule.item)
                only.update(mentioned)
            else:
                used.update(mentioned)
        return guards, sorted(only - used)


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


#: the fields that feed a clause's conditions (see engine/conditions.effective_condition)
CONDITION_FIELDS = ("condition", "exception", "choice", "at_most", "effective", "expires")


def _shape_key(rule: Rule) -> tuple[object, ...]:
    """A rule's content without its conditions: its behaviour is this and their outcomes."""
    if rule.role == "scope":
        return (rule.role, rule.item.dims)
    clause = rule.item.clause
    return (rule.role, type(clause)) + tuple(
        (name, getattr(clause, name)) for name in type(clause).model_fields
        if name not in ("id", "text", "span") and name not in CONDITION_FIELDS)


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
