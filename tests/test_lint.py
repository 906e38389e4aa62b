"""The lint checks (src/clausewise/lint/), each on a policy that shows its finding.

tests/data/lint/findings.policy holds one instance of each finding among the clauses
a complete policy needs; clean.policy is complete and has nothing to lint. Positions
are found in the files' text, not written down here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import clausewise
from clausewise.lint import CODES, Finding, lint
from clausewise.lint.suppress import Config
from clausewise.loader import load

from conftest import DATA

LINT = DATA / "lint"
FINDINGS = LINT / "findings.policy"

HEADER = '''policy "Example"
  contact email "privacy@example.com"
end
'''
COMPLETE = HEADER + '''
prohibition no-children
  never collect, use, share, keep user
  if subject_age < 13
end

retention logs
  keep user.device.ip_address
  for 30 days
end

notification changes
  on policy_change
  notify customer
  via email
end

security tls
  encrypt user
  in transit
end
'''


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of `path` that contains `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def write(tmp_path: Path, text: str, name: str = "p.policy") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_lint(path: Path, **kwargs) -> list[Finding]:
    return lint(load(path), config=kwargs.pop("config", Config()), **kwargs)


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return run_lint(FINDINGS)


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


# --------------------------------------------------------------- the registry


def test_every_code_has_a_severity_a_summary_and_a_fix() -> None:
    assert len(CODES) >= 20
    for code, entry in CODES.items():
        assert code.startswith("CW") and len(code) == 5 and code == entry.code
        assert entry.severity in ("error", "warning", "info")
        assert entry.summary and entry.fix and "\n" not in entry.fix
    names = [entry.name for entry in CODES.values()]
    assert len(names) == len(set(names))


def test_a_clean_policy_has_no_findings() -> None:
    assert run_lint(LINT / "clean.policy") == []


def test_every_finding_of_the_sample_is_located_and_has_a_fix(findings: list[Finding]) -> None:
    assert {f.code for f in findings} >= {"CW101", "CW102", "CW103", "CW104", "CW105",
                                          "CW201", "CW202", "CW301", "CW302", "CW303"}
    for item in findings:
        assert item.span is not None and item.span.file == str(FINDINGS)
        assert item.fix and item.severity == CODES[item.code].severity


# ------------------------------------------------- clauses over the action space


def test_overlap_names_both_clauses_and_an_action_in_the_overlap(findings) -> None:
    [overlap] = only(findings, "CW101")
    assert overlap.clause == "analytics"
    assert overlap.span.line == line_of(FINDINGS, "use analytics")
    assert [(what, span.line) for what, span in overlap.related] == \
        [("prohibition `no-ip`", line_of(FINDINGS, "prohibition no-ip"))]
    assert overlap.example["action"]["data"] == ["user.device.ip_address"]
    assert overlap.example["decision"] == "deny" and "no-ip" in overlap.example["by"]
    engine = clausewise.load(FINDINGS)  # the witness is an action the engine denies
    assert engine.check(overlap.example["action"]).effect == "deny"


def test_a_permission_every_action_of_which_is_forbidden_is_dead(findings) -> None:
    [dead] = only(findings, "CW102")
    assert dead.clause == "ads" and dead.severity == "error"
    assert "`no-ads`" in dead.message and "no-children" not in dead.message
    assert dead.example["decision"] == "deny"


def test_a_prohibition_that_blocks_through_an_unstated_dimension_is_found(findings) -> None:
    """The merger case: `never share user.name for marketing` blocks a transfer that
    names no purpose; the witness names none and is denied by that prohibition."""
    [blocked] = only(findings, "CW103")
    assert blocked.clause == "merger" and "states no purpose" in blocked.message
    action = blocked.example["action"]
    assert "purpose" not in action and action["recipient"] == "acquirer"
    assert action["data"] == ["user.name"]
    assert blocked.example["by"] == ["no-marketing"]
    assert clausewise.load(FINDINGS).check(dict(action, purpose="essential.service")).allowed


def test_a_permission_covered_by_another_is_redundant(findings) -> None:
    [redundant] = only(findings, "CW104")
    assert redundant.clause == "narrow" and "`broad`" in redundant.message


def test_identical_clauses_are_found_once_and_not_as_redundant(findings) -> None:
    [same] = only(findings, "CW105")
    assert same.clause == "twin-b" and same.related[0][0] == "use `twin-a`"
    assert not [f for f in findings if f.code == "CW104" and f.clause.startswith("twin")]


def test_a_permission_with_its_own_duties_is_not_redundant(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE + '''
use broad
  use user.contact
end

use narrow
  use user.contact.email
  must "log every use"
end
''')
    assert only(run_lint(path), "CW104") == []


def test_of_two_equivalent_permissions_only_the_later_is_redundant(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE + '''
use first
  use user.contact
  for essential.service
end

use second
  use user.contact
  for essential.service
  text "the same rules, in other words"
end
''')
    assert [f.clause for f in run_lint(path) if f.code in ("CW104", "CW105")] == ["second"]


def test_a_permission_lifted_by_consent_is_not_dead(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE + '''
sharing partners
  share user.contact.email
  with partner
  consent opt-in
end

prohibition no-partners
  never share user.contact
  with partner
  unless consent
end
''')
    found = run_lint(path)
    assert only(found, "CW102") == [] and [f.clause for f in only(found, "CW101")] == []


# ------------------------------------------------------------------ conditions


def test_consent_opt_out_with_unless_opted_out_is_a_condition_stated_twice(findings) -> None:
    [twice] = only(findings, "CW201")
    assert twice.clause == "newsletter"
    assert (twice.span.line, twice.span.column) == (line_of(FINDINGS, "unless opted_out"), 10)
    assert "remove the `unless opted_out` part" == twice.fix


def test_the_same_condition_in_if_and_unless_of_a_prohibition(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE + '''
prohibition odd
  never use user.contact
  if consent
  unless consent
end
''')
    assert [f.clause for f in run_lint(path) if f.code in ("CW201", "CW202")] == ["odd", "odd"]


def test_a_condition_that_can_never_hold_is_an_error(findings) -> None:
    [never] = only(findings, "CW202")
    assert never.severity == "error" and "`subject_age < 0`" in never.message
    assert never.span.line == line_of(FINDINGS, "if subject_age < 0")


@pytest.mark.parametrize("condition, holds", [
    ("subject_age > 5 and subject_age < 3", False),
    ("subject_age > 5 and subject_age < 7", True),
    ("consent and not consent", False),
    ("plan == pro and plan == free", False),
    ("plan == pro or plan == free", True),
])
def test_conditions_are_decided_over_every_value_that_matters(tmp_path: Path, condition: str,
                                                               holds: bool) -> None:
    path = write(tmp_path, COMPLETE + f'''
define fact plan enum free, pro "the plan"

use gated
  use user.contact
  if {condition}
end
''')
    assert bool(only(run_lint(path), "CW202")) is not holds


def test_facts_no_test_case_gives_are_found_only_when_the_policy_has_tests(tmp_path) -> None:
    path = write(tmp_path, COMPLETE + '''
use gated
  use user.contact
  if consent
end
''')
    assert only(run_lint(path), "CW203") == []
    found = only(run_lint(path, supplied={"consent"}), "CW203")
    assert [f.message.split("`")[1] for f in found] == ["subject_age"]


# ------------------------------------------------------------------ vocabulary


def test_unused_terms_and_facts_are_found(findings) -> None:
    [term] = only(findings, "CW301")
    [fact] = only(findings, "CW302")
    assert "`unused_partner`" in term.message
    assert term.span.line == line_of(FINDINGS, "define recipient unused_partner")
    assert "`vip`" in fact.message


def test_a_term_used_only_through_a_child_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE + '''
define recipient vendors "our vendors" under service_provider
define recipient mailer "our mailer" under vendors

sharing mail
  share user.contact.email
  with mailer
end
''')
    assert only(run_lint(path), "CW301") == []


def test_a_parent_beside_its_child_points_at_the_child(findings) -> None:
    [listed] = only(findings, "CW303")
    text = FINDINGS.read_text(encoding="utf-8").splitlines()[listed.span.line - 1]
    assert text[listed.span.column - 1:].startswith("user.contact.email")
    assert "`user.contact`" in listed.message


# ---------------------------------------------------------------- completeness


def test_an_empty_policy_misses_every_statement_a_policy_must_make(tmp_path: Path) -> None:
    path = write(tmp_path, 'policy "Bare"\nend\n\nuse a\n  use user.contact\nend\n')
    assert {f.code for f in run_lint(path)} >= {"CW401", "CW402", "CW403", "CW404", "CW405"}


def test_a_policy_for_the_eea_needs_legal_bases_and_the_gdpr_rights(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE + '''
sharing hosting
  share user.contact
  with service_provider
  in eea
end

right basics
  grants access, correction
  via email
end
''')
    found = run_lint(path)
    assert only(found, "CW406")
    [rights] = only(found, "CW407")
    assert "deletion" in rights.message and "access" not in rights.message
    assert not only(found, "CW408")


def test_a_policy_for_california_needs_the_ccpa_rights(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE + '''
define fact region enum california, elsewhere "where you live"

sharing sale
  sell user.device
  with advertiser
  if region == california
end

right ccpa
  grants access, deletion, correction
  via email
end
''')
    [rights] = only(run_lint(path), "CW408")
    assert "opt-out of sale" in rights.message and "deletion" not in rights.message


# -------------------------------------------------------------------- drift


def test_text_that_drifts_from_the_rules_is_found_both_ways(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETE + '''
sharing partners
  share user.contact.email
  with partner
  text "With your consent, we share your email address."
end
''')
    found = run_lint(path)
    assert any(f.code == "CW501" and "`partner`" in f.message for f in found)
    assert any(f.code == "CW502" and "consent" in f.message for f in found)


# ---------------------------------------------------------------- suppression


def test_a_comment_in_or_above_a_clause_turns_codes_off_there(tmp_path: Path) -> None:
    text = FINDINGS.read_text(encoding="utf-8")
    text = text.replace("use narrow\n", "use narrow\n  # clausewise: disable=CW104\n")
    text = text.replace("use twin-b\n", "# why: kept for the text\n"
                        "# clausewise: disable=CW105, CW301\nuse twin-b\n")
    found = run_lint(write(tmp_path, text))
    assert not only(found, "CW104") and not only(found, "CW105")
    assert only(found, "CW301")  # turned off only in that clause, not elsewhere


def test_a_comment_at_the_end_of_a_line_of_the_clause_turns_codes_off(tmp_path) -> None:
    text = FINDINGS.read_text(encoding="utf-8").replace(
        "  collect user.contact, user.contact.email\n",
        "  collect user.contact, user.contact.email  # clausewise: disable=CW303\n")
    assert not only(run_lint(write(tmp_path, text)), "CW303")


def test_a_comment_separated_by_a_blank_line_does_not_turn_codes_off(tmp_path: Path) -> None:
    text = FINDINGS.read_text(encoding="utf-8").replace(
        "use narrow\n", "# clausewise: disable=CW104\n\nuse narrow\n")
    assert only(run_lint(write(tmp_path, text)), "CW104")


def test_a_file_comment_turns_a_code_off_in_the_whole_file(tmp_path: Path) -> None:
    text = "# clausewise: disable-file=CW301, CW302\n" + FINDINGS.read_text(encoding="utf-8")
    found = run_lint(write(tmp_path, text))
    assert not only(found, "CW301") and not only(found, "CW302") and only(found, "CW303")


def test_the_config_turns_codes_off_and_changes_severities() -> None:
    found = run_lint(FINDINGS, config=Config(frozenset({"CW101"}), {"CW104": "error"}))
    assert not only(found, "CW101")
    assert [f.severity for f in only(found, "CW104")] == ["error"]


def test_a_permission_only_for_sources_outside_the_scope_is_dead(tmp_path: Path) -> None:
    text = (LINT / "clean.policy").read_text(encoding="utf-8").replace(
        '  contact email "privacy@clean.example"\n',
        '  contact email "privacy@clean.example"\n  covers web_site\n')
    path = write(tmp_path, text + '''
collection extension
  collect user.device.ip_address
  through browser_extension
  method automatic
end
''')
    [dead] = only(run_lint(path), "CW102")
    assert dead.clause == "extension" and "scope (`covers web_site`)" in dead.message
    assert "no-children" not in dead.message
    assert dead.example["action"]["source"] == "browser_extension"
    assert dead.example["decision"] == "deny"
