"""How clauses interact, decided exactly over the finite action space (CW101-CW105).

The diff's machinery (diff/space.py, diff/masks.py) groups every term of every
dimension by the rules it matches, so walking the product of those groups visits
every distinguishable action of a kind once. Here the rules are one policy's
permissions and prohibitions, and at each leaf every combination of the facts
they test is tried: a permission that holds at no point where no prohibition
applies is dead; one that holds only where another holds too is redundant. Each
finding carries a witness action, decided again with the engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import model as m
from ..diff import space
from ..diff.masks import ABSENT
from ..engine.action import DATA_ACTIONS, parse_action
from ..engine.compile import CompiledClause, CompiledPolicy
from ..engine.evaluate import decide
from ..errors import ActionError
from .codes import Finding, finding

#: the most facts one leaf may depend on before its combinations are not all tried
MAX_FACTS = 9
#: what `_Stats.blocked` calls the policy's scope (`covers`), which no clause id can be
SCOPE = " scope"


@dataclass
class _Stats:
    """What the walk learnt about one permission."""

    points: int = 0                                   # points where its condition holds
    alive: bool = False                               # one of them no prohibition blocks
    #: each prohibition that blocks it: a witness, the unstated dimension it blocks
    #: through (or None), and how good a witness it is
    blocked: dict[str, tuple[dict, str | None, tuple]] = field(default_factory=dict)
    #: the permissions that held at every point this one held (None: not seen yet)
    covered_by: set[str] | None = None
    incomplete: bool = False                          # a leaf had too many facts


def interplay(compiled: CompiledPolicy) -> list[Finding]:
    """CW101-CW104 for every permission; CW105 for identical clauses."""
    stats: dict[str, _Stats] = {}
    for kind in m.ACTION_KINDS:
        if compiled.permits.get(kind):
            _walk_kind(compiled, kind, stats)
    findings, same = _identical(compiled.policy)
    order = {clause.id: n for n, clause in enumerate(compiled.policy.clauses)}
    for clause in compiled.policy.clauses:
        entry = stats.get(clause.id)
        if entry is None or not isinstance(clause, m.Permission):
            continue
        covers = sorted(c for c in entry.covered_by or ()
                        if frozenset((clause.id, c)) not in same
                        and not (clause.id in (stats[c].covered_by or ())  # equivalent:
                                 and order[c] > order[clause.id]))     # report the later
        findings += _findings_of(compiled, clause, entry, covers)
    return findings


# --------------------------------------------------------------------- the walk


def _walk_kind(compiled: CompiledPolicy, kind: str, stats: dict[str, _Stats]) -> None:
    rules = [space.Rule(0, "permit", item) for item in compiled.permits[kind]] + \
        [space.Rule(0, "prohibition", item) for item in compiled.prohibitions.get(kind, ())]
    scoped = compiled.scope is not None and kind in m.DIMENSION["source"].actions
    if scoped:  # the policy's `covers`: an action through another source is outside it
        rules.append(space.Rule(0, "scope", compiled.scope))
    scope_bit = len(rules) - 1 if scoped else None
    vocabs = (compiled.vocabulary, compiled.vocabulary)
    dims = space.DIMENSIONS[kind]
    required = space.required_dims(kind)
    classes = [space._classes(dim, rules, vocabs, required) for dim in dims]
    thresholds = space._thresholds(rules)
    permit_bits = [b for b, r in enumerate(rules) if r.role == "permit"]
    for item in (rules[b].item for b in permit_bits):
        stats.setdefault(item.clause.id, _Stats())
    for mask, values in _leaves(classes, (1 << len(rules)) - 1):
        permits = [rules[b].item for b in permit_bits if mask >> b & 1]
        if not permits:
            continue
        prohibitions = [r.item for b, r in enumerate(rules)
                        if r.role == "prohibition" and mask >> b & 1]
        facts = space._facts_of(rules, mask)
        if len(facts) > MAX_FACTS:
            for item in permits:
                stats[item.clause.id].incomplete = True
            continue
        fact_values = space._fact_values(facts, thresholds, vocabs)
        for combo in itertools.product(*fact_values):
            context = {f: v for f, v in zip(facts, combo) if v is not ABSENT}
            holding = [p for p in permits if p.condition is None or p.condition(context) is True]
            if not holding:
                continue
            applying = [q for q in prohibitions if space._applies(q, context)]
            outside = scope_bit is not None and not mask >> scope_bit & 1
            ids = {p.clause.id for p in holding}
            for item in holding:
                entry = stats[item.clause.id]
                entry.points += 1
                entry.alive = entry.alive or not (applying or outside)
                if outside and SCOPE not in entry.blocked:
                    entry.blocked[SCOPE] = (_example(kind, dims, values, context), None, ())
                others = ids - {item.clause.id}
                entry.covered_by = others if entry.covered_by is None else \
                    entry.covered_by & others
                for q in applying:
                    unstated = _unstated(item, q, dims, values)
                    score = _score(q, dims, values, unstated, compiled)
                    known = entry.blocked.get(q.clause.id)
                    if known is None or score > known[2]:
                        entry.blocked[q.clause.id] = (
                            _example(kind, dims, values, context), unstated, score)


def _leaves(classes: list[list[tuple[int, object]]], full: int
            ) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Every distinct mask of the product of the classes, with one value per dimension
    (the diff's walk: a partial mask already seen at a depth repeats its leaves)."""
    seen: set[tuple[int, int]] = set()

    def walk(depth: int, mask: int, chosen: tuple[object, ...]
             ) -> Iterator[tuple[int, tuple[object, ...]]]:
        if depth == len(classes):
            yield mask, chosen
            return
        for dim_mask, value in classes[depth]:
            combined = mask & dim_mask
            if (depth, combined) in seen:
                continue
            seen.add((depth, combined))
            yield from walk(depth + 1, combined, chosen + (value,))

    yield from walk(0, full, ())


