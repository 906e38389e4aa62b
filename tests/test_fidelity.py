"""Drift between a clause's text and its rules is caught (issue 12, point 5).

`fidelity.drift` reads each clause's `text` for the words of what its rules say
(phrases, labels, `aka` synonyms, of the term or a term under it). The last test
is the issue's own story: removing `consent opt-in` from a copy of Kareo widens
what the engine allows, and the at-a-glance part, the drift check, the lint and
the diff all say so while the clause's text still promises "with your consent".
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from clausewise.cli import main
from clausewise.fidelity import Drift, clause_drift, drift
from clausewise.loader import load
from clausewise.renderers import render
from clausewise.renderers.glance import glance
from conftest import KAREO

HEAD = 'policy "T"\nend\n'


def _load(tmp_path: Path, body: str):
    path = tmp_path / "t.policy"
    path.write_text(HEAD + body, encoding="utf-8")
    return load(path)


def _kinds(loaded) -> list[tuple[str, str, str | None]]:
    return [(d.kind, d.dimension, d.term) for d in drift(loaded.policy, loaded.vocabulary)]


def test_a_text_that_says_it_all_has_no_drift(tmp_path: Path) -> None:
    loaded = _load(tmp_path, '''sharing s
  share user.contact.email
  with partner
  for marketing
  consent opt-in
  text "With your consent, we share your e-mail address with our partners for marketing."
end
''')
    assert _kinds(loaded) == []


def test_missing_consent_recipient_data_and_purpose(tmp_path: Path) -> None:
    loaded = _load(tmp_path, '''sharing s
  share user.contact.email
  with advertiser
  for essential.service.payment_processing
  consent opt-in
  text "We may pass some details on."
end
''')
    assert set(_kinds(loaded)) == {
        ("missing", "consent", "consent"), ("missing", "recipient", "advertiser"),
        ("missing", "data", "user.contact.email"),
        ("missing", "purpose", "essential.service.payment_processing")}
    finding = drift(loaded.policy, loaded.vocabulary)[0]
    assert isinstance(finding, Drift) and finding.clause == "s"
    assert finding.span is not None and finding.span.line == 3
    assert finding.diagnostic().code == "text-drift"


def test_a_synonym_declared_with_aka_counts(tmp_path: Path) -> None:
    body = ('define category user.financial.card_number "Card number" under user.financial '
            'aka "credit card number", "card details"\n') + '''sharing s
  share user.financial.card_number
  with service_provider
  text "We pass your card details to the service provider that bills you."
end
'''
    assert _kinds(_load(tmp_path, body)) == []
    phrased = body.replace('aka "credit card number", "card details"', "")
    assert ("missing", "data", "user.financial.card_number") in _kinds(_load(tmp_path, phrased))


def test_a_term_under_the_clauses_term_says_it(tmp_path: Path) -> None:
    loaded = _load(tmp_path, '''use u
  use user.contact
  for essential.service
  text "We use your email address to provide the service."
end
''')
    assert _kinds(loaded) == []


def test_retention_period_must_be_said(tmp_path: Path) -> None:
    said = _load(tmp_path, '''retention r
  keep user.contact.email
  for 30 days
  text "We keep your email address for 30 days."
end
''')
    assert _kinds(said) == []
    silent = _load(tmp_path, '''retention r
  keep user.contact.email
  for 30 days
  text "We keep your email address."
end
''')
    assert ("missing", "retention", None) in _kinds(silent)


def test_extra_consent_and_extra_recipient(tmp_path: Path) -> None:
    loaded = _load(tmp_path, '''sharing s
  share user.contact.email
  with service_provider
  text "With your consent, we share your email address with advertisers and service providers."
end
sharing t
  share user.name
  with advertiser
  for marketing
  consent opt-in
end
''')
    assert set(_kinds(loaded)) == {("extra", "consent", "consent"),
                                   ("extra", "recipient", "advertiser")}


def test_a_clause_without_text_has_no_drift(kareo) -> None:
    quiet = [c for c in kareo.policy.clauses if not c.text]
    assert quiet and all(clause_drift(c, kareo.vocabulary) == [] for c in quiet)


def test_kareo_drift_is_a_short_list_of_real_gaps(kareo) -> None:
    found = drift(kareo.policy, kareo.vocabulary)
    kinds = {(d.clause, d.dimension, d.term) for d in found}
    # the text says "We use other third parties such as a chat service provider" and
    # never what it is given
    assert ("chat-provider", "data", "user.name") in kinds
    assert all(d.kind == "missing" for d in found), "Kareo's texts promise nothing extra"
    assert len(found) < 20
    assert [d.span.line for d in found] == sorted(d.span.line for d in found)


def _without_consent(tmp_path: Path) -> Path:
    copy = tmp_path / "kareo"
    copy.mkdir()
    for name in ("kareo.policy", "kareo-vocabulary.policy"):
        shutil.copy(KAREO.parent / name, copy / name)
    path = copy / "kareo.policy"
    text = path.read_text(encoding="utf-8")
    start = text.index("sharing partners\n")
    end = text.index("end\n", start)
    clause = text[start:end]
    assert "  consent opt-in\n" in clause
    path.write_text(text[:start] + clause.replace("  consent opt-in\n", "")
                    .replace("  unless opted_out\n", "") + text[end:], encoding="utf-8")
    return path


def test_removing_a_consent_shows_in_the_glance_the_drift_the_lint_and_the_diff(
        kareo, tmp_path: Path) -> None:
    path = _without_consent(tmp_path)
    changed = load(path)
    before = {r.clause: r for r in glance(kareo.policy.clauses, kareo.vocabulary).rows}
    after = {r.clause: r for r in glance(changed.policy.clauses, changed.vocabulary).rows}
    assert "consent" in before["partners"].choice
    assert after["partners"].choice == "" and "consent" not in after["partners"].condition
    assert [r for c, r in before.items() if c != "partners"] == \
        [r for c, r in after.items() if c != "partners"]
    # the published page says it too, though the clause's text did not change
    assert changed.policy.clause("partners").text == kareo.policy.clause("partners").text
    old_md, new_md = render(kareo, "markdown"), render(changed, "markdown")
    assert old_md != new_md
    assert ("with business partners; for promotional purposes; until you opt out; your "
            "choice: only with your consent (opt-in)") in old_md
    assert "with business partners; for promotional purposes\n" in new_md
    # the drift check: the text promises a consent the rules no longer require
    found = [d for d in drift(changed.policy, changed.vocabulary) if d.clause == "partners"]
    assert [(d.kind, d.dimension) for d in found] == [("extra", "consent")]
    assert not [d for d in drift(kareo.policy, kareo.vocabulary) if d.clause == "partners"]
    # the lint warns, and the diff reports a widening caused by `partners`
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert "partners" in result.output and "CW502" in result.output, result.output
    from clausewise.diff.changes import diff
    changes = diff(kareo, changed).changes
    assert any("partners" in c.cause for c in changes if c.cls == "widening")
    assert any(c.cls == "drift" and c.clause == "partners" for c in changes)
