"""The rules as Cedar policies (each with `@id`), the vocabularies as entities.

A data item is the resource (`Category::"user.contact.email"`, its parents the
terms above it); a dimension is an entity in the context (`context.recipient in
Recipient::"partner"`); a fact is a context attribute. clausewise's three-valued
conditions become two Cedar expressions, "known true" and "known false", so a
missing fact never satisfies a condition, as in clausewise.
"""

from __future__ import annotations

import json
from typing import Any

import cedarpy

from clausewise import model as m

from .encode import NONE_ITEM, Rule, day_number, vocab_terms

PRINCIPAL = 'App::"app"'


def etype(vocab: m.Vocab) -> str:
    return vocab.value.capitalize()


def _uid(vocab: m.Vocab, key: str) -> str:
    return f"{etype(vocab)}::{json.dumps(key)}"


def _known(node: m.Condition, true: bool) -> str:
    """`node` known to be true (or, with `true` False, known to be false)."""
    if isinstance(node, m.FactIsTrue):
        return f"(context has {node.fact} && context.{node.fact} == {str(true).lower()})"
    if isinstance(node, m.Comparison):
        value = day_number(node.value)
        shown = json.dumps(value) if not isinstance(value, bool) else str(value).lower()
        test = f"context.{node.fact} {node.op} {shown}"
        return f"(context has {node.fact} && {test if true else '!(' + test + ')'})"
    if isinstance(node, m.Not):
        return _known(node.operand, not true)
    joiner = " && " if isinstance(node, m.All) == true else " || "
    return "(" + joiner.join(_known(op, true) for op in node.operands) + ")"


def _set(vocab: m.Vocab, keys: tuple[str, ...]) -> str:
    return "[" + ", ".join(_uid(vocab, k) for k in keys) + "]"


def _data(rule: Rule, overlap: bool) -> list[str]:
    if rule.data is None:
        return [] if overlap else [f'resource == Category::"{NONE_ITEM}"']
    below = f"resource in {_set(m.Vocab.category, rule.data)}"
    if not overlap:
        return [below]
    above = " || ".join(f"{_uid(m.Vocab.category, k)} in resource" for k in rule.data)
    return [f"({below} || {above})"]


def _period(period: m.Period | None) -> list[str]:
    if period is None or period.forever:
        return []
    if period.until is None:
        return [f"(context has days && context.days <= {period.days} && !(context has until))"]
    days = period.days or 0
    return [f"context has until && context.until in {_uid(m.Vocab.event, period.until)}",
            f"(!(context has days) || context.days <= {days})"]


def policy_text(rules: list[Rule]) -> str:
    out = []
    for rule in rules:
        kinds = "[" + ", ".join(f'Action::"{k}"' for k in rule.kinds) + "]"
        scope = f"permit(principal, action in {kinds}, resource)" if rule.type == "permit" \
            else f"forbid(principal, action in {kinds}, resource)"
        when: list[str] = []
        unless: list[str] = []
        if rule.type == "permit":
            when += _data(rule, overlap=False)
            for field, vocab, keys in rule.dims:
                when.append(f"context has {field} && context.{field} in {_set(vocab, keys)}")
            when += _period(rule.period)
            if rule.when is not None:
                when.append(_known(rule.when, True))
        elif rule.type == "forbid":
            when += _data(rule, overlap=True)
            for field, vocab, keys in rule.dims:
                above = " || ".join(f"{_uid(vocab, k)} in context.{field}" for k in keys)
                when.append(f"(!(context has {field}) || context.{field} in {_set(vocab, keys)}"
                            f" || {above})")
            if rule.when is not None:
                when.append(_known(rule.when, True))
            if rule.unless is not None:
                unless.append(_known(rule.unless, True))
            for field, vocab, keys in rule.exempt:
                unless.append(f"context has {field} && context.{field} in {_set(vocab, keys)}")
        elif rule.type == "notice":
            when.append(f"context has event && context.event in "
                        f"{_set(m.Vocab.event, rule.events)}")
            unless.append("context has notice_given && context.notice_given == true")
        else:  # breach
            when += _data(rule, overlap=True)
            when.append("context has encrypted && context.encrypted == false")
        text = f"@id({json.dumps(rule.type + ':' + rule.id)})\n{scope}"
        if when:
            text += "\nwhen { " + " && ".join(when) + " }"
        if unless:
            text += "\nunless { " + " || ".join(unless) + " }"
        out.append(text + ";")
    return "\n\n".join(out) + "\n"


def entities(policy) -> list[dict[str, Any]]:
    out = [{"uid": {"type": "Category", "id": NONE_ITEM}, "attrs": {}, "parents": []},
           {"uid": {"type": "App", "id": "app"}, "attrs": {}, "parents": []}]
    for vocab, table in vocab_terms(policy).items():
        for key, parent in table.items():
            out.append({"uid": {"type": etype(vocab), "id": key}, "attrs": {},
                        "parents": [{"type": etype(vocab), "id": parent}] if parent else []})
    return out


def request(req: dict[str, Any], vocab_of: dict[str, m.Vocab]) -> dict[str, Any]:
    context: dict[str, Any] = {k: day_number(v) for k, v in req["context"].items()}
    for field, value in req["dims"].items():
        context[field] = {"__entity": {"type": etype(vocab_of[field]), "id": value}}
    if req["days"] is not None:
        context["days"] = req["days"]
    if req["until"] is not None:
        context["until"] = {"__entity": {"type": "Event", "id": req["until"]}}
    return {"principal": PRINCIPAL, "action": f'Action::"{req["kind"]}"',
            "resource": f"Category::{json.dumps(req['item'])}", "context": context}


class CedarPeer:
    """Cedar with the PolicySet and Entities parsed once (or, `strings`, every call)."""

    def __init__(self, policy, rules: list[Rule], strings: bool = False) -> None:
        self.text = policy_text(rules)
        self.entities_json = json.dumps(entities(policy))
        self.strings = strings
        self.policies = self.text if strings else cedarpy.PolicySet.from_str(self.text)
        self.entities = self.entities_json if strings else \
            cedarpy.Entities.from_json_str(self.entities_json)
        self.vocab_of = {d.name: d.vocab for d in m.DIMENSIONS}

    def prepare(self, reqs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [request(r, self.vocab_of) for r in reqs]

    def decide(self, prepared: list[dict[str, Any]]) -> bool:
        if len(prepared) == 1:
            result = cedarpy.is_authorized(prepared[0], self.policies, self.entities)
            return result.decision == cedarpy.Decision.Allow
        results = cedarpy.is_authorized_batch(prepared, self.policies, self.entities)
        return all(r.decision == cedarpy.Decision.Allow for r in results)
