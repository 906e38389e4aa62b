"""The lean decision path: each action shape compiled once to what can decide it.

An action's shape is everything but its context (kind, data, one term per
dimension, the period). Which clauses can decide a shape, and which of its
dimensions each one matches, depends on the shape only; so a shape is compiled
once to a `Plan`: the prohibitions it does not escape, each data item's matching
permissions, the notices due before its event and its security duties, and the
few conditions among them (`tests`). A decision is then those conditions tested
on the context, and a look-up of the decision that their results give (built the
first time a combination is seen). No words are made here: the reasons are
derived from the decision when asked (explain.py). `evaluate.explained` is the
explaining path the tests hold this one to.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import model as m
from .action import Action
from .compile import STATES_OF_ACTION, VOCAB_OF_FIELD, CompiledPolicy
from .decision import Basis, Decision, Duty, Ruling
from .evaluate import _escapes, _mismatch, _outside, clause_marks, within_bound

#: the action fields that make its shape (all but the context)
SHAPE_FIELDS = ("action", "data", *VOCAB_OF_FIELD, "days", "until", "collected_for")
#: how many shapes, and outcomes per shape, are kept per policy (then started afresh)
MAX_SHAPES = 1 << 16
MAX_OUTCOMES = 256

Test = Callable[[dict], object]


class Plan:
    """One action shape, compiled: its tests, and what each outcome of them decides."""

    __slots__ = ("policy", "template", "tests", "build", "outcomes", "fixed")

    def __init__(self, policy: CompiledPolicy, template: Action, tests: tuple[Test, ...],
                 build: Callable[[tuple], Decision], fixed: Decision | None) -> None:
        self.policy, self.template, self.tests, self.build = policy, template, tests, build
        self.outcomes: dict[tuple, Decision] = {}
        self.fixed = fixed


class Plans:
    """A policy's plans by shape (held per compiled policy, freed with it)."""

    __slots__ = ("policy", "shapes", "parts", "__weakref__")

    def __init__(self, policy: CompiledPolicy) -> None:
        self.policy = policy
        self.shapes: dict[tuple, Plan] = {}
        #: per (kind, data item, dimensions): the clauses that match it (shapes share them)
        self.parts: dict[tuple, list] = {}

    def plan(self, action: Action) -> Plan:
        values = action.__dict__
        key = tuple([values[field] for field in SHAPE_FIELDS])
        found = self.shapes.get(key)
        if found is None:
            if len(self.shapes) >= MAX_SHAPES:
                self.shapes.clear()
                self.parts.clear()
            found = self.shapes[key] = compile_plan(self.policy, action, self.parts)
        return found


def plans_of(policy: CompiledPolicy) -> Plans:
    """The policy's plans (kept beside it, so that finding them is one attribute read)."""
    found = policy.__dict__.get("_lean_plans")
    if found is None:
        found = policy.__dict__["_lean_plans"] = Plans(policy)
    return found


def decide_lean(policy: CompiledPolicy, action: Action, *, keep_basis: bool = True
                ) -> Decision:
    """Decide a validated action by its shape's plan. Without `keep_basis` the decision
    is the bare value (no explanation can be derived from it, and nothing is made)."""
    plan = plans_of(policy).plan(action)
    return run(plan, action.context, keep_basis, action)


def run(plan: Plan, context: dict, keep_basis: bool = True,
        action: Action | None = None) -> Decision:
    """The plan's decision for this context, with its basis (the action, or the plan's
    shape and this context) unless `keep_basis` is False."""
    decision = plan.fixed
    if decision is None:
        outcome = tuple([test(context) for test in plan.tests])
        decision = plan.outcomes.get(outcome)
        if decision is None:
            decision = plan.build(outcome)
            if len(plan.outcomes) < MAX_OUTCOMES:
                plan.outcomes[outcome] = decision
    if not keep_basis:
        return decision
    basis = Basis(plan.policy, action) if action is not None else \
        Basis(plan.policy, plan.template, context)
    return Decision(decision.effect, decision.rulings, decision.obligations,
                    decision.remedies, basis)


