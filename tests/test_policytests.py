"""Policy tests (src/clausewise/policytests.py and `clausewise test`): reading the
YAML safely, running cases, reporting failures, coverage, JUnit and JSON, and the
repository's own tests beside the rules."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import clausewise
from clausewise.cli import main
from clausewise.errors import UsageError
from clausewise.policytests import coverage, discover, read_suite, run_suite

from conftest import DATA, ROOT

CLEAN = DATA / "lint" / "clean.policy"
PASSING = '''policy: p.policy
cases:
  - id: sign-up
    action: {action: collect, data: [user.contact.email], method: provided,
             purpose: essential.service}
    decision: allow
    clause_ids: [sign-up]
    obligations: [[tls, encrypt in transit]]
  - id: child-signs-up
    action: {action: collect, data: [user.contact.email], method: provided,
             purpose: essential.service, context: {subject_age: 9}}
    decision: deny
    clause_ids: [no-children]
'''


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["test", *args])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(CLEAN, tmp_path / "p.policy")
    (tmp_path / "p.tests.yaml").write_text(PASSING, encoding="utf-8")
    return tmp_path


def add_case(folder: Path, text: str) -> None:
    path = folder / "p.tests.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# -------------------------------------------------------------- the repository


def test_the_tests_beside_the_rules_pass() -> None:
    """`clausewise test rules/` runs Kareo's and the examples' cases, and all pass."""
    result = run(str(ROOT / "rules"))
    assert result.exit_code == 0, result.stdout + result.stderr
    passed = int(result.stdout.splitlines()[-1].split()[0])
    assert result.stdout.splitlines()[-1] == f"{passed} passed, 0 failed" and passed >= 200


def test_kareo_has_at_least_60_cases_covering_every_clause() -> None:
    suite = read_suite(str(ROOT / "rules" / "kareo.tests.yaml"))
    assert len(suite.cases) >= 60 and Path(suite.policy) == ROOT / "rules" / "kareo.policy"
    engine = clausewise.load(suite.policy)
    report = coverage(engine, run_suite(suite, engine))
    assert [what for _span, what in report.missing() if "exercised by no case" in what] == []


def test_every_policy_in_rules_has_tests_beside_it() -> None:
    roots = [p for p in (ROOT / "rules").rglob("*.policy") if "vocabulary" not in p.name]
    assert roots and all(p.with_suffix(".tests.yaml").is_file() for p in roots)


# ---------------------------------------------------------------- running cases


def test_passing_cases_print_only_the_tally(folder: Path) -> None:
    result = run(str(folder))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["2 passed, 0 failed"]


def test_a_failure_shows_expected_actual_and_the_reasons(folder: Path) -> None:
    add_case(folder, '''  - id: wrong
    action: {action: share, data: [user.contact.email], recipient: partner}
    decision: allow
    clause_ids: [sign-up]
''')
    result = run(str(folder / "p.tests.yaml"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    line = (folder / "p.tests.yaml").read_text(encoding="utf-8").splitlines().index(
        "  - id: wrong") + 1
    assert lines[0] == f"FAIL {folder / 'p.tests.yaml'}:{line}: wrong"
    assert lines[1] == "  expected: allow by [sign-up]"
    assert lines[2].startswith("  actual:   deny by [")
    assert "  - decision: expected allow, got deny" in lines
    assert "  reasons:" in lines and any(line.strip().startswith("DENY") for line in lines)
    assert lines[-1] == "2 passed, 1 failed"


def test_a_policy_file_runs_the_tests_beside_it(folder: Path) -> None:
    assert discover([str(folder / "p.policy")]) == [str(folder / "p.tests.yaml")]
    (folder / "p.tests.yaml").unlink()
    with pytest.raises(UsageError, match="has no tests beside it"):
        discover([str(folder / "p.policy")])


def test_obligations_are_compared_as_a_set_of_duties(folder: Path) -> None:
    add_case(folder, '''  - id: no-duties-said
    action: {action: collect, data: [user.contact.email], method: provided,
             purpose: essential.service}
    decision: allow
    obligations: []
''')
    result = run(str(folder))
    assert result.exit_code == 1
    assert "  - obligations: expected none, got [tls: encrypt in transit]" in result.stdout


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("case, message", [
    ("  - id: x\n    action: {action: use}\n    decision: maybe\n", "give allow or deny"),
    ("  - id: x\n    action: {action: use}\n    decision: deny\n    clause: [a]\n",
     "a case has no field `clause`"),
    ("  - id: sign-up\n    action: {action: use}\n    decision: deny\n", "given twice"),
    ("  - id: x\n    action: {action: use}\n    decision: deny\n    decision: allow\n",
     "`decision` is given twice"),
    ("  - id: x\n    action: !!python/object:os.system {}\n    decision: deny\n",
     "are not action fields"),
    ("  - id: x\n    action: {action: share, data: [user.contact.emial]}\n    decision: deny\n",
     "user.contact.emial"),
])
def test_a_bad_case_is_a_located_error_and_the_others_still_run(folder: Path, case: str,
                                                                 message: str) -> None:
    add_case(folder, case)
    result = run(str(folder))
    assert result.exit_code == 2
    assert message in result.stderr and f"{folder / 'p.tests.yaml'}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1] == "2 passed, 0 failed, 1 errors"


@pytest.mark.parametrize("expectation", [
    "unmet: [5]", "unmet: [[a, 5]]", "reasons: [{role: forbids, missing: 5}]",
    "reasons: [{role: forbids, needs: {a: 1}}]", "reasons: [5]", "obligations: [[a]]",
    "obligations: [5, [a, b, c]]", "clause_ids: [[a], {b: c}]", "action: 5",
    "action: [share]", "action: {action: share, data: 5}",
])
def test_an_expectation_of_the_wrong_shape_is_an_error_not_a_crash(folder: Path,
                                                                   expectation: str) -> None:
    key = expectation.split(":")[0]
    fields = {"action": "{action: use, data: [user.contact.email]}", "decision": "deny"}
    fields[key] = expectation.split(": ", 1)[1]
    add_case(folder, "  - id: odd\n" + "".join(f"    {k}: {v}\n" for k, v in fields.items()))
    for fmt in ("text", "json", "junit"):
        result = run(str(folder), "--format", fmt, "--coverage")
        assert result.exit_code in (1, 2), result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
    assert run(str(folder)).stdout.splitlines()[-1].startswith("2 passed, ")


def test_a_file_that_is_not_a_list_of_cases_is_an_error(folder: Path) -> None:
    (folder / "p.tests.yaml").write_text("- just a list\n", encoding="utf-8")
    result = run(str(folder))
    assert result.exit_code == 2 and "a mapping with a `cases:` list" in result.stderr


def test_an_alias_bomb_is_refused_before_it_expands(folder: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    bomb = "\n".join(lines) + "\ncases:\n  - id: x\n    action: {action: use, data: *a8}\n" \
        "    decision: deny\n"
    (folder / "p.tests.yaml").write_text(bomb, encoding="utf-8")
    result = run(str(folder))
    assert result.exit_code == 2 and "values once its aliases are expanded" in result.stderr


def test_a_policy_that_does_not_load_is_reported_and_other_files_still_run(folder) -> None:
    other = folder / "other"
    other.mkdir()
    (other / "q.policy").write_text("collection x\n  collect user.nme\nend\n", encoding="utf-8")
    (other / "q.tests.yaml").write_text("cases: []\n", encoding="utf-8")
    result = run(str(folder))
    assert result.exit_code == 2 and "q.policy:2:" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 passed, 0 failed")


# -------------------------------------------------------------------- coverage


def test_coverage_lists_what_no_case_exercised_with_file_and_line(folder: Path) -> None:
    result = run(str(folder), "--coverage")
    assert result.exit_code == 0
    policy = folder / "p.policy"
    text = policy.read_text(encoding="utf-8").splitlines()
    retention = text.index("retention accounts") + 1
    age = next(n for n, line in enumerate(text, 1) if "if subject_age < 13" in line)
    lines = result.stdout.splitlines()
    assert f"    {policy}:{retention}: retention `accounts` is exercised by no case" in lines
    # the age limit was seen holding (a child) and not holding (no age: not known to hold)
    assert not any(f"{policy}:{age}:" in line for line in lines)
    assert lines[0].startswith("coverage: ") and "% of clauses and condition branches" in lines[0]


def test_a_branch_no_case_takes_is_listed(folder: Path) -> None:
    (folder / "p.tests.yaml").write_text(PASSING.split("  - id: child-signs-up")[0],
                                         encoding="utf-8")
    result = run(str(folder), "--coverage")
    age = next(n for n, line in enumerate(
        (folder / "p.policy").read_text(encoding="utf-8").splitlines(), 1)
        if "if subject_age < 13" in line)
    assert f"{folder / 'p.policy'}:{age}: `if subject_age < 13` of prohibition `no-children` " \
        "is never seen holding" in result.stdout


def test_threshold_fails_below_it_and_passes_at_it(folder: Path) -> None:
    data = json.loads(run(str(folder), "--format", "json", "--coverage").stdout)
    percent = data["coverage"]["percent"]
    assert 0 < percent < 100
    below = run(str(folder), "--threshold", str(percent + 1))
    assert below.exit_code == 1
    assert f"FAIL coverage {percent:.1f}% is below the threshold of {percent + 1:g}%" in \
        below.stdout.splitlines()
    assert run(str(folder), "--threshold", str(percent - 1)).exit_code == 0


def test_kareo_coverage_is_complete() -> None:
    result = run(str(ROOT / "rules" / "kareo.tests.yaml"), "--threshold", "100")
    assert result.exit_code == 0, result.stdout


# --------------------------------------------------------------------- formats


def test_junit_has_a_testcase_per_case_and_a_failure_for_each_failure(folder: Path) -> None:
    add_case(folder, '''  - id: wrong
    action: {action: share, data: [user.contact.email], recipient: partner}
    decision: allow
''')
    result = run(str(folder), "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    [suite] = root.findall("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "0")
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["wrong"]
    assert "expected: allow" in failed[0].find("failure").text
    assert result.stderr.strip() == "2 passed, 1 failed"


def test_json_gives_each_case_with_expected_and_actual(folder: Path) -> None:
    data = json.loads(run(str(folder), "--format", "json").stdout)
    assert (data["passed"], data["failed"], data["errors"]) == (2, 0, 0)
    first = data["cases"][0]
    assert first["id"] == "sign-up" and first["status"] == "passed"
    assert first["actual"] == {"decision": "allow", "clause_ids": ["sign-up"],
                               "obligations": [["tls", "encrypt in transit"]]}
