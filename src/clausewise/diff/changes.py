"""Two policies -> an edit script of frozen change records, each with a witness action.

Decision changes come from the exact enumeration in space.py and are grouped by
what changed and which clauses decide it on each side, so a reader sees a few
statements rather than thousands of actions. Text-only changes (prose, labels,
header) are found by comparing the models directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .. import model as m
from ..engine.action import Action
from ..engine.compile import CompiledPolicy
from ..engine.decision import Decision
from ..engine.explain import obligation_text
from ..loader import Loaded
from ..vocabulary import Vocabulary
from .space import DIMENSIONS, points

ChangeClass = Literal["widening", "narrowing", "obligation-added", "obligation-removed", "text"]
CLASSES: tuple[ChangeClass, ...] = ("widening", "narrowing", "obligation-added",
                                    "obligation-removed", "text")
#: a class and the class it becomes when old and new swap places
MIRROR: dict[ChangeClass, ChangeClass] = {
    "widening": "narrowing", "narrowing": "widening", "obligation-added": "obligation-removed",
    "obligation-removed": "obligation-added", "text": "text"}


@dataclass(frozen=True)
class Change:
    """One readable statement of what the new version does differently."""

    cls: ChangeClass
    kind: str | None                       # the action kind, None for a text change
    witness: Action | None = None          # decided one way by old, the other by new
    old_clauses: tuple[str, ...] = ()      # what decides the witness in the old version
    new_clauses: tuple[str, ...] = ()
    count: int = 1                         # distinct actions of the space in this group
    obligations: tuple[str, ...] = ()      # added or removed duties, in words
    clause: str | None = None              # text changes: the clause (or `header`)
    detail: str = ""
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # what the group spans


@dataclass(frozen=True)
class DiffResult:
    old: Loaded
    new: Loaded
    changes: tuple[Change, ...]

    def of(self, cls: ChangeClass) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.cls == cls)

    @property
    def decision_changes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.cls != "text")


def diff(old: Loaded, new: Loaded) -> DiffResult:
    """Every change of decision or obligation over the whole action space, and text changes."""
    sides = compiled_sides(old, new)
    changes = _decision_changes(sides) + _text_changes(old, new)
    return DiffResult(old, new, tuple(changes))


def compiled_sides(old: Loaded, new: Loaded) -> tuple[CompiledPolicy, CompiledPolicy]:
    """Both versions compiled, each speaking the terms and facts of both."""
    return (CompiledPolicy(old.policy, _widened(old, new)),
            CompiledPolicy(new.policy, _widened(new, old)))


def _widened(loaded: Loaded, other: Loaded) -> Vocabulary:
    """This side's vocabulary plus the terms and facts only the other side declares."""
    extra_terms = tuple(t for t in other.policy.terms
                        if not loaded.vocabulary.knows(t.vocab, t.key))
    extra_facts = tuple(f for f in other.policy.facts if f.name not in loaded.vocabulary.facts)
    return loaded.vocabulary.with_policy(extra_terms, extra_facts)


def _classify(old: Decision, new: Decision) -> list[tuple[ChangeClass, tuple[m.Obligation, ...]]]:
    if old.effect != new.effect:
        return [("widening" if new.allowed else "narrowing", ())]
    if not old.allowed:
        return []
    before = {d.obligation for d in old.obligations}
    after = {d.obligation for d in new.obligations}
    found: list[tuple[ChangeClass, tuple[m.Obligation, ...]]] = []
    if after - before:
        found.append(("obligation-added", tuple(o for o in _ordered(new) if o not in before)))
    if before - after:
        found.append(("obligation-removed", tuple(o for o in _ordered(old) if o not in after)))
    return found


def _ordered(decision: Decision) -> tuple[m.Obligation, ...]:
    return tuple(dict.fromkeys(d.obligation for d in decision.obligations))


