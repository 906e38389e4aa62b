"""Seeded random actions and policies: what the differential tests and the benchmark audit.

`actions` draws logged actions over a policy's own terms (and their ancestors and
descendants, where decisions change), with facts known, unknown or of edge values
and a few bad rows; `policy` draws a whole policy of every clause kind from the
model's tables. `to_arrow` lays actions out as a log table, one column per field
and per fact, as `audit` reads it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from .. import model as m
from ..engine.compile import CompiledPolicy
from ..vocabulary import Vocabulary
from .schema import TERM_FIELDS

_DATES = (date(2010, 1, 1), date(2020, 6, 1), date(2025, 3, 15), date(2026, 1, 1))


class _Pools:
    """The terms worth drawing per vocabulary: those the clauses name, their kin, others."""

    def __init__(self, compiled: CompiledPolicy, rng: random.Random) -> None:
        vocabulary = compiled.vocabulary
        self.rng, self.vocabulary = rng, vocabulary
        named: dict[m.Vocab, set[str]] = {v: set() for v in m.Vocab}
        days: set[date] = set(_DATES)
        for clause in compiled.policy.clauses:
            for name, keys in clause.terms:
                named[m.DIMENSION[name].vocab].update(keys)
            for name, keys in getattr(clause, "exempt", ()):
                named[m.DIMENSION[name].vocab].update(keys)
            named[m.Vocab.category].update(getattr(clause, "data", ()))
            for when in (getattr(clause, "effective", None), getattr(clause, "expires", None)):
                if when is not None:
                    days.update((when, when - timedelta(days=1)))
            period = getattr(clause, "period", None)
            if period is not None and period.until:
                named[m.Vocab.event].add(period.until)
        if compiled.effective:
            day = date.fromisoformat(compiled.effective)
            days.update((day, day - timedelta(days=1)))
        named[m.Vocab.source].update(compiled.covers)
        self.pool: dict[m.Vocab, list[str]] = {}
        for vocab, keys in named.items():
            table = vocabulary.terms[vocab]
            kin = set(keys)
            for key in keys:
                kin.update(vocabulary.ancestors(vocab, key))
                kin.update(k for k in table if key in vocabulary.ancestors(vocab, k))
            others = sorted(table)
            kin = sorted(k for k in kin if k in table)
            self.pool[vocab] = kin + rng.sample(others, min(len(others), 3))
        self.days = sorted(d.isoformat() for d in days)

    def under(self, vocab: m.Vocab, keys) -> str | None:
        """A term at or under one of `keys` (mostly), to draw actions a clause covers."""
        keys = sorted(keys)
        if not keys:
            return None
        key = self.rng.choice(keys)
        below = [k for k in self.pool[vocab] if key in self.vocabulary.ancestors(vocab, k)]
        return self.rng.choice(below) if below and self.rng.random() < 0.6 else key

    def term(self, vocab: m.Vocab) -> str | None:
        pool = self.pool[vocab]
        return self.rng.choice(pool) if pool else None


def actions(compiled: CompiledPolicy, count: int, seed: int = 0,
            bad: float = 0.03) -> list[dict[str, Any]]:
    """`count` actions as dicts (fields always present, None when left out)."""
    rng = random.Random(seed)
    pools = _Pools(compiled, rng)
    vocabulary = compiled.vocabulary
    permits = [(item, action) for action, items in sorted(compiled.permits.items())
               for item in items]
    out = []
    for _ in range(count):
        # most rows are drawn near a permission, so that allows are common
        near = rng.choice(permits) if permits and rng.random() < 0.7 else None
        kind = near[1] if near else rng.choice(m.ACTION_KINDS)
        row: dict[str, Any] = {"action": kind}
        if near and near[0].data and rng.random() < 0.9:
            row["data"] = [pools.under(m.Vocab.category, near[0].data)
                           for _ in range(rng.choice((1, 1, 2)))]
        elif near and not near[0].data or kind in ("notify", "exercise") and rng.random() < 0.7:
            row["data"] = []
        else:
            row["data"] = [pools.term(m.Vocab.category) for _ in range(rng.choice((1, 1, 2, 3)))]
        row["data"] = list(dict.fromkeys(d for d in row["data"] if d is not None))
        stated = {field: allowed for field, _v, allowed in near[0].dims} if near else {}
        for dimension in m.DIMENSIONS:
            if dimension.name in stated and kind in dimension.actions and rng.random() < 0.9:
                row[dimension.name] = pools.under(dimension.vocab, stated[dimension.name])
                continue
            given = kind in dimension.actions and rng.random() < (0.2 if near else 0.55)
            row[dimension.name] = pools.term(dimension.vocab) if given else None
        if kind == "exercise" and row["right"] is None and rng.random() < 0.9:
            row["right"] = pools.term(m.Vocab.right)
        row["days"] = rng.choice((None, 0, 7, 30, 90, 365, 400)) if kind == "retain" else None
        row["until"] = pools.term(m.Vocab.event) if kind == "retain" and rng.random() < 0.4 \
            else None
        row["collected_for"] = pools.term(m.Vocab.purpose) if rng.random() < 0.1 else None
        context: dict[str, Any] = {}
        for name, fact in vocabulary.facts.items():
            if rng.random() < 0.3:
                continue
            if fact.type is m.FactType.bool:
                context[name] = rng.random() < 0.5
            elif fact.type is m.FactType.int:
                context[name] = rng.choice((0, 1, 2, 3, 12, 13, 15, 16, 18, 40))
            elif fact.type is m.FactType.date:
                context[name] = rng.choice(pools.days)
            elif fact.values:
                context[name] = rng.choice(fact.values)
        if row["collected_for"] is not None and "original_purpose" in context and \
                rng.random() < 0.7:
            del context["original_purpose"]
        row["context"] = context
        if rng.random() < bad:
            _spoil(row, rng)
        out.append(row)
    return out


def _spoil(row: dict[str, Any], rng: random.Random) -> None:
    """One thing a bad log row gets wrong."""
    how = rng.randrange(5)
    if how == 0:
        row["data"] = list(row["data"]) + ["user.contact.emial"]
    elif how == 1:
        row["recipient"] = "partnr"
    elif how == 2:
        row["action"] = "shar"
    elif how == 3:
        row["data"] = []
    else:
        row["channel"] = "email"  # a field the kind may not be decided on, mostly


def to_arrow(rows: list[dict[str, Any]], vocabulary: Vocabulary):
    """The actions as a pyarrow table: typed columns, a fact per column."""
    import pyarrow as pa

    columns: dict[str, Any] = {
        "action": pa.array([r["action"] for r in rows], pa.string()),
        "data": pa.array([r["data"] for r in rows], pa.list_(pa.string())),
    }
    for name, _vocab in TERM_FIELDS:
        columns[name] = pa.array([r.get(name) for r in rows], pa.string())
    columns["days"] = pa.array([r.get("days") for r in rows], pa.int64())
    types = {m.FactType.bool: pa.bool_(), m.FactType.int: pa.int64(),
             m.FactType.enum: pa.string(), m.FactType.date: pa.string()}
    for name, fact in sorted(vocabulary.facts.items()):
        columns[name] = pa.array([r["context"].get(name) for r in rows], types[fact.type])
    return pa.table(columns)


def engine_action(row: dict[str, Any]) -> dict[str, Any]:
    """A drawn row as the engine's action JSON (fields left out are absent)."""
    return {k: v for k, v in row.items() if v is not None and not (k == "data" and v == [])}


