"""The semantic diff on the edits a legal editor makes to Kareo's policy, and `clausewise diff`.

Each test copies rules/kareo.policy and its vocabulary into a temporary
directory, edits the copy as an editor would (the edit must apply to the clause
it names, or the test fails), and checks what the diff reports against the
decision engine: every witness named here is decided again by both versions.
The CLI tests cover every --format, every --fail-on, the bad inputs (exit 2) and
--base GITREF in a real git repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from clausewise import model as m
from clausewise.cli import main
from clausewise.diff.changes import Change, DiffResult, diff
from clausewise.engine import Action, CompiledPolicy, Decision, decide
from clausewise.loader import Loaded, load
from conftest import ROOT

FILES = ("kareo.policy", "kareo-vocabulary.policy")


# ------------------------------------------------------------------ helpers
@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the Kareo policy (with its vocabulary): old/ stays, new/ gets edited."""
    roots = []
    for side in ("old", "new"):
        folder = tmp_path / side
        folder.mkdir()
        for name in FILES:
            shutil.copy(ROOT / "rules" / name, folder / name)
        roots.append(folder / "kareo.policy")
    return roots[0], roots[1]


def clause_block(text: str, clause_id: str) -> re.Match[str]:
    found = re.search(rf"^\w+ {re.escape(clause_id)}\n.*?^end\n", text, re.S | re.M)
    assert found is not None, f"no clause `{clause_id}` in the policy"
    return found


def edit_clause(path: Path, clause_id: str, old: str, new: str) -> None:
    """Replace `old` by `new` inside clause `clause_id` only; the edit must apply."""
    text = path.read_text(encoding="utf-8")
    block = clause_block(text, clause_id)
    assert old in block.group(0), f"`{old!r}` is not in clause `{clause_id}`"
    edited = block.group(0).replace(old, new, 1)
    path.write_text(text[:block.start()] + edited + text[block.end():], encoding="utf-8")


def clause_line(path: Path, clause_id: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, clause_block(text, clause_id).start()) + 1


def compare(old: Path, new: Path) -> DiffResult:
    return diff(load(old), load(new))


def redecide(result: DiffResult, action: Action) -> tuple[Decision, Decision]:
    """Decide `action` with both versions, as the diff compiles them (each with its vocabulary)."""
    sides = []
    for loaded in (result.old, result.new):
        sides.append(CompiledPolicy(loaded.policy, loaded.vocabulary))
    return decide(sides[0], action), decide(sides[1], action)


def under(loaded: Loaded, vocab: m.Vocab, key: str | None, ancestor: str) -> bool:
    return key is not None and ancestor in loaded.vocabulary.ancestors(vocab, key)


