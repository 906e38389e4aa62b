"""`suggest.Closest` answers what `errors.did_you_mean` answers, with bounded work.

`did_you_mean` compares an unknown name with every known one; `Closest` prepares
a pool once and compares only the names that can win. The two must agree on any
pool and any name (hypothesis), on typos of the real vocabularies, and `Closest`
must give up, with no suggestion, once its work runs out. Suggestions go to the
diagnostics that are printed: the first `MAX_SUGGESTIONS` in position order.
"""

from __future__ import annotations

import itertools
import random
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausewise.errors import PolicyError, did_you_mean
from clausewise.loader import load
from clausewise.suggest import MAX_SUGGESTED_LENGTH, MAX_SUGGESTIONS, Closest, Work
from clausewise.vocabulary import base_vocabulary

names = st.text(alphabet=string.ascii_lowercase[:6] + "._", max_size=12)


@settings(max_examples=100, deadline=None)
@given(st.lists(names, max_size=40, unique=True), names)
def test_prepared_suggestions_are_those_of_did_you_mean(pool: list[str], name: str) -> None:
    assert Closest(pool).did_you_mean(name, Work(10**9)) == did_you_mean(name, pool)


def test_prepared_suggestions_agree_on_typos_of_the_real_vocabularies() -> None:
    rng = random.Random(8)
    vocabulary = base_vocabulary()
    for pool in [list(t) for t in vocabulary.terms.values()] + [list(vocabulary.facts)]:
        closest = Closest(pool)
        for _ in range(40):
            word = list(rng.choice(pool))
            for _ in range(rng.randint(0, 3)):
                at = rng.randrange(len(word) + 1)
                word.insert(at, rng.choice("aeiou._x"))
                if rng.random() < 0.5 and word:
                    del word[rng.randrange(len(word))]
            typo = "".join(word)
            assert closest.did_you_mean(typo, Work(10**9)) == did_you_mean(typo, pool)


def test_suggestions_stop_when_their_work_runs_out() -> None:
    # 720 names with the same letters: every one is as close as any by shared letters
    pool = ["".join(p) for p in itertools.permutations("abcdef")]
    work = Work(100)
    assert Closest(pool).did_you_mean("fedcbaa", work) is None
    assert work.left < 0
    assert Closest(pool).did_you_mean("fedcbaa", Work(10**9)) == \
        did_you_mean("fedcbaa", pool)


def test_a_long_name_gets_no_suggestion_and_a_long_known_name_is_still_found_by_tail() -> None:
    long_known = "x" * 200 + ".email"
    pool = ["user.contact.email", long_known]
    closest = Closest(pool)
    assert closest.did_you_mean("y" * (MAX_SUGGESTED_LENGTH + 1), Work(10**9)) is None
    # too long to be close as a whole, but its last segment is: the last name with it wins
    assert did_you_mean("abc.emal", pool) == f"did you mean `{long_known}`?"
    assert closest.did_you_mean("abc.emal", Work(10**9)) == f"did you mean `{long_known}`?"


def test_the_printed_diagnostics_are_those_with_suggestions_across_files(tmp_path: Path) -> None:
    def uses(count: int) -> str:  # `partnr` is a typo of the built-in recipient `partner`
        return "".join(f"sharing s{i}\n  share user\n  with partnr{i}\nend\n" for i in range(count))

    # b.policy is read first but printed after a.policy: suggestions follow the print order
    (tmp_path / "a.policy").write_text(uses(40), encoding="utf-8")
    (tmp_path / "b.policy").write_text('include "a.policy"\n' + uses(40).replace(
        "sharing s", "sharing t"), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load(tmp_path / "b.policy")
    found = caught.value.diagnostics
    assert [d.span.file.endswith("a.policy") for d in found] == [True] * 40 + [False] * 40
    helps = [d.help or "" for d in found]
    assert all(h == "did you mean `partner`?" for h in helps[:MAX_SUGGESTIONS])
    assert all(h.startswith("declare it with") for h in helps[MAX_SUGGESTIONS:])