# ------------------------------------------------------------------ policies


def _condition(rng: random.Random, facts: dict[str, m.FactDef], depth: int = 0) -> m.Condition:
    if depth < 2 and rng.random() < 0.35:
        parts = tuple(_condition(rng, facts, depth + 1) for _ in range(rng.choice((2, 2, 3))))
        return (m.All if rng.random() < 0.5 else m.Any_)(operands=parts)
    if depth < 3 and rng.random() < 0.15:
        return m.Not(operand=_condition(rng, facts, depth + 1))
    name = rng.choice(sorted(facts))
    fact = facts[name]
    if fact.type is m.FactType.bool:
        if rng.random() < 0.8:
            return m.FactIsTrue(fact=name)
        return m.Comparison(fact=name, op=rng.choice(("==", "!=")), value=rng.random() < 0.5)
    if fact.type is m.FactType.int:
        return m.Comparison(fact=name, op=rng.choice(("<", "<=", ">", ">=", "==", "!=")),
                            value=rng.choice((1, 2, 13, 16)))
    if fact.type is m.FactType.date:
        return m.Comparison(fact=name, op=rng.choice(("<", ">=", "==")),
                            value=rng.choice(_DATES))
    return m.Comparison(fact=name, op=rng.choice(("==", "!=")), value=rng.choice(fact.values))


