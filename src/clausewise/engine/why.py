"""Why a given clause did or did not apply to an action: each of its tests, in words.

`clausewise check --why CLAUSE` answers the question a developer asks when a
decision surprises them ("why not `partners`?"): the clause's kind against the
action's, its data against the action's, each dimension it states, its period,
its condition (and a prohibition's trigger and exception) on the context, and
whether it is among the clauses that decided.
"""

from __future__ import annotations

from .. import model as m
from .action import Action
from .compile import STATES_OF_ACTION, CompiledClause, CompiledPolicy
from .conditions import compile_condition
from .decision import Decision
from .evaluate import _period_mismatch


def why_clause(policy: CompiledPolicy, action: Action, decision: Decision,
               clause_id: str) -> list[str]:
    """Lines saying how `clause_id` bears on `action` (the clause must exist)."""
    clause = policy.clauses[clause_id]
    span = clause.span
    where = f" ({span.file}:{span.line}:{span.column})" if span else ""
    lines = [f"{clause.kind} `{clause_id}`{where}:"]
    if isinstance(clause, m.ChoiceClause):  # decided as the prohibition derived from it
        clause = policy.derived[clause_id]
    item = _compiled(policy, clause_id, prohibition=isinstance(clause, m.Prohibition))
    verdict = _verdict(decision, clause_id)
    kind = action.action
    if isinstance(clause, m.Prohibition):
        kinds = tuple(a for verb in clause.actions for a in m.actions_under(verb))
    elif isinstance(clause, m.Permission):
        kinds = (m.action_of(clause),)
    elif isinstance(clause, m.Security):
        kinds = tuple(a for a, states in STATES_OF_ACTION.items()
                      if set(states) & set(clause.states))
    else:
        kinds = ()
    if kind not in kinds:
        said = ", ".join(f"`{k}`" for k in kinds) or "no action"
        lines.append(f"  - does not apply: it decides {said}, and this is a `{kind}`")
        return lines + [f"  = {verdict}"]
    lines.append(f"  - kind: it decides `{kind}` actions")
    lines += _data_lines(policy, action, clause, item)
    ancestors = policy.vocabulary.ancestors
    if item is not None:
        prohibition = isinstance(clause, m.Prohibition)
        for field, vocab, allowed in item.dims:
            terms = " or ".join(f"`{k}`" for k in sorted(allowed))
            value = getattr(action, field)
            if value is None:
                lines.append(f"  - {field}: it names {terms}; the action gives none"
                             + (" (so it may be one: the prohibition applies)" if prohibition
                                else " (so it does not match)"))
                continue
            above = ancestors(vocab, value)
            if not allowed.isdisjoint(above):
                lines.append(f"  - {field}: `{value}` is at or under {terms}")
            elif prohibition and any(value in ancestors(vocab, key) for key in allowed):
                lines.append(f"  - {field}: `{value}` is above {terms} (it may be one: the "
                             "prohibition applies)")
            else:
                lines.append(f"  - {field}: `{value}` is outside {terms}")
        for field, vocab, exempt in item.exempt:
            value = getattr(action, field)
            known = value is not None and not exempt.isdisjoint(ancestors(vocab, value))
            lines.append(f"  - except {field} {' or '.join(f'`{k}`' for k in sorted(exempt))}: "
                         + ("the action is known to be that (it escapes)" if known
                            else "the action is not known to be that"))
        if isinstance(clause, m.Retention) and _period_mismatch(clause.period, action,
                                                                ancestors):
            lines.append("  - period: the action keeps the data longer than it allows")
        ctx = action.context
        if item.condition_node is not None:
            what = "trigger (if)" if prohibition else "condition"
            lines.append(f"  - {what} `{m.condition_text(item.condition_node)}`: "
                         f"{_truth(item.condition_node, ctx)}")
        if item.exception_node is not None:
            lines.append(f"  - exception (unless) `{m.condition_text(item.exception_node)}`: "
                         f"{_truth(item.exception_node, ctx)}")
    return lines + [f"  = {verdict}"]


def _verdict(decision: Decision, clause_id: str) -> str:
    roles = {r.role for r in decision.rulings if r.clause == clause_id}
    if "permits" in roles:
        return "it permits this action, and the decision rests on it"
    if "forbids" in roles:
        return "it forbids this action: the decision is a deny because of it"
    if "unmet" in roles:
        return "it matches, but its condition does not hold: the deny rests on it"
    if "requires" in roles:
        return "its duty is not met: the deny rests on it"
    if any(d.clause == clause_id for d in decision.obligations):
        return "its duties ride along with this allow"
    notes = {r.role for r in decision.reasons if r.clause == clause_id}
    if "assumes" in notes:
        return "it would apply if its missing facts were so: assumed not to apply"
    return f"it does not decide this action (the decision, {decision.effect}, rests on " \
        f"{', '.join(f'`{c}`' for c in decision.clause_ids) or 'the default'})"


def _data_lines(policy: CompiledPolicy, action: Action, clause: m.AnyClause,
                item: CompiledClause | None) -> list[str]:
    data = frozenset(getattr(clause, "data", ()) or ())
    if not data:
        return ["  - data: it names none" + (
            "; it covers only actions that name none" if isinstance(clause, m.Permission)
            and action.data else "")]
    ancestors = policy.vocabulary.ancestors
    lines = []
    for category in action.data:
        above = ancestors(m.Vocab.category, category)
        if not data.isdisjoint(above):
            lines.append(f"  - data: `{category}` is at or under what it names")
        elif any(category in ancestors(m.Vocab.category, key) for key in data) and \
                isinstance(clause, (m.Prohibition, m.Security)):
            below = sorted(k for k in data if category in ancestors(m.Vocab.category, k))
            lines.append(f"  - data: `{category}` includes {', '.join(f'`{k}`' for k in below)}")
        else:
            lines.append(f"  - data: `{category}` is not covered "
                         f"(it names {', '.join(f'`{k}`' for k in sorted(data))})")
    return lines


def _truth(node: m.Condition, ctx: dict) -> str:
    value = compile_condition(node)(ctx)
    facts = m.condition_facts(node)
    given = ", ".join(f"{f} = {str(ctx[f]).lower() if isinstance(ctx[f], bool) else ctx[f]}"
                      for f in facts if f in ctx)
    missing = ", ".join(f for f in facts if f not in ctx)
    said = {True: "holds", False: "does not hold", None: "unknown"}[value]
    details = "; ".join(part for part in (given and f"given {given}",
                                          missing and f"missing {missing}") if part)
    return f"{said}" + (f" ({details})" if details else "")


def _compiled(policy: CompiledPolicy, clause_id: str, *, prohibition: bool = False
              ) -> CompiledClause | None:
    tables = (policy.prohibitions, policy.permits) if prohibition else \
        (policy.permits, policy.prohibitions)
    for table in tables:
        for items in table.values():
            for item in items:
                if item.clause.id == clause_id:
                    return item
    return None