def _unstated(permit: CompiledClause, prohibition: CompiledClause, dims: tuple[str, ...],
              values: tuple[object, ...]) -> str | None:
    """A dimension the prohibition names, the permission does not, and the action leaves out."""
    stated = {name for name, _vocab, _keys in permit.dims}
    for name, _vocab, _keys in prohibition.dims:
        if name not in stated and name in dims and values[dims.index(name)] is ABSENT:
            return name
    return None


def _score(prohibition: CompiledClause, dims: tuple[str, ...], values: tuple[object, ...],
           unstated: str | None, compiled: CompiledPolicy) -> tuple[bool, bool, int]:
    """Better witnesses first: through an unstated dimension, on data the prohibition
    names (not on a category above it), with fewer facts."""
    category = values[0] if dims and dims[0] == "category" else None
    named = category is not None and prohibition.data is not None and not \
        prohibition.data.isdisjoint(compiled.vocabulary.ancestors(m.Vocab.category, category))
    return (unstated is not None, named, -sum(v is not ABSENT for v in values))


def _example(kind: str, dims: tuple[str, ...], values: tuple[object, ...],
             context: dict[str, object]) -> dict[str, Any]:
    """The witness as an action a user can give to `clausewise check`."""
    action: dict[str, Any] = {"action": kind}
    for dim, value in zip(dims, values):
        if value is ABSENT:
            continue
        if dim == "category":
            action["data"] = [value]
        elif dim == "period":
            days, until = value  # type: ignore[misc]
            if days is not None:
                action["days"] = days
            if until is not None:
                action["until"] = until
        else:
            action[dim] = value
    if context:
        action["context"] = dict(context)
    return action


# ----------------------------------------------------------------- the findings


def _findings_of(compiled: CompiledPolicy, clause: m.Permission, entry: _Stats,
                 covers: list[str]) -> list[Finding]:
    out: list[Finding] = []
    if entry.points and not entry.alive and not entry.incomplete:
        blockers = sorted(b for b in entry.blocked if b != SCOPE)
        # a prohibition with a trigger (`if subject_age < 13`) blocks only when it holds
        worth = [b for b in blockers if _worth_saying(compiled.clauses[b])]
        blockers = worth if worth or SCOPE in entry.blocked else blockers
        names = ([f"the policy's scope (`covers {', '.join(sorted(compiled.covers))}`)"]
                 if SCOPE in entry.blocked else []) + [f"`{b}`" for b in blockers]
        example = entry.blocked[SCOPE if SCOPE in entry.blocked else blockers[0]][0]
        header = compiled.policy.header
        out.append(finding(
            "CW102", f"{clause.kind} `{clause.id}` never allows anything: "
            f"{' and '.join(names)} forbid{'s' if len(names) == 1 else ''} every action it "
            "allows", clause.span, clause=clause.id,
            example=_decided(compiled, example, blockers[0] if blockers else None),
            related=((("policy scope", header.span),) if SCOPE in entry.blocked and header
                     else ()) + tuple((f"{compiled.clauses[b].kind} `{b}`",
                                       compiled.clauses[b].span) for b in blockers)))
    for blocker, (example, unstated, _score) in sorted(entry.blocked.items()):
        if blocker == SCOPE:
            continue
        other = compiled.clauses[blocker]
        if not isinstance(other, m.Prohibition):
            continue  # the person's own choice (an opt-out) blocks by design
        if unstated is not None:
            words = m.DIMENSION[unstated].keywords[0]
            out.append(finding(
                "CW103", f"{clause.kind} `{clause.id}` states no {unstated}, so prohibition "
                f"`{blocker}` (`{words} {', '.join(other.terms_of(unstated))}`) blocks its "
                f"actions that name none", clause.span, clause=clause.id,
                fix=f"state the {unstated} of `{clause.id}` (`{words} ...`), so its "
                f"actions give it", example=_decided(compiled, example, blocker),
                related=((f"prohibition `{blocker}`", other.span),)))
        elif entry.alive and _worth_saying(other):
            out.append(finding(
                "CW101", f"{clause.kind} `{clause.id}` and prohibition `{blocker}` overlap: "
                "the prohibition forbids some of the actions it allows", clause.span,
                clause=clause.id, example=_decided(compiled, example, blocker),
                related=((f"prohibition `{blocker}`", other.span),)))
    if entry.alive:
        duties = set(getattr(clause, "obligations", ()))
        for cover in covers:
            other = compiled.clauses[cover]
            if duties <= set(getattr(other, "obligations", ())) and _end(clause) == _end(other):
                out.append(finding(
                    "CW104", f"{clause.kind} `{clause.id}` is redundant: `{cover}` allows "
                    "every action it allows", clause.span, clause=clause.id,
                    related=((f"{other.kind} `{cover}`", other.span),)))
                break
    return out