def _some(rng: random.Random, vocabulary: Vocabulary, vocab: m.Vocab, most: int = 2
          ) -> tuple[str, ...]:
    keys = sorted(vocabulary.terms[vocab])
    return tuple(sorted(set(rng.sample(keys, rng.randint(1, min(most, len(keys)))))))


def _terms(rng: random.Random, vocabulary: Vocabulary, kind: str) -> m.Terms:
    out = []
    for dimension in m.DIMENSIONS:
        if kind in dimension.kinds and rng.random() < 0.3:
            out.append((dimension.name, _some(rng, vocabulary, dimension.vocab)))
    return tuple(out)


def _obligations(rng: random.Random, vocabulary: Vocabulary) -> tuple[m.Obligation, ...]:
    pool = [
        lambda: m.EncryptDuty(state=rng.choice(list(m.State))),
        lambda: m.NotifyDuty(timing=rng.choice((None, m.Timing(when="before"),
                                                m.Timing(when="within", days=30))),
                             channels=_some(rng, vocabulary, m.Vocab.channel)),
        lambda: m.OfferDuty(right=_some(rng, vocabulary, m.Vocab.right, 1)[0],
                            channels=_some(rng, vocabulary, m.Vocab.channel)),
        lambda: m.FreeDuty(text=rng.choice(("tell the person", "log it"))),
    ]
    return tuple(rng.choice(pool)() for _ in range(rng.choice((0, 0, 1, 2))))


