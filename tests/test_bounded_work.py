"""Bounded work: the quadratic paths of issue 8, at full size, each with the result it must give.

The policies come from the generators of benchmarks/hardening.py, which times the
same cases (timings belong there, not here). Each test checks what loading, or
diffing, finds: where each error is, how many there are, which help lines they
carry, what the diff reports. A return to quadratic work shows as a suite that
takes minutes: the cases named by the issue took 13 to 107 s each before.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from clausewise import model as m
from clausewise.diff.changes import diff
from clausewise.errors import PolicyError, did_you_mean
from clausewise.loader import Loaded, load
from clausewise.suggest import MAX_SUGGESTED_LENGTH, MAX_SUGGESTIONS
from clausewise.validate import MAX_TERM_DEPTH
from clausewise.vocabulary import base_vocabulary
from conftest import ROOT

_spec = importlib.util.spec_from_file_location("hardening", ROOT / "benchmarks" / "hardening.py")
assert _spec is not None and _spec.loader is not None
hardening = sys.modules["hardening"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hardening)

#: the generated policies' header takes lines 1-4; their first item is on line 5
FIRST = 5


def write(tmp_path: Path, text: str, name: str = "generated.policy") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load(path)
    return caught.value


def loaded(path: Path) -> Loaded:
    return load(path)


# ------------------------------------------------------- unknown names, many of them
def test_four_thousand_defines_under_unknown_parents_each_point_at_their_parent(
        tmp_path: Path) -> None:
    error = refused(write(tmp_path, hardening.unknown_parents(4_000)))
    found = error.diagnostics
    assert len(found) == 4_000
    assert {d.code for d in found} == {"unknown-parent"}
    lines = hardening.unknown_parents(4_000).split("\n")
    for i, d in enumerate(found):
        assert d.span is not None and d.span.line == FIRST + i
        assert d.span.column == lines[FIRST + i - 1].index(f"under partner_{i}") + 7
        assert d.message == (f"recipient `broker_{i}` is placed under `partner_{i}`, "
                             "which is not a known recipient")
    # the printed ones suggest what `did_you_mean` finds among all 4,007 recipients
    recipients = list(base_vocabulary().terms[m.Vocab.recipient]) + \
        [f"broker_{i}" for i in range(4_000)]
    for i in (0, 17, MAX_SUGGESTIONS - 1):
        assert found[i].help == did_you_mean(f"partner_{i}", recipients)
    assert [d.help for d in found[:MAX_SUGGESTIONS]] == ["did you mean `partner`?"] * \
        MAX_SUGGESTIONS
    assert {d.help for d in found[MAX_SUGGESTIONS:]} == {None}  # never printed: not worked out


def test_twenty_thousand_unknown_terms_on_one_line_are_each_located(tmp_path: Path) -> None:
    text = hardening.unknown_terms_one_line(20_000)
    error = refused(write(tmp_path, text))
    found = error.diagnostics
    assert len(found) == 20_000
    line = text.split("\n")[FIRST]
    columns = [word.start() + 1 for word in re.finditer(r"no_such_\d+", line)]
    categories = list(base_vocabulary().terms[m.Vocab.category])
    for i, d in enumerate(found):
        assert d.code == "unknown-term" and d.message == f"unknown category `no_such_{i}`"
        assert d.span is not None and (d.span.line, d.span.column) == (FIRST + 1, columns[i])
        declare = f'declare it with `define category no_such_{i} "its label"`'
        wanted = did_you_mean(f"no_such_{i}", categories) if i < MAX_SUGGESTIONS else None
        assert d.help == (wanted or declare)


def test_misspelt_facts_among_two_thousand_declared_ones_suggest_the_declared_ones(
        tmp_path: Path) -> None:
    error = refused(write(tmp_path, hardening.misspelt_facts(2_000)))
    found = error.diagnostics
    assert len(found) == 2_000 and {d.code for d in found} == {"unknown-fact"}
    facts = list(base_vocabulary().facts) + [f"fact_{i}" for i in range(2_000)]
    for i in (0, MAX_SUGGESTIONS - 1):
        assert found[i].help == did_you_mean(f"fact_{i}x", facts)
    assert [d.help for d in found[:MAX_SUGGESTIONS]] == \
        [f"did you mean `fact_{i}`?" for i in range(MAX_SUGGESTIONS)]
    assert [d.help for d in found[MAX_SUGGESTIONS:]] == \
        [f'declare it with `define fact fact_{i}x bool "what it means"`'
         for i in range(MAX_SUGGESTIONS, 2_000)]


# --------------------------------------------------------------- the suggestions
def test_a_name_too_long_to_be_a_slip_gets_no_suggestion(tmp_path: Path) -> None:
    long_name = "user_contact_email_" * 4
    assert len(long_name) > MAX_SUGGESTED_LENGTH
    error = refused(write(tmp_path, hardening.HEADER + f"use u\n  use {long_name}\nend\n"))
    [d] = error.diagnostics
    assert d.help == f'declare it with `define category {long_name} "its label"`'


# --------------------------------------------------------------------- the parser
def test_forty_thousand_header_texts_are_kept_in_order(tmp_path: Path) -> None:
    policy = loaded(write(tmp_path, hardening.header_texts(40_000))).policy
    assert policy.header is not None
    assert policy.header.texts == tuple(f"paragraph {i} of the preamble" for i in range(40_000))


def test_five_thousand_obligations_of_one_clause_are_kept_in_order(tmp_path: Path) -> None:
    musts = "".join(f'  must "duty {i}"\n' for i in range(5_000))
    text = hardening.HEADER + f"use u\n  use user.contact.email\n{musts}end\n"
    [clause] = loaded(write(tmp_path, text)).policy.clauses
    assert [o.text for o in clause.obligations] == [f"duty {i}" for i in range(5_000)]


def test_four_thousand_clauses_with_duplicate_ids_each_name_the_first(tmp_path: Path) -> None:
    error = refused(write(tmp_path, hardening.duplicate_ids(2_000)))
    found = error.diagnostics
    assert len(found) == 2_000 and {d.code for d in found} == {"duplicate-id"}
    for i, d in enumerate(found):  # each block is 4 lines; the second of a pair is reported
        assert d.span is not None and d.span.line == FIRST + 8 * i + 4
        assert d.message == f"clause id `u{i}` is used twice"
        assert d.help is not None and d.help.startswith(
            f"first used at {tmp_path / 'generated.policy'}:{FIRST + 8 * i}:1;")


# ------------------------------------------------------------------ hierarchies
def test_a_define_chain_ten_thousand_deep_is_refused_at_its_first_term_too_deep(
        tmp_path: Path) -> None:
    error = refused(write(tmp_path, hardening.define_chain(10_000)))
    [d] = error.diagnostics
    too_deep = MAX_TERM_DEPTH + 2  # a1 is the root: a34 is 33 levels below it
    assert d.code == "term-too-deep"
    assert d.span is not None and (d.span.line, d.span.column) == (FIRST + too_deep - 1, 1)
    assert d.message == (f"category `a{too_deep}` is {MAX_TERM_DEPTH + 1} levels below its "
                         f"root `a1`; a hierarchy may be at most {MAX_TERM_DEPTH} levels deep")
    assert d.help is not None and "nearer `a1`" in d.help


def test_a_cycle_two_thousand_terms_long_is_reported_for_each_term_on_it(
        tmp_path: Path) -> None:
    text = hardening.define_chain(2_000).replace(
        'define category a1 "level 1"\n', 'define category a1 "level 1" under a2000\n')
    error = refused(write(tmp_path, text))
    assert [d.code for d in error.diagnostics] == ["term-cycle"] * 2_000
    assert [d.message for d in error.diagnostics[:2]] == [
        "category `a1` is placed under itself", "category `a2` is placed under itself"]


def test_a_long_chain_under_a_cycle_is_reported_as_the_cycle_only(tmp_path: Path) -> None:
    cycle = ('define category c1 "c1" under c3\ndefine category c2 "c2" under c1\n'
             'define category c3 "c3" under c2\n')
    text = hardening.define_chain(100).replace(
        'define category a1 "level 1"\n', 'define category a1 "level 1" under c1\n') + cycle
    error = refused(write(tmp_path, text))
    assert [d.message for d in error.diagnostics] == [
        f"category `c{i}` is placed under itself" for i in (1, 2, 3)]


def test_two_thousand_terms_at_the_depth_limit_load_and_diff(tmp_path: Path) -> None:
    old = loaded(write(tmp_path, hardening.deep_forest(2_000), "old.policy"))
    new = loaded(write(tmp_path, hardening.deep_forest_edited(2_000), "new.policy"))
    categories = old.vocabulary.terms[m.Vocab.category]
    chains = -(-2_000 // MAX_TERM_DEPTH)  # a clause for each chain's deepest term, and two
    assert len(old.policy.terms) == 2_000 and len(old.policy.clauses) == 2 + chains
    deepest = max(len(old.vocabulary.ancestors(m.Vocab.category, k)) for k in categories)
    assert deepest - 1 == MAX_TERM_DEPTH  # `c0_32` is 32 levels below `user`
    result = diff(old, new)
    summary = [(c.cls, c.kind, c.witness.data if c.witness else None, c.old_clauses,
                c.new_clauses) for c in result.decision_changes]
    assert summary == [
        ("widening", "use", (f"c0_{MAX_TERM_DEPTH}",), ("deep0",), ("deep0",)),
        ("widening", "share", ("user",), (), ("partners",))]
    use = result.decision_changes[0]
    assert use.witness is not None and use.witness.purpose == "marketing"
    assert use.witness.context.get("consent") is not True  # no consent needed any more
    assert sorted(c.detail for c in result.of("text")) == [
        "the rules of `deep0` changed: no longer requires `consent` (the decisions it "
        "changes are stated above)",
        "the rules of `partners` changed: data `user` added; data `user.contact` dropped "
        "(the decisions it changes are stated above)"]


# ------------------------------------------------------------------------ facts
def test_two_thousand_unused_facts_load_and_diff(tmp_path: Path) -> None:
    old = loaded(write(tmp_path, hardening.unused_facts(2_000), "old.policy"))
    new = loaded(write(tmp_path, hardening.unused_facts_edited(2_000), "new.policy"))
    assert len(old.policy.facts) == 2_000
    result = diff(old, new)
    [change] = result.decision_changes
    assert (change.cls, change.kind, change.old_clauses, change.new_clauses) == \
        ("narrowing", "use", ("login",), ("login",))  # the deny names what it now needs
    assert change.witness is not None and change.witness.context.get("fact_0") is not True
    assert [c.detail for c in result.of("text")] == [
        "the rules of `login` changed: now also requires `fact_0` (the decisions it "
        "changes are stated above)"]


def test_unknown_facts_among_two_thousand_declared_ones(tmp_path: Path) -> None:
    error = refused(write(tmp_path, hardening.unknown_facts(2_000)))
    found = error.diagnostics
    assert [d.message for d in found] == [f"unknown fact `undeclared_{i}`" for i in range(2_000)]
    facts = list(base_vocabulary().facts) + [f"fact_{i}" for i in range(2_000)]
    for i in (0, 7, MAX_SUGGESTIONS - 1, MAX_SUGGESTIONS):
        declare = f'declare it with `define fact undeclared_{i} bool "what it means"`'
        wanted = did_you_mean(f"undeclared_{i}", facts) if i < MAX_SUGGESTIONS else None
        assert found[i].help == (wanted or declare)