def assert_really_changed(result: DiffResult, change: Change) -> tuple[Decision, Decision]:
    """The witness is decided as the change's class says, by the clauses it names."""
    assert change.witness is not None
    before, after = redecide(result, change.witness)
    assert (before.effect, after.effect) == change.effects
    if change.effects[0] != change.effects[1]:  # newly allowed widens, newly denied narrows
        gained = after.allowed != (change.kind == "exercise")  # a right lost widens
        assert change.cls == ("widening" if gained else "narrowing")
    assert before.clause_ids == change.old_clauses
    assert after.clause_ids == change.new_clauses
    return before, after


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, ["diff", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output
    return result


# ---------------------------------------------------------------- the edits
def drop_partner_opt_out(new: Path) -> None:
    edit_clause(new, "partners", "  unless opted_out\n", "")


def share_phone_with_partners(new: Path) -> None:
    edit_clause(new, "partners", "share user.name, user.contact.email\n",
                "share user.name, user.contact.email, user.contact.phone_number\n")


def drop_merger_notice_timing(new: Path) -> None:
    edit_clause(new, "merger-notice", "  before\n", "")


def limit_ip_retention(new: Path) -> None:
    """Keep IP addresses 30 days, and say so (else the unchanged text is drift)."""
    edit_clause(new, "ip-not-linked", "  indefinitely\n", "  for 30 days\n")
    edit_clause(new, "ip-not-linked", "is not permanently stored",
                "is kept for 30 days, and not stored")


def reword_partner_prose(new: Path) -> None:
    edit_clause(new, "partners", "With your consent, we do share",
                "If you agree, we will share")


# ------------------------------------------------------------- (i) opt-out
def test_dropping_the_partner_opt_out_widens_sharing_with_partners(versions) -> None:
    old, new = versions
    drop_partner_opt_out(new)
    result = compare(old, new)

    widenings = result.of("widening")
    assert widenings
    assert result.decision_changes == widenings  # nothing narrows, no duty moves
    for change in widenings:
        witness = change.witness
        assert witness is not None and witness.action == "share"
        assert under(result.new, m.Vocab.recipient, witness.recipient, "partner")
        assert "partners" in change.new_clauses
        # only an opt-out that is not known to be absent tells the versions apart
        assert witness.context.get("opted_out") is not False
        assert_really_changed(result, change)
    # the text still promises what it did: the rules drifted from it
    assert [(c.cls, c.clause) for c in result.changes if c.kind is None] == \
        [("drift", "partners")]


# ---------------------------------------------------------- (ii) phone number
def test_adding_the_phone_number_to_partner_sharing_widens_it_to_that_data(versions) -> None:
    old, new = versions
    share_phone_with_partners(new)
    result = compare(old, new)

    widenings = result.of("widening")
    assert widenings and result.decision_changes == widenings
    for change in widenings:
        assert change.witness is not None
        assert change.witness.data == ("user.contact.phone_number",)
        assert change.witness.action == "share"
        assert "partners" in change.new_clauses
        assert_really_changed(result, change)


# --------------------------------------------------------- (iii) merger notice
def test_dropping_the_notice_before_a_merger_lets_the_transfer_go_without_notice(
        versions) -> None:
    old, new = versions
    drop_merger_notice_timing(new)
    result = compare(old, new)

    # a person's request on a merger no longer waits for the notice: their rights widen
    assert all(c.kind == "exercise" and c.effects == ("deny", "allow")
               for c in result.of("narrowing")) and result.of("both") == ()
    for change in result.decision_changes:  # only actions on a merger change
        assert change.witness is not None and change.witness.event == "merger"
        assert_really_changed(result, change)

    transfers = [c for c in result.of("widening") if "merger-transfer" in c.new_clauses
                 and c.effects == ("deny", "allow")]
    assert transfers
    for change in transfers:
        witness = change.witness
        assert witness is not None and witness.action == "share"
        assert under(result.new, m.Vocab.recipient, witness.recipient, "acquirer")
        assert change.old_clauses == ("merger-notice",)
        assert witness.context.get("notice_given") is not True
    # the very transfer the notice held back: nothing said about any notice
    bare = Action(action="share", data=("user.contact.email",), recipient="acquirer",
                  purpose="merger_acquisition", event="merger")
    before, after = redecide(result, bare)
    assert before.effect == "deny" and before.clause_ids == ("merger-notice",)
    assert after.effect == "allow" and after.clause_ids == ("merger-transfer",)


def merger_transfer_duty_added(result: DiffResult) -> tuple[Change, set[m.Obligation]]:
    """The one duty change of the merger transfer, and the duties it adds: the notice that
    held it back now comes with it, a weaker promise (a widening)."""
    added = [c for c in result.decision_changes if c.new_clauses == ("merger-transfer",)
             and c.effects == ("allow", "allow")]
    assert len(added) == 1
    change = added[0]
    assert change.cls == "widening" and change.removed == () and len(change.added) == 1
    assert change.witness is not None and change.witness.context.get("notice_given") is True
    before, after = assert_really_changed(result, change)
    duties = {d.obligation for d in after.obligations} - {d.obligation for d in before.obligations}
    assert [d.clause for d in after.obligations if d.obligation in duties] == ["merger-notice"]
    assert len(change.obligations) == 1
    return change, duties


def test_dropping_the_notice_before_a_merger_makes_it_a_duty_that_rides_along(
        versions) -> None:
    old, new = versions
    drop_merger_notice_timing(new)
    result = compare(old, new)
    _, duties = merger_transfer_duty_added(result)
    notice = result.new.policy.clause("merger-notice")
    assert isinstance(notice, m.Notification) and notice.timing is None
    # the notice no longer holds the transfer back: it comes with it, by the same channels
    assert duties == {m.NotifyDuty(timing=None, channels=("email", "web_notice"))}


def test_a_notice_moved_after_the_merger_is_an_after_notice_duty(versions) -> None:
    old, new = versions
    edit_clause(new, "merger-notice", "  before\n", "  after\n")
    result = compare(old, new)
    # a person's request on a merger no longer waits for the notice: their rights widen
    assert all(c.kind == "exercise" and c.effects == ("deny", "allow")
               for c in result.of("narrowing")) and result.of("both") == ()
    assert any("merger-transfer" in c.new_clauses and c.old_clauses == ("merger-notice",)
               for c in result.of("widening"))
    change, duties = merger_transfer_duty_added(result)
    assert duties == {m.NotifyDuty(timing=m.Timing(when="after"),
                                   channels=("email", "web_notice"))}
    assert " after " in change.obligations[0]


# ------------------------------------------------------------ (iv) retention
def test_a_retention_limit_on_ip_addresses_narrows_keeping_them(versions) -> None:
    old, new = versions
    limit_ip_retention(new)
    result = compare(old, new)

    narrowings = result.of("narrowing")
    assert narrowings and result.decision_changes == narrowings
    for change in narrowings:
        witness = change.witness
        assert witness is not None and witness.action == "retain"
        assert witness.data == ("user.device.ip_address",)
        assert change.old_clauses == ("ip-not-linked",)
        assert_really_changed(result, change)
    keep = dict(action="retain", data=("user.device.ip_address",), context={"linked": False})
    for longer in ({"days": 365}, {}):  # a year, or with no end
        assert [d.effect for d in redecide(result, Action(**keep, **longer))] == \
            ["allow", "deny"]
    assert [d.effect for d in redecide(result, Action(**keep, days=30))] == ["allow", "allow"]


# ----------------------------------------------------------------- (v) prose
def test_rewording_prose_is_a_text_change_only(versions) -> None:
    old, new = versions
    reword_partner_prose(new)
    result = compare(old, new)

    assert result.decision_changes == ()
    assert [(c.cls, c.clause) for c in result.changes] == [("text", "partners")]
    assert "prose" in result.changes[0].detail


def test_rewording_prose_exits_0_from_the_cli_even_when_any_change_fails(versions) -> None:
    old, new = versions
    reword_partner_prose(new)
    for fail_on in ("widening", "any"):
        outcome = run(str(old), str(new), "--fail-on", fail_on)
        assert outcome.exit_code == 0, outcome.output
        assert "partners" in outcome.stdout


def test_vocabulary_additions_are_text_changes_that_exit_0(versions) -> None:
    old, new = versions
    vocabulary = new.parent / "kareo-vocabulary.policy"
    with vocabulary.open("a", encoding="utf-8") as stream:
        stream.write('define recipient analytics_vendor "an analytics vendor" '
                     "under service_provider\n"
                     'define fact is_minor bool "the person is a minor"\n')
    result = compare(old, new)
    assert result.decision_changes == ()
    details = [c.detail for c in result.of("text")]
    assert any("analytics_vendor" in d and "added" in d for d in details)
    assert any("is_minor" in d and "added" in d for d in details)
    assert len(details) == 2
    outcome = run(str(old), str(new), "--fail-on", "any")
    assert outcome.exit_code == 0
    assert "analytics_vendor" in outcome.stdout and not outcome.stdout.startswith("no changes")
    backwards = compare(new, old)
    assert sorted(c.detail for c in backwards.of("text")) == [
        "fact `is_minor` removed", "recipient `analytics_vendor` removed from the vocabulary"]


# ----------------------------------------------------------------- formats
def test_text_format_states_each_change_with_its_clauses_and_witness(versions) -> None:
    old, new = versions
    drop_partner_opt_out(new)
    outcome = run(str(old), str(new))
    assert outcome.exit_code == 1
    lines = outcome.stdout.splitlines()
    statements = [i for i, line in enumerate(lines) if line.startswith("widening: `partners`")]
    assert statements
    first = statements[0]
    assert lines[first + 1].lstrip().startswith("effect: share ")
    assert "partners" in lines[first + 2] and lines[first + 2].lstrip().startswith("before:")
    assert f"{new}:{clause_line(new, 'partners')}" in lines[first + 3]
    witness = json.loads(lines[first + 4].split("witness:", 1)[1])
    assert witness["action"] == "share" and witness["recipient"] == "partner"


def test_json_format_lists_changes_with_witnesses(versions) -> None:
    old, new = versions
    drop_partner_opt_out(new)
    outcome = run(str(old), str(new), "--format", "json")
    assert outcome.exit_code == 1
    report = json.loads(outcome.stdout)
    widenings = [c for c in report["changes"] if c["class"] == "widening"]
    assert widenings and report["summary"]["widening"] == len(widenings)
    for record in widenings:
        assert "partners" in record["new"]["clauses"]
        assert record["witness"]["action"] == "share"
        # the witness is an action `clausewise check` accepts, decided as reported
        action = Action.model_validate(record["witness"])
        before, after = redecide(compare(old, new), action)
        assert (before.effect, after.effect) == ("deny", "allow")


def test_json_format_has_an_empty_changes_list_when_nothing_changed(versions) -> None:
    old, new = versions
    outcome = run(str(old), str(new), "--format", "json")
    assert outcome.exit_code == 0
    report = json.loads(outcome.stdout)
    assert report["changes"] == []
    assert set(report["summary"].values()) == {0}


def test_markdown_format_puts_the_rendered_policy_diff_in_a_details_block(versions) -> None:
    old, new = versions
    reword_partner_prose(new)
    outcome = run(str(old), str(new), "--format", "markdown")
    assert outcome.exit_code == 0
    text = outcome.stdout
    assert text.startswith("## ")
    details = re.search(r"<details>(.*?)</details>", text, re.S)
    assert details is not None
    block = details.group(1)
    assert "```diff" in block
    changed = [line for line in block.splitlines() if line.startswith(("+", "-"))
               and not line.startswith(("+++", "---"))]
    assert any(line.startswith("-") and "With your consent, we do share" in line
               for line in changed)
    assert any(line.startswith("+") and "If you agree, we will share" in line
               for line in changed)


def test_github_format_annotates_widenings_as_errors_on_the_clause_line(versions) -> None:
    old, new = versions
    drop_partner_opt_out(new)
    outcome = run(str(old), str(new), "--format", "github")
    assert outcome.exit_code == 1
    lines = outcome.stdout.splitlines()
    errors = [line for line in lines if "title=clausewise widening::" in line]
    assert errors
    line_no = clause_line(new, "partners") + 5  # where `unless opted_out` was
    for line in errors:
        assert line.startswith(f"::error file={new},line={line_no},")
    assert all(line.startswith("::") for line in lines)


def test_github_format_warns_on_narrowings_at_the_clause_that_allowed_them(versions) -> None:
    old, new = versions
    limit_ip_retention(new)
    outcome = run(str(old), str(new), "--format", "github")
    assert outcome.exit_code == 0  # narrowing does not fail the default --fail-on widening
    warnings = [line for line in outcome.stdout.splitlines() if "clausewise narrowing" in line]
    assert warnings
    for line in warnings:
        # the changed line: `for 30 days`
        assert line.startswith(f"::warning file={new},"
                               f"line={clause_line(new, 'ip-not-linked') + 2},")


# ---------------------------------------------------------------- --fail-on
@pytest.mark.parametrize(("edit", "fail_on", "code"), [
    (drop_partner_opt_out, None, 1),           # the default is --fail-on widening
    (drop_partner_opt_out, "widening", 1),
    (drop_partner_opt_out, "any", 1),
    (drop_partner_opt_out, "none", 0),
    (limit_ip_retention, None, 0),
    (limit_ip_retention, "widening", 0),
    (limit_ip_retention, "any", 1),
    (limit_ip_retention, "none", 0),
    (reword_partner_prose, "any", 0),
])
def test_fail_on_decides_the_exit_code(versions, edit, fail_on: str | None, code: int) -> None:
    old, new = versions
    edit(new)
    options = ("--fail-on", fail_on) if fail_on else ()
    assert run(str(old), str(new), *options).exit_code == code


def test_a_dropped_obligation_fails_like_a_widening(versions) -> None:
    old, new = versions
    edit_clause(new, "newsletter-delivery", "  must offer unsubscribe via email_link\n", "")
    result = compare(old, new)
    assert result.decision_changes and all(
        c.cls == "widening" and c.effects == ("allow", "allow") and c.removed
        for c in result.decision_changes)
    assert run(str(old), str(new)).exit_code == 1
    assert run(str(old), str(new), "--fail-on", "none").exit_code == 0


def test_an_added_obligation_fails_only_on_any(versions) -> None:
    old, new = versions
    edit_clause(new, "chat-provider", "  must ", "  must encrypt in transit\n  must ")
    edit_clause(new, "chat-provider", "to provide customer service to you.",
                "to provide customer service to you, encrypting what we send them.")
    result = compare(old, new)
    assert result.of("narrowing") and result.decision_changes == result.of("narrowing")
    for change in result.of("narrowing"):
        assert change.effects == ("allow", "allow") and change.added and not change.removed
        assert "chat-provider" in change.new_clauses
        assert_really_changed(result, change)
    assert run(str(old), str(new)).exit_code == 0
    assert run(str(old), str(new), "--fail-on", "any").exit_code == 1


# --------------------------------------------------------------- bad input
def test_a_missing_file_exits_2(versions) -> None:
    old, _ = versions
    outcome = run(str(old), str(old.parent / "nowhere.policy"))
    assert outcome.exit_code == 2
    assert "nowhere.policy" in outcome.stderr and outcome.stdout == ""


def test_a_policy_with_a_syntax_error_exits_2_with_its_location(versions) -> None:
    old, new = versions
    edit_clause(new, "partners", "  with partner\n", "  with with partner\n")
    outcome = run(str(old), str(new))
    assert outcome.exit_code == 2
    line = clause_line(new, "partners") + 2
    assert f"{new}:{line}:" in outcome.stderr
    assert outcome.stdout == ""


@pytest.mark.parametrize("args", [("only-one.policy",), ("a.policy", "b.policy", "c.policy")])
def test_other_than_two_files_without_base_exits_2(args: tuple[str, ...]) -> None:
    assert run(*args).exit_code == 2


def test_base_outside_a_git_repository_exits_2(versions) -> None:
    old, _ = versions
    outcome = run("--base", "HEAD", str(old))
    assert outcome.exit_code == 2
    assert "git" in outcome.stderr


def test_base_with_two_files_exits_2(versions) -> None:
    old, new = versions
    assert run("--base", "HEAD", str(old), str(new)).exit_code == 2


# -------------------------------------------------------------- --base GITREF
def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.com",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.com"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the Kareo policy under rules/, committed once."""
    root = tmp_path / "repo"
    (root / "rules").mkdir(parents=True)
    for name in FILES:
        shutil.copy(ROOT / "rules" / name, root / "rules" / name)
    git(root, "init", "-q")
    git(root, "add", "rules")
    git(root, "commit", "-q", "-m", "Kareo policy")
    return root


def clausewise(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command, run from inside the repository."""
    return subprocess.run([sys.executable, "-m", "clausewise", *args], cwd=repo,
                          capture_output=True, text=True)


def test_base_compares_the_working_file_with_the_committed_one(repo: Path) -> None:
    policy = repo / "rules" / "kareo.policy"
    unchanged = clausewise(repo, "diff", "--base", "HEAD", "rules/kareo.policy")
    assert unchanged.returncode == 0, unchanged.stderr
    assert unchanged.stdout.startswith("no changes")

    drop_partner_opt_out(policy)
    edited = clausewise(repo, "diff", "--base", "HEAD", "rules/kareo.policy",
                        "--format", "json")
    assert edited.returncode == 1, edited.stderr
    report = json.loads(edited.stdout)
    widenings = [c for c in report["changes"] if c["class"] == "widening"]
    assert widenings and all("partners" in c["new"]["clauses"] for c in widenings)
    assert [(c["class"], c["clause"]) for c in report["changes"] if "witness" not in c] == \
        [("drift", "partners")]


def test_base_sees_a_change_made_in_the_included_vocabulary_file(repo: Path) -> None:
    vocabulary = repo / "rules" / "kareo-vocabulary.policy"
    text = vocabulary.read_text(encoding="utf-8")
    moved = re.sub(r'(define recipient tracking_service "[^"]*") under service_provider',
                   r"\1 under partner", text)
    assert moved != text
    vocabulary.write_text(moved, encoding="utf-8")  # the tracking service is now a partner
    assert git(repo, "status", "--porcelain") == " M rules/kareo-vocabulary.policy\n"

    outcome = clausewise(repo, "diff", "--base", "HEAD", "rules/kareo.policy",
                         "--format", "json")
    assert outcome.returncode == 1, outcome.stderr
    report = json.loads(outcome.stdout)
    changes = [c for c in report["changes"] if "witness" in c]
    assert changes
    assert {c["witness"].get("recipient") for c in changes} == {"tracking_service"}
    assert any(c["class"] == "widening" and "partners" in c["new"]["clauses"] for c in changes)
    assert any(c["class"] == "narrowing" and "fraud-safety-law" in c["old"]["clauses"]
               for c in changes)
    moved = [c["statement"] for c in report["changes"] if c["class"] == "text"]
    assert len(moved) == 1 and "tracking_service" in moved[0] and "`partner`" in moved[0]


def test_base_after_a_commit_compares_with_that_revision(repo: Path) -> None:
    policy = repo / "rules" / "kareo.policy"
    limit_ip_retention(policy)
    git(repo, "commit", "-q", "-am", "Keep IP addresses 30 days")
    assert clausewise(repo, "diff", "--base", "HEAD", "rules/kareo.policy").returncode == 0
    outcome = clausewise(repo, "diff", "--base", "HEAD~1", "rules/kareo.policy",
                         "--fail-on", "any")
    assert outcome.returncode == 1
    summary = outcome.stdout.splitlines()[0]
    assert "narrowing" in summary and "widening" not in summary


def test_base_with_an_unknown_revision_or_a_file_new_since_exits_2(repo: Path) -> None:
    bad_ref = clausewise(repo, "diff", "--base", "no-such-branch", "rules/kareo.policy")
    assert bad_ref.returncode == 2 and "no-such-branch" in bad_ref.stderr
    shutil.copy(repo / "rules" / "kareo.policy", repo / "rules" / "copy.policy")
    new_file = clausewise(repo, "diff", "--base", "HEAD", "rules/copy.policy")
    assert new_file.returncode == 2 and "copy.policy" in new_file.stderr
