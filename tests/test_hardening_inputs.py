"""Issue 8: includes stay in the policy's tree, actions and manifests fail closed and
never crash, and every input is bounded. Each reproducer of the issue is a test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import clausewise
from clausewise.cli import main
from clausewise.errors import ActionError, PolicyError
from clausewise.loader import load

ROOT = Path(__file__).resolve().parent.parent
KAREO = ROOT / "rules" / "kareo.policy"
SECRET = "SECRET_TOKEN=hunter2"


@pytest.fixture(scope="module")
def engine() -> clausewise.Engine:
    return clausewise.load(KAREO)


def cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clausewise", *args], input=input,
                          capture_output=True, text=True, timeout=120)


# ------------------------------------------------------------------ includes
@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """policies/main.policy beside secret/.env and shared.policy one level up."""
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / ".env").write_text(SECRET + "\n")
    (tmp_path / "shared.policy").write_text('define recipient courier "a courier"\n')
    (tmp_path / "policies").mkdir()
    return tmp_path


@pytest.mark.parametrize("target", ["../secret/.env", "../../../../../../etc/passwd",
                                    "/etc/passwd", "../shared.policy"])
def test_an_include_outside_the_tree_is_refused_without_reading(tree: Path, target: str) -> None:
    root = tree / "policies" / "main.policy"
    root.write_text(f'include "{target}"\n')
    result = cli("validate", str(root))
    assert result.returncode == 2
    assert f"{root}:1:1: error[include-outside-root]: `{target}` is outside" in result.stderr
    assert SECRET not in result.stderr and "root:" not in result.stderr


def test_a_symbolic_link_out_of_the_tree_is_refused(tree: Path) -> None:
    (tree / "policies" / "link.policy").symlink_to(tree / "secret" / ".env")
    root = tree / "policies" / "main.policy"
    root.write_text('include "link.policy"\n')
    with pytest.raises(PolicyError) as caught:
        load(root)
    assert caught.value.codes == ("include-outside-root",)
    assert SECRET not in caught.value.format()


def test_an_include_that_is_not_a_policy_file_is_refused_without_reading(tree: Path) -> None:
    (tree / "policies" / "notes.txt").write_text(SECRET + "\n")
    root = tree / "policies" / "main.policy"
    root.write_text('include "notes.txt"\n')
    with pytest.raises(PolicyError) as caught:
        load(root)
    assert caught.value.codes == ("include-not-policy",)
    assert SECRET not in caught.value.format()


def test_include_root_widens_the_tree(tree: Path) -> None:
    root = tree / "policies" / "main.policy"
    root.write_text('include "../shared.policy"\n')
    assert "courier" in {t.key for t in load(root, include_root=tree).policy.terms}
    result = cli("validate", str(root), "--include-root", str(tree))
    assert result.returncode == 0, result.stderr
    assert clausewise.load(root, include_root=tree).vocabulary.knows(
        clausewise.model.Vocab.recipient, "courier")


def test_the_bundled_policy_includes_within_its_tree() -> None:
    assert len(load(KAREO).policy.documents) == 2


@pytest.mark.parametrize("special", ["fifo", "/dev/stdin"])
def test_an_include_of_a_pipe_or_device_is_refused_not_waited_on(tmp_path: Path,
                                                                 special: str) -> None:
    if special == "fifo":
        os.mkfifo(tmp_path / "pipe.policy")
        target = "pipe.policy"
    else:
        (tmp_path / "stdin.policy").symlink_to("/dev/stdin")
        target = "stdin.policy"
    root = tmp_path / "main.policy"
    root.write_text(f'include "{target}"\n')
    # the whole process, with a terminal-less stdin that never ends: it must not block
    read_end, write_end = os.pipe()
    try:
        result = subprocess.run([sys.executable, "-m", "clausewise", "validate", str(root),
                                 "--include-root", "/"], stdin=read_end,
                                capture_output=True, text=True, timeout=60)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert result.returncode == 2, result.stderr
    assert "is not a regular file" in result.stderr


# ------------------------------------------------------------- fail closed
def test_a_repeated_key_in_action_json_is_an_error_not_last_one_wins(engine) -> None:
    text = ('{"action": "share", "data": ["user.name"], "recipient": "partner",\n'
            ' "purpose": "marketing", "context": {"consent": false, "opted_out": false,\n'
            ' "consent": true}}')
    with pytest.raises(ActionError) as caught:
        engine.check(text)
    [d] = caught.value.diagnostics
    assert d.code == "duplicate-key" and (d.span.line, d.span.column) == (3, 2)
    assert "`consent` is given twice (first at line 2)" in d.message


def test_a_repeated_data_field_is_an_error(engine) -> None:
    with pytest.raises(ActionError) as caught:
        engine.check('{"action": "use", "data": ["user.health_and_medical"], '
                     '"data": ["user.contact.email"], "purpose": "marketing"}')
    assert caught.value.codes == ("duplicate-key",)


def test_a_repeated_key_in_a_jsonl_batch_fails_only_its_line(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    good = {"action": "use", "data": ["user.contact.email"],
            "purpose": "essential.service.authentication"}
    log.write_text(json.dumps(good) + "\n" + '{"action": "use", "action": "share"}\n'
                   + json.dumps(good) + "\n")
    result = cli("check", str(KAREO), str(log), "--jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("decision", "error") for r in records] == ["allow", "error", "allow"]
    assert records[1]["error"][0]["code"] == "duplicate-key" and result.returncode == 2


def test_a_notification_carrying_data_needs_a_clause_that_covers_the_data(engine) -> None:
    notice = {"action": "notify", "subject": "customer", "channel": "email",
              "event": "service_announcement", "purpose": "essential.service.notifications"}
    assert engine.check(notice).effect == "allow"
    carrying = engine.check({**notice, "data": ["user.health_and_medical"]})
    assert carrying.effect == "deny"
    assert engine.explain(carrying)["reasons"][0]["role"] == "no-clause"


def test_an_exercise_carrying_data_is_not_covered_by_a_right_naming_none(engine) -> None:
    exercise = {"action": "exercise", "right": "deactivation"}
    assert engine.check(exercise).effect == "allow"
    assert engine.check({**exercise, "data": ["user.financial"]}).effect == "deny"


@pytest.mark.parametrize("days", ["true", '"30"', "30.0", "-1", "1e3"])
def test_days_is_a_whole_number_strictly(engine, days: str) -> None:
    with pytest.raises(ActionError) as caught:
        engine.check('{"action": "retain", "data": ["user.name"], "days": %s}' % days)
    assert caught.value.diagnostics[0].message.startswith("days:")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_are_not_numbers_are_refused(engine, value: str) -> None:
    with pytest.raises(ActionError) as caught:
        engine.check('{"action": "use", "data": ["user"], "context": {"subject_age": %s}}'
                     % value)
    assert caught.value.codes == ("bad-number",)


# --------------------------------------------------------------- no crash
def test_deeply_nested_json_is_a_located_error_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 1000 + "]" * 1000)
    result = cli("check", str(KAREO), str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{path}:1:17: error[too-deep]" in result.stderr


def test_deep_json_in_a_batch_answers_the_other_lines(tmp_path: Path, engine) -> None:
    good = json.dumps({"action": "exercise", "right": "deactivation"})
    log = tmp_path / "log.jsonl"
    log.write_text(good + "\n" + "[" * 5000 + "\n" + good + "\n")
    result = cli("check", str(KAREO), str(log), "--jsonl", "--brief")
    decisions = [json.loads(line).get("decision", "error") for line in result.stdout.splitlines()]
    assert decisions == ["allow", "error", "allow"] and result.returncode == 2
    answers = list(engine.check_many([good, "[" * 5000, good]))
    assert [type(a).__name__ for a in answers] == ["Decision", "ActionError", "Decision"]


def _cyclic_dict() -> dict:
    action: dict = {"action": "use"}
    action["context"] = action
    return action


def _cyclic_list() -> dict:
    data: list = ["user"]
    data.append(data)
    return {"action": "use", "data": data}


def _deep_list() -> list:
    top: list = []
    inner = top
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    return top


@pytest.mark.parametrize("raw", [
    {1}, 10**5000, _cyclic_dict(), _cyclic_list(), _deep_list(), b"\xff\xfe",
    {"action": "use", "data": ["user"], "context": {"subject_age": 10**5000}},
    {"action": "use", "data": ["user"], "context": {"consent": {1}}},
    {"action": "use", "data": ["user"], "context": {"consent": object()}},
    {"action": "retain", "data": ["user"], "days": 10**5000},
    {"action": "use", "data": ["user"], 1: 2}, {"action": "use", "data": {"user": 1}},
    {"action": "use", "data": ["user"] * 5000},
], ids=["set", "huge-int", "cyclic-dict", "cyclic-list", "deep-list", "bytes", "huge-fact",
        "set-fact", "object-fact", "huge-days", "int-key", "dict-data", "5000-items"])
def test_any_python_object_given_to_the_api_is_an_action_error(engine, raw) -> None:
    [answer] = list(engine.check_many([raw]))
    assert isinstance(answer, ActionError)
    assert answer.format()  # formatting never fails either
    with pytest.raises(ActionError):
        engine.check(raw)


def test_an_action_with_thousands_of_unknown_fields_reports_twenty_and_counts_the_rest(
        engine) -> None:
    text = json.dumps({"action": "use", "data": ["user"],
                       **{f"field{i}": i for i in range(4000)}})
    with pytest.raises(ActionError) as caught:
        engine.check(text)
    diagnostics = caught.value.diagnostics
    assert len(diagnostics) == 21
    assert diagnostics[-1].message == "and 3,980 more problems in this action"


def test_thousands_of_unknown_terms_report_twenty_and_count_the_rest(engine) -> None:
    with pytest.raises(ActionError) as caught:
        engine.check({"action": "use", "data": [f"user.nothing{i}" for i in range(900)],
                      "context": {f"fact{i}": True for i in range(900)}})
    assert len(caught.value.diagnostics) == 21
    assert "and 1,780 more problems" in caught.value.diagnostics[-1].message


def test_an_unexpected_exception_is_one_line_asking_for_a_report_and_exit_3(monkeypatch) -> None:
    from clausewise.api import Engine

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in deciding")

    monkeypatch.setattr(Engine, "check", broken)
    result = CliRunner().invoke(main, ["check", str(KAREO), str(ROOT / "examples" /
                                                                  "pay-card-processor.json")])
    assert result.exit_code == 3
    assert result.output.strip().splitlines() == [
        "clausewise: internal error (ZeroDivisionError: a bug in deciding); this is a bug, "
        "please report it with the command and input that caused it"]


# --------------------------------------------------------------- manifests
def manifest(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "flows.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_FLOW = ("  - name: good\n    action: exercise\n    right: deactivation\n")


@pytest.mark.parametrize("value, message", [
    ("!!binary aGVsbG8=", "`!!binary` values are not action fields"),
    ("!!set {a, b}", "`!!set` values are not action fields"),
    ("!!python/name:os.system", "`!!python/name:os.system` values are not action fields"),
    ("9" * 5000, "is too large"),
])
def test_a_manifest_value_of_another_kind_fails_its_flow_only(tmp_path: Path, value: str,
                                                              message: str) -> None:
    path = manifest(tmp_path, f"flows:\n  - name: odd\n    action: use\n    data: {value}\n"
                    + GOOD_FLOW)
    result = cli("check", str(KAREO), "--manifest", str(path), "--format", "json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    flows = json.loads(result.stdout)["flows"]
    assert message in flows[0]["error"][0] and flows[1]["decision"] == "allow"
    assert f"{path}:4:" in result.stderr


def test_a_date_in_a_manifest_is_the_text_it_was_written_as(tmp_path: Path) -> None:
    path = manifest(tmp_path, "flows:\n  - name: dated\n    action: retain\n"
                    "    data: [user.name]\n    until: 2020-01-01\n")
    result = cli("check", str(KAREO), "--manifest", str(path))
    assert result.returncode == 2
    assert "until: unknown event `2020-01-01`" in result.stderr


def test_a_repeated_key_in_a_manifest_flow_is_located(tmp_path: Path) -> None:
    path = manifest(tmp_path, "flows:\n  - name: twice\n    action: use\n    data: [user]\n"
                    "    purpose: marketing\n    purpose: essential\n" + GOOD_FLOW)
    result = cli("check", str(KAREO), "--manifest", str(path))
    assert result.returncode == 2
    assert f"{path}:6:5: error[bad-manifest]: `purpose` is given twice (first at line 5)" \
        in result.stderr
    assert "flow `good`: ALLOW" in result.stdout


def test_a_merge_key_is_not_a_repeated_key(tmp_path: Path) -> None:
    path = manifest(tmp_path, "base: &base\n  action: exercise\n  right: unsubscribe\n"
                    "flows:\n  - name: merged\n    <<: *base\n    right: deactivation\n")
    result = cli("check", str(KAREO), "--manifest", str(path))
    assert result.returncode == 0, result.stderr
    assert "flow `merged`: ALLOW" in result.stdout


def test_a_manifest_nested_500_deep_is_a_located_error(tmp_path: Path) -> None:
    path = manifest(tmp_path, "flows:\n  - name: deep\n    data: " + "[" * 500 + "]" * 500
                    + "\n")
    result = cli("check", str(KAREO), "--manifest", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "error[bad-manifest]: the manifest nests more than 32 levels deep" in result.stderr


ALIAS_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
flows:
  - name: bomb
    action: use
    data: *i
"""


