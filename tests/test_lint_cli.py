"""`clausewise lint` as a command: formats, configuration, exit codes, and rules/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from clausewise.cli import main
from clausewise.lint import CODES

from conftest import DATA, ROOT

LINT = DATA / "lint"
FINDINGS = LINT / "findings.policy"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["lint", *args])


def test_rules_lint_without_an_error() -> None:
    result = run(str(ROOT / "rules"))
    assert result.exit_code == 0, result.output
    assert "error[" not in result.output
    assert result.output.splitlines()[-1].startswith("0 errors")


def test_an_error_finding_exits_1_and_warnings_alone_exit_0(tmp_path: Path) -> None:
    assert run(str(FINDINGS)).exit_code == 1
    assert run(str(LINT / "clean.policy")).exit_code == 0
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clausewise.lint]\ndisable = ["CW102", "CW202"]\n', encoding="utf-8")
    shutil.copy(FINDINGS, tmp_path / "p.policy")
    result = run(str(tmp_path / "p.policy"))
    assert result.exit_code == 0, result.output
    assert "CW102" not in result.output and "warning[CW104]" in result.output


def test_text_gives_place_code_fix_and_example() -> None:
    lines = run(str(FINDINGS)).output.splitlines()
    at = next(n for n, line in enumerate(lines) if "[CW103]" in line)
    assert lines[at].startswith(f"{FINDINGS}:") and "warning[CW103]" in lines[at]
    block = lines[at:at + 5]
    assert any(line.startswith("  = fix: ") for line in block)
    example = next(line for line in block if line.startswith("  = example: "))
    assert '"recipient": "acquirer"' in example and "-> deny (no-marketing)" in example


def test_json_lists_every_finding_with_its_location() -> None:
    result = run(str(FINDINGS), "--format", "json")
    data = json.loads(result.stdout)
    codes = [f["code"] for f in data["findings"]]
    assert "CW102" in codes and data["summary"]["error"] == 2
    first = data["findings"][0]
    assert {"code", "name", "severity", "message", "fix", "file", "line", "column",
            "related", "example"} <= first.keys()


def test_github_prints_one_workflow_command_per_finding() -> None:
    result = run(str(FINDINGS), "--format", "github")
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    dead = next(line for line in lines if "CW102" in line)
    assert dead.startswith(f"::error file={FINDINGS},line=") and ",title=CW102 dead-permission::" \
        in dead


def test_sarif_is_a_valid_sarif_2_1_0_log() -> None:
    result = run(str(FINDINGS), "--format", "sarif")
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    [run_] = log["runs"]
    driver = run_["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert driver["name"] == "clausewise" and sorted(ids) == sorted(CODES)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"] in \
            ("error", "warning", "note")
    assert run_["results"]
    for item in run_["results"]:
        assert ids[item["ruleIndex"]] == item["ruleId"]
        assert item["level"] in ("error", "warning", "note", "none")
        assert item["message"]["text"]
        [location] = item["locations"]
        region = location["physicalLocation"]["region"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == str(FINDINGS)
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        for n, related in enumerate(item.get("relatedLocations", [])):
            assert related["id"] == n and related["message"]["text"]


def test_sarif_validates_against_the_schema_of_its_required_parts() -> None:
    """The parts SARIF 2.1.0 requires, as its JSON schema states them."""
    import jsonschema

    schema = {
        "type": "object", "required": ["version", "runs"],
        "properties": {
            "version": {"const": "2.1.0"},
            "runs": {"type": "array", "items": {
                "type": "object", "required": ["tool"],
                "properties": {
                    "tool": {"type": "object", "required": ["driver"], "properties": {
                        "driver": {"type": "object", "required": ["name"]}}},
                    "results": {"type": "array", "items": {
                        "type": "object", "required": ["message"],
                        "properties": {
                            "level": {"enum": ["none", "note", "warning", "error"]},
                            "ruleIndex": {"type": "integer", "minimum": -1},
                            "message": {"type": "object", "anyOf": [
                                {"required": ["text"]}, {"required": ["id"]}]}}}}}}}}}
    jsonschema.validate(json.loads(run(str(FINDINGS), "--format", "sarif").stdout), schema)


def test_a_directory_lints_root_policies_with_what_they_include(tmp_path: Path) -> None:
    (tmp_path / "terms.policy").write_text(
        'define recipient mailer "our mailer" under service_provider\n', encoding="utf-8")
    text = (LINT / "clean.policy").read_text(encoding="utf-8")
    (tmp_path / "main.policy").write_text('include "terms.policy"\n' + text + '''
sharing mail
  share user.contact.email
  with mailer
end
''', encoding="utf-8")
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "CW301" not in result.output and "CW40" not in result.output


def test_a_bad_policy_is_a_located_error_exit_2_and_the_others_are_linted(tmp_path) -> None:
    (tmp_path / "bad.policy").write_text("collection x\n  collect user.contact.emial\nend\n",
                                         encoding="utf-8")
    shutil.copy(FINDINGS, tmp_path / "findings.policy")
    result = CliRunner().invoke(main, ["lint", str(tmp_path)])
    assert result.exit_code == 2
    assert "bad.policy:2:" in result.stderr and "did you mean" in result.stderr
    assert "CW102" in result.stdout


def test_a_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copy(LINT / "clean.policy", tmp_path / "p.policy")
    (tmp_path / "pyproject.toml").write_text('[tool.clausewise.lint]\ndisable = ["CW999"]\n',
                                             encoding="utf-8")
    result = run(str(tmp_path / "p.policy"))
    assert result.exit_code == 2 and "CW999" in result.output
    assert "Traceback" not in result.output


def test_list_codes_names_every_code() -> None:
    result = run("--list-codes")
    assert result.exit_code == 0
    assert all(code in result.output for code in CODES)


def test_the_pre_commit_hooks_run_lint_and_test(tmp_path: Path) -> None:
    """The hooks' entries are the commands, and run as pre-commit runs them: lint on the
    staged policy files, test on the folder its `args` name."""
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    lint_hook, test_hook = hooks["clausewise-lint"], hooks["clausewise-test"]
    assert lint_hook["entry"] == "clausewise lint" and lint_hook["files"] == r"\.policy$"
    assert test_hook["entry"] == "clausewise test" and test_hook["pass_filenames"] is False
    staged = [str(FINDINGS), str(LINT / "clean.policy")]
    result = CliRunner().invoke(main, lint_hook["entry"].split()[1:] + staged)
    assert result.exit_code == 1 and "error[CW102]" in result.output
    result = CliRunner().invoke(main, test_hook["entry"].split()[1:] + [str(ROOT / "rules")])
    assert result.exit_code == 0, result.output


def test_sarif_paths_are_uri_references(tmp_path: Path) -> None:
    folder = tmp_path / "with space"
    folder.mkdir()
    shutil.copy(FINDINGS, folder / "p.policy")
    log = json.loads(run(str(folder / "p.policy"), "--format", "sarif").stdout)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].endswith("/with%20space/p.policy")