def policy(seed: int, vocabulary: Vocabulary, clauses: int = 14) -> m.Policy:
    """A random policy with every clause kind, over the whole vocabulary."""
    rng = random.Random(seed)
    facts = dict(vocabulary.facts)
    data = lambda: _some(rng, vocabulary, m.Vocab.category)  # noqa: E731
    out: list[m.AnyClause] = []
    kinds = list(m.CLAUSE_KINDS)
    for index in range(clauses):
        kind = kinds[index % len(kinds)] if index < len(kinds) else rng.choice(kinds)
        cid = f"{kind}-{index}"
        common: dict[str, Any] = {"id": cid}
        if kind == "prohibition":
            verbs = tuple(sorted(set(rng.sample(sorted(m.ACTION_OF_VERB.values()),
                                                rng.randint(1, 3)))))
            out.append(m.Prohibition(
                **common, actions=verbs, data=data() if rng.random() < 0.8 else (),
                terms=_terms(rng, vocabulary, kind),
                exempt=_terms(rng, vocabulary, kind) if rng.random() < 0.3 else (),
                condition=_condition(rng, facts) if rng.random() < 0.4 else None,
                exception=_condition(rng, facts) if rng.random() < 0.5 else None,
                obligations=_obligations(rng, vocabulary)))
        elif kind == "security":
            out.append(m.Security(
                **common, measure=rng.choice(("encrypt", "protect")), data=data(),
                states=tuple(sorted(set(rng.sample(list(m.State), rng.randint(1, 2))),
                                    key=lambda s: s.value)),
                safeguards=_some(rng, vocabulary, m.Vocab.safeguard)
                if rng.random() < 0.4 else (),
                obligations=_obligations(rng, vocabulary)))
        elif kind == "disclaimer":
            out.append(m.Disclaimer(**common))
        elif kind == "choice":  # lowered by the engine into a prohibition (and a right)
            verbs = tuple(sorted(set(rng.sample(sorted(m.ACTION_OF_VERB.values()), 2))))
            out.append(m.ChoiceClause(**common, choice=rng.choice(list(m.Choice)[:2]),
                                      actions=verbs, data=data(),
                                      terms=_terms(rng, vocabulary, "prohibition")))
        elif kind not in m.PERMISSION_KINDS:
            continue  # a kind this generator does not know yet
        else:
            cls = m.CLAUSE_KINDS[kind]
            extra: dict[str, Any] = {}
            if kind == "sharing":
                extra["sells"] = rng.random() < 0.3
            if kind == "retention":
                extra["period"] = rng.choice((
                    m.Period(), m.Period(days=30), m.Period(days=365),
                    m.Period(until=_some(rng, vocabulary, m.Vocab.event, 1)[0]),
                    m.Period(days=30, until=_some(rng, vocabulary, m.Vocab.event, 1)[0]),
                    m.Period(needed=True)))
                extra["ending"] = rng.choice((None, "deleted", "anonymized"))
            if kind == "notification":
                extra["timing"] = rng.choice((None, m.Timing(when="before"),
                                              m.Timing(when="after")))
                extra["terms"] = _terms(rng, vocabulary, kind) + (
                    ("event", _some(rng, vocabulary, m.Vocab.event)),) \
                    if rng.random() < 0.8 else _terms(rng, vocabulary, kind)
            nodata = kind in ("notification", "right") and rng.random() < 0.6
            out.append(cls(
                **common, data=() if nodata else data(),
                terms=extra.pop("terms", None) or _terms(rng, vocabulary, kind),
                condition=_condition(rng, facts) if rng.random() < 0.5 else None,
                choice=rng.choice((None, None, *m.Choice)),
                at_most=rng.choice((None, None, None, 1, 2)),
                effective=rng.choice((None, None, None, *_DATES)),
                expires=rng.choice((None, None, None, *_DATES)),
                obligations=_obligations(rng, vocabulary), **extra))
    header = m.Header(name=f"generated {seed}",
                      covers=_some(rng, vocabulary, m.Vocab.source) if rng.random() < 0.3
                      else (),
                      effective=rng.choice((None, None, *_DATES)))
    return m.Policy(root=f"<generated {seed}>", header=header, clauses=tuple(out))


# ------------------------------------------------------------- a real mix

