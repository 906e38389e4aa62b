"""Compiled policy + action -> `Decision`. Default deny; prohibitions win.

An action is allowed only if, for every data category it names, some permission
of its kind matches every dimension and its condition holds; no prohibition
applies; no notice due before its event is missing; and no encryption duty is
known to be broken. Everything the decision rests on is recorded as a `Reason`.
The engine never raises on policy content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from .. import model as m
from .action import Action
from .compile import STATES_OF_ACTION, VOCAB_OF_FIELD, CompiledClause, CompiledPolicy
from .conditions import explain
from .decision import Basis, Decision, Duty, Reason, Ruling

Lookup = Callable[[str, str | None], list[CompiledClause]]
#: each action field -> its term and the term's ancestors (None: the action leaves it out)
Terms = dict[str, tuple[str, ...] | None]
_NEAREST = 3


def decide(policy: CompiledPolicy, action: Action, *, indexed: bool = True,
           explain_denials: bool = True) -> Decision:
    """Decide one validated action. `indexed=False` takes the slow path (for tests).

    The indexed path is the lean one (plan.py): each action shape is compiled once to
    the few clauses and conditions that can decide it, and no words are made; the
    reasons are derived from the decision when asked. `explain_denials` is kept for
    callers of the earlier signature: a decision costs the same either way now.
    """
    if indexed:
        return _lean(policy, action)
    found = explained(policy, action, indexed=False)
    decision = Decision(found.effect, found.rulings, found.obligations, found.remedies,
                        Basis(policy, action))
    decision.basis.memo["reasons"] = found.reasons  # type: ignore[union-attr]
    return decision


def _lean(policy: CompiledPolicy, action: Action) -> Decision:
    global _lean
    from .plan import decide_lean  # plan.py builds on this module's matching helpers
    _lean = decide_lean
    return decide_lean(policy, action)


@dataclass(frozen=True, slots=True)
class Explained:
    """A decision worked out in full: its value and every reason in words."""

    effect: str
    reasons: tuple[Reason, ...]
    rulings: tuple[Ruling, ...]
    obligations: tuple[Duty, ...] = ()
    remedies: tuple[Duty, ...] = ()


def explained(policy: CompiledPolicy, action: Action, *, indexed: bool = True) -> Explained:
    """Decide `action` the explaining way: every reason, with what it needs in words."""
    permits: Lookup = policy.permit_candidates if indexed else policy.scan_permits
    prohibitions: Lookup = policy.prohibition_candidates if indexed else policy.scan_prohibitions
    kind, ctx = action.action, action.context
    ancestors = policy.vocabulary.ancestors
    shape = tuple(getattr(action, field) for field in VOCAB_OF_FIELD)
    terms = {field: ancestors(vocab, value) if value is not None else None
             for (field, vocab), value in zip(VOCAB_OF_FIELD.items(), shape)}
    slots = action.data or (None,)
    day = ctx.get("date")
    if policy.effective is not None and isinstance(day, str) and day < policy.effective:
        return Explained("deny", (Reason("outside", None, None,
                                         (f"date >= {policy.effective}",)),),
                         (Ruling("outside", None, (), ("date",)),))
    if policy.covers and kind in m.DIMENSION["source"].actions:
        outside = _outside(policy, action, terms)
        if outside is not None and outside.role == "outside":
            return Explained("deny", (outside,), (Ruling("outside", None, (), (), ("source",)),))
    else:
        outside = None
    blockers: list[Reason] = []
    grants: dict[str, list[str | None]] = {}
    notes: list[Reason] = []
    duties: dict[tuple[str, int], Duty] = {}
    forbidden: dict[str, list[str | None]] = {}

    for category in slots:
        for item in prohibitions(kind, category):
            if item.clause.id in forbidden:
                forbidden[item.clause.id].append(category)
                continue
            if _escapes(item, terms, ancestors) or within_bound(item, action, ancestors):
                continue
            reason = _prohibition(item, action, category, terms)
            if reason is None:
                continue
            if reason.role == "forbids":
                forbidden[item.clause.id] = [category]
                blockers.append(reason)
            elif all(note.clause != reason.clause for note in notes):
                notes.append(reason)

    for category in slots:
        covered = False
        unmet: list[Reason] = []
        candidates = permits(kind, category)
        narrowed = policy.permits_for(kind, category, shape) if indexed else candidates
        for item in narrowed:
            if _mismatch(item, action, terms, ancestors):
                continue
            value = item.condition(ctx) if item.condition else True
            if value is True:
                covered = True
                grants.setdefault(item.clause.id, []).append(category)
                for index, duty in enumerate(item.duties):
                    duties.setdefault((item.clause.id, index), duty)
            else:
                failure = explain(item.condition_node, ctx)
                unmet.append(Reason("unmet", item.clause.id, category, failure.needs,
                                    failure.missing, failure.given))
        if not covered:
            blockers.extend(unmet or _nearest(policy, kind, category, candidates, action, terms))

    if kind != "notify" and action.event is not None:
        _notices(policy, action, blockers, duties)
    if kind in STATES_OF_ACTION:
        _security(policy, action, blockers, duties)

    if outside is not None:  # the source was not given: assumed covered, and said so
        notes.append(outside)
    marks = clause_marks(policy)
    if blockers:
        remedies = tuple(duty for reason in blockers if reason.role == "forbids"
                         for duty in policy.remedies.get(reason.clause, ()))
        grouped: dict[tuple[str, str | None], list[str | None]] = {}
        for reason in blockers:
            if reason.role == "near":
                continue
            data = forbidden[reason.clause] if reason.role == "forbids" else \
                [reason.category] if reason.role in ("unmet", "no-clause") else []
            grouped.setdefault((reason.role, reason.clause), []).extend(data)
        rulings = tuple(Ruling(role, clause, tuple(dict.fromkeys(data)),  # type: ignore[arg-type]
                               *marks.get((role, clause), ((), ())))
                        for (role, clause), data in grouped.items())
        return Explained("deny", tuple(blockers) + tuple(notes), rulings, remedies=remedies)
    reasons = tuple(Reason("permits", clause, category)
                    for clause, items in grants.items() for category in items)
    rulings = tuple(Ruling("permits", clause, tuple(items), *marks[("permits", clause)])
                    for clause, items in grants.items())
    return Explained("allow", reasons + tuple(notes), rulings, tuple(duties.values()))


#: per compiled policy, each (role, clause id) -> the facts and dimensions it turns on
_MARKS: WeakKeyDictionary[CompiledPolicy, dict[tuple[str, str | None], tuple[tuple[str, ...],
                                                                              tuple[str, ...]]]] \
    = WeakKeyDictionary()


def clause_marks(policy: CompiledPolicy) -> dict[tuple[str, str | None],
                                                 tuple[tuple[str, ...], tuple[str, ...]]]:
    """What each clause's ruling turns on: the facts it tests, the dimensions it states."""
    found = _MARKS.get(policy)
    if found is not None:
        return found
    found = {}
    seen: dict[int, CompiledClause] = {}
    for table in (policy.permits, policy.prohibitions):
        for items in table.values():
            for item in items:
                seen[id(item)] = item
    for item in seen.values():
        clause = item.clause
        dims = tuple(field for field, _vocab, allowed in item.dims if allowed is not None)
        if isinstance(clause, m.Prohibition):
            facts = m.condition_facts(item.condition_node) + tuple(
                f for f in m.condition_facts(item.exception_node)
                if f not in m.condition_facts(item.condition_node))
            found[("forbids", clause.id)] = (facts, dims + tuple(f for f, _v, _a in item.exempt))
        else:
            facts = m.condition_facts(item.condition_node)
            if isinstance(clause, m.Retention) and not clause.period.forever:
                dims += ("period",)
            found[("permits", clause.id)] = found[("unmet", clause.id)] = (facts, dims)
    for items in list(policy.notices_before.values()):
        for item in items:
            found[("requires", item.clause.id)] = (("notice_given",), ("event",))
    for clause in policy.policy.clauses:
        if isinstance(clause, m.Security):
            found.setdefault(("requires", clause.id), (("encrypted",), ()))
    _MARKS[policy] = found
    return found


