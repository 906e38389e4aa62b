"""`clausewise check`: one action, a JSONL stream, a feature manifest; exit codes 0/1/2.

Most tests drive the command in-process with click's `CliRunner`; one runs the
real executable in a subprocess. Expected positions (`path:LINE:COL`) are found
in the fixture text itself, so a test states where the problem is, not what the
code happens to print.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from clausewise.cli import main
from conftest import DATA, KAREO, ROOT

MANIFESTS = DATA / "manifests"
POLICY = str(KAREO)

ALLOW = {"action": "use", "data": ["user.contact.email"],
         "purpose": "essential.service.authentication"}
DENY = {"action": "share", "data": ["user.financial.credit_card"], "recipient": "advertiser",
        "purpose": "marketing.advertising"}
PARTNER = {"action": "share", "data": ["user.contact.email"], "subject": "customer",
           "recipient": "partner", "purpose": "marketing.communications",
           "context": {"consent": True, "opted_out": False}}


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(main, ["check", *args], input=input)
    # only a deliberate exit, never an escaped exception
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output
    return result


def write(tmp_path: Path, text: str, name: str = "action.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first `needle` in `text`."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def clause_line(clause_id: str) -> int:
    """The line of the policy file where clause `clause_id` starts."""
    for number, line in enumerate(KAREO.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if len(parts) == 2 and parts[1] == clause_id:
            return number
    raise AssertionError(clause_id)


# ----------------------------------------------------------------- exit codes


def test_exit_0_when_allowed(tmp_path: Path) -> None:
    result = run(POLICY, str(write(tmp_path, json.dumps(ALLOW))))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "ALLOW"


def test_exit_1_when_denied(tmp_path: Path) -> None:
    result = run(POLICY, str(write(tmp_path, json.dumps(DENY))))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "DENY"


def test_exit_2_on_bad_input(tmp_path: Path) -> None:
    result = run(POLICY, str(write(tmp_path, '{"action": "use",')))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "error[bad-json]" in result.stderr


def test_text_output_names_clause_source_and_obligations(tmp_path: Path) -> None:
    action = {"action": "share", "data": ["user.financial.credit_card"],
              "recipient": "service_provider",
              "purpose": "essential.service.payment_processing"}
    result = run(POLICY, str(write(tmp_path, json.dumps(action))))
    assert result.exit_code == 0
    assert f"sharing `card-processing` ({POLICY}:{clause_line('card-processing')}:1)" \
        in result.stdout
    assert "obligations:" in result.stdout
    assert "encrypt the data in transit (ssl)" in result.stdout


def test_text_output_of_a_denial_says_how_to_allow_it(tmp_path: Path) -> None:
    action = dict(PARTNER, context={"consent": False, "opted_out": True})
    result = run(POLICY, str(write(tmp_path, json.dumps(action))))
    assert result.exit_code == 1
    assert "prohibition `no-promotional-sharing`" in result.stdout
    assert "to allow it:" in result.stdout
    # only a change that allows it, applied to the action: consent and no opt-out
    assert "set `consent` to true" in result.stdout
    assert "set `opted_out` to false" in result.stdout


# ------------------------------------------------------------------------ json


def test_json_format_fields(tmp_path: Path) -> None:
    result = run(POLICY, str(write(tmp_path, json.dumps(PARTNER))), "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["decision"] == "allow"
    assert {"decision", "reasons", "obligations", "unmet"} <= record.keys()
    (reason,) = record["reasons"]
    assert {"clause", "kind", "effect", "source", "text", "why"} <= reason.keys()
    assert reason["clause"] == "partners"
    assert reason["kind"] == "sharing"
    assert reason["effect"] == "permit"
    assert reason["source"] == f"{POLICY}:{clause_line('partners')}:1"
    assert reason["text"].startswith("With your consent, we do share your name and email")
    assert reason["why"]
    assert record["obligations"] == [{
        "clause": "industry-standards", "duty": "duty",
        "text": "protect it in transit using generally accepted industry standards"}]
    assert record["unmet"] == []


def test_json_format_of_a_denial_by_prohibition(tmp_path: Path) -> None:
    action = {"action": "collect", "data": ["user.health_and_medical"], "subject": "customer",
              "purpose": "essential.service"}
    result = run(POLICY, str(write(tmp_path, json.dumps(action))), "--format", "json")
    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["decision"] == "deny"
    forbids = [r for r in record["reasons"] if r["clause"] == "no-phi"]
    assert forbids and forbids[0]["kind"] == "prohibition" and forbids[0]["effect"] == "forbid"
    assert forbids[0]["source"] == f"{POLICY}:{clause_line('no-phi')}:1"
    assert record["obligations"] == []
    assert record["unmet"] == []


def test_json_format_unmet_lists_what_would_allow(tmp_path: Path) -> None:
    action = {"action": "retain", "data": ["user.device.ip_address"],
              "context": {"linked": True}}
    result = run(POLICY, str(write(tmp_path, json.dumps(action))), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["unmet"] == [{"clause": "ip-not-linked",
                                                   "needs": "not linked"}]


# ----------------------------------------------------------------------- stdin


def test_dash_reads_the_action_from_stdin() -> None:
    result = run(POLICY, "-", "--format", "json", input=json.dumps(ALLOW))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["decision"] == "allow"


def test_dash_errors_point_at_stdin() -> None:
    result = run(POLICY, "-", input='{"action": "use",\n "data": ["user.contact.emial"]}')
    assert result.exit_code == 2
    assert "<stdin>:2:11: error[unknown-term]" in result.stderr


# ----------------------------------------------------------------------- jsonl


def jsonl(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def records(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_jsonl_one_decision_per_line_in_order(tmp_path: Path) -> None:
    lines = [json.dumps(a) for a in (ALLOW, DENY, PARTNER, ALLOW)]
    result = run(POLICY, str(write(tmp_path, jsonl(*lines), "actions.jsonl")), "--jsonl")
    assert result.exit_code == 1
    out = records(result)
    assert [r["decision"] for r in out] == ["allow", "deny", "allow", "allow"]
    assert [r["line"] for r in out] == [1, 2, 3, 4]
    assert out[2]["reasons"][0]["clause"] == "partners"
    assert out[0] == dict(out[3], line=1)


def test_jsonl_exit_0_when_all_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, jsonl(json.dumps(ALLOW), json.dumps(PARTNER)), "actions.jsonl")
    assert run(POLICY, str(path), "--jsonl").exit_code == 0


def test_jsonl_bad_line_gets_an_error_record_and_the_rest_go_on(tmp_path: Path) -> None:
    text = jsonl(json.dumps(ALLOW), '{"action": "use", "data": [', json.dumps(DENY),
                 json.dumps(dict(ALLOW, data=["user.contact.emial"])), json.dumps(PARTNER))
    path = write(tmp_path, text, "actions.jsonl")
    result = run(POLICY, str(path), "--jsonl")
    assert result.exit_code == 2  # a bad line outranks a denial
    out = records(result)
    assert [r["line"] for r in out] == [1, 2, 3, 4, 5]
    assert [r.get("decision") for r in out] == ["allow", None, "deny", None, "allow"]
    assert [e["code"] for e in out[1]["error"]] == ["bad-json"]
    (unknown,) = out[3]["error"]
    assert unknown["code"] == "unknown-term"
    assert unknown["help"] == "did you mean `user.contact.email`?"
    _, column = position(text.splitlines()[3], '"user.contact.emial"')
    assert f"{path}:4:{column}: error[unknown-term]" in result.stderr
    assert f"{path}:2:" in result.stderr


def test_jsonl_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    text = jsonl(json.dumps(ALLOW), "", json.dumps(DENY))
    result = run(POLICY, str(write(tmp_path, text, "actions.jsonl")), "--jsonl")
    assert [(r["line"], r["decision"]) for r in records(result)] == [(1, "allow"),
                                                                     (3, "deny")]


def test_jsonl_repeated_lines_are_each_answered(tmp_path: Path) -> None:
    lines = [json.dumps(DENY), json.dumps(ALLOW)] * 3
    result = run(POLICY, str(write(tmp_path, jsonl(*lines), "actions.jsonl")), "--jsonl")
    out = records(result)
    assert [r["line"] for r in out] == [1, 2, 3, 4, 5, 6]
    assert [r["decision"] for r in out] == ["deny", "allow"] * 3
    assert all({**r, "line": 0} == {**out[i % 2], "line": 0} for i, r in enumerate(out))


def test_jsonl_from_stdin() -> None:
    result = run(POLICY, "-", "--jsonl", input=jsonl(json.dumps(ALLOW), "not json"))
    assert result.exit_code == 2
    out = records(result)
    assert out[0]["decision"] == "allow" and out[1]["line"] == 2 and "error" in out[1]
    assert "<stdin>:2:" in result.stderr


# -------------------------------------------------------------------- manifest


def flow_line(path: Path, name: str) -> int:
    return position(path.read_text(encoding="utf-8"), f"- name: {name}")[0]


def test_manifest_checks_every_flow_and_locates_denials() -> None:
    path = MANIFESTS / "newsletter.yaml"
    result = run(POLICY, "--manifest", str(path))
    assert result.exit_code == 1
    names = [flow["name"] for flow in yaml.safe_load(path.read_text())["flows"]]
    for name in names:
        assert f"{path}:{flow_line(path, name)}: flow `{name}`: " in result.stdout
    denied = "sell the list to advertisers"
    assert f"{path}:{flow_line(path, denied)}: flow `{denied}`: DENY" in result.stdout
    assert f"{len(names)} flows: {len(names) - 1} allowed, 1 denied, 0 invalid" \
        in result.stdout


def test_manifest_json_has_a_record_per_flow() -> None:
    path = MANIFESTS / "newsletter.yaml"
    result = run(POLICY, "--manifest", str(path), "--format", "json")
    assert result.exit_code == 1
    flows = json.loads(result.stdout)["flows"]
    assert [(f["flow"], f["line"], f["decision"]) for f in flows] == [
        ("collect the email at sign-up", flow_line(path, "collect the email at sign-up"),
         "allow"),
        ("send the newsletter", flow_line(path, "send the newsletter"), "allow"),
        ("hand the list to the email provider",
         flow_line(path, "hand the list to the email provider"), "allow"),
        ("sell the list to advertisers", flow_line(path, "sell the list to advertisers"),
         "deny"),
        ("unsubscribe by the link", flow_line(path, "unsubscribe by the link"), "allow"),
    ]
    newsletter = flows[1]
    assert [o["clause"] for o in newsletter["obligations"]] == ["newsletter-delivery"]
    assert [r["clause"] for r in flows[3]["reasons"] if r["role"] == "forbids"] == [
        "no-promotional-sharing"]


def test_manifest_as_a_bare_list_all_allowed_exits_0() -> None:
    result = run(POLICY, "--manifest", str(MANIFESTS / "allowed.yaml"))
    assert result.exit_code == 0
    assert "2 flows: 2 allowed, 0 denied, 0 invalid" in result.stdout


def test_manifest_unknown_term_is_located_and_the_other_flows_answered() -> None:
    path = MANIFESTS / "typo.yaml"
    result = run(POLICY, "--manifest", str(path), "--format", "json")
    assert result.exit_code == 2
    line, column = position(path.read_text(encoding="utf-8"), "user.contact.emial")
    assert f"{path}:{line}:{column}: error[unknown-term]" in result.stderr
    assert "did you mean `user.contact.email`?" in result.stderr
    flows = json.loads(result.stdout)["flows"]
    assert [f["flow"] for f in flows] == ["share with partners", "authenticate",
                                          "post testimonials without asking"]
    assert "error" in flows[0] and "decision" not in flows[0]
    assert flows[1]["decision"] == "allow"
    assert flows[2]["decision"] == "deny"


def test_manifest_text_with_an_invalid_flow_counts_it() -> None:
    result = run(POLICY, "--manifest", str(MANIFESTS / "typo.yaml"))
    assert result.exit_code == 2
    assert "3 flows: 1 allowed, 1 denied, 1 invalid" in result.stdout


def test_manifest_that_is_not_yaml_is_a_located_error(tmp_path: Path) -> None:
    path = write(tmp_path, "flows:\n  - name: [unclosed\n", "broken.yaml")
    result = run(POLICY, "--manifest", str(path))
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: error\[bad-manifest\]", result.stderr)


# ----------------------------------------------------------------- bad actions


BAD_ACTIONS = [
    # (name, action text, code, the text the error points at, help)
    ("unknown-term",
     '{"action": "share",\n "data": ["user.contact.emial"],\n "recipient": "partner"}\n',
     "unknown-term", '"user.contact.emial"', "did you mean `user.contact.email`?"),
    ("unknown-field",
     '{"action": "use",\n "data": ["user.contact.email"],\n "purpos": "essential.service"}\n',
     "bad-action", '"purpos"', "did you mean `purpose`?"),
    ("unknown-fact",
     '{"action": "use",\n "data": ["user.contact.email"],\n "context": {"consnt": true}}\n',
     "unknown-fact", '"consnt"', "did you mean `consent`?"),
    ("wrong-fact-type",
     '{"action": "use",\n "data": ["user.contact.email"],\n "context": {"consent": "yes"}}\n',
     "fact-type", '"consent"', None),
    ("wrong-fact-type-number-for-bool",
     '{"action": "use",\n "data": ["user.contact.email"],\n "context": {"consent": 1}}\n',
     "fact-type", '"consent"', None),
    ("missing-data",
     '{"action": "share",\n "recipient": "partner"}\n',
     "missing-field", '"share"', None),
    ("invalid-json",
     '{"action": "use",\n "data": ["user.contact.email"\n "purpose": "essential.service"}\n',
     "bad-json", '"purpose"', None),
]


@pytest.mark.parametrize(("text", "code", "at", "help"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD_ACTIONS])
def test_bad_action_exits_2_with_a_located_error(tmp_path: Path, text: str, code: str,
                                                 at: str, help: str | None) -> None:
    path = write(tmp_path, text)
    result = run(POLICY, str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    line, column = position(text, at)
    assert f"{path}:{line}:{column}: error[{code}]" in result.stderr, result.stderr
    if help:
        assert f"= help: {help}" in result.stderr


def test_wrong_fact_type_names_the_fact(tmp_path: Path) -> None:
    text = BAD_ACTIONS[3][1]
    result = run(POLICY, str(write(tmp_path, text)))
    assert result.exit_code == 2
    assert "context.consent" in result.stderr
    assert result.stderr.count("error[") == 1  # one message per fact, not one per type tried
    assert 'context.consent: `consent` is true or false, not "yes"' in result.stderr


def test_a_fact_value_of_no_kind_says_what_facts_are(tmp_path: Path) -> None:
    text = '{"action": "use", "data": ["user.contact.email"], "context": {"consent": [1]}}'
    result = run(POLICY, str(write(tmp_path, text)))
    assert result.exit_code == 2 and result.stderr.count("error[") == 1
    assert "facts are true, false, whole numbers up to 9,007,199,254,740,991 or names" \
        in result.stderr


def test_bad_action_error_shows_the_line_and_a_caret(tmp_path: Path) -> None:
    text = BAD_ACTIONS[0][1]
    result = run(POLICY, str(write(tmp_path, text)))
    assert ' "data": ["user.contact.emial"],' in result.stderr
    assert "^" * len('"user.contact.emial"') in result.stderr


# ----------------------------------------------------------------------- usage


def test_missing_action_is_a_usage_error() -> None:
    result = run(POLICY)
    assert result.exit_code == 2
    assert "missing ACTION" in result.stderr


def test_action_and_manifest_together_is_a_usage_error(tmp_path: Path) -> None:
    result = run(POLICY, str(write(tmp_path, json.dumps(ALLOW))), "--manifest",
                 str(MANIFESTS / "allowed.yaml"))
    assert result.exit_code == 2


def test_missing_action_file_exits_2(tmp_path: Path) -> None:
    result = run(POLICY, str(tmp_path / "nowhere.json"))
    assert result.exit_code == 2
    assert "nowhere.json" in result.stderr


def test_missing_policy_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "none.policy"), str(write(tmp_path, json.dumps(ALLOW))))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


# ------------------------------------------------------------------ subprocess


def test_real_executable_allows_denies_and_rejects(tmp_path: Path) -> None:
    allow = write(tmp_path, json.dumps(ALLOW), "allow.json")
    bad = write(tmp_path, '{"action": "use", "data": ["user.contact.emial"]}', "bad.json")

    def check(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "clausewise", "check", POLICY, *args],
                              input=input, capture_output=True, text=True, cwd=ROOT,
                              timeout=120)

    done = check(str(allow), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["decision"] == "allow"

    denied = check("-", input=json.dumps(DENY))
    assert denied.returncode == 1
    assert denied.stdout.startswith("DENY")

    rejected = check(str(bad))
    assert rejected.returncode == 2
    assert f"{bad}:1:" in rejected.stderr
    assert "Traceback" not in rejected.stderr

    stream = check("-", "--jsonl", input=jsonl(json.dumps(ALLOW), json.dumps(DENY)))
    assert stream.returncode == 1
    assert [json.loads(line)["decision"] for line in stream.stdout.splitlines()] == \
        ["allow", "deny"]


def test_jsonl_brief_gives_the_same_decisions_without_explanations(tmp_path: Path) -> None:
    lines = [
        '{"action": "share", "data": ["user.contact.email"], "recipient": "partner", '
        '"purpose": "marketing", "context": {"consent": true, "opted_out": false}}',
        '{"action": "collect", "data": ["user.health_and_medical"]}',
        '{"action": "use", "data": ["user.contact.email"], '
        '"purpose": "essential.service.authentication"}',
    ]
    path = write(tmp_path, "\n".join(lines) + "\n")
    full = [json.loads(x) for x in run(POLICY, str(path), "--jsonl").stdout.splitlines()]
    result = run(POLICY, str(path), "--jsonl", "--brief")
    brief = [json.loads(x) for x in result.stdout.splitlines()]
    assert result.exit_code == 1  # one line is denied
    assert [b["decision"] for b in brief] == [f["decision"] for f in full]
    assert [b["line"] for b in brief] == [1, 2, 3]
    assert brief[1]["clauses"] == ["no-phi"]
    assert all(set(b) == {"decision", "clauses", "line"} for b in brief)


def test_brief_without_jsonl_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path, '{"action": "use", "data": ["user.name"]}')
    result = run(POLICY, str(path), "--brief")
    assert result.exit_code == 2
    assert "--brief goes with --jsonl" in result.stderr


def test_manifest_with_a_python_tag_is_refused_not_run(tmp_path: Path) -> None:
    manifest = tmp_path / "flows.yaml"
    manifest.write_text("flows:\n  - name: x\n    action: !!python/object/apply:os.system "
                        "[\"touch pwned\"]\n", encoding="utf-8")
    result = run(POLICY, "--manifest", str(manifest))
    assert result.exit_code == 2
    assert f"{manifest}:3:13: error[bad-manifest]: `!!python/object/apply:os.system` values" \
        in result.stderr
    assert not (tmp_path / "pwned").exists()


def test_jsonl_bad_bytes_and_non_objects_get_error_records(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'\xff\xfe\n[1]\n{"action": "use", "data": ["user.name"], '
                     b'"purpose": "essential.service"}\n')
    result = run(POLICY, str(path), "--jsonl")
    records = [json.loads(x) for x in result.stdout.splitlines()]
    assert result.exit_code == 2
    assert [r.get("line") for r in records] == [1, 2, 3]
    assert records[0]["error"][0]["code"] == "encoding"
    assert "not an array" in records[1]["error"][0]["message"]
    assert records[2]["decision"] == "allow"
    assert f"{path}:2:1: error[bad-action]" in result.stderr


def test_an_action_file_without_end_is_refused(tmp_path: Path) -> None:
    result = run(POLICY, "/dev/zero")
    assert result.exit_code == 2
    assert "larger than" in result.stderr


def test_an_action_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"action": "use", "data": ["user.name"], '
                     b'"purpose": "essential.service"}')
    assert run(POLICY, str(path)).exit_code == 0


# ------------------------------------------------------------- --why and --verbose


def test_why_explains_a_clause_that_did_not_apply(tmp_path: Path) -> None:
    action = dict(PARTNER, context={"consent": False, "opted_out": True})
    result = run(POLICY, str(write(tmp_path, json.dumps(action))), "--why", "partners")
    assert result.exit_code == 1
    why = result.stdout.split("why ", 1)[1]
    assert why.startswith("sharing `partners`")
    assert "  - recipient: `partner` is at or under `partner`" in why
    assert "condition `consent and not opted_out`: does not hold (given consent = false, " \
        "opted_out = true)" in why
    assert "  = it matches, but its condition does not hold" in why


def test_why_of_a_clause_of_another_kind_says_so(tmp_path: Path) -> None:
    result = run(POLICY, str(write(tmp_path, json.dumps(ALLOW))), "--why", "partners",
                 "--format", "json")
    assert result.exit_code == 0
    why = json.loads(result.stdout)["why"]
    assert why["clause"] == "partners"
    assert "does not apply: it decides `share`, and this is a `use`" in why["lines"][1]


def test_why_of_an_unknown_clause_is_a_usage_error_with_a_suggestion(tmp_path: Path) -> None:
    result = run(POLICY, str(write(tmp_path, json.dumps(ALLOW))), "--why", "partner")
    assert result.exit_code == 2
    assert "no clause `partner`" in result.stderr
    assert "did you mean `partners`?" in result.stderr


def test_why_goes_with_one_action_only(tmp_path: Path) -> None:
    result = run(POLICY, str(write(tmp_path, json.dumps(ALLOW))), "--jsonl", "--why", "x")
    assert result.exit_code == 2
    assert "--why explains one action" in result.stderr


def test_verbose_lists_every_assumption(tmp_path: Path) -> None:
    path = str(write(tmp_path, json.dumps({"action": "use", "data": ["user"],
                                           "purpose": "essential.service"})))
    plain, verbose = run(POLICY, path), run(POLICY, path, "--verbose")
    assert plain.exit_code == verbose.exit_code == 1
    assert "assumed:" not in plain.stdout  # denied anyway: the age would change nothing
    assert "assumed:\n  - no-children" in verbose.stdout


# --------------------------------------------------- JSONL: the fast way stays strict


def test_jsonl_brief_refuses_a_key_given_twice_after_its_shape_was_seen(tmp_path: Path) -> None:
    good = json.dumps(PARTNER)
    twice = good.replace('"consent": true', '"consent": false, "consent": true')
    assert twice != good
    result = run(POLICY, str(write(tmp_path, "\n".join([good, twice, good]) + "\n",
                                   "log.jsonl")), "--jsonl", "--brief")
    assert result.exit_code == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("decision") for r in out] == ["allow", None, "allow"]
    assert out[1]["error"][0]["code"] == "duplicate-key"


@pytest.mark.parametrize("context, code", [
    ({"consent": 1}, "fact-type"), ({"consent": True, "consnet": True}, "unknown-fact"),
    ({"subject_age": True}, "fact-type"), ({"subject_age": 2**60}, "bad-number"),
])
def test_jsonl_brief_checks_every_fact_of_a_known_shape(tmp_path: Path, context: dict,
                                                        code: str) -> None:
    lines = [json.dumps(PARTNER), json.dumps(dict(PARTNER, context=context))]
    result = run(POLICY, str(write(tmp_path, "\n".join(lines) + "\n", "log.jsonl")),
                 "--jsonl", "--brief")
    assert result.exit_code == 2
    second = json.loads(result.stdout.splitlines()[1])
    assert second["line"] == 2 and second["error"][0]["code"] == code


def test_jsonl_brief_is_the_same_with_and_without_orjson(tmp_path: Path, monkeypatch) -> None:
    from clausewise.cli import check as check_module

    lines = [json.dumps(dict(PARTNER, context={"consent": c, "opted_out": o}))
             for c in (True, False) for o in (True, False)] + [json.dumps(DENY), "{bad"]
    path = str(write(tmp_path, "\n".join(lines * 3) + "\n", "log.jsonl"))
    fast = run(POLICY, path, "--jsonl", "--brief")
    monkeypatch.setattr(check_module, "_orjson", None)
    slow = run(POLICY, path, "--jsonl", "--brief")
    assert fast.exit_code == slow.exit_code == 2
    assert fast.stdout == slow.stdout


def test_jsonl_shows_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    import os
    import pty

    from clausewise.cli.check import PROGRESS_AFTER

    path = write(tmp_path, (json.dumps(ALLOW) + "\n") * (PROGRESS_AFTER + 50_000), "big.jsonl")
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "clausewise", "check", POLICY, str(path),
                                "--jsonl", "--brief"], stdout=subprocess.DEVNULL,
                               stderr=follower, cwd=ROOT)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=120) == 0
    os.close(leader)
    assert re.search(rb"\r[\d,]+ actions +\d+%, [\d,]+/s", seen), seen[-300:]
    piped = subprocess.run([sys.executable, "-m", "clausewise", "check", POLICY, str(path),
                            "--jsonl", "--brief"], capture_output=True, cwd=ROOT, timeout=120)
    assert piped.returncode == 0 and piped.stderr == b""
