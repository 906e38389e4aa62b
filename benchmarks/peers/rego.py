"""The rules as one Rego v1 module, the hierarchies as data, built once into a bundle.

`data.up[VOCAB][TERM]` is a term and every term above it, `data.near` those and
every term below it. A permission is a body of `covered(item)`, a prohibition a
body of `forbidden`; the action is allowed when nothing is forbidden and every
item is covered. Three-valued conditions become "known true" / "known false" bodies
(disjunctions as helper rules), so a missing fact never satisfies one.
"""

from __future__ import annotations

import json
from typing import Any

import regopy

from clausewise import model as m

from .encode import NONE_ITEM, Rule, day_number, vocab_terms


class _Module:
    def __init__(self) -> None:
        self.lines: list[str] = ["package cw", "", "import rego.v1", "",
                                 "items := input.data", ""]
        self.count = 0

    def helper(self, bodies: list[list[str]], arg: str = "") -> str:
        """A rule true when any of `bodies` holds; its name (with its argument)."""
        self.count += 1
        name = f"h_{self.count}"
        head = f"{name}({arg})" if arg else name
        for body in bodies:
            self.lines.append(f"{head} if {{ " + "; ".join(body or ["true"]) + " }")
        return f"{name}({arg})" if arg else name

    def known(self, node: m.Condition, true: bool) -> list[str]:
        """A conjunction of expressions: `node` known true (or known false)."""
        if isinstance(node, m.FactIsTrue):
            return [f"input.context.{node.fact} == {str(true).lower()}"]
        if isinstance(node, m.Comparison):
            value = day_number(node.value)
            shown = str(value).lower() if isinstance(value, bool) else json.dumps(value)
            op = node.op if true else {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=",
                                       "!=": "=="}[node.op]
            return [f"input.context.{node.fact} {op} {shown}"]
        if isinstance(node, m.Not):
            return self.known(node.operand, not true)
        conjunction = isinstance(node, m.All) == true
        parts = [self.known(op, true) for op in node.operands]
        if conjunction:
            return [expr for part in parts for expr in part]
        return [self.helper(parts)]


def _terms(keys: tuple[str, ...]) -> str:
    return "{" + ", ".join(json.dumps(k) for k in keys) + "}"


_names = iter(range(1 << 62))


def _under(vocab: m.Vocab, value: str, keys: tuple[str, ...], table: str = "up") -> list[str]:
    """`value` at or under one of `keys` (its ancestors meet them); with `table` "near",
    at, under or above (data.near holds a term's ancestors and descendants)."""
    if len(keys) == 1:
        return [f"{json.dumps(keys[0])} in data.{table}.{vocab.value}[{value}]"]
    name = f"k{next(_names)}"  # each existential its own variable
    return [f"some {name} in data.{table}.{vocab.value}[{value}]", f"{name} in {_terms(keys)}"]


def _overlaps(vocab: m.Vocab, value: str, keys: tuple[str, ...]) -> list[str]:
    return _under(vocab, value, keys, "near")


def module_text(rules: list[Rule]) -> str:
    """Each permission a `covered(item)` body, each prohibition a `forbidden` body."""
    mod = _Module()
    for rule in rules:
        kinds = _terms(rule.kinds)
        body = [f"input.action in {kinds}"] if len(rule.kinds) > 1 else \
            [f"input.action == {json.dumps(rule.kinds[0])}"]
        if rule.type == "permit":
            if rule.data is None:
                body.append(f'item == "{NONE_ITEM}"')
            else:
                body += _under(m.Vocab.category, "item", rule.data)
            for field, vocab, keys in rule.dims:
                body += _under(vocab, f"input.{field}", keys)
            body += _period(mod, rule.period)
            if rule.when is not None:
                body += mod.known(rule.when, True)
            mod.lines.append("covered(item) if { " + "; ".join(body) + " }")
            continue
        if rule.type in ("forbid", "breach") and rule.data is not None:
            body += ["some item in items"] + _overlaps(m.Vocab.category, "item", rule.data)
        if rule.type == "forbid":
            for field, vocab, keys in rule.dims:
                body.append(mod.helper([[f"not input.{field}"],
                                        _overlaps(vocab, f"input.{field}", keys)]))
            if rule.when is not None:
                body += mod.known(rule.when, True)
            lifts = []
            if rule.unless is not None:
                lifts.append(mod.known(rule.unless, True))
            lifts += [_under(vocab, f"input.{field}", keys) for field, vocab, keys in rule.exempt]
            if lifts:
                body.append("not " + mod.helper(lifts))
        elif rule.type == "notice":
            body += _under(m.Vocab.event, "input.event", rule.events)
            body.append("not input.context.notice_given == true")
        elif rule.type == "breach":
            body.append("input.context.encrypted == false")
        mod.lines.append("forbidden if { " + "; ".join(body) + " }")
    mod.lines += ["", "default allow := false",
                  "allow if { not forbidden; every item in items { covered(item) } }", ""]
    return "\n".join(mod.lines)


def _period(mod: _Module, period: m.Period | None) -> list[str]:
    if period is None or period.forever:
        return []
    if period.until is None:
        return [f"input.days <= {period.days}", "not input.until"]
    days = period.days or 0
    return [f'"{period.until}" in data.up.event[input.until]',
            mod.helper([["not input.days"], [f"input.days <= {days}"]])]


def hierarchy(policy) -> dict[str, Any]:
    up: dict[str, dict[str, list[str]]] = {}
    near: dict[str, dict[str, list[str]]] = {}
    ancestors = policy.vocabulary.ancestors
    for vocab, table in vocab_terms(policy).items():
        up[vocab.value] = {key: list(ancestors(vocab, key)) for key in table}
        below: dict[str, list[str]] = {key: [] for key in table}
        for key in table:
            for above in ancestors(vocab, key)[1:]:
                below.setdefault(above, []).append(key)
        near[vocab.value] = {key: up[vocab.value][key] + below.get(key, []) for key in table}
    up["category"][NONE_ITEM] = near["category"][NONE_ITEM] = [NONE_ITEM]
    return {"up": up, "near": near}


def request(action_requests: list[dict[str, Any]]) -> str:
    first = action_requests[0]
    doc: dict[str, Any] = {"action": first["kind"], "data": [r["item"] for r in action_requests],
                           "context": {k: day_number(v) for k, v in first["context"].items()}}
    doc.update(first["dims"])
    if first["days"] is not None:
        doc["days"] = first["days"]
    if first["until"] is not None:
        doc["until"] = first["until"]
    return json.dumps(doc)


class RegoPeer:
    """rego-cpp through regopy: the module and data built once into a bundle."""

    def __init__(self, policy, rules: list[Rule]) -> None:
        self.text = module_text(rules)
        self.interpreter = regopy.Interpreter()
        self.interpreter.add_data_json(json.dumps(hierarchy(policy)))
        self.interpreter.add_module("cw.rego", self.text)
        self.bundle = self.interpreter.build("x = data.cw.allow", ["cw/allow"])

    def prepare(self, reqs: list[dict[str, Any]]) -> str:
        return request(reqs)

    def decide(self, prepared: str) -> bool:
        self.interpreter.set_input_term(prepared)
        return '"x":true' in str(self.interpreter.query_bundle(self.bundle))