def _outside(policy: CompiledPolicy, action: Action, terms: Terms) -> Reason | None:
    """Whether the action comes through a source the policy's scope leaves out.

    A source outside it is denied first: the policy promises nothing there. An action
    that names no source is taken to be covered, as a prohibition's unknown trigger is
    taken not to apply, and the decision says so.
    """
    covered = policy.covered_needs
    above = terms["source"]
    if above is None:
        return Reason("assumes", None, None, covered, ("source",))
    if policy.covers.isdisjoint(above):
        return Reason("outside", None, None, covered)
    return None


def _escapes(item: CompiledClause, terms: Terms, ancestors) -> str | None:
    """The dimension on which an action is known to fall outside a prohibition, or None.

    A prohibition applies on any overlap, as it does for data: an action that leaves
    a dimension out, or names a term above a prohibited one (`place: worldwide`
    against `in united_states`), may be the prohibited one (fail closed). Only a term
    that is neither at, under nor above one of the prohibition's escapes it.
    """
    for field, vocab, allowed in item.dims:
        above = terms[field]
        if above is None or not allowed.isdisjoint(above):
            continue
        if not any(above[0] in ancestors(vocab, key) for key in allowed):
            return field
    for field, _vocab, exempt in item.exempt:  # `except for billing`: known to be billing
        above = terms[field]
        if above is not None and not exempt.isdisjoint(above):
            return field
    return None