def _worth_saying(prohibition: m.AnyClause) -> bool:
    """An audience limit (`if subject_age < 13`) overlaps every permission by design."""
    return isinstance(prohibition, m.Prohibition) and prohibition.condition is None


def _end(clause: m.AnyClause) -> object:
    return clause.end_duty if isinstance(clause, m.Retention) else None


def _decided(compiled: CompiledPolicy, example: dict[str, Any],
             blocker: str | None = None) -> dict[str, Any]:
    """The witness with what the engine decides on it (its effect and deciding clauses).

    The walk keeps the first of the values that match the same rules, often a category
    above the blocker's (`user` for `user.health_and_medical`); the blocker's own data
    reads better, and is kept when the engine still denies it by the blocker.
    """
    first = _decided_as(compiled, example)
    clause = compiled.clauses.get(blocker) if blocker else None
    data = example.get("data")
    if clause is None or not data or not getattr(clause, "data", ()):
        return first
    for key in clause.data:
        if key != data[0] and data[0] in compiled.vocabulary.ancestors(m.Vocab.category, key):
            better = _decided_as(compiled, dict(example, data=[key]))
            if better.get("decision") == "deny" and blocker in better.get("by", ()):
                return better
    return first


def _decided_as(compiled: CompiledPolicy, example: dict[str, Any]) -> dict[str, Any]:
    action = dict(example)
    event = action.get("event")
    if event is not None and any(compiled.notices_before.get(e) for e in
                                 compiled.vocabulary.ancestors(m.Vocab.event, event)):
        action["context"] = dict(action.get("context", {}), notice_given=True)
    try:
        decision = decide(compiled, parse_action(action, compiled.vocabulary))
    except ActionError:
        return {"action": action}
    return {"action": action, "decision": decision.effect, "by": list(decision.clause_ids)}


# ------------------------------------------------------------------ identical


def rules_key(clause: m.AnyClause) -> tuple[object, ...]:
    """What a clause decides with: everything but its id, text and place."""
    return (type(clause),) + tuple(getattr(clause, name) for name in type(clause).model_fields
                                   if name not in ("id", "text", "span"))


def _identical(policy: m.Policy) -> tuple[list[Finding], set[frozenset[str]]]:
    """CW105, and the pairs it found (which CW104 then leaves alone)."""
    first: dict[tuple[object, ...], m.AnyClause] = {}
    out, pairs = [], set()
    for clause in policy.clauses:
        key = rules_key(clause)
        if clause.kind == "disclaimer" and clause.text is not None:
            continue  # a disclaimer is its text: two about the same sites may differ
        earlier = first.setdefault(key, clause)
        if earlier is not clause:
            pairs.add(frozenset((clause.id, earlier.id)))
            out.append(finding(
                "CW105", f"{clause.kind} `{clause.id}` says the same rules as "
                f"`{earlier.id}`", clause.span, clause=clause.id,
                fix=f"remove `{clause.id}`, or merge its text into `{earlier.id}`",
                related=((f"{earlier.kind} `{earlier.id}`", earlier.span),)))
    return out, pairs
