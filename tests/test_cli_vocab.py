"""`clausewise vocab`: every term of every vocabulary, with labels, parents and origins."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from clausewise.cli import main
from clausewise.vocabulary import base_vocabulary
from clausewise import model as m

ROOT = Path(__file__).resolve().parent.parent
KAREO = ROOT / "rules" / "kareo.policy"


def run(*args: str):
    return CliRunner().invoke(main, ["vocab", *args])


def test_every_term_of_every_vocabulary_is_listed_once() -> None:
    result = run("--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.output)
    vocabulary = base_vocabulary()
    for vocab in m.Vocab:
        assert [row["key"] for row in listed[vocab.value]] == sorted(vocabulary.terms[vocab])
    assert {row["key"] for row in listed["fact"]} == set(vocabulary.facts)


def test_a_kind_lists_keys_labels_parents_and_origins() -> None:
    result = run("recipient")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"recipient ({len(base_vocabulary().terms[m.Vocab.recipient])})"
    assert "  partner  business partners  [builtin]" in result.output.splitlines()
    categories = run("category").output
    assert "  user.contact.email  User Contact Email  [fideslang]" in categories.splitlines()


def test_search_matches_keys_and_labels_in_any_case() -> None:
    result = run("--search", "EMAIL", "--format", "json")
    found = json.loads(result.output)
    assert "user.contact.email" in [r["key"] for r in found["category"]]
    assert [r["key"] for r in found["channel"]] == ["email", "email_link"]
    assert found["recipient"] == []


def test_the_tree_shows_the_ancestors_of_what_matches() -> None:
    lines = run("category", "--tree", "--search", "contact.email").output.splitlines()
    assert lines == ["category (1)", "  user  User Data  (shown for its children)",
                     "    user.contact  Contact Data  (shown for its children)",
                     "      user.contact.email  User Contact Email"]


def test_a_policy_adds_its_own_terms_and_facts() -> None:
    result = run("--policy", str(KAREO), "--format", "json")
    listed = json.loads(result.output)
    [flash] = [r for r in listed["channel"] if r["key"] == "flash_settings"]
    assert flash["origin"].endswith("kareo-vocabulary.policy")
    assert any(r["key"] == "terms_violation" for r in listed["fact"])
    assert not any(r["key"] == "flash_settings" for r in json.loads(
        run("--format", "json").output)["channel"])


def test_no_match_says_so() -> None:
    result = run("--search", "no-such-word-anywhere")
    assert result.exit_code == 0 and "no term matches `no-such-word-anywhere`" in result.stderr


def test_a_bad_policy_is_a_located_error_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.policy"
    bad.write_text("define recipient x\n")
    result = run("--policy", str(bad))
    assert result.exit_code == 2 and f"{bad}:" in result.stderr


def test_an_unknown_kind_is_a_usage_error() -> None:
    result = run("recipients")
    assert result.exit_code == 2 and "'recipients' is not one of" in result.output
