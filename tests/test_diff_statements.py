"""What the diff says about twelve kinds of edit to Kareo's policy, and whether a reviewer
can trust it: the class by meaning, the cause in the policy's own terms (old -> new),
a witness from the edited clause's own terms that `clausewise check` decides one way
with the old version and the other with the new, statements that never cover more
than they say, text changes with old and new wording, and annotations on the line
that changed, in the version where it is.

Every edit is made to copies of rules/kareo.policy and its vocabulary, and must apply
to the clause it names; every witness is decided again by both versions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausewise.cli import main
from clausewise.diff.changes import Change, DiffResult, diff
from clausewise.diff.report import statement, statements, summary, to_github, to_text
from clausewise.engine import Action, CompiledPolicy, decide
from clausewise.engine.action import check_terms
from clausewise.loader import load
from conftest import ROOT
from test_diff_kareo import FILES, clause_block, edit_clause, versions  # noqa: F401

# ------------------------------------------------------------------ helpers
# the Kareo copies and the clause edits are test_diff_kareo's, shared
block, edit = clause_block, edit_clause


def delete(path: Path, clause_id: str) -> None:
    text = path.read_text(encoding="utf-8")
    found = block(text, clause_id)
    path.write_text(text[:found.start()] + text[found.end():], encoding="utf-8")


def line_of(path: Path, needle: str, after: int = 0) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if i > after and needle in line)


def compare(old: Path, new: Path) -> DiffResult:
    return diff(load(old), load(new))


def said(result: DiffResult) -> list[Change]:
    return [c for c in statements(result) if c.kind is not None]


def check_both(result: DiffResult, change: Change) -> None:
    """The witness, as JSON, is decided by each version (with its own vocabulary only) as
    the statement says, by the clauses it names."""
    witness = Action.model_validate(json.loads(json.dumps(
        change.witness.model_dump(mode="json", exclude_defaults=True))))
    old_side = CompiledPolicy(result.old.policy, result.old.vocabulary)
    new_side = CompiledPolicy(result.new.policy, result.new.vocabulary)
    before, after = decide(old_side, witness), decide(new_side, witness)
    assert (before.effect, after.effect) == change.effects
    assert before.clause_ids == change.old_clauses
    assert after.clause_ids == change.new_clauses
    for loaded in (result.old, result.new):  # a term one version does not know is said
        if check_terms(witness, loaded.vocabulary):
            assert any("does not know" in note for note in _notes(result, change))


def _notes(result: DiffResult, change: Change) -> list[str]:
    from clausewise.diff.report import notes
    return notes(change, result)


def run(*args: str):
    outcome = CliRunner().invoke(main, ["diff", *args])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), \
        outcome.exception
    return outcome


# ------------------------------------------------- the twelve kinds of edit
def test_dropping_an_opt_out_is_a_widening_that_names_the_condition(versions) -> None:
    old, new = versions
    edit(new, "partners", "  unless opted_out\n", "")
    result = compare(old, new)
    found = said(result)
    assert found and {c.cls for c in found} == {"widening"}
    for change in found:
        assert change.cause == ("partners",)
        assert "`partners` no longer requires `not opted_out`" in statement(change, result)
        assert change.witness.recipient == "partner" and change.witness.purpose == "marketing"
        check_both(result, change)


def test_adding_a_recipient_is_shown_with_that_recipient(versions) -> None:
    old, new = versions
    edit(new, "partners", "  with partner\n", "  with partner, advertiser\n")
    result = compare(old, new)
    found = said(result)
    assert found and {c.cls for c in found} == {"widening"}
    for change in found:
        assert "recipient `advertiser` added" in statement(change, result)
        assert change.witness.recipient == "advertiser"  # the clause's own term
        check_both(result, change)


def test_removing_a_notice_widens_what_it_held_back_and_names_it_removed(versions) -> None:
    old, new = versions
    delete(new, "merger-notice")
    result = compare(old, new)
    widenings = [c for c in said(result) if c.cls == "widening"]
    assert widenings
    for change in said(result):
        assert change.cause == ("merger-notice",)
        assert statement(change, result).startswith("`merger-notice` removed: notification")
        assert change.witness.event == "merger"
        check_both(result, change)
    assert any("acquirer" in c.values.get("recipient", ()) for c in widenings)
    text = [c.detail for c in result.of("text")]
    assert any("`merger-notice` removed" in d for d in text)


def test_rewording_is_a_text_change_with_old_and_new_wording(versions) -> None:
    old, new = versions
    edit(new, "partners", "With your consent, we do share", "If you agree, we will share")
    result = compare(old, new)
    assert result.decision_changes == ()
    [change] = result.changes
    assert change.cls == "text"
    assert '"With your consent, we do share' in change.detail
    assert '-> "If you agree, we will share' in change.detail
    assert run(str(old), str(new), "--fail-on", "any").exit_code == 0


def test_reordering_clauses_is_said_as_a_move_not_as_the_same_text(versions) -> None:
    old, new = versions
    text = new.read_text(encoding="utf-8")
    moved = block(text, "chat-provider").group(0)
    text = text.replace(moved, "")
    anchor = block(text, "partners")
    new.write_text(text[:anchor.start()] + moved + "\n" + text[anchor.start():],
                   encoding="utf-8")
    result = compare(old, new)
    assert result.decision_changes == ()
    moves = [c.detail for c in result.of("text")]
    ids = [c.id for c in result.new.policy.clauses]
    was = [c.id for c in result.old.policy.clauses]
    before_now = ids[ids.index("chat-provider") - 1]
    before_then = was[was.index("chat-provider") - 1]
    assert f"`chat-provider` moved in the published policy: now after `{before_now}` " \
        f"(was after `{before_then}`)" in moves
    assert all("chat-provider" in d for d in moves)  # and in a section, if it left one
    outcome = run(str(old), str(new))
    assert outcome.exit_code == 0 and "no changes" not in outcome.stdout
    assert "the text is the same" not in outcome.stdout


def test_widening_a_category_is_shown_on_the_wider_category(versions) -> None:
    old, new = versions
    edit(new, "partners", "share user.name, user.contact.email\n",
         "share user.name, user.contact\n")
    result = compare(old, new)
    found = said(result)
    assert found and {c.cls for c in found} == {"widening"}
    for change in found:
        assert "data `user.contact` added" in statement(change, result)
        assert change.witness.data == ("user.contact",)
        check_both(result, change)


def test_deleting_a_prohibition_widens_what_it_forbade(versions) -> None:
    old, new = versions
    delete(new, "no-phi")
    result = compare(old, new)
    found = said(result)
    assert found and {c.cls for c in found} == {"widening"}
    for change in found:
        assert change.cause == ("no-phi",)
        assert statement(change, result).startswith(
            "`no-phi` removed: never collect, use, share, retain user.health_and_medical")
        assert change.witness.data == ("user.health_and_medical",)
        check_both(result, change)


def test_adding_a_condition_narrows_and_names_it(versions) -> None:
    old, new = versions
    edit(new, "chat-provider", "  for essential.service.operations.support\n",
         "  for essential.service.operations.support\n  if consent\n")
    result = compare(old, new)
    [change] = said(result)
    assert change.cls == "narrowing"
    assert "`chat-provider` now also requires `consent`" in statement(change, result)
    assert change.witness.recipient == "chat_provider"
    assert change.witness.context == {"consent": False}  # the fact that makes the difference
    check_both(result, change)


@pytest.mark.parametrize(("before", "after", "cls", "words"), [
    ("  indefinitely\n", "  for 90 days\n", "narrowing", "kept indefinitely -> for 90 days"),
    ("  indefinitely\n", "  for 90 days\n", "widening", "kept for 90 days -> indefinitely"),
])
def test_changing_a_period_both_ways(versions, before, after, cls, words) -> None:
    old, new = versions
    if cls == "widening":
        old, new = new, old
    edit(new, "ip-not-linked", before, after)
    result = compare(old, new) if cls == "narrowing" else compare(new, old)
    found = said(result)
    assert found and {c.cls for c in found} == {cls}
    for change in found:
        assert f"`ip-not-linked` {words}" in statement(change, result)
        check_both(result, change)


@pytest.mark.parametrize(("old_timing", "new_timing", "cls"), [
    ("within 60 days", "within 30 days", "narrowing"),   # a shorter deadline is stricter
    ("within 30 days", "within 60 days", "widening"),
    ("after", "before", "narrowing"),                    # earlier is stricter
    ("before", "after", "widening"),
])
def test_changing_a_deadline_both_ways(versions, old_timing, new_timing, cls) -> None:
    old, new = versions
    anchor = "  via account_email, home_page_notice\n"
    edit(old, "policy-changes", anchor, f"{anchor}  {old_timing}\n")
    edit(new, "policy-changes", anchor, f"{anchor}  {new_timing}\n")
    result = compare(old, new)
    # a notice due before an event holds back every action on it, a person's request
    # too: one held back loses them a right, a widening whatever the notice's timing
    found = [c for c in said(result) if c.kind != "exercise"]
    assert found and {c.cls for c in found} == {cls}
    for change in said(result):
        assert f"`policy-changes` notice {old_timing} -> {new_timing}" in \
            statement(change, result)
        check_both(result, change)
    assert run(str(old), str(new)).exit_code == 1  # drift at least: the text is unchanged
    edit(new, "policy-changes", "Kareo may update", "Kareo can update")  # text follows
    fails = any(c.cls == "widening" for c in said(compare(old, new)))
    assert run(str(old), str(new)).exit_code == (1 if fails else 0)
    if new_timing != "before":  # no request held back: only the class of the notice
        assert fails == (cls == "widening")


def test_a_renamed_clause_is_a_rename(versions) -> None:
    old, new = versions
    new.write_text(new.read_text(encoding="utf-8").replace(
        "sharing partners\n", "sharing partner-sharing\n"), encoding="utf-8")
    result = compare(old, new)
    assert result.decision_changes == ()
    assert [c.detail for c in result.changes] == [
        "`partners` renamed `partner-sharing` (the same rules)"]
    assert run(str(old), str(new), "--fail-on", "any").exit_code == 0


def test_adding_a_purpose_is_shown_with_that_purpose(versions) -> None:
    old, new = versions
    edit(new, "partners", "  for marketing\n", "  for marketing, analytics\n")
    result = compare(old, new)
    found = said(result)
    assert found and {c.cls for c in found} == {"widening"}
    for change in found:
        assert "`partners` purpose `analytics` added" in statement(change, result)
        assert change.witness.purpose == "analytics"
        check_both(result, change)


def test_relabelling_and_moving_a_term(versions) -> None:
    old, new = versions
    vocabulary = new.parent / "kareo-vocabulary.policy"
    text = vocabulary.read_text(encoding="utf-8")
    found = re.search(r'define recipient tracking_service "([^"]*)" under service_provider',
                      text)
    assert found is not None
    label = found.group(1)
    vocabulary.write_text(text.replace(found.group(0), 'define recipient tracking_service '
                                       '"An analytics partner" under partner'),
                          encoding="utf-8")
    result = compare(old, new)
    details = [c.detail for c in result.of("text")]
    assert f'the label of recipient `tracking_service` changed: "{label}" -> ' \
        '"An analytics partner"' in details
    assert "recipient `tracking_service` moved under `partner` (was under " \
        "`service_provider`)" in details
    for change in said(result):
        assert change.witness.recipient == "tracking_service"
        assert "now under `partner` (was under `service_provider`)" in \
            statement(change, result)
        check_both(result, change)
    line = line_of(vocabulary, "define recipient tracking_service")
    annotations = [a for a in to_github(result).splitlines() if "tracking_service" in a
                   and "text" in a.split("::")[1]]
    assert annotations and all(f"file={vocabulary},line={line}," in a for a in annotations)


# ------------------------------------------------------- what a statement covers
def test_two_causes_in_one_edit_are_two_statements_and_summary_counts_them(versions) -> None:
    old, new = versions
    edit(new, "partners", "  unless opted_out\n", "")
    edit(new, "chat-provider", "  for essential.service.operations.support\n",
         "  for essential.service.operations.support\n  if consent\n")
    result = compare(old, new)
    causes = {c.cause for c in said(result)}
    assert causes == {("partners",), ("chat-provider",)}
    outcome = run(str(old), str(new), "--format", "json")
    report = json.loads(outcome.stdout)
    for cls, count in report["summary"].items():
        assert count == sum(1 for c in report["changes"] if c["class"] == cls)
    for record in report["changes"]:
        if "witness" not in record:
            continue
        witness = record["witness"]
        for name, values in record["spans"].items():  # the spans include the witness
            mine = witness.get(name)
            for value in (mine if isinstance(mine, list) else [mine] if mine else []):
                assert value in values
        assert record["cause"][0]["change"].startswith(f"`{record['cause'][0]['clause']}`")


def test_no_statement_counts_actions_in_numbers_a_reader_cannot_use(versions) -> None:
    old, new = versions
    edit(new, "no-children", "if subject_age < 13", "if subject_age < 16")
    outcome = run(str(old), str(new))
    assert "distinguishable" not in outcome.stdout
    assert "`no-children` applies if `subject_age < 13` -> `subject_age < 16`" in outcome.stdout
    result = compare(old, new)
    for change in said(result):
        assert change.cls == "narrowing"
        assert 13 <= change.witness.context["subject_age"] < 16
        check_both(result, change)


def test_a_term_new_in_one_version_is_said_unknown_to_the_other(versions) -> None:
    old, new = versions
    vocabulary = new.parent / "kareo-vocabulary.policy"
    with vocabulary.open("a", encoding="utf-8") as stream:
        stream.write('define recipient research_lab "A research lab"\n')
    edit(new, "partners", "  with partner\n", "  with partner, research_lab\n")
    result = compare(old, new)
    lab = [c for c in said(result) if c.witness.recipient == "research_lab"]
    assert lab
    outcome = run(str(old), str(new))
    assert "`research_lab` is new in the new version: the old version does not know it" \
        in outcome.stdout


# ------------------------------------------------------------- fail-on, drift
def test_drift_fails_by_default_and_text_that_follows_does_not(versions) -> None:
    old, new = versions
    edit(new, "chat-provider", "  for essential.service.operations.support\n",
         "  for essential.service.operations.support\n  if consent\n")
    result = compare(old, new)
    [drift] = result.of("drift")
    assert drift.clause == "chat-provider" and "now also requires `consent`" in drift.detail
    assert run(str(old), str(new)).exit_code == 1          # narrowing alone would pass
    assert run(str(old), str(new), "--fail-on", "none").exit_code == 0
    edit(new, "chat-provider", "We use other third parties",
         "With your consent, we use other third parties")
    assert compare(old, new).of("drift") == ()
    assert run(str(old), str(new)).exit_code == 0


def test_a_changed_remedy_is_reported(tmp_path: Path) -> None:
    body = ('use u\n  use user\nend\nprohibition p\n  never use user.health_and_medical\n'
            '{}end\n')
    old, new = tmp_path / "old.policy", tmp_path / "new.policy"
    old.write_text(body.format('  must "promptly delete it"\n'), encoding="utf-8")
    new.write_text(body.format(""), encoding="utf-8")
    result = diff(load(old), load(new))
    [change] = said(result)
    assert change.cls == "widening" and change.effects == ("deny", "deny")
    assert change.removed == ("promptly delete it",)
    assert "remedy dropped: promptly delete it" in statement(change, result)


# ------------------------------------------------------------------ locations
def test_annotations_point_at_the_changed_line_of_the_new_file(versions) -> None:
    old, new = versions
    edit(new, "partners", "  with partner\n", "  with partner, advertiser\n")
    lines = run(str(old), str(new), "--format", "github").stdout.splitlines()
    line = line_of(new, "  with partner, advertiser\n".strip("\n"),
                   after=line_of(new, "sharing partners"))
    widening = [a for a in lines if "clausewise widening" in a]
    assert widening and all(a.startswith(f"::error file={new},line={line},") for a in widening)


def git(repo: Path, *args: str) -> str:
    import os
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "E", "GIT_AUTHOR_EMAIL": "e@example.com",
           "GIT_COMMITTER_NAME": "E", "GIT_COMMITTER_EMAIL": "e@example.com"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "rules").mkdir(parents=True)
    for name in FILES:
        shutil.copy(ROOT / "rules" / name, root / "rules" / name)
    git(root, "init", "-q")
    git(root, "add", "rules")
    git(root, "commit", "-q", "-m", "Kareo")
    return root


def clausewise(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clausewise", *args], cwd=repo,
                          capture_output=True, text=True)


def test_a_removed_clause_is_annotated_on_the_old_line_naming_the_revision(repo: Path) -> None:
    policy = repo / "rules" / "kareo.policy"
    old_line = line_of(policy, "notification merger-notice")
    delete(policy, "merger-notice")
    outcome = clausewise(repo, "diff", "--base", "HEAD", "rules/kareo.policy",
                         "--format", "github")
    assert outcome.returncode == 1, outcome.stderr
    removed = [a for a in outcome.stdout.splitlines() if "merger-notice" in a]
    assert removed
    for annotation in removed:
        assert f"file=rules/kareo.policy,line={old_line}," in annotation
        assert "in HEAD" in annotation


def test_an_error_only_in_the_base_revision_names_the_revision(repo: Path) -> None:
    policy = repo / "rules" / "kareo.policy"
    good = policy.read_text(encoding="utf-8")
    policy.write_text(good.replace("  with partner\n", "  with with partner\n", 1),
                      encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken")
    policy.write_text(good, encoding="utf-8")
    outcome = clausewise(repo, "diff", "--base", "HEAD", "rules/kareo.policy")
    assert outcome.returncode == 2
    assert "HEAD:rules/kareo.policy:" in outcome.stderr
    assert "Traceback" not in outcome.stderr


# --------------------------------------------------------------- rendered
def test_the_rendered_diff_covers_the_html_too(versions) -> None:
    old, new = versions
    edit(new, "partners", "  with partner\n", "  with partner, advertiser\n")
    report = json.loads(run(str(old), str(new), "--format", "json").stdout)
    assert report["rendered_html_diff"].startswith("---")
    assert any(line.startswith("+") and "<" in line
               for line in report["rendered_html_diff"].splitlines())


def test_sections_moves_and_retitles_are_text_changes(tmp_path: Path) -> None:
    old, new = tmp_path / "old.policy", tmp_path / "new.policy"
    clauses = 'use a\n  use user\n  for analytics\nend\nuse b\n  use user.name\n' \
        '  for marketing\nend\n'
    old.write_text(f'section "Use"\n{clauses}', encoding="utf-8")
    new.write_text('section "How we use data"\n' + clauses.replace("use b\n",
                   'section "Marketing"\nuse b\n'), encoding="utf-8")
    result = diff(load(old), load(new))
    details = [c.detail for c in result.of("text")]
    assert 'section "Marketing" added (`b`)' in details
    assert any(d.startswith('section "Use"') for d in details) or \
        any("retitled" in d for d in details)
    assert result.decision_changes == ()


def test_the_text_report_has_cause_effect_witness_and_deciders(versions) -> None:
    old, new = versions
    edit(new, "partners", "  unless opted_out\n", "")
    text = to_text(compare(old, new))
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("widening: "))
    assert lines[first] == "widening: `partners` no longer requires `not opted_out`"
    assert lines[first + 1].startswith("    effect: share user.")
    assert lines[first + 2].startswith("    before: denied by `partners`")
    assert lines[first + 3].startswith("    now:    allowed by `partners`")
    assert json.loads(lines[first + 4].split("witness:", 1)[1])["recipient"] == "partner"
    assert summary(compare(old, new))["widening"] == 1


def test_docs_ci_shows_the_real_output(tmp_path: Path) -> None:
    """docs/ci.md's example is what `clausewise diff` prints for its four edits."""
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        for name in FILES:
            shutil.copy(ROOT / "rules" / name, tmp_path / side / name)
    new = tmp_path / "new" / "kareo.policy"
    edit(new, "partners", "  unless opted_out\n", "")
    edit(new, "ip-not-linked", "  indefinitely\n", "  for 90 days\n")
    edit(new, "ip-not-linked", "is not permanently stored",
         "is kept for 90 days, and is not stored")
    edit(new, "chat-provider", "  for essential.service.operations.support\n",
         "  for essential.service.operations.support\n  if consent\n")
    new.write_text(new.read_text(encoding="utf-8").replace(
        "sharing card-processing\n", "sharing card-processor\n"), encoding="utf-8")
    def lines_apart(text: str) -> str:  # Kareo grows: line numbers may move, words not
        return re.sub(r"(\.policy:|line=)\d+", r"\1N", text)

    doc = lines_apart((ROOT / "docs" / "ci.md").read_text(encoding="utf-8"))
    text = clausewise(tmp_path, "diff", "old/kareo.policy", "new/kareo.policy")
    assert text.returncode == 1
    shown = text.stdout.split("\n\nthe published policy", 1)[0]
    assert lines_apart(shown) in doc
    github = lines_apart(clausewise(tmp_path, "diff", "old/kareo.policy", "new/kareo.policy",
                                    "--format", "github").stdout).splitlines()
    quoted = [line for line in doc.splitlines() if line.startswith("::")]
    assert quoted and all(line in github for line in quoted)


