"""`clausewise audit` as a user runs it: summaries in every format, --out written whole,
--fail-on, column mappings, bad rows counted and sampled, and located usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import clausewise
from clausewise.audit import sample
from clausewise.cli import main

KAREO = "rules/kareo.policy"
JSONL = "examples/logs/kareo-actions.jsonl"
CSV = "examples/logs/kareo-access.csv"
MAPPING = "examples/logs/kareo-mapping.yaml"


def audit(*args: str):
    return CliRunner().invoke(main, ["audit", KAREO, *args])


@pytest.fixture(scope="module")
def engine():
    return clausewise.load(KAREO)


def engine_counts(engine, path: str) -> dict[str, int]:
    counts = {"allow": 0, "deny": 0, "error": 0}
    with open(path, encoding="utf-8") as lines:
        for decision in engine.check_many(line for line in lines if line.strip()):
            counts[getattr(decision, "effect", "error")] += 1
    return counts


def test_summary_counts_are_the_engines(engine) -> None:
    result = audit(JSONL, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    want = engine_counts(engine, JSONL)
    assert (summary["allowed"], summary["denied"], summary["errors"]) == \
        (want["allow"], want["deny"], want["error"])
    assert summary["rows"] == sum(want.values())
    by_clause = {row["clause"]: row for row in summary["denied_by_clause"]}
    assert by_clause["no-phi"]["source"].startswith("rules/kareo.policy:")
    flow = summary["top_denied_flows"][0]
    assert flow["rows"] >= summary["top_denied_flows"][-1]["rows"]
    assert flow["sample"].startswith(JSONL + ": row ")


def test_a_flows_sample_row_is_one_of_that_flow(engine) -> None:
    summary = json.loads(audit(JSONL, "--format", "json").output)
    lines = Path(JSONL).read_text(encoding="utf-8").splitlines()
    for flow in summary["top_denied_flows"]:
        row = json.loads(lines[int(flow["sample"].rsplit(" ", 1)[1]) - 1])
        action = engine.action(row)  # with what the engine implies (a use is ours)
        assert (action.action, list(action.data), action.recipient) == \
            (flow["action"], flow["data"], flow["recipient"])
        assert sorted(engine.check(row).clause_ids) == sorted(flow["clauses"])


def test_text_markdown_and_github_formats() -> None:
    text = audit(JSONL).output
    assert text.startswith("audited 200 rows of 1 file against kareo.policy")
    assert "denied by clause:" in text and "top denied flows:" in text
    md = audit(JSONL, "--format", "markdown").output
    assert md.startswith("## Audit of kareo.policy") and "| Clause | Rows |" in md
    gh = audit(JSONL, "--format", "github").output.splitlines()
    assert any(line.startswith("::error file=rules/kareo.policy,line=") for line in gh)
    assert gh[-1].startswith("audited 200 rows")


@pytest.mark.parametrize("suffix", ["parquet", "csv", "jsonl"])
def test_out_holds_every_rows_decision(tmp_path: Path, engine, suffix: str) -> None:
    out = tmp_path / f"decisions.{suffix}"
    result = audit(JSONL, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path)) == [out.name]  # no temporary file left behind
    reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[suffix]
    rows = duckdb.sql(f"SELECT source_row, decision, clauses FROM {reader}('{out}') "
                      "ORDER BY source_row").fetchall()
    lines = Path(JSONL).read_text(encoding="utf-8").splitlines()
    assert [r[0] for r in rows] == list(range(1, len(lines) + 1))
    for (_row, decision, clauses), line in zip(rows, lines):
        want = engine.check(line)
        ids = clauses.split("; ") if isinstance(clauses, str) else list(clauses or [])
        assert (decision, sorted(i for i in ids if i)) == (want.effect, sorted(want.clause_ids))


def test_out_in_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = audit(JSONL, "--out", str(tmp_path / "no" / "out.parquet"))
    assert result.exit_code == 2 and "no directory" in result.output
    result = audit(JSONL, "--out", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 2 and ".parquet, .csv or .jsonl" in result.output
    assert os.listdir(tmp_path) == []


def test_fail_on_deny_exits_1() -> None:
    assert audit(JSONL).exit_code == 0
    assert audit(JSONL, "--fail-on", "deny").exit_code == 1


def test_a_mapping_file_fits_a_warehouse_schema(engine) -> None:
    result = audit(CSV, "--mapping", MAPPING, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["rows"] == 300 and summary["allowed"] > summary["denied"] > 0
    assert len(summary["denied_by_day"]) > 1  # `time: ts` gives the days
    same = audit(CSV, "--map", "action=op", "--map", "data=categories", "--map",
                 "recipient=dest_system", "--map", "purpose=why", "--delimiter", "|",
                 "--format", "json")
    assert json.loads(same.output)["denied"] == summary["denied"]


def _parquet(path: Path, table: pa.Table) -> str:
    pq.write_table(table, path)
    return str(path)


def test_facts_in_a_json_column_and_data_as_a_delimited_string(tmp_path: Path,
                                                                engine) -> None:
    rows = sample.kareo_mix(500, seed=9, bad=0)
    table = pa.table({
        "action": [r["action"] for r in rows],
        "data": [",".join(r["data"]) for r in rows],
        "recipient": [r["recipient"] for r in rows],
        "purpose": [r["purpose"] for r in rows],
        "event": [r["event"] for r in rows], "method": [r["method"] for r in rows],
        "subject": [r["subject"] for r in rows], "right": [r["right"] for r in rows],
        "facts": [json.dumps(r["context"]) for r in rows]})
    path = _parquet(tmp_path / "log.parquet", table)
    summary = json.loads(audit(path, "--map", "context=facts", "--format", "json").output)
    want = {"allow": 0, "deny": 0, "error": 0}
    for answer in sample.engine_answers(engine.compiled, rows):
        want[answer[0]] += 1
    assert (summary["allowed"], summary["denied"], summary["errors"]) == \
        (want["allow"], want["deny"], want["error"])


def test_bad_rows_are_counted_and_sampled_not_fatal(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("action,data,purpose,subject_age,consent\n"
                   "use,user.contact.email,essential.service.authentication,,\n"
                   "use,user.contact.emial,essential.service.authentication,,\n"
                   "use,user.contact.email,essential.service.authentication,abc,\n"
                   "use,user.contact.email,essential.service.authentication,30,maybe\n"
                   "shar,user.contact.email,,,\n", encoding="utf-8")
    result = audit(str(log), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["rows"], summary["allowed"], summary["errors"]) == (5, 1, 4)
    errors = {e["error"]: e["sample"] for e in summary["errors_sample"]}
    assert errors["data: unknown category `user.contact.emial`"] == f"{log}: row 2"
    assert errors["context.subject_age: `subject_age` is a number, not `abc`"] == \
        f"{log}: row 3"
    assert errors["context.consent: `consent` is true or false, not `maybe`"] == \
        f"{log}: row 4"
    assert any(e.startswith("action: `shar` is not one of") for e in errors)


def test_a_missing_column_is_a_located_usage_error(tmp_path: Path) -> None:
    path = _parquet(tmp_path / "log.parquet", pa.table({"actoin": ["use"], "data": [["user"]]}))
    result = audit(path)
    assert result.exit_code == 2
    assert f"{path}: no column `action`" in result.output
    assert "did you mean `actoin`?" in result.output
    result = audit(path, "--map", "recipient=dest")
    assert result.exit_code == 2 and "no column `dest` (mapped from `recipient`)" in result.output
    result = audit(path, "--map", "recipeint=actoin")
    assert result.exit_code == 2 and "did you mean `recipient`?" in result.output


def test_unreadable_logs_are_usage_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    result = audit(str(broken))
    assert result.exit_code == 2 and f"cannot audit `{broken}`" in result.output
    assert "Traceback" not in result.output
    result = audit(str(tmp_path / "*.jsonl"))
    assert result.exit_code == 2 and "no file matches" in result.output
    result = audit(str(tmp_path / "missing.parquet"))
    assert result.exit_code == 2 and "no such file" in result.output
    assert audit().exit_code == 2
    assert audit(JSONL, "--master", "local[1]").exit_code == 2


def test_html_report_is_self_contained_with_a_chart(tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    result = audit(CSV, "--mapping", MAPPING, "--html", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert "src=" not in html and "href=" not in html and "@import" not in html
    assert "Denials over time" in html
    no_time = tmp_path / "plain.html"
    audit(JSONL, "--html", str(no_time))
    assert "<svg" not in no_time.read_text(encoding="utf-8")


def test_globs_and_many_files_as_a_process(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text(Path(JSONL).read_text(encoding="utf-8"),
                                                encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "clausewise", "audit", KAREO,
                           str(tmp_path / "*.jsonl"), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["rows"] == 400 and len(summary["logs"]) == 2
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
