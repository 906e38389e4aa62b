"""Sections and words (issue 12's structure, in the language): the author's headings and
the phrases a published policy uses for terms are part of the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewise import model as m
from clausewise.errors import PolicyError
from clausewise.loader import load

POLICY = '''policy "T"
end
define recipient pals "Partners" under partner phrase "our partners" aka "partner companies", "affiliates"
phrase category user.contact.email "your email address" aka "e-mail"

use before-any-section
  use user.name
  for essential
end

section "Information we collect"
  text "We collect little."
collection c1
  collect user.contact.email
end
collection c2
  collect user.name
end

section "Sharing"
sharing s1
  share user.name
  with pals
end
'''


def loaded(tmp_path: Path, text: str = POLICY):
    path = tmp_path / "p.policy"
    path.write_text(text, encoding="utf-8")
    return load(str(path))


def test_sections_keep_the_authors_headings_order_and_clauses(tmp_path: Path) -> None:
    policy = loaded(tmp_path).policy
    assert [(s.title, s.texts, s.clauses) for s in policy.sections] == [
        ("Information we collect", ("We collect little.",), ("c1", "c2")),
        ("Sharing", (), ("s1",))]
    assert policy.sections[1].span.line == 20
    assert [c.id for c in policy.clauses] == ["before-any-section", "c1", "c2", "s1"]


def test_sections_do_not_change_decisions_but_are_part_of_the_model(tmp_path: Path) -> None:
    flat = loaded(tmp_path, POLICY.replace('section "Sharing"\n', "")).policy
    full = loaded(tmp_path).policy
    assert flat.clauses == full.clauses and flat.sections != full.sections


def test_phrase_and_aka_give_words_to_defined_and_foreign_terms(tmp_path: Path) -> None:
    vocabulary = loaded(tmp_path).vocabulary
    assert vocabulary.phrase(m.Vocab.recipient, "pals") == "our partners"
    assert vocabulary.aka(m.Vocab.recipient, "pals") == ("partner companies", "affiliates")
    assert vocabulary.ancestors(m.Vocab.recipient, "pals")[1] == "partner"
    assert vocabulary.phrase(m.Vocab.category, "user.contact.email") == "your email address"
    assert vocabulary.aka(m.Vocab.category, "user.contact.email") == ("e-mail",)
    assert vocabulary.phrase(m.Vocab.recipient, "first_party") != "our partners"


def test_a_phrase_for_an_unknown_term_is_located_with_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        loaded(tmp_path, POLICY.replace("category user.contact.email", "category user.contact.emale"))
    [d] = caught.value.diagnostics
    assert d.code == "unknown-term" and (d.span.line, d.span.column) == (4, 17)
    assert "user.contact.email" in (d.help or "")


def test_a_section_without_a_heading_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        loaded(tmp_path, POLICY.replace('section "Sharing"', 'section ""'))
    assert [d.code for d in caught.value.diagnostics] == ["empty-name"]


def test_a_define_may_be_followed_by_a_phrase_for_another_term(tmp_path: Path) -> None:
    text = ('policy "T"\nend\ndefine purpose p "P"\nphrase recipient partner "our partners"\n'
            'define recipient q "Q" phrase "the q people"\n')
    vocabulary = loaded(tmp_path, text).vocabulary
    assert vocabulary.phrase(m.Vocab.recipient, "partner") == "our partners"
    assert vocabulary.phrase(m.Vocab.purpose, "p") is None
    assert vocabulary.phrase(m.Vocab.recipient, "q") == "the q people"


def test_a_phrase_without_a_term_and_no_define_above_is_located(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        loaded(tmp_path, 'policy "T"\nend\nphrase "lost words"\n')
    [d] = caught.value.diagnostics
    assert d.code == "misplaced-phrase" and d.span.line == 3
