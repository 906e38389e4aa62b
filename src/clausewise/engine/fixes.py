"""What would allow a denied action: changes tried on the action and checked.

A suggestion is kept only if the action, with its changes applied, is allowed when
decided again: narrow the data (leave out what a prohibition forbids or nothing
permits), give or change a dimension (a share that names no purpose may be for
the prohibited one), or set a fact. Changes are tried one at a time, then two and
three together, and only the smallest sets that work are kept. The search is
bounded, so "nothing found" is said as what was tried, unless no change of the
action can lift the denial (an unconditional prohibition of the data itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from .. import model as m
from .action import DATA_ACTIONS, Action
from .compile import VOCAB_OF_FIELD, CompiledClause, CompiledPolicy
from .decision import Decision
from .evaluate import _escapes, _missed

#: at most this many suggestions are made, of at most this many changes each
MAX_SUGGESTIONS = 3
MAX_CHANGES = 3
#: at most this many re-decisions are tried per denial
MAX_TRIALS = 600
_VALUES_PER_FIELD = 3
_NOUN = {"collect": "collection", "share": "share", "sell": "sale", "retain": "retention",
         "use": "use", "notify": "notice", "exercise": "request"}


@dataclass(frozen=True, slots=True)
class Change:
    """One change of an action: `field` is `data`, a dimension or `context.FACT`."""

    change: str          # "narrow" (the data), "give" / "change" (a dimension), "set" (a
    #                      fact), "match" (every dimension a permission needs, at once)
    field: str
    value: Any           # the new data tuple, the term, the fact's value; for "match",
    #                      ((field, term), ...)
    text: str            # in the developer's words

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for f, _ in self.value) if self.change == "match" else (self.field,)


@dataclass(frozen=True, slots=True)
class Suggestion:
    changes: tuple[Change, ...]

    @property
    def text(self) -> str:
        return "; and ".join(change.text for change in self.changes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Suggestion) and self.changes == other.changes


@dataclass(frozen=True, slots=True)
class Fixes:
    """The checked suggestions for a denial, or why there are none."""

    suggestions: tuple[Suggestion, ...]
    none_because: str | None = None


def fixes(decision: Decision) -> Fixes:
    """The changes that allow a denied action (memoised on the decision's basis)."""
    basis = decision.basis
    if decision.allowed or basis is None:
        return Fixes(())
    found = basis.memo.get("fixes")
    if found is None:
        found = basis.memo["fixes"] = _search(basis.policy, basis.action, decision)
    return found


def _search(policy: CompiledPolicy, action: Action, decision: Decision) -> Fixes:
    from .plan import decide_lean

    atoms = _atoms(policy, action, decision)
    combos = [combo for size in range(1, MAX_CHANGES + 1)
              for combo in combinations(atoms, size)]
    combos.sort(key=lambda combo: sum(len(change.fields) for change in combo))  # stable
    found: list[tuple[Change, ...]] = []
    trials = 0
    cost = None
    for combo in combos:
        fields = [f for change in combo for f in change.fields]
        if cost is not None and len(fields) > cost:
            break  # only the cheapest sets that work
        if len(set(fields)) < len(fields):
            continue  # two changes of one field
        if any(set(done) <= set(combo) for done in found):
            continue
        changed = apply(action, combo)
        if changed is None:
            continue
        trials += 1
        if decide_lean(policy, changed, keep_basis=False).allowed:
            found.append(combo)
            cost = len(fields)
        if trials >= MAX_TRIALS:
            break
    if found:
        return Fixes(_chosen(found))
    return Fixes((), _why_none(policy, action, decision))


_RANK = {"narrow": 0, "set": 1, "give": 2, "change": 3, "match": 3}


def _chosen(found: list[tuple[Change, ...]]) -> tuple[Suggestion, ...]:
    """The simplest of the working sets, one per set of fields changed first."""
    ranked = sorted(enumerate(found), key=lambda pair: (
        sum(_RANK[c.change] for c in pair[1]), pair[0]))
    chosen: list[tuple[Change, ...]] = []
    fields: set[frozenset[str]] = set()
    for _, combo in ranked:  # first, different kinds of change
        signature = frozenset(c.field for c in combo)
        if signature not in fields:
            fields.add(signature)
            chosen.append(combo)
    for _, combo in ranked:  # then other values of the same ones
        if combo not in chosen:
            chosen.append(combo)
    return tuple(Suggestion(combo) for combo in chosen[:MAX_SUGGESTIONS])


def apply(action: Action, changes: tuple[Change, ...]) -> Action | None:
    """The action with `changes` made (None: they leave a data action with no data)."""
    update: dict[str, Any] = {}
    context = dict(action.context)
    for change in changes:
        if change.change == "match":
            update.update(change.value)
        elif change.field.startswith("context."):
            context[change.field.removeprefix("context.")] = change.value
        else:
            update[change.field] = change.value
    if "data" in update and not update["data"] and action.action in DATA_ACTIONS:
        return None
    update["context"] = context
    return action.model_copy(update=update)


# ------------------------------------------------------------ the changes tried


def _atoms(policy: CompiledPolicy, action: Action, decision: Decision) -> list[Change]:
    """Every single change worth trying for this denial, data first, then dimensions, facts."""
    kind = action.action
    vocabulary = policy.vocabulary
    ancestors = vocabulary.ancestors
    terms = {field: ancestors(vocab, value) if (value := getattr(action, field)) is not None
             else None for field, vocab in VOCAB_OF_FIELD.items()}
    blocking = {r.clause for r in decision.rulings if r.clause is not None}
    uncovered = [item for r in decision.rulings if r.role in ("no-clause", "unmet")
                 for item in r.data]
    changes: list[Change] = []
    facts: dict[str, set[str]] = {}  # fact -> the blocking clauses that test it

    # the prohibitions that apply: narrow the data, or give a dimension that escapes them
    prohibitions = [item for category in (action.data or (None,))
                    for item in policy.prohibition_candidates(kind, category)
                    if item.clause.id in blocking]
    prohibitions = list({item.clause.id: item for item in prohibitions}.values())
    for item in prohibitions:
        changes += _narrowed(policy, action, item)
        changes += _escaping(policy, action, item, terms)
        for fact in m.condition_facts(item.exception_node):
            facts.setdefault(fact, set()).add(item.clause.id)
    # data nothing permits: leave it out
    for category in dict.fromkeys(uncovered):
        if category is not None and len(action.data) > 1:
            covered = any(r.role == "unmet" and category in r.data for r in decision.rulings)
            rest = tuple(c for c in action.data if c != category)
            if not rest:
                continue
            why = "whose permission's condition does not hold" if covered else \
                "which no clause permits for this action"
            changes.append(Change("narrow", "data", rest, f"leave out `{category}`, {why}"))
    # the permissions that could cover the uncovered data: their dimensions and facts
    for category in dict.fromkeys(uncovered):
        for item in _closest(policy, kind, category, action, terms):
            missed = [f for f in _missed(item, action, terms, ancestors)
                      if f not in ("period", "days")]
            if len(missed) > 1:  # every dimension it needs, as one change
                pairs = tuple((f, sorted(next(a for g, _v, a in item.dims if g == f))[0])
                              for f in missed)
                said = ", ".join(f"{f} `{v}`" for f, v in pairs)
                changes.append(Change("match", "+".join(missed), pairs,
                                      f"give {said} (as `{item.clause.id}` permits)"))
            for field in _missed(item, action, terms, ancestors):
                if field == "period":
                    changes += _periods(item)
                    continue
                if field == "days":  # a right answered later than it promises
                    promised = item.clause.timing.days  # type: ignore[union-attr]
                    changes.append(Change("change", "days", promised,
                                          f"answer within {promised} days "
                                          f"(`{item.clause.id}` promises that)"))
                    continue
                allowed = next(a for f, _v, a in item.dims if f == field)
                for value in sorted(allowed)[:_VALUES_PER_FIELD]:
                    verb = "change" if terms[field] is not None else "give"
                    changes.append(Change(verb, field, value, f"{verb} the {field} to "
                                          f"`{value}` (`{item.clause.id}` permits that)"
                                          if verb == "change" else f"give a {field}: "
                                          f"`{value}` (`{item.clause.id}` permits that)"))
            for fact in m.condition_facts(item.condition_node):
                facts.setdefault(fact, set()).add(item.clause.id)
    for ruling in decision.rulings:
        if ruling.role == "requires":
            for fact in ruling.facts:
                facts.setdefault(fact, set()).add(ruling.clause or "")
    if any(r.role == "outside" and "source" in r.dimensions for r in decision.rulings):
        changes += [Change("change", "source", source, f"change the source to `{source}` "
                           "(the policy covers it)") for source in sorted(policy.covers)]
    changes += _fact_changes(policy, action, facts)
    unique: dict[tuple[str, str, Any], Change] = {}
    for change in changes:  # one change, said with the first reason found for it
        unique.setdefault((change.change, change.field, change.value), change)
    return list(unique.values())


def _narrowed(policy: CompiledPolicy, action: Action, item: CompiledClause) -> list[Change]:
    """Leave out what a prohibition forbids: drop an item it covers, or split one above it."""
    if item.data is None:
        return []
    vocabulary = policy.vocabulary
    clause = item.clause.id
    out: list[str] = []
    left_out: list[str] = []
    for category in action.data:
        above = vocabulary.ancestors(m.Vocab.category, category)
        if not item.data.isdisjoint(above):  # the item is forbidden data itself
            left_out.append(category)
            continue
        below = [key for key in sorted(item.data)
                 if category in vocabulary.ancestors(m.Vocab.category, key)]
        if not below:
            out.append(category)
            continue
        parts = [category]
        for key in below:  # split each part that holds `key` into its other children
            path = vocabulary.ancestors(m.Vocab.category, key)
            parts = [p for part in parts for p in _without(vocabulary, part, key, path)]
        out += parts
        left_out += below
    if not left_out or not out:
        return []
    names = ", ".join(f"`{key}`" for key in dict.fromkeys(left_out))
    return [Change("narrow", "data", tuple(dict.fromkeys(out)),
                   f"leave out {names}, which `{clause}` forbids")]


def _without(vocabulary, part: str, key: str, path: tuple[str, ...]) -> list[str]:
    """`part` less the branch of `key` under it: the siblings along the way down."""
    if part not in path:
        return [part]
    if part == key:
        return []
    below = path[path.index(part) - 1]
    out = []
    for child in vocabulary.children(m.Vocab.category, part):
        out += _without(vocabulary, child, key, path) if child == below else [child]
    return out


def _escaping(policy: CompiledPolicy, action: Action, item: CompiledClause,
              terms: dict) -> list[Change]:
    """Give a dimension a prohibition names a term outside it (or in its exception)."""
    vocabulary = policy.vocabulary
    ancestors = vocabulary.ancestors
    changes = []
    kind = action.action
    for field, vocab, allowed in item.dims + item.exempt:
        if kind not in m.DIMENSION[field].actions:
            continue
        exempt = (field, vocab, allowed) in item.exempt
        options = sorted(allowed) if exempt else _outside_of(policy, action, field, vocab,
                                                              allowed)
        for value in options[:_VALUES_PER_FIELD]:
            probe = {**terms, field: ancestors(vocab, value)}
            if not exempt and _escapes(item, probe, ancestors) is None:
                continue
            what = " or ".join(sorted(allowed))
            stated = terms[field] is not None
            verb = "change" if stated else "give"
            why = f"`{item.clause.id}` forbids it for {field} {what}" if stated else \
                f"`{item.clause.id}` forbids a {_NOUN.get(kind, kind)} that may " \
                f"be for {what}" if field == "purpose" else \
                f"`{item.clause.id}` forbids it when the {field} may be {what}"
            if exempt:
                why = f"`{item.clause.id}` makes an exception for {field} {what}"
            changes.append(Change(verb, field, value,
                                  f"{verb} a {field}, e.g. `{value}`: {why}" if not stated
                                  else f"change the {field} to `{value}`: {why}"))
    return changes


def _outside_of(policy: CompiledPolicy, action: Action, field: str, vocab: m.Vocab,
                allowed: frozenset[str]) -> list[str]:
    """Terms of `field` that a permission for the action's data admits and that lie
    outside `allowed`; failing those, the vocabulary's top terms outside it."""
    ancestors = policy.vocabulary.ancestors
    found: list[str] = []
    for category in action.data or (None,):
        for item in policy.permit_candidates(action.action, category):
            for name, _vocab, keys in item.dims:
                if name == field and keys:
                    found += sorted(keys)
    if not found:
        found = list(policy.vocabulary.children(vocab, None))
    return [value for value in dict.fromkeys(found)
            if allowed.isdisjoint(ancestors(vocab, value))
            and not any(value in ancestors(vocab, key) for key in allowed)]


def _closest(policy: CompiledPolicy, kind: str, category: str | None, action: Action,
             terms: dict) -> list[CompiledClause]:
    """The permissions covering `category` that miss the fewest of the action's dimensions."""
    ancestors = policy.vocabulary.ancestors
    pool = policy.permit_candidates(kind, category)
    scored = sorted(pool, key=lambda item: (sum(1 for _ in _missed(item, action, terms,
                                                                   ancestors)), item.order))
    return scored[:3]


def _periods(item: CompiledClause) -> list[Change]:
    period = item.clause.period  # type: ignore[union-attr]
    if period.until is None:
        return [Change("change", "days", period.days, f"keep it at most {period.days} days "
                       f"(`{item.clause.id}` permits that)")]
    return [Change("change", "until", period.until, f"keep it until `{period.until}` "
                   f"(`{item.clause.id}` permits that)")]


def _fact_changes(policy: CompiledPolicy, action: Action, facts: dict[str, set[str]]
                  ) -> list[Change]:
    """For each fact a blocking clause tests: the values worth setting it to."""
    changes = []
    atoms = [atom for clause in policy.policy.clauses
             for node in (getattr(clause, "condition", None), getattr(clause, "exception", None))
             for atom in m.condition_atoms(node)]
    for fact, clauses in facts.items():
        definition = policy.vocabulary.facts.get(fact)
        if definition is None:
            continue
        current = action.context.get(fact)
        values: list[Any]
        if definition.type is m.FactType.bool:
            values = [True, False]
        elif definition.type is m.FactType.enum:
            values = list(definition.values)
        else:
            constants = [a.value for a in atoms if isinstance(a, m.Comparison) and a.fact == fact]
            values = []
            for constant in constants:
                if isinstance(constant, date):
                    values += [(constant + timedelta(days=d)).isoformat() for d in (-1, 0, 1)]
                elif isinstance(constant, int) and not isinstance(constant, bool):
                    values += [constant - 1, constant, constant + 1]
        names = ", ".join(f"`{c}`" for c in sorted(c for c in clauses if c))
        for value in dict.fromkeys(values):
            if value == current and type(value) is type(current):
                continue
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            verb = "tests" if len(clauses) == 1 else "test"
            changes.append(Change("set", f"context.{fact}", value,
                                  f"set `{fact}` to {shown} ({names} {verb} it)"))
    return changes


def _why_none(policy: CompiledPolicy, action: Action, decision: Decision) -> str:
    """Why no suggestion is made: nothing can lift it, or nothing tried did."""
    for ruling in decision.rulings:
        if ruling.role != "forbids" or ruling.facts:
            continue
        item = next((c for c in policy.prohibitions.get(action.action, ())
                     if c.clause.id == ruling.clause), None)
        if item is None or item.dims or item.exempt or item.data is None:
            continue
        ancestors = policy.vocabulary.ancestors
        if all(not item.data.isdisjoint(ancestors(m.Vocab.category, c)) for c in action.data):
            return f"no change of this action can allow it: `{ruling.clause}` forbids " \
                f"{' and '.join(f'`{c}`' for c in action.data)} without exception"
    if any(r.role == "outside" and "date" in r.facts for r in decision.rulings):
        return "no change of this action can allow it: it is dated before the policy " \
            "takes effect"
    return f"no change of its data, dimensions or facts, up to {MAX_CHANGES} at once, " \
        "allows it"