def _prohibition(item: CompiledClause, action: Action, category: str | None,
                 terms: Terms) -> Reason | None:
    """Whether a prohibition that covers the action's dimensions applies.

    Its trigger (`if`) must be known to hold, else it is only noted as an assumption;
    its exception (`unless`) lifts it only when known to hold.
    """
    ctx = action.context
    trigger = item.condition(ctx) if item.condition else True
    if trigger is False:
        return None
    if trigger is None:
        missing = tuple(f for f in m.condition_facts(item.condition_node) if f not in ctx)
        return Reason("assumes", item.clause.id, category, missing=missing)
    if item.exception is not None and item.exception(ctx) is True:
        return None
    needs: list[str] = []
    if item.condition_node is not None:
        needs.append(_negated(item.condition_node))
    if item.exception_node is not None:
        needs.append(m.condition_text(item.exception_node))
    unstated = tuple(f"{field} other than {' or '.join(sorted(allowed))}"
                     for field, _vocab, allowed in item.dims
                     if terms[field] is None or allowed.isdisjoint(terms[field]))
    unstated += tuple(f"{field} under {' or '.join(sorted(exempt))}"  # not known exempt
                      for field, _vocab, exempt in item.exempt)
    missing = tuple(f for f in m.condition_facts(item.exception_node) if f not in ctx)
    given = tuple((f, ctx[f]) for f in m.condition_facts(item.exception_node) if f in ctx)
    return Reason("forbids", item.clause.id, category, tuple(needs) + unstated, missing, given)


def _negated(condition: m.Condition) -> str:
    if isinstance(condition, m.Not):
        return m.condition_text(condition.operand)
    return f"not ({m.condition_text(condition)})"


def _mismatch(item: CompiledClause, action: Action, terms: Terms, ancestors) -> str | None:
    """The first requirement of a permission that the action misses, or None."""
    return next(_missed(item, action, terms, ancestors), None)


def _missed(item: CompiledClause, action: Action | None, terms: Terms, ancestors, *,
            unstated_misses: bool = True) -> Iterator[str]:
    """Each requirement of `item`'s dimensions that the action does not meet, by name.

    `terms` maps each action field to its term and that term's ancestors. A field the
    action leaves out misses a requirement unless `unstated_misses` is False (the
    prohibitions' reading). Methods and periods are checked when an `action` is given.
    """
    for field, _vocab, allowed in item.dims:
        if allowed is None:
            continue
        above = terms[field]
        if above is None and not unstated_misses:
            continue
        if above is None or allowed.isdisjoint(above):
            yield field
    if action is None:
        return
    clause = item.clause
    if isinstance(clause, m.Retention) and _period_mismatch(clause.period, action, ancestors):
        yield "period"
    if isinstance(clause, m.Right) and clause.timing is not None and action.days is not None \
            and clause.timing.days is not None and action.days > clause.timing.days:
        yield "days"  # an answer later than the right promises


def within_bound(item: CompiledClause, action: Action, ancestors) -> bool:
    """Whether a prohibition's `beyond` bound lets the action out: it keeps the data no
    longer than the bound (`never keep X beyond 30 days` forbids only longer keeping)."""
    return item.bound is not None and _period_mismatch(item.bound, action, ancestors) is None