def _decision_changes(sides: tuple[CompiledPolicy, CompiledPolicy]) -> list[Change]:
    groups: dict[tuple[object, ...], list] = {}
    vocabulary = sides[1].vocabulary
    for kind in DIMENSIONS:
        for point in points(kind, sides):
            for cls, obligations in _classify(point.old, point.new):
                key = (cls, kind, point.old.clause_ids, point.new.clause_ids, obligations)
                groups.setdefault(key, []).append(point.action)
    changes = []
    for (cls, kind, old_ids, new_ids, obligations), actions in groups.items():
        changes.append(Change(
            cls=cls, kind=kind, witness=_simplest(actions), old_clauses=old_ids,
            new_clauses=new_ids, count=len(actions),
            obligations=tuple(obligation_text(o, vocabulary) for o in obligations),
            values=_spread(actions)))
    changes.sort(key=lambda c: (CLASSES.index(c.cls), list(DIMENSIONS).index(c.kind or "use"),
                                c.new_clauses, c.old_clauses))
    return changes


def _simplest(actions: list[Action]) -> Action:
    """The witness a reader grasps fastest: the fewest facts, then the fewest fields set."""
    def weight(action: Action) -> tuple[int, int]:
        fields = sum(1 for name in (*m.DIMENSION, "days", "until")
                     if getattr(action, name) is not None)
        return (len(action.context), fields)
    return min(actions, key=weight)


def _spread(actions: Iterable[Action]) -> dict[str, tuple[str, ...]]:
    """The distinct values each dimension takes across a group, for its summary line."""
    seen: dict[str, dict[str, None]] = {}
    for action in actions:
        for name in ("data", "subject", "recipient", "purpose", "event", "channel", "right"):
            value = getattr(action, name)
            for item in (value if isinstance(value, tuple) else (value,)):
                if item is not None:
                    seen.setdefault(name, {})[item] = None
    return {name: tuple(values) for name, values in seen.items()}


def _text_changes(old: Loaded, new: Loaded) -> list[Change]:
    """Prose, labels, header, and clauses added or removed (decisions aside)."""
    changes: list[Change] = []
    old_clauses = {c.id: c for c in old.policy.clauses}
    new_clauses = {c.id: c for c in new.policy.clauses}
    for clause_id, clause in new_clauses.items():
        before = old_clauses.get(clause_id)
        if before is None:
            changes.append(Change("text", None, clause=clause_id,
                                  detail=f"{clause.kind} clause `{clause_id}` added"))
        elif before.text != clause.text:
            changes.append(Change("text", None, clause=clause_id,
                                  detail=f"the prose of `{clause_id}` changed"))
        elif before != clause:
            changes.append(Change("text", None, clause=clause_id,
                                  detail=f"the rules of `{clause_id}` changed (what that does to "
                                  "decisions is listed above)"))
    for clause_id, clause in old_clauses.items():
        if clause_id not in new_clauses:
            changes.append(Change("text", None, clause=clause_id,
                                  detail=f"{clause.kind} clause `{clause_id}` removed"))
    if old.policy.header != new.policy.header:
        changes.append(Change("text", None, clause="header",
                              detail="the policy header changed (contacts, dates, scope or texts)"))
    old_terms = {(t.vocab, t.key): t for t in old.policy.terms}
    new_terms = {(t.vocab, t.key): t for t in new.policy.terms}
    for where, term in new_terms.items():
        before = old_terms.get(where)
        name = f"{term.vocab.value} `{term.key}`"
        if before is None:
            changes.append(Change("text", None, detail=f"{name} added to the vocabulary"))
            continue
        if before.label != term.label:
            changes.append(Change("text", None, clause=None,
                                  detail=f"the label of {term.vocab.value} `{term.key}` changed"))
        was, now = (side.vocabulary.terms[term.vocab][term.key].parent for side in (old, new))
        if was != now:
            changes.append(Change("text", None, detail=f"{name} moved under "
                                  f"{f'`{now}`' if now else 'nothing'} (was under "
                                  f"{f'`{was}`' if was else 'nothing'})"))
    for where, term in old_terms.items():
        if where not in new_terms:
            changes.append(Change("text", None, detail=f"{term.vocab.value} `{term.key}` "
                                  "removed from the vocabulary"))
    old_facts = {f.name: f for f in old.policy.facts}
    new_facts = {f.name: f for f in new.policy.facts}
    for name in dict.fromkeys([*new_facts, *old_facts]):
        before, after = old_facts.get(name), new_facts.get(name)
        if before != after:
            what = "added" if before is None else "removed" if after is None else "changed"
            changes.append(Change("text", None, detail=f"fact `{name}` {what}"))
    return changes

