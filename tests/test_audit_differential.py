"""The audit query decides exactly as the Python engine: on DuckDB, over 100,000 drawn
actions in all, on Kareo, the example policies and generated policies of every clause
kind (hierarchies, three-valued conditions, prohibitions, scope, dates, retention)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from sqlglot import exp

import clausewise
from clausewise import model as m
from clausewise.audit import compile_audit, sample, schema
from clausewise.engine import CompiledPolicy
from clausewise.vocabulary import base_vocabulary

POLICIES = {"rules/kareo.policy": 40_000, "rules/examples/notably.policy": 15_000,
            "rules/examples/stride.policy": 15_000}
GENERATED, PER_GENERATED = 30, 1_000  # 30,000 more: 100,000 in all


def audit_duckdb(compiled: CompiledPolicy, rows: list[dict]) -> list[sample.Answer]:
    table = sample.to_arrow(rows, compiled.vocabulary)
    table = table.append_column("rid", pa.array(range(len(rows)), pa.int64()))
    con = duckdb.connect()
    con.register("logs", table)
    types = {name: schema.kind_of(kind) for name, kind, *_ in
             con.execute("DESCRIBE logs").fetchall()}
    columns = schema.resolve({}, types, compiled.vocabulary, "logs")
    query = compile_audit(compiled, exp.to_table("logs"), columns, keep=("rid",))
    records = sorted(con.execute(query.sql("duckdb")).fetchall())
    assert [r[0] for r in records] == list(range(len(rows)))
    return sample.query_answers([r[1:] for r in records])


def assert_same(compiled: CompiledPolicy, rows: list[dict]) -> dict[str, int]:
    expected = sample.engine_answers(compiled, rows)
    got = audit_duckdb(compiled, rows)
    assert len(got) == len(expected)
    wrong = [(rows[i], want, have) for i, (want, have) in enumerate(zip(expected, got))
             if want != have]
    assert not wrong, f"{len(wrong)} rows decided differently, e.g. {wrong[:3]}"
    counts: dict[str, int] = {}
    for answer in expected:
        counts[answer[0]] = counts.get(answer[0], 0) + 1
    return counts


@pytest.mark.parametrize("path", sorted(POLICIES))
def test_bundled_policies_decide_as_the_engine(path: str) -> None:
    engine = clausewise.load(path)
    rows = sample.actions(engine.compiled, POLICIES[path], seed=len(path))
    counts = assert_same(engine.compiled, rows)
    # the draw reaches every outcome, so the equality is about something
    assert counts.get("allow", 0) > len(rows) // 20
    assert counts.get("deny", 0) > len(rows) // 5
    assert counts.get("error", 0) > 0


def _vocabulary():
    plan = m.FactDef(name="plan", type=m.FactType.enum, label="plan",
                     values=("free", "pro", "team"))
    return base_vocabulary().with_policy((), (plan,))


@pytest.mark.parametrize("seed", range(GENERATED))
def test_generated_policies_decide_as_the_engine(seed: int) -> None:
    vocabulary = _vocabulary()
    policy = sample.policy(seed, vocabulary)
    kinds = {clause.kind for clause in policy.clauses}
    assert {"prohibition", "security", "retention", "notification", "sharing"} <= kinds
    compiled = CompiledPolicy(policy, vocabulary)
    assert_same(compiled, sample.actions(compiled, PER_GENERATED, seed=seed))


def test_realistic_kareo_mix_decides_as_the_engine() -> None:
    engine = clausewise.load("rules/kareo.policy")
    counts = assert_same(engine.compiled, sample.kareo_mix(3_000, seed=1, bad=0.02))
    assert counts["allow"] > counts["deny"] > 0


def test_the_equality_is_not_vacuous() -> None:
    """A query that took an unknown condition for true (fail open) would be caught."""
    engine = clausewise.load("rules/kareo.policy")
    rows = sample.actions(engine.compiled, 2_000, seed=3)
    expected = sample.engine_answers(engine.compiled, rows)
    table = sample.to_arrow(rows, engine.vocabulary)
    table = table.append_column("rid", pa.array(range(len(rows)), pa.int64()))
    con = duckdb.connect()
    con.register("logs", table)
    types = {n: schema.kind_of(k) for n, k, *_ in con.execute("DESCRIBE logs").fetchall()}
    query = compile_audit(engine.compiled, exp.to_table("logs"),
                          schema.resolve({}, types, engine.vocabulary, "logs"), keep=("rid",))

    def fail_open(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Coalesce) and isinstance(node.this, exp.Paren) and \
                node.expressions == [exp.false()]:
            return exp.func("COALESCE", node.this, exp.true())
        return node

    mutated = query.tree.transform(fail_open)
    records = sorted(con.execute(mutated.sql("duckdb")).fetchall())
    got = sample.query_answers([r[1:] for r in records])
    wrong = sum(1 for a, b in zip(got, expected) if a != b)
    assert wrong > len(rows) // 10


def test_a_time_bound_prohibition_decides_as_the_engine(tmp_path) -> None:
    path = tmp_path / "p.policy"
    path.write_text('policy "B"\nend\nretention keep\n  keep user.financial\n  for 90 days\nend\n'
                    'retention until\n  keep user.financial\n  until transaction_complete\nend\n'
                    'prohibition cards\n  never keep user.financial.credit_card\n'
                    '  beyond transaction_complete\nend\n'
                    'prohibition banks\n  never keep user.financial.bank_account\n'
                    '  beyond 30 days\nend\n', encoding="utf-8")
    engine = clausewise.load(path)
    rows = [{"action": "retain", "data": [key], "context": {}, **period}
            for key in ("user.financial.credit_card", "user.financial.bank_account",
                        "user.financial")
            for period in ({"days": 10}, {"days": 30}, {"days": 31}, {"days": 90},
                           {"until": "transaction_complete"}, {})]
    counts = assert_same(engine.compiled, rows)
    assert counts["allow"] >= 3 and counts["deny"] >= 6  # both sides of the bounds
