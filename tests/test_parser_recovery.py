"""Errors, all at once: the parser recovers at item boundaries (grammar/recovery.py).

One syntax error does not hide the others, nor what validation finds in the items
that parsed; a clause without its `end` is named as such; a field written in the
wrong place says where it belongs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewise.errors import MAX_PRINTED, PolicyError
from clausewise.grammar.parser import build, parse
from clausewise.grammar.recovery import parse_file
from clausewise.loader import load

ROOT = Path(__file__).resolve().parent.parent


def errors(tmp_path: Path, text: str, name: str = "p.policy") -> list[tuple[int, str, str]]:
    """(line, code, message) of every diagnostic of loading `text`."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load(path)
    return [(d.span.line, d.code, d.message) for d in caught.value.diagnostics]


def test_a_syntax_error_and_an_unknown_term_in_another_clause_are_both_reported(
        tmp_path: Path) -> None:
    found = errors(tmp_path, "use a\n  use user.name\n  fro customer\nend\n\n"
                   "use b\n  use user.contact.emial\nend\n")
    assert [(line, code) for line, code, _ in found] == [(3, "syntax"), (7, "unknown-term")]


def test_a_clause_without_end_is_named_and_the_next_clause_is_still_checked(
        tmp_path: Path) -> None:
    found = errors(tmp_path, "sharing partners\n  share user.name\n  with partner\n\n"
                   "use analytics\n  use user.device.ip_adress\nend\n")
    assert found == [
        (3, "missing-end", "clause `partners` opened at line 1 is not closed with `end`"),
        (6, "unknown-term", "unknown category `user.device.ip_adress`")]


def test_an_unclosed_header_is_named(tmp_path: Path) -> None:
    found = errors(tmp_path, 'policy "P"\n  organization "O"\n\nuse a\n  use user\nend\n')
    assert found == [(2, "missing-end", "the policy header opened at line 1 is not closed "
                      "with `end`")]


def test_fields_written_at_column_one_belong_to_their_clause() -> None:
    text = "use newsletter\nuse user.contact.email\nfor marketing\nend\n" \
           'define purpose p "P"\nphrase "the p purpose"\n'
    assert parse(text, "p.policy") == build(text, "p.policy")[0]
    found = parse_file(text + "use broken\n  fro x\nend\n", "p.policy").diagnostics
    assert [(d.span.line, d.code) for d in found] == [(8, "syntax")]


def test_what_a_broken_item_defines_is_not_reported_unknown(tmp_path: Path) -> None:
    found = errors(tmp_path, 'define recipient broker "a broker" undr partner\n\n'
                   "sharing s\n  share user.name\n  with broker, partnr\nend\n")
    assert [(line, code) for line, code, _ in found] == [(1, "syntax"), (5, "unknown-term")]
    assert "`partnr`" in found[1][2]


def test_a_broken_include_leaves_unknown_names_unreported(tmp_path: Path) -> None:
    found = errors(tmp_path, 'include terms.policy\n\n'
                   "sharing s\n  share user.name\n  with broker\nend\n")
    assert [code for _, code, _ in found] == ["syntax"]


def test_a_clause_with_an_error_of_its_own_is_not_validated_but_the_others_are(
        tmp_path: Path) -> None:
    found = errors(tmp_path, "use a\n  use user.emial\n  method provided\nend\n\n"
                   "use b\n  use user.nme\nend\n")
    assert [(line, code) for line, code, _ in found] == [(3, "field-not-allowed"),
                                                         (7, "unknown-term")]


def test_a_word_that_begins_with_a_keyword_is_a_misspelt_keyword() -> None:
    diagnostics = parse_file("prohibition p\n  nevers share user\nend\n", "p.policy").diagnostics
    assert [(d.code, d.message, d.help) for d in diagnostics] == \
        [("syntax", "`nevers` is not a keyword", "did you mean `never`?")]


def test_a_field_of_another_kind_says_which_kinds_take_it() -> None:
    [found] = parse_file("collection c\n  collect user\n  about forum_users\nend\n",
                         "p.policy").diagnostics
    assert found.code == "field-not-allowed"
    assert found.help.startswith("`about` belongs in a disclaimer clause; a collection clause "
                                 "takes: collect, ")


def test_every_broken_clause_is_reported_and_printing_stops_at_the_cap(tmp_path: Path) -> None:
    clauses = [f"use c{i}\n  use user\n  fro customer\nend\n" if i % 2 else
               f"use c{i}\n  use user.emial\nend\n" for i in range(120)]
    path = tmp_path / "many.policy"
    path.write_text("\n".join(clauses), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load(path)
    codes = [d.code for d in caught.value.diagnostics]
    assert codes.count("syntax") == 60 and codes.count("unknown-term") == 60
    printed = caught.value.format()
    assert printed.count("error[") == MAX_PRINTED
    assert printed.endswith(f"... and {120 - MAX_PRINTED} more errors")


@pytest.mark.parametrize("name", ["rules/kareo.policy", "rules/examples/notably.policy",
                                  "rules/examples/stride.policy"])
def test_a_valid_policy_parses_in_one_pass_as_before(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    document, diagnostics = build(text, name)
    assert diagnostics == [] and parse(text, name) == document