def _period_mismatch(period: m.Period, action: Action, ancestors) -> str | None:
    """Whether the action keeps data longer than the period allows ("period") or not.

    An action keeps data for `days`, until the event `until`, or (both) for `days`
    after `until`. `for N days` takes at most N days; `until E` takes until E or an
    event under it; `for N days after E` takes until such an event, plus at most N
    days; indefinitely and "as long as needed" take any period.
    """
    if period.forever:
        return None
    days = action.days
    if period.until is None:  # for N days
        return None if days is not None and action.until is None and days <= period.days \
            else "period"
    if action.until is None or period.until not in ancestors(m.Vocab.event, action.until):
        return "period"
    allowed = period.days or 0  # until E: no days after it
    return None if (days or 0) <= allowed else "period"


def _nearest(policy: CompiledPolicy, kind: str, category: str | None,
             candidates: list[CompiledClause], action: Action, terms: Terms) -> list[Reason]:
    """No permission matched: say so, and name the ones that came closest.

    Permissions are ranked by how many requirements the action misses (cheap to
    count); the words of what they need are made only for the few shown.
    """
    pool = candidates or policy.permits.get(kind, [])
    ancestors = policy.vocabulary.ancestors
    scored = []
    for item in pool:
        misses = sum(1 for _ in _missed(item, action, terms, ancestors))
        misses += item.condition is not None and item.condition(action.context) is not True
        misses += not candidates and (item.data is not None or category is not None)
        scored.append((misses, item.order, item))
    scored.sort(key=lambda entry: entry[:2])
    reasons = [Reason("no-clause", None, category)]
    for _, _, item in scored[:_NEAREST]:
        needs = _needs(item, action, policy, terms)
        if not candidates and item.data is not None:
            needs = (f"data under {' or '.join(sorted(item.data))}",) + needs
        elif not candidates and category is not None:  # it covers only actions naming no data
            needs = ("no data (the clause names none)",) + needs
        reasons.append(Reason("near", item.clause.id, category, needs))
    return reasons


def _needs(item: CompiledClause, action: Action, policy: CompiledPolicy,
           terms: Terms) -> tuple[str, ...]:
    """Every requirement of `item` that `action` does not meet, in words."""
    needs = []
    for field in _missed(item, action, terms, policy.vocabulary.ancestors):
        if field == "period":
            period = item.clause.period  # type: ignore[union-attr]
            if period.until is None:
                needs.append(f"kept at most {period.days} days")
            elif period.days:
                needs.append(f"kept at most {period.days} days after {period.until}")
            else:
                needs.append(f"kept until {period.until}")
        elif field == "days":
            needs.append(f"answered within {item.clause.timing.days} days")  # type: ignore[union-attr]
        else:
            allowed = next(a for f, _v, a in item.dims if f == field)
            needs.append(f"{field} under {' or '.join(sorted(allowed))}")
    if item.condition_node is not None:
        needs.extend(explain(item.condition_node, action.context).needs)
    return tuple(needs)


def _notices(policy: CompiledPolicy, action: Action, blockers: list[Reason],
             duties: dict[tuple[str, int], Duty]) -> None:
    """A notice due before the action's event must have been given; others ride along."""
    events = policy.vocabulary.ancestors(m.Vocab.event, action.event)
    notice_given = action.context.get("notice_given")
    for event in events:
        for item in policy.notices_before.get(event, ()):
            if notice_given is not True:
                blockers.append(Reason(
                    "requires", item.clause.id, None, ("notice_given",),
                    () if notice_given is not None else ("notice_given",),
                    (("notice_given", notice_given),) if notice_given is not None else ()))
        for item in policy.notices_other.get(event, ()):
            duties.setdefault((item.clause.id, -1), item.notice)


def _security(policy: CompiledPolicy, action: Action, blockers: list[Reason],
              duties: dict[tuple[str, int], Duty]) -> None:
    """Security duties for the states the action puts data in; a known breach denies."""
    encrypted = action.context.get("encrypted")
    seen: set[str] = set()
    for category in action.data:
        for item in policy.security_candidates(action.action, category):
            clause_id = item.clause.id
            if clause_id in seen:
                continue
            seen.add(clause_id)
            if item.encrypts and encrypted is False:
                blockers.append(Reason("requires", clause_id, None, ("encrypted",), (),
                                       (("encrypted", False),)))
                continue
            for index, duty in enumerate(item.state_duties[action.action]):
                duties.setdefault((clause_id, index), duty)
