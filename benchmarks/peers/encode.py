"""A compiled clausewise policy as plain rules, the form each peer engine is written from.

Every peer gets the same rules, read from `CompiledPolicy` (so a clause kind the
compiler adds arrives here as one of these rules too):

  permit    kinds, data (None: only an action naming no data), dims each given and at
            or under one of their terms, a retention period, a condition known true
  forbid    kinds, data on any overlap (None: any), dims on any overlap (unstated, at,
            under or above), a trigger known true, lifted by an exception known true or
            a dimension known to be in its `except`
  notice    an action on an event at or under these must have notice_given true
  breach    an encryption duty: data overlapping it, encrypted known false, denies

An action becomes one request per data item (one with item "-" when it names none);
it is allowed when every request is. `check_supported` refuses what no peer encodes
(a scope, an effective date), so that a comparison is never quietly wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clausewise import model as m
from clausewise.engine import Action, CompiledPolicy
from clausewise.engine.compile import STATES_OF_ACTION

NONE_ITEM = "-"


@dataclass
class Rule:
    type: str                     # permit, forbid, notice, breach
    id: str
    kinds: tuple[str, ...]
    data: tuple[str, ...] | None
    dims: tuple[tuple[str, m.Vocab, tuple[str, ...]], ...] = ()
    exempt: tuple[tuple[str, m.Vocab, tuple[str, ...]], ...] = ()
    when: m.Condition | None = None
    unless: m.Condition | None = None
    period: m.Period | None = None
    events: tuple[str, ...] = ()


def check_supported(policy: CompiledPolicy) -> None:
    if policy.covers or policy.effective:
        raise SystemExit("peers: a policy scope or effective date is not encoded for peers")


def rules(policy: CompiledPolicy) -> list[Rule]:
    """Every rule of the policy that decides, in source order within each type."""
    check_supported(policy)
    out: list[Rule] = []
    seen: dict[int, Rule] = {}
    for kind, items in policy.permits.items():
        for item in items:
            clause = item.clause
            out.append(Rule(
                "permit", clause.id, (kind,), tuple(sorted(item.data)) if item.data else None,
                tuple((f, v, tuple(sorted(a))) for f, v, a in item.dims if a is not None),
                when=item.condition_node,
                period=clause.period if isinstance(clause, m.Retention) else None))
    for kind, items in policy.prohibitions.items():
        for item in items:
            if id(item) in seen:
                seen[id(item)].kinds += (kind,)
                continue
            rule = seen[id(item)] = Rule(
                "forbid", item.clause.id, (kind,),
                tuple(sorted(item.data)) if item.data else None,
                tuple((f, v, tuple(sorted(a))) for f, v, a in item.dims),
                tuple((f, v, tuple(sorted(a))) for f, v, a in item.exempt),
                when=item.condition_node, unless=item.exception_node)
            out.append(rule)
    events: dict[str, list[str]] = {}
    for event, items in policy.notices_before.items():
        for item in items:
            events.setdefault(item.clause.id, []).append(event)
    kinds = tuple(k for k in ("collect", "use", "share", "sell", "retain", "exercise"))
    out += [Rule("notice", clause, kinds, None, events=tuple(sorted(found)))
            for clause, found in events.items()]
    breaches: dict[str, Rule] = {}
    for (kind, _key), items in policy.security.items():
        for item in items:
            if item.encrypts and item.state_duties and item.state_duties.get(kind):
                rule = breaches.setdefault(item.clause.id, Rule(
                    "breach", item.clause.id, (), tuple(sorted(item.clause.data))))
                if kind not in rule.kinds:
                    rule.kinds += (kind,)
    out += list(breaches.values())
    return out


def requests(action: Action) -> list[dict[str, Any]]:
    """The action as one plain request per data item: kind, item, dims, period, facts."""
    dims = {d.name: getattr(action, d.name) for d in m.DIMENSIONS
            if getattr(action, d.name) is not None}
    base = {"kind": action.action, "dims": dims, "days": action.days, "until": action.until,
            "context": dict(action.context)}
    return [{**base, "item": item} for item in (action.data or (NONE_ITEM,))]


def vocab_terms(policy: CompiledPolicy) -> dict[m.Vocab, dict[str, str | None]]:
    """Each vocabulary's terms and their parents, for the peers' hierarchies."""
    return {vocab: {key: term.parent for key, term in table.items()}
            for vocab, table in policy.vocabulary.terms.items()}


def day_number(value: Any) -> Any:
    """A day `YYYY-MM-DD` as the whole number YYYYMMDD (peers compare numbers, not days)."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return int(value.replace("-", ""))
    if hasattr(value, "isoformat"):
        return int(value.isoformat().replace("-", ""))
    return value


def period_kinds() -> dict[str, tuple[str, ...]]:
    return {k: tuple(s.value for s in v) for k, v in STATES_OF_ACTION.items()}