# ------------------------------------------------ rights, choices, duties both ways
def test_a_removed_choice_is_a_widening_named_by_the_choice(versions) -> None:
    old, new = versions
    delete(new, "partner-sharing-opt-out")
    result = compare(old, new)
    found = [c for c in said(result) if "partner-sharing-opt-out" in c.cause]
    assert found and {c.cls for c in found} == {"widening"}
    # the person can no longer opt out that way: a right lost is a widening
    assert any(c.kind == "exercise" and c.effects == ("allow", "deny") for c in found)
    for change in found:
        assert statement(change, result).startswith("`partner-sharing-opt-out` removed: ")
        check_both(result, change)


def test_a_right_whose_effect_narrowed_is_a_widening(versions) -> None:
    old, new = versions
    delete(new, "deactivate-account")  # deactivating no longer stops the announcements
    result = compare(old, new)
    found = [c for c in said(result) if c.cause == ("deactivate-account",)]
    assert found and {c.cls for c in found} == {"widening"}
    # the announcements no longer stop, and the request itself is no longer answered
    assert {c.kind for c in found} == {"notify", "exercise"}
    for change in found:
        check_both(result, change)


def test_a_shorter_deadline_by_fewer_channels_is_both(versions) -> None:
    old, new = versions
    anchor = "  via account_email, home_page_notice\n"
    edit(old, "policy-changes", anchor, f"{anchor}  within 60 days\n")
    edit(new, "policy-changes", anchor, "  via account_email\n  within 30 days\n")
    result = compare(old, new)
    duties = [c for c in said(result) if c.effects == ("allow", "allow")]
    assert duties and {c.cls for c in duties} == {"both"}
    for change in duties:
        check_both(result, change)
    assert run(str(old), str(new)).exit_code == 1  # both holds a weakening: it fails