def test_a_yaml_alias_bomb_is_refused_within_its_budget(tmp_path: Path) -> None:
    assert len(ALIAS_BOMB) < 500
    path = manifest(tmp_path, ALIAS_BOMB + GOOD_FLOW)
    result = cli("check", str(KAREO), "--manifest", str(path), "--format", "json")
    assert result.returncode == 2
    flows = json.loads(result.stdout)["flows"]
    assert "more than 10,000 values once its aliases are expanded" in flows[0]["error"][0]
    assert flows[1]["decision"] == "allow"


def test_too_many_aliases_are_refused(tmp_path: Path) -> None:
    path = manifest(tmp_path, "a: &a x\nflows:\n  - name: many\n    data: [" +
                    ",".join(["*a"] * 1001) + "]\n")
    result = cli("check", str(KAREO), "--manifest", str(path))
    assert result.returncode == 2
    assert "the manifest uses more than 1000 aliases" in result.stderr


@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_manifest_that_is_a_pipe_or_device_is_refused(tmp_path: Path, special: str) -> None:
    path = tmp_path / "flows.yaml"
    if special == "fifo":
        os.mkfifo(path)
        # a writer that never writes: reading would block forever
        holder = threading.Thread(target=lambda: open(path, "wb").close(), daemon=True)
        holder.start()
    else:
        path = Path("/dev/zero")
    result = cli("check", str(KAREO), "--manifest", str(path))
    assert result.returncode == 2
    assert "is not a regular file" in result.stderr


def test_a_manifest_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("# padding\n" * 500_000)
    result = cli("check", str(KAREO), "--manifest", str(path))
    assert result.returncode == 2
    assert "it is larger than 4 MB" in result.stderr


def test_the_server_keeps_includes_in_the_tree_too(tree: Path) -> None:
    from clausewise.server.store import PolicyStore

    root = tree / "policies" / "main.policy"
    root.write_text('include "../shared.policy"\n')
    with pytest.raises(PolicyError) as caught:
        PolicyStore([str(root)])
    assert caught.value.codes == ("include-outside-root",)
    store = PolicyStore([str(root)], str(tree))
    assert store.get(None).version.engine.vocabulary.knows(clausewise.model.Vocab.recipient,
                                                           "courier")


def test_a_reader_that_stops_reading_is_no_internal_error() -> None:
    process = subprocess.Popen([sys.executable, "-m", "clausewise", "vocab"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as `clausewise vocab | head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert b"internal error" not in stderr and b"Traceback" not in stderr
