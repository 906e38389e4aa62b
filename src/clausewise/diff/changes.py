"""Two policies -> an edit script of frozen change records, each with a witness action.

Decision changes come from the exact enumeration in space.py and are grouped by
what changed and which clauses decide it on each side, so a reader sees a few
statements rather than thousands of actions. Text-only changes (prose, labels,
header, order, sections, renames) are found by comparing the models (text.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .. import model as m
from ..engine.action import Action
from ..engine.compile import CompiledPolicy
from ..engine.decision import Decision
from ..engine.explain import obligation_text
from ..loader import Loaded
from ..vocabulary import Vocabulary
from .causes import duty_verdict
from .space import DIMENSIONS, points

ChangeClass = Literal["widening", "narrowing", "both", "drift", "text"]
CLASSES: tuple[ChangeClass, ...] = ("widening", "narrowing", "both", "drift", "text")
#: a class and the class it becomes when old and new swap places
MIRROR: dict[ChangeClass, ChangeClass] = {
    "widening": "narrowing", "narrowing": "widening", "both": "both", "drift": "drift",
    "text": "text"}


@dataclass(frozen=True)
class Location:
    """Where a change is written: a file of one version, a line, and that version's name."""

    file: str
    line: int
    side: Literal["old", "new"] = "new"


@dataclass(frozen=True)
class Change:
    """One readable statement of what the new version does differently.

    A decision change is widening (some action newly allowed, or a duty weakened or
    dropped), narrowing (newly denied, or a duty made stricter) or both (a duty
    changed in ways that go both ways); `cause` names the clauses whose change
    decides it. Drift is a clause whose rules changed while its text did not.
    """

    cls: ChangeClass
    kind: str | None                       # the action kind, None for a text change
    witness: Action | None = None          # decided one way by old, the other by new
    old_clauses: tuple[str, ...] = ()      # what decides the witness in the old version
    new_clauses: tuple[str, ...] = ()
    count: int = 1                         # decided situations in this group
    obligations: tuple[str, ...] = ()      # duties (or remedies) gained or lost, in words
    clause: str | None = None              # text changes: the clause (or `header`)
    detail: str = ""
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # what the group spans
    cause: tuple[str, ...] = ()            # the clauses that behave differently
    effects: tuple[str, str] = ("", "")    # the witness's effect, old and new
    removed: tuple[str, ...] = ()          # duties lost, in words (part of `obligations`)
    added: tuple[str, ...] = ()            # duties gained
    where: Location | None = None          # text changes: where it is written


@dataclass(frozen=True)
class DiffResult:
    old: Loaded
    new: Loaded
    changes: tuple[Change, ...]
    #: the git revision the old version was read at (`--base`), if any
    revision: str | None = None

    def of(self, cls: ChangeClass) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.cls == cls)

    @property
    def decision_changes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind is not None)


Progress = Callable[[int, int, str], None]


def diff(old: Loaded, new: Loaded, progress: Progress | None = None) -> DiffResult:
    """Every change of decision or obligation over the whole action space, and text changes.

    `progress(done, total, kind)` is called as each kind of action is taken up.
    """
    from .text import text_changes

    sides = compiled_sides(old, new)
    decisions = _decision_changes(sides, progress)
    decided = {c for change in decisions for c in change.cause}
    return DiffResult(old, new, tuple(decisions + text_changes(old, new, decided)))


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


Moved = tuple[tuple[m.Obligation, ...], tuple[m.Obligation, ...]]


def _classify(old: Decision, new: Decision, sides: tuple[CompiledPolicy, CompiledPolicy],
              kind: str = "") -> tuple[ChangeClass, Moved] | None:
    """The class of one action's change, and the duties it lost and gained.

    An action newly allowed widens what may be done with data; but a person's
    request (`exercise`) newly allowed widens their rights, which narrows what may be
    done: a removed right or choice is a widening.
    """
    if old.effect != new.effect:
        gained = new.allowed != (kind == "exercise")
        return ("widening" if gained else "narrowing"), ((), ())
    before, after = (_ordered(old.obligations), _ordered(new.obligations)) if old.allowed \
        else (_ordered(old.remedies), _ordered(new.remedies))
    removed = tuple(o for o in before if o not in after)
    added = tuple(o for o in after if o not in before)
    if not removed and not added:
        return None
    # a notice that held the action back (due before it) and now rides along, or back
    was = removed + _held_back(added, new, sides[0])
    now = added + _held_back(removed, old, sides[1])
    verdict = duty_verdict(was, now)
    cls: ChangeClass = {"weaker": "widening", "stricter": "narrowing"}.get(verdict, "both")
    return cls, (removed, added)


