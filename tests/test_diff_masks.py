"""The diff's action space: the masks of matched rules, filed by term, agree with testing pairs.

`masks.masks` gives each value of a dimension the bitmask of the rules it matches,
by filing rules under the terms they name (linear in terms and rules);
`masks.masks_by_pairs` tests every value against every rule with `masks.matches`
(the definition). They must agree on every dimension of every action kind: on Kareo
against edited versions, on generated pairs of the diff's property tests, and on
policies with their own hierarchies, a term that moves between versions, and
retention periods in days and until events.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given, settings

from clausewise.diff import masks, space
from clausewise.diff.changes import compiled_sides, diff
from clausewise.loader import Loaded, load
from conftest import ROOT
from test_diff_properties import edited_pairs, load_pair

KAREO_FILES = ("kareo.policy", "kareo-vocabulary.policy")


def assert_masks_agree(old: Loaded, new: Loaded) -> int:
    """Both ways give the same masks everywhere; returns how many values were compared."""
    sides = compiled_sides(old, new)
    vocabs = (sides[0].vocabulary, sides[1].vocabulary)
    compared = 0
    for kind, dims in space.DIMENSIONS.items():
        rules = space.rules_for(kind, sides)
        for dim in dims:
            for required in ((), (dim,)):
                values = space._values(dim, rules, vocabs, required)
                fast = masks.masks(dim, rules, vocabs, values)
                slow = masks.masks_by_pairs(dim, rules, vocabs, values)
                assert fast == slow, (kind, dim, required)
                compared += len(values)
    return compared


def write(tmp_path: Path, name: str, text: str) -> Loaded:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load(path)


def test_masks_agree_on_kareo_and_an_edited_kareo(tmp_path: Path) -> None:
    for name in KAREO_FILES:
        shutil.copy(ROOT / "rules" / name, tmp_path / name)
    old = load(tmp_path / "kareo.policy")
    text = (tmp_path / "kareo.policy").read_text(encoding="utf-8")
    edited = text.replace("  unless opted_out\n", "", 1).replace("  indefinitely\n",
                                                                  "  for 30 days\n", 1)
    assert edited != text
    (tmp_path / "kareo.policy").write_text(edited, encoding="utf-8")
    new = load(tmp_path / "kareo.policy")
    assert assert_masks_agree(old, new) > 1000  # fideslang's terms, in every dimension
    assert assert_masks_agree(new, old) > 1000


HIERARCHY = '''policy "Own terms"
end

define category user.employer "where you work"
define category payroll "payroll records" under user.employer
define category salary "salaries" under payroll
define recipient broker "data brokers" under {broker_parent}
define recipient reseller "resellers" under broker
define event audit "an audit"
define event tax_audit "a tax audit" under audit

collection work
  collect user.employer
  from employee
  for essential.service
end

sharing brokers
  share payroll
  with broker
  for marketing
  consent opt-in
end

prohibition no-salaries
  never share, keep salary
  with reseller
  unless legal_requirement
end

retention payroll-kept
  keep payroll
  {period}
end

retention audits
  keep user.employer
  until audit
end

retention week
  keep salary
  for 7 days
end

notification audit-notice
  on tax_audit
  notify employee
  via email
  before
end

security payroll-encrypted
  encrypt payroll
  at rest
end
'''


def test_masks_agree_with_own_hierarchies_moved_terms_and_periods(tmp_path: Path) -> None:
    old = write(tmp_path, "old.policy", HIERARCHY.format(broker_parent="partner",
                                                         period="for 30 days"))
    new = write(tmp_path, "new.policy", HIERARCHY.format(broker_parent="advertiser",
                                                         period="until tax_audit"))
    assert assert_masks_agree(old, new) > 0
    assert assert_masks_agree(new, old) > 0
    assert diff(old, new).decision_changes  # the move and the period do change decisions


@settings(max_examples=40, deadline=None)
@given(edited_pairs())
def test_masks_agree_on_generated_pairs(pair) -> None:
    old, new = load_pair(*pair)
    assert_masks_agree(old, new)
