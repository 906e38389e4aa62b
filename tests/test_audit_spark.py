"""The same audit query on a real local Spark session decides as the Python engine."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import clausewise
from clausewise import model as m
from clausewise.audit import run, sample, schema
from clausewise.engine import CompiledPolicy
from clausewise.vocabulary import base_vocabulary


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = SparkSession.builder.master("local[2]").appName("clausewise-audit-test") \
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2") \
        .config("spark.sql.session.timeZone", "UTC").getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def audit_spark(spark, compiled: CompiledPolicy, rows: list[dict], path: Path):
    table = sample.to_arrow(rows, compiled.vocabulary)
    table = table.append_column("rid", pa.array(range(len(rows)), pa.int64()))
    pq.write_table(table, path)
    runner = run.Spark(session=spark)
    logs = run.find_logs((str(path),))
    source, types = runner.source(logs)
    columns = schema.resolve({}, types, compiled.vocabulary, str(path))
    query = run.audit_tree(compiled, source, columns, ("rid",), summary=False)
    records = spark.sql(query.sql("spark")).orderBy("rid").collect()
    assert [r["rid"] for r in records] == list(range(len(rows)))
    return sample.query_answers([tuple(r)[1:] for r in records])


def test_kareo_on_spark_decides_as_the_engine(spark, tmp_path: Path) -> None:
    engine = clausewise.load("rules/kareo.policy")
    rows = sample.actions(engine.compiled, 2_000, seed=5) + \
        sample.kareo_mix(1_000, seed=6, bad=0.02)
    got = audit_spark(spark, engine.compiled, rows, tmp_path / "kareo.parquet")
    expected = sample.engine_answers(engine.compiled, rows)
    assert {a[0] for a in expected} == {"allow", "deny", "error"}
    assert got == expected


def test_a_generated_policy_on_spark_decides_as_the_engine(spark, tmp_path: Path) -> None:
    plan = m.FactDef(name="plan", type=m.FactType.enum, label="plan",
                     values=("free", "pro", "team"))
    vocabulary = base_vocabulary().with_policy((), (plan,))
    compiled = CompiledPolicy(sample.policy(4, vocabulary), vocabulary)
    rows = sample.actions(compiled, 1_000, seed=4)
    got = audit_spark(spark, compiled, rows, tmp_path / "generated.parquet")
    assert got == sample.engine_answers(compiled, rows)


def test_spark_run_writes_out_and_summarises(spark, tmp_path: Path) -> None:
    from clausewise.audit import report

    engine = clausewise.load("rules/kareo.policy")
    runner = run.Spark(session=spark)
    logs = run.find_logs(("examples/logs/kareo-actions.jsonl",))
    source, types = runner.source(logs)
    columns = schema.resolve({}, types, engine.vocabulary, logs.paths[0])
    keep = tuple(types)
    query = run.audit_tree(engine.compiled, source, columns, keep, summary=True)
    out = tmp_path / "out.parquet"
    result = runner.run(query, keep, str(out), logs)
    summary = report.summarize(result, engine.compiled, logs, "kareo.policy")
    decisions = [d.effect for d in engine.check_many(
        Path(logs.paths[0]).read_text(encoding="utf-8").splitlines())]
    assert (summary.allowed, summary.denied) == (decisions.count("allow"),
                                                 decisions.count("deny"))
    written = pq.read_table(out)
    assert written.num_rows == 200 and sorted(p.name for p in tmp_path.iterdir()) == \
        ["out.parquet"]
    assert sorted(written.column("decision").to_pylist()) == sorted(decisions)
