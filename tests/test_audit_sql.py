"""The printed audit query: one tree, six dialects, each parsing back; golden files for
Kareo; the DuckDB text runs as printed; what SQL cannot decide is refused by name."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
import sqlglot
from click.testing import CliRunner
from sqlglot import exp

import clausewise
from clausewise import model as m
from clausewise.audit import compile_audit, sample, schema
from clausewise.audit.compile import DIALECTS
from clausewise.cli import main
from clausewise.engine import CompiledPolicy
from clausewise.errors import PolicyError

GOLDEN = Path(__file__).parent / "golden" / "sql"
KAREO = "rules/kareo.policy"


def printed(*args: str) -> str:
    result = CliRunner().invoke(main, ["audit", KAREO, "--sql", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("dialect", DIALECTS)
def test_printed_sql_parses_back_in_its_dialect(dialect: str) -> None:
    text = printed("--dialect", dialect)
    tree = sqlglot.parse_one(text.rstrip().rstrip(";"), read=dialect)
    assert isinstance(tree, exp.Select)
    assert {"decision", "clauses", "obligations", "remedies", "error"} <= set(tree.named_selects)
    assert "actions" in {t.name for t in tree.find_all(exp.Table)}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_kareo_golden_sql(dialect: str) -> None:
    """Refresh after an intended change: CLAUSEWISE_UPDATE_GOLDEN=1 pytest -k golden_sql."""
    text = printed("--dialect", dialect)
    path = GOLDEN / f"kareo.{dialect}.sql"
    if os.environ.get("CLAUSEWISE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_printed_duckdb_sql_runs_on_a_table_of_actions() -> None:
    engine = clausewise.load(KAREO)
    rows = sample.actions(engine.compiled, 3_000, seed=11)
    con = duckdb.connect()
    con.register("actions_arrow", sample.to_arrow(rows, engine.vocabulary))
    con.execute("CREATE TABLE actions AS SELECT * FROM actions_arrow")
    text = printed("--dialect", "duckdb")
    got = con.execute(text.rstrip().rstrip(";")).fetchall()
    width = len(schema.FIELDS)  # the printed query passes the action's fields through
    answers = sample.engine_answers(engine.compiled, rows)
    fields = [tuple(tuple(r[f]) if f == "data" else r.get(f) for f in schema.FIELDS)
              for r in rows]
    want = sorted(map(repr, zip(fields, answers)))
    have = sorted(repr((tuple(tuple(v) if isinstance(v, list) else v for v in r[:width]),
                        a)) for r, a in zip(got, sample.query_answers([r[width:] for r in got])))
    assert have == want  # the rows in any order: the query does not promise one


def test_the_query_names_every_deciding_clause_once() -> None:
    engine = clausewise.load(KAREO)
    columns = schema.resolve({}, {f: "" for f in (*schema.FIELDS, *engine.vocabulary.facts)},
                             engine.vocabulary, "actions")
    query = compile_audit(engine.compiled, exp.to_table("actions"), columns)
    ids = {c.id for c in engine.compiled.rules if c.kind != "disclaimer"}
    assert set(query.clause_ids) <= ids and len(query.clause_ids) == len(set(query.clause_ids))
    assert "no-promotional-sharing" in query.clause_ids


def _columns(vocabulary):
    return schema.resolve({}, {f: "" for f in (*schema.FIELDS, *vocabulary.facts)},
                          vocabulary, "actions")


def test_a_condition_sql_cannot_decide_is_refused_naming_the_clause() -> None:
    engine = clausewise.load(KAREO)
    span = m.Span(file="p.policy", line=7, column=1, end_line=7, end_column=2)
    odd = m.Use(id="odd-use", data=("user",), span=span,
                condition=m.Comparison(fact="subject_age", op="<", value="thirteen"))
    policy = engine.model.model_copy(update={"clauses": engine.model.clauses + (odd,)})
    compiled = CompiledPolicy(policy, engine.vocabulary)
    with pytest.raises(PolicyError) as caught:
        compile_audit(compiled, exp.to_table("actions"), _columns(engine.vocabulary))
    message = str(caught.value)
    assert "odd-use" in message and "p.policy:7:1" in message
    assert caught.value.codes == ("audit-unsupported",)


def test_an_engine_table_the_compiler_does_not_read_is_refused() -> None:
    engine = clausewise.load(KAREO)
    compiled = CompiledPolicy(engine.model, engine.vocabulary)
    compiled.consents_by_day = {"x": [next(iter(compiled.permits.values()))[0]]}
    with pytest.raises(PolicyError, match="consents_by_day"):
        compile_audit(compiled, exp.to_table("actions"), _columns(engine.vocabulary))


def test_sql_fitted_to_a_log_and_a_mapping(tmp_path: Path) -> None:
    text = printed("examples/logs/kareo-access.csv", "--mapping",
                   "examples/logs/kareo-mapping.yaml", "--table", "access_log",
                   "--dialect", "trino")
    tree = sqlglot.parse_one(text.rstrip().rstrip(";"), read="trino")
    assert "access_log" in {t.name for t in tree.find_all(exp.Table)}
    assert '"dest_system"' in text and "SPLIT(" in text