def compile_plan(policy: CompiledPolicy, action: Action, parts: dict | None = None) -> Plan:
    """What can decide actions of this shape, and how each outcome of its tests decides.

    `parts` keeps, per data item and dimensions, the clauses that match, which shapes
    differing in their other data items share."""
    kind = action.action
    parts = {} if parts is None else parts
    dims = tuple([getattr(action, field) for field in VOCAB_OF_FIELD])
    template = action  # its context is replaced by each decision's when explained
    ancestors = policy.vocabulary.ancestors
    terms = {field: ancestors(vocab, value) if (value := getattr(action, field)) is not None
             else None for field, vocab in VOCAB_OF_FIELD.items()}
    marks = clause_marks(policy)
    tests: list[Test] = []

    def test(function: Test) -> int:
        tests.append(function)
        return len(tests) - 1

    effective = policy.effective
    early = None
    if effective is not None:
        early = test(lambda ctx: isinstance(day := ctx.get("date"), str) and day < effective)
    if policy.covers and kind in m.DIMENSION["source"].actions:
        outside = _outside(policy, action, terms)
        if outside is not None and outside.role == "outside":
            scope = Decision("deny", (Ruling("outside", None, (), (), ("source",)),))
            if early is None:
                return Plan(policy, template, (), _never, scope)
            dated = Decision("deny", (Ruling("outside", None, (), ("date",)),))
            return Plan(policy, template, tuple(tests),
                        lambda outcome: dated if outcome[0] else scope, None)
    slots = action.data or (None,)

    # prohibitions: (trigger test, exception test, ruling), those the shape does not escape
    forbidden: dict[str, list[str | None]] = {}
    prohibitions = []
    for category in slots:
        key = ("forbid", kind, category, dims)
        found = parts.get(key)
        if found is None:
            found = parts[key] = [item for item in policy.prohibition_candidates(kind, category)
                                  if not _escapes(item, terms, ancestors)]
        for item in found:
            if item.bound is not None and within_bound(item, action, ancestors):
                continue  # the shape's period is within the prohibition's bound
            if item.clause.id in forbidden:
                forbidden[item.clause.id].append(category)
                continue
            forbidden[item.clause.id] = [category]
            prohibitions.append((item, None if item.condition is None else test(item.condition),
                                 None if item.exception is None else test(item.exception)))
    forbids = [(trigger, exception, Ruling("forbids", item.clause.id,
                                           tuple(dict.fromkeys(forbidden[item.clause.id])),
                                           *marks[("forbids", item.clause.id)]),
                policy.remedies.get(item.clause.id, ()))
               for item, trigger, exception in prohibitions]

    # permissions: each data item's matching candidates (clause id, test, duties)
    conditions: dict[str, int] = {}
    items = []
    for category in slots:
        candidates = []
        key = ("permit", kind, category, dims, action.days, action.until)
        found = parts.get(key)
        if found is None:
            found = parts[key] = [item for item in policy.permit_candidates(kind, category)
                                  if not _mismatch(item, action, terms, ancestors)]
        for item in found:
            index = None
            if item.condition is not None:
                index = conditions.get(item.clause.id)
                if index is None:
                    index = conditions[item.clause.id] = test(item.condition)
            candidates.append((item.clause.id, index, item.duties))
        items.append((category, tuple(candidates)))

    # notices due before the event, and those that ride along
    notices: list[str] = []
    riders: dict[tuple[str, int], Duty] = {}
    if kind != "notify" and action.event is not None:
        for event in ancestors(m.Vocab.event, action.event):
            notices += [item.clause.id for item in policy.notices_before.get(event, ())]
            for item in policy.notices_other.get(event, ()):
                riders.setdefault((item.clause.id, -1), item.notice)  # type: ignore[arg-type]
    notice_test = test(_notice_given) if notices else None

    # security: the duties of the states the action puts data in; a known breach denies
    security = []
    if kind in STATES_OF_ACTION:
        seen: set[str] = set()
        for category in action.data:
            for item in policy.security_candidates(kind, category):
                if item.clause.id not in seen:
                    seen.add(item.clause.id)
                    security.append((item.clause.id, item.encrypts,
                                     item.state_duties[kind]))  # type: ignore[index]
    breach_test = test(_not_encrypted) if any(encrypts for _, encrypts, _ in security) else None

    def build(outcome: tuple) -> Decision:
        if early is not None and outcome[early]:
            return Decision("deny", (Ruling("outside", None, (), ("date",)),))
        blockers: dict[tuple[str, str | None], list[str | None]] = {}
        remedies: list[Duty] = []
        for trigger, exception, ruling, remedy in forbids:
            if trigger is not None and outcome[trigger] is not True:
                continue
            if exception is not None and outcome[exception] is True:
                continue
            blockers[("forbids", ruling.clause)] = list(ruling.data)
            remedies += remedy
        grants: dict[str, list[str | None]] = {}
        duties: dict[tuple[str, int], Duty] = {}
        for category, candidates in items:
            covered = False
            unmet = []
            for clause_id, index, clause_duties in candidates:
                if index is None or outcome[index] is True:
                    covered = True
                    grants.setdefault(clause_id, []).append(category)
                    for number, duty in enumerate(clause_duties):
                        duties.setdefault((clause_id, number), duty)
                else:
                    unmet.append(clause_id)
            if not covered:
                for clause_id in unmet or (None,):
                    blockers.setdefault(("unmet" if clause_id else "no-clause", clause_id),
                                        []).append(category)
        duties.update((key, duty) for key, duty in riders.items() if key not in duties)
        if notice_test is not None and outcome[notice_test] is not True:
            for clause_id in notices:
                blockers.setdefault(("requires", clause_id), [])
        for clause_id, encrypts, clause_duties in security:
            if encrypts and outcome[breach_test]:  # type: ignore[index]
                blockers.setdefault(("requires", clause_id), [])
                continue
            for number, duty in enumerate(clause_duties):
                duties.setdefault((clause_id, number), duty)
        if blockers:
            return Decision("deny", tuple(
                Ruling(role, clause, tuple(dict.fromkeys(data)),  # type: ignore[arg-type]
                       *marks.get((role, clause), ((), ())))
                for (role, clause), data in blockers.items()), remedies=tuple(remedies))
        return Decision("allow", tuple(
            Ruling("permits", clause, tuple(data), *marks[("permits", clause)])
            for clause, data in grants.items()), tuple(duties.values()))

    if not tests:  # nothing in the context can change it: decided once for the shape
        return Plan(policy, template, (), build, build(()))
    return Plan(policy, template, tuple(tests), build, None)


def _never(outcome: tuple) -> Decision:  # pragma: no cover - a fixed plan never builds
    raise AssertionError("a fixed plan has no outcomes")


def _notice_given(ctx: dict) -> bool:
    return ctx.get("notice_given") is True


def _not_encrypted(ctx: dict) -> bool:
    return ctx.get("encrypted") is False