#: Kareo's everyday flows, with their weights: what a data-access log of a medical
#: billing service holds (most allowed; marketing and sharing slips denied)
KAREO_FLOWS: tuple[tuple[int, dict[str, Any]], ...] = (
    (30, {"action": "use", "data": ["user.contact.email"],
          "purpose": "essential.service.authentication"}),
    (20, {"action": "collect", "data": ["user.device.ip_address", "user.behavior.page_requests"],
          "method": "automatic"}),
    (10, {"action": "collect", "data": ["user.name", "user.contact.email",
                                        "user.contact.phone_number"],
          "subject": "customer", "event": "sign_up", "method": "provided"}),
    (6, {"action": "collect", "data": ["user.financial.credit_card"], "subject": "customer",
         "event": "paid_subscription", "method": "provided",
         "purpose": "essential.service.payment_processing"}),
    (8, {"action": "use", "data": ["user.name", "user.contact.email"],
         "purpose": "marketing.communications.email"}),
    (5, {"action": "share", "data": ["user.contact.email"], "subject": "customer",
         "recipient": "partner", "purpose": "marketing.communications"}),
    (4, {"action": "share", "data": ["user.device.cookie_id", "user.behavior.page_requests"],
         "recipient": "ad_vendor", "purpose": "marketing.advertising.third_party.targeted"}),
    (4, {"action": "use", "data": ["user.device.ip_address"],
         "purpose": "essential.service.operations.support"}),
    (3, {"action": "retain", "data": ["user.device.ip_address"]}),
    (3, {"action": "use", "data": ["user"], "purpose": "analytics.reporting"}),
    (2, {"action": "share", "data": ["user"], "recipient": "authority",
         "purpose": "essential.legal_obligation"}),
    (2, {"action": "share", "data": ["user.financial.credit_card"],
         "recipient": "service_provider", "purpose": "essential.service.payment_processing"}),
    (1, {"action": "share", "data": ["user"], "recipient": "acquirer", "event": "merger"}),
    (1, {"action": "collect", "data": ["user.device.cookie_id"], "method": "third_party",
         "purpose": "analytics.reporting"}),
    (1, {"action": "exercise", "right": "deactivation"}),
)
#: how often each fact is given, and how often it is true (or its values)
_FACTS: dict[str, tuple[float, Any]] = {
    "consent": (0.7, 0.8), "opted_out": (0.5, 0.1), "aggregated": (0.3, 0.5),
    "legal_requirement": (0.2, 0.7), "linked": (0.4, 0.3), "notice_given": (0.3, 0.8),
    "encrypted": (0.5, 0.95), "subject_age": (0.2, (11, 25, 34, 41, 52, 67)),
}


def kareo_mix(count: int, seed: int = 0, bad: float = 0.005) -> list[dict[str, Any]]:
    """`count` rows of Kareo's everyday flows, with facts and a few bad rows."""
    rng = random.Random(seed)
    weights = [w for w, _ in KAREO_FLOWS]
    fields = [name for name, _ in TERM_FIELDS] + ["days"]
    out = []
    for _ in range(count):
        base = rng.choices(KAREO_FLOWS, weights)[0][1]
        row: dict[str, Any] = {name: None for name in fields}
        row.update({k: (list(v) if isinstance(v, list) else v) for k, v in base.items()})
        row.setdefault("data", [])
        context: dict[str, Any] = {}
        for name, (given, value) in _FACTS.items():
            if rng.random() < given:
                context[name] = rng.choice(value) if isinstance(value, tuple) else \
                    rng.random() < value
        row["context"] = context
        if rng.random() < bad:
            _spoil(row, rng)
        out.append(row)
    return out


# ---------------------------------------------------------- comparing answers

Answer = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def engine_answers(compiled: CompiledPolicy, rows: list[dict[str, Any]]) -> list[Answer]:
    """The Python engine's decision of each row, as (decision, clause ids, obligations,
    remedies), sorted, with `error` for a row it refuses: what the query must give."""
    from ..engine import decide, parse_action
    from ..engine.explain import obligation_text
    from ..errors import ActionError

    def said(duties) -> tuple[str, ...]:
        return tuple(sorted(f"{d.clause}: {obligation_text(d.obligation, compiled.vocabulary)}"
                            for d in duties))

    out: list[Answer] = []
    for row in rows:
        try:
            action = parse_action(engine_action(row), compiled.vocabulary)
        except ActionError:
            out.append(("error", (), (), ()))
            continue
        decision = decide(compiled, action)
        out.append((decision.effect, tuple(sorted(decision.clause_ids)),
                    said(decision.obligations), said(decision.remedies)))
    return out


def query_answers(records) -> list[Answer]:
    """The query's rows (decision, clauses, obligations, remedies, ...) in the same shape."""
    return [(r[0], tuple(sorted(r[1] or ())), tuple(sorted(r[2] or ())),
             tuple(sorted(r[3] or ()))) for r in records]