def test_diff_reports_its_progress_and_the_cli_bar_waits_a_second(versions, monkeypatch) -> None:
    import io

    from clausewise.cli import diff as cli_diff

    old, new = versions
    edit(new, "partners", "  unless opted_out\n", "")
    calls: list[tuple[int, int, str]] = []
    diff(load(old), load(new), progress=lambda *args: calls.append(args))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] == len(calls) - 1

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True
    screen = Terminal()
    monkeypatch.setattr(cli_diff.sys, "stderr", screen)
    bar = cli_diff._Progress()
    bar(1, 7, "use")
    assert screen.getvalue() == ""               # not within the first second
    bar.start -= 2
    with bar:
        bar(3, 7, "share")
    assert "3/7 share actions" in screen.getvalue()
    assert screen.getvalue().endswith("\r")      # cleared when done


def test_markdown_quotes_terms_as_code_and_lets_no_html_through(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    body = 'use u\n  use user\n{}  text "`<script>x</script>` keeps ` one tick <b>"\nend\n'
    old, new = tmp_path / "old.policy", tmp_path / "new.policy"
    old.write_text(body.format(""), encoding="utf-8")
    new.write_text(body.format("  if consent\n"), encoding="utf-8")
    outcome = run(str(old), str(new), "--format", "markdown", "--fail-on", "none")
    assert "- **`u` now also requires `consent`**" in outcome.stdout
    html = [t.content for t in MarkdownIt("commonmark").parse(outcome.stdout)
            if t.type == "html_block"]
    inline = [c.content for t in MarkdownIt("commonmark").parse(outcome.stdout)
              if t.type == "inline" for c in t.children or () if c.type == "html_inline"]
    assert all(block.startswith(("<details>", "</details>")) for block in html), html
    assert all(tag in ("<summary>", "</summary>") for tag in inline), inline
