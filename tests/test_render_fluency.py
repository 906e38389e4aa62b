"""Generated English a lawyer would sign (issue 12, point 3), checked mechanically.

Every policy in rules/ is rendered with all of its `text` removed, so that every
clause is said in the words generated from its rules, and the output is read for
the faults the issue names: a raw key (`user.contact.email`, `service_provider`),
a doubled "for ... for", a taxonomy label in Title Case inside a sentence
("User Contact Email"), and a clause said twice or not at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clausewise import model as m
from clausewise.loader import load
from clausewise.renderers import render
from clausewise.renderers.sentences import generate

RULES = Path(__file__).resolve().parent.parent / "rules"
POLICIES = sorted(p for p in RULES.rglob("*.policy") if "vocabulary" not in p.name)
URL_OR_EMAIL = re.compile(r"<?(?:https?://|mailto:)\S+|\S+@\S+")


def _without_text(loaded):
    """The policy with every clause's, section's and the header's prose taken out."""
    policy = loaded.policy
    clauses = tuple(c.model_copy(update={"text": None}) for c in policy.clauses)
    header = policy.header.model_copy(update={"texts": ()}) if policy.header else None
    sections = tuple(s.model_copy(update={"texts": ()}) for s in policy.sections)
    return policy.model_copy(update={"clauses": clauses, "header": header,
                                     "sections": sections}), loaded.vocabulary


@pytest.fixture(scope="module", params=POLICIES, ids=[p.stem for p in POLICIES])
def bare(request):
    policy, vocab = _without_text(load(request.param))
    return policy, vocab, {fmt: render((policy, vocab), fmt) for fmt in ("markdown", "text")}


def _flat(text: str) -> str:
    text = " ".join(text.split())
    return URL_OR_EMAIL.sub(" ", text)


def _used(policy: m.Policy) -> set[tuple[m.Vocab, str]]:
    used = set()
    for clause in policy.clauses:
        used |= {(m.Vocab.category, key) for key in getattr(clause, "data", ())}
        used |= {(m.DIMENSION[name].vocab, key) for name, keys in clause.terms for key in keys}
    return used


def test_policies_are_found() -> None:
    assert {p.stem for p in POLICIES} >= {"kareo", "notably", "stride"}


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_no_raw_key_is_printed(bare, fmt: str) -> None:
    policy, vocab, out = bare
    flat = _flat(out[fmt].replace("\\", ""))
    for kind, key in _used(policy):
        if "." in key or "_" in key:
            assert not re.search(rf"(?<![\w.]){re.escape(key)}(?![\w])", flat), key
    assert not re.search(r"\b(user|essential|functional|analytics|marketing|personalize)"
                         r"\.[a-z_]", flat)
    # markdown escapes `_` as `\_`: read both forms
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", flat), re.search(r"\b[a-z]+_[a-z_]+\b", flat)


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_no_doubled_for(bare, fmt: str) -> None:
    flat = _flat(bare[2][fmt])
    doubled = re.search(r"\bfor (?:[\w'-]+ ){0,2}for\b", flat, re.I)
    assert doubled is None, flat[max(0, doubled.start() - 80):doubled.end() + 80]


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_no_title_case_label_mid_sentence(bare, fmt: str) -> None:
    policy, vocab, out = bare
    flat = _flat(out[fmt])
    for kind, key in _used(policy):
        term = vocab.terms[kind].get(key)
        if term is None or term.origin != "fideslang":
            continue
        words = term.label.split()
        if len(words) >= 2 and sum(w[:1].isupper() for w in words) >= 2:
            assert term.label not in flat, (key, term.label)


def test_every_clause_is_said_exactly_once(bare) -> None:
    policy, vocab, out = bare
    flat = " ".join(out["text"].split())
    for clause in policy.clauses:
        sentence = " ".join(generate(clause, policy, vocab).split())
        assert flat.count(sentence) == 1, (clause.id, sentence, flat.count(sentence))


def test_the_generated_sentences_read_as_sentences(bare) -> None:
    policy, vocab, _ = bare
    for clause in policy.clauses:
        said = generate(clause, policy, vocab)
        assert said[0].isupper() and said.endswith("."), (clause.id, said)
        assert "  " not in said and " ," not in said and ",," not in said, (clause.id, said)
        assert not re.search(r"\b(\w+) \1\b", said.replace("that that", "")), (clause.id, said)
