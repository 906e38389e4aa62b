"""The rules as a Casbin model and policy rows; the vocabularies as role links.

One row per combination of a rule's terms (a rule on two categories and two
recipients is four rows); `g` links each category under its parent, `g2`... each
other vocabulary, so `g(r.item, p.data)` is "at or under". A condition is a row's
`cond`, tested by the function `cond(p.cond, r.ctx)` added to the matcher (Casbin's
way of ABAC), "known true" so that a missing fact never satisfies it.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from typing import Any

import casbin
from casbin import model as casbin_model

from clausewise import model as m

from .encode import NONE_ITEM, Rule, day_number, vocab_terms


_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
        "==": operator.eq, "!=": operator.ne}


def _known(node: m.Condition, true: bool) -> Callable[[dict], bool]:
    """A test that the condition is known true (or known false) on the facts `c`."""
    if isinstance(node, m.FactIsTrue):
        fact = node.fact
        return lambda c: c.get(fact) is true
    if isinstance(node, m.Comparison):
        fact, op, value = node.fact, _OPS[node.op], day_number(node.value)
        if true:
            return lambda c: (v := c.get(fact)) is not None and op(v, value)
        return lambda c: (v := c.get(fact)) is not None and not op(v, value)
    if isinstance(node, m.Not):
        return _known(node.operand, not true)
    parts = [_known(op, true) for op in node.operands]
    if isinstance(node, m.All) == true:
        return lambda c: all(part(c) for part in parts)
    return lambda c: any(part(c) for part in parts)


def _period(period: m.Period | None) -> Callable[[dict], bool] | None:
    if period is None or period.forever:
        return None
    if period.until is None:
        days = period.days
        return lambda c: c["@days"] is not None and c["@days"] <= days and c["@until"] is None
    until, most = period.until, period.days or 0
    return lambda c: until in c["@until_up"] and (c["@days"] is None or c["@days"] <= most)


class CasbinPeer:
    """pycasbin's Enforcer; each row's condition is a function `cond(p.cond, r.ctx)`
    added to the matcher (Casbin's ABAC way), compiled once per distinct condition."""

    def __init__(self, policy, rules: list[Rule]) -> None:
        used = {f for rule in rules for f, _v, _k in rule.dims} | \
            ({"event"} if any(r.type == "notice" for r in rules) else set())
        dims = [d for d in m.DIMENSIONS if d.name in used]
        self.vocabs = [d.vocab for d in dims]
        self.fields = [d.name for d in dims]
        self.conditions: dict[str, Any] = {}
        unique = list(dict.fromkeys(self.vocabs))
        self.groups = {m.Vocab.category: "g"} | {
            vocab: f"g{i + 2}" for i, vocab in enumerate(unique)}
        self.ancestors = policy.vocabulary.ancestors
        model_text = self._model()
        rows = list(self._rows(rules))
        self.rows = rows
        links = [(self.groups[vocab], key, parent)
                 for vocab, table in vocab_terms(policy).items() if vocab in self.groups
                 for key, parent in table.items() if parent]
        self.model = casbin_model.Model()
        self.model.load_model_from_text(model_text)
        self.enforcer = casbin.Enforcer(self.model, enable_log=False)
        table = self.conditions
        self.enforcer.add_function("cond", lambda key, ctx: table[key](ctx))
        for row in rows:
            self.enforcer.add_named_policy("p", row)
        for group in self.groups.values():
            self.enforcer.add_named_grouping_policies(
                group, [[k, p] for g, k, p in links if g == group])

    def _model(self) -> str:
        fields = ", ".join(self.fields)
        roles = "\n".join(f"{g} = _, _" for g in self.groups.values())

        def under(field: str, vocab: m.Vocab) -> str:
            return f"{self.groups[vocab]}(r.{field}, p.{field})"

        def above(field: str, vocab: m.Vocab) -> str:
            return f"{self.groups[vocab]}(p.{field}, r.{field})"

        permit = " && ".join(['g(r.item, p.data)'] + [
            f'(p.{f} == "*" || {under(f, v)})' for f, v in zip(self.fields, self.vocabs)])
        forbid = " && ".join(['(p.data == "*" || g(r.item, p.data) || g(p.data, r.item))'] + [
            f'(p.{f} == "*" || r.{f} == "" || {under(f, v)} || {above(f, v)})'
            for f, v in zip(self.fields, self.vocabs)])
        notice = under("event", m.Vocab.event)
        breach = "(g(r.item, p.data) || g(p.data, r.item))"
        return f"""[request_definition]
r = kind, item, {fields}, ctx

[policy_definition]
p = type, kind, data, {fields}, cond, eft

[role_definition]
{roles}

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = r.kind == p.kind && ((p.type == "permit" && {permit} && cond(p.cond, r.ctx)) || \
(p.type == "forbid" && {forbid} && cond(p.cond, r.ctx)) || \
(p.type == "notice" && {notice} && cond(p.cond, r.ctx)) || \
(p.type == "breach" && {breach} && cond(p.cond, r.ctx)))
"""

    def _rows(self, rules: list[Rule]):
        for rule in rules:
            if rule.exempt:
                raise SystemExit("peers: casbin: a prohibition's `except` is not encoded")
            parts: list[Callable[[dict], bool]] = []
            if rule.type == "permit":
                parts = [_known(rule.when, True)] if rule.when is not None else []
                if (period := _period(rule.period)) is not None:
                    parts.append(period)
            elif rule.type == "forbid":
                if rule.when is not None:
                    parts.append(_known(rule.when, True))
                if rule.unless is not None:
                    lifted = _known(rule.unless, True)
                    parts.append(lambda c, lifted=lifted: not lifted(c))
            elif rule.type == "notice":
                parts.append(lambda c: c.get("notice_given") is not True)
            else:
                parts.append(lambda c: c.get("encrypted") is False)
            cond = f"c{len(self.conditions)}"
            self.conditions[cond] = (lambda c, parts=tuple(parts):
                                     all(part(c) for part in parts))
            eft = "allow" if rule.type == "permit" else "deny"
            empty = NONE_ITEM if rule.type == "permit" else "*"
            datas = rule.data or (empty,)
            dims = {f: keys for f, _v, keys in rule.dims}
            if rule.type == "notice":
                dims = {"event": rule.events}
            choices = [dims.get(f, ("*",)) for f in self.fields]
            for kind in rule.kinds:
                for data in datas:
                    for combo in itertools.product(*choices):
                        yield [rule.type, kind, data, *combo, cond, eft]

    def prepare(self, reqs: list[dict[str, Any]]) -> list[tuple]:
        out = []
        for req in reqs:
            ctx = {k: day_number(v) for k, v in req["context"].items()}
            ctx["@days"], ctx["@until"] = req["days"], req["until"]
            ctx["@until_up"] = self.ancestors(m.Vocab.event, req["until"]) \
                if req["until"] else ()
            out.append((req["kind"], req["item"],
                        *[req["dims"].get(f, "") for f in self.fields], ctx))
        return out

    def decide(self, prepared: list[tuple]) -> bool:
        enforce = self.enforcer.enforce
        return all(enforce(*request) for request in prepared)