def _held_back(duties: tuple[m.Obligation, ...], decision: Decision,
               other: CompiledPolicy) -> tuple[m.Obligation, ...]:
    """For each notice duty in `duties`, the notice the other version made a condition of
    the action instead (due before its event), as a duty to compare with."""
    out = []
    sources = {d.obligation: d.clause for d in (*decision.obligations, *decision.remedies)}
    for duty in duties:
        clause = other.clauses.get(sources.get(duty, ""))
        if isinstance(duty, m.NotifyDuty) and isinstance(clause, m.Notification) and \
                clause.timing is not None and clause.timing.when == "before":
            out.append(m.NotifyDuty(timing=clause.timing, channels=clause.channels))
    return tuple(out)


def _ordered(duties) -> tuple[m.Obligation, ...]:
    return tuple(dict.fromkeys(d.obligation for d in duties))


def _decision_changes(sides: tuple[CompiledPolicy, CompiledPolicy],
                      progress: Progress | None = None) -> list[Change]:
    groups: dict[tuple[object, ...], list] = {}
    vocabulary = sides[1].vocabulary
    policy_wide = sides[0].covers != sides[1].covers or sides[0].effective != sides[1].effective
    kinds = list(DIMENSIONS)
    for done, kind in enumerate(kinds):
        if progress is not None:
            progress(done, len(kinds), kind)
        for point in points(kind, sides):
            found = _classify(point.old, point.new, sides, kind)
            if found is None:
                continue
            cls, (removed, added) = found
            cause = point.cause or (("header",) if policy_wide else ())
            key = (cls, kind, point.old.clause_ids, point.new.clause_ids,
                   tuple(obligation_text(o, vocabulary) for o in removed),
                   tuple(obligation_text(o, vocabulary) for o in added), cause,
                   (point.old.effect, point.new.effect))
            groups.setdefault(key, []).append(point.action)
    if progress is not None:
        progress(len(kinds), len(kinds), "")
    changes = []
    own: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}
    for (cls, kind, old_ids, new_ids, removed, added, cause, effects), actions in \
            groups.items():
        if cause not in own:
            own[cause] = own_terms((sides[0].policy, sides[1].policy), cause)
        changes.append(Change(
            cls=cls, kind=kind, witness=_simplest(actions, own[cause]), old_clauses=old_ids,
            new_clauses=new_ids, count=len(actions),
            obligations=tuple(sorted(set(removed) | set(added))),
            values=_spread(actions), cause=cause, effects=effects, removed=removed,
            added=added))
    changes.sort(key=lambda c: (CLASSES.index(c.cls), list(DIMENSIONS).index(c.kind or "use"),
                                c.cause, c.new_clauses, c.old_clauses))
    return changes


def own_terms(policies: tuple[m.Policy, m.Policy],
              cause: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """The terms and facts the cause clauses name, in either version."""
    terms: set[str] = set()
    facts: set[str] = set()
    for policy in policies:
        for clause in policy.clauses:
            if clause.id not in cause:
                continue
            terms.update(getattr(clause, "data", ()) or ())
            for dimension in m.DIMENSIONS:
                terms.update(getattr(clause, dimension.attr, ()) or ())
            for name in ("condition", "exception"):
                facts.update(m.condition_facts(getattr(clause, name, None)))
            choice = getattr(clause, "choice", None)
            facts.update({m.Choice.opt_in: ("consent",),
                          m.Choice.opt_out: ("opted_out",)}.get(choice, ()))
    return terms, facts


def witness_weight(action: Action, own: tuple[set[str], set[str]]) -> tuple[int, ...]:
    """How hard a witness is to read: terms of other clauses than the cause's, facts the
    cause tests left out, then the fewest facts and fields."""
    terms, facts = own
    values = [v for v in (*action.data, *(getattr(action, d) for d in m.DIMENSION))
              if v is not None]
    foreign = sum(1 for v in values if v not in terms)
    missing = sum(1 for f in facts if f not in action.context)
    fields = len(values) + (action.days is not None) + (action.until is not None)
    return (foreign, missing, len(action.context), fields)


def _simplest(actions: list[Action], own: tuple[set[str], set[str]] = (set(), set())) -> Action:
    """The witness a reader grasps fastest: the cause's own terms and facts, then the
    fewest facts, then the fewest fields set."""
    return min(actions, key=lambda action: witness_weight(action, own))


def _spread(actions: Iterable[Action]) -> dict[str, tuple[str, ...]]:
    """The distinct values each dimension takes across a group, for its summary line."""
    seen: dict[str, dict[str, None]] = {}
    for action in actions:
        for name in ("data", *m.DIMENSION, "until"):
            value = getattr(action, name)
            for item in (value if isinstance(value, tuple) else (value,)):
                if item is not None:
                    seen.setdefault(name, {})[item] = None
    return {name: tuple(values) for name, values in seen.items()}
