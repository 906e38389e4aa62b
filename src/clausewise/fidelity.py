"""Drift between a clause's published `text` and its rules, found by reading the text.

A clause's text is what people read; its structure is what the engine enforces.
`drift` reads each clause's text for the words of what its rules say (the
phrase, label and `aka` synonyms of each term, or of a term under it) and
reports:

- `missing`: the rules require or allow something the text never mentions: a
  consent requirement, a recipient, a data category, a purpose, a retention period;
- `extra`: the text mentions something the rules do not contain: a consent the
  rules do not require (the text promises "with your consent" after `consent
  opt-in` was removed), a recipient or a data category of the policy's
  vocabulary that is neither the clause's nor above or below one of its terms.

It is a reading aid, not a proof: words are matched whole, case-insensitively,
with a plural or possessive ending allowed. `clausewise lint` prints the
findings as warnings; `clausewise diff` reports a clause whose rules changed
while its text did not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import model as m
from . import phrases as p
from .errors import Diagnostic
from .vocabulary import Vocabulary

#: words that promise a consent (an opt-in): the text says the person agrees first
CONSENT_WORDS = ("consent", "permission", "opt in", "opt-in", "agree", "agreement",
                 "choose to provide", "you choose", "wish to subscribe", "ask you before",
                 "authorize", "authorise")
#: words that say how long data is kept without a number
_FOREVER = ("indefinitely", "permanently", "forever", "no time limit", "stored", "retain",
            "keep", "kept")
_NEEDED = ("as long as", "no longer need", "necessary", "needed", "until")
_UNITS = {"days": ("day", "days"), "months": ("month", "months"), "years": ("year", "years")}
#: the dimensions read for `missing`, with the words of their report
_READ = (("recipient", m.Vocab.recipient, "recipient"),
         ("purpose", m.Vocab.purpose, "purpose"))


@dataclass(frozen=True)
class Drift:
    """One place where a clause's text and its rules do not say the same thing."""

    clause: str
    span: m.Span | None
    kind: str          # "missing" or "extra"
    dimension: str     # "consent", "recipient", "data", "purpose", "retention"
    term: str | None
    message: str
    code: str = "text-drift"

    def diagnostic(self) -> Diagnostic:
        help = ("say it in the clause's `text`, or give the term an `aka` with the words "
                "the text uses" if self.kind == "missing"
                else "take it out of the text, or add it to the clause's rules")
        return Diagnostic(self.code, self.message, self.span, help)


def drift(policy: m.Policy, vocabulary: Vocabulary) -> list[Drift]:
    """Every finding of every clause that has a `text`, in source order."""
    known = _policy_terms(policy)
    found = [d for clause in policy.clauses for d in clause_drift(clause, vocabulary, known)]
    return sorted(found, key=lambda d: (d.span.file, d.span.line) if d.span else ("", 0))


def clause_drift(clause: m.AnyClause, vocabulary: Vocabulary,
                 known: dict[m.Vocab, tuple[str, ...]] | None = None) -> list[Drift]:
    """The findings of one clause (none when it has no text).

    `known` are the terms whose mention in a text counts as `extra` when the clause
    lacks them (default: the clause's own kinds of term from the whole vocabulary
    is too wide, so only the clause's own dimensions' neighbours are read).
    """
    if not clause.text:
        return []
    text = _normal(clause.text)
    out: list[Drift] = []

    def report(kind: str, dimension: str, term: str | None, message: str) -> None:
        out.append(Drift(clause.id, clause.span, kind, dimension, term, message))

    # consent
    needs = _needs_consent(clause)
    says = _mentions(text, CONSENT_WORDS)
    if needs and not says:
        report("missing", "consent", "consent",
               f"text of `{clause.id}` does not mention the consent its rules require "
               f"({needs})")
    elif says and not needs and not isinstance(clause, (m.Disclaimer, m.Security)):
        report("extra", "consent", "consent",
               f"text of `{clause.id}` mentions consent (\"{says}\"), but its rules do "
               "not require it")
    # data
    data = tuple(getattr(clause, "data", ()))
    for key in data:
        if key == "user":
            continue  # all personal information: any wording of information says it
        if not _mentions(text, _words_below(vocabulary, m.Vocab.category, key)
                         + _words_above(vocabulary, m.Vocab.category, key)):
            report("missing", "data", key,
                   f"text of `{clause.id}` does not mention {p.data(vocabulary, key)} "
                   f"(`{key}`), which its rules {_verb(clause)}")
    # recipients and purposes
    for name, kind, what in _READ:
        keys = clause.terms_of(name) if not isinstance(clause, m.Disclaimer) or \
            name != "recipient" else clause.about
        for key in keys:
            if not _mentions(text, _words_below(vocabulary, kind, key)):
                report("missing", name, key,
                       f"text of `{clause.id}` does not mention the {what} "
                       f"{p.noun(vocabulary, kind, key)!r} (`{key}`), which its rules "
                       f"{_verb(clause)}")
    # retention period
    if isinstance(clause, m.Retention):
        words = _period_words(clause.period, vocabulary)
        if not _mentions(text, words):
            report("missing", "retention", None,
                   f"text of `{clause.id}` does not say how long the data is kept "
                   f"({_period(clause.period)})")
    # what the text names that the rules do not contain: read after the words of the
    # clause's own terms are taken out ("IP address" is not a postal "address")
    if known is not None:
        for name, kind, keys in (("data", m.Vocab.category, data),
                                 ("recipient", m.Vocab.recipient, clause.recipients)):
            if not keys or isinstance(clause, m.Disclaimer):
                continue
            rest = _without(text, [w for key in keys for w in _words_below(vocabulary, kind, key)])
            for word, terms in _lexicon(vocabulary, kind, known.get(kind, ())):
                if any(_related(vocabulary, kind, t, keys) for t in terms):
                    continue
                if _mentions(rest, (word,)):
                    term = terms[0]
                    report("extra", name, term,
                           f"text of `{clause.id}` mentions \"{word}\" "
                           f"({p.noun(vocabulary, kind, term)!r}, `{term}`), which its "
                           "rules do not contain")
    return out


def _verb(clause: m.AnyClause) -> str:
    return "forbid" if isinstance(clause, m.Prohibition) else "allow" \
        if isinstance(clause, m.Permission) else "name"


def _needs_consent(clause: m.AnyClause) -> str:
    """How the rules require consent (`consent opt-in`, `if consent`), or ""."""
    if getattr(clause, "choice", None) == m.Choice.opt_in:
        return "`consent opt-in`"
    for name in ("condition", "exception"):
        condition = getattr(clause, name, None)
        if condition is not None and _positive(condition, "consent"):
            return f"`{'if' if name == 'condition' else 'unless'} " \
                   f"{m.condition_text(condition)}`"
    return ""


def _positive(condition: m.Condition, fact: str) -> bool:
    """The condition mentions `fact` holding (not its negation)."""
    if isinstance(condition, m.FactIsTrue):
        return condition.fact == fact
    if isinstance(condition, m.Comparison):
        return condition.fact == fact and condition.value is True
    if isinstance(condition, m.Not):
        return False
    return any(_positive(op, fact) for op in condition.operands)


def _period(period: m.Period) -> str:
    if period.days is not None:
        return f"{period.days} days" + (f" after `{period.until}`" if period.until else "")
    if period.until is not None:
        return f"until `{period.until}`"
    return "as long as needed" if period.needed else "indefinitely"


def _period_words(period: m.Period, vocab: Vocabulary) -> tuple[str, ...]:
    if period.days is not None:
        per = {"days": 1, "months": 30, "years": 365}[period.unit]
        count = period.days // per
        words = tuple(f"{n} {unit}" for n in {str(count), _NUMBERS.get(count, str(count))}
                      for unit in _UNITS[period.unit])
        return words
    if period.until is not None:
        return p.words(vocab, m.Vocab.event, period.until) + ("until",)
    return _NEEDED if period.needed else _FOREVER


_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
            8: "eight", 9: "nine", 10: "ten", 12: "twelve", 18: "eighteen", 24: "twenty-four",
            30: "thirty", 60: "sixty", 90: "ninety"}


def _policy_terms(policy: m.Policy) -> dict[m.Vocab, tuple[str, ...]]:
    """The categories and recipients the policy's clauses name (what `extra` looks for)."""
    found: dict[m.Vocab, dict[str, None]] = {m.Vocab.category: {}, m.Vocab.recipient: {}}
    for clause in policy.clauses:
        for key in getattr(clause, "data", ()):
            found[m.Vocab.category].setdefault(key, None)
        for key in clause.recipients:
            found[m.Vocab.recipient].setdefault(key, None)
    return {kind: tuple(keys) for kind, keys in found.items()}


def _related(vocab: Vocabulary, kind: m.Vocab, term: str, keys: Iterable[str]) -> bool:
    """`term` is one of `keys`, above one or below one."""
    above = set(vocab.ancestors(kind, term))
    return any(key in above or term in vocab.ancestors(kind, key) for key in keys)


def _lexicon(vocab: Vocabulary, kind: m.Vocab,
             terms: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """(word, the terms it may mean) for the words of `terms`, longest word first.

    Only words a reader would take for the term: its phrase (without "your"/"the"),
    and its `aka`; a label is a reviewer's name and not read for.
    """
    table: dict[str, list[str]] = {}
    for key in terms:
        if key == "user":
            continue
        term = vocab.terms[kind].get(key)
        if term is None:
            continue
        words = [_bare(term.phrase)] if term.phrase else []
        words += [_bare(w) for w in term.aka]
        for word in words:
            if len(word) > 3:
                table.setdefault(word.lower(), []).append(key)
    # a word that is also a word of a term outside `terms` is ambiguous: give it both
    for kind_key, term in vocab.terms[kind].items():
        if kind_key in terms:
            continue
        for word in ([_bare(term.phrase)] if term.phrase else []) + [_bare(w) for w in term.aka]:
            if word.lower() in table:
                table[word.lower()].append(kind_key)
    elsewhere = _other_words(vocab, kind)
    return sorted(((w, tuple(ts)) for w, ts in table.items() if w not in elsewhere),
                  key=lambda x: -len(x[0]))


def _other_words(vocab: Vocabulary, kind: m.Vocab) -> frozenset[str]:
    """The labels of the other vocabularies' terms ("email" is also a channel)."""
    return frozenset(_bare(term.label).lower() for other, terms in vocab.terms.items()
                     if other != kind for term in terms.values())


def _bare(text: str) -> str:
    text = " ".join(text.split())
    for lead in ("your ", "the ", "our ", "a ", "an "):
        if text.lower().startswith(lead):
            return text[len(lead):]
    return text


def _words_below(vocab: Vocabulary, kind: m.Vocab, key: str) -> tuple[str, ...]:
    """The words of `key` and of every term under it (naming a part says the whole)."""
    words: list[str] = []
    for term in _below(vocab, kind, key):
        words += [_bare(w) for w in p.words(vocab, kind, term)]
    return tuple(dict.fromkeys(w for w in words if w))


def _words_above(vocab: Vocabulary, kind: m.Vocab, key: str) -> tuple[str, ...]:
    """The words of the terms above `key` ("personal information" speaks of your name)."""
    words: list[str] = []
    for term in vocab.ancestors(kind, key)[1:]:
        words += [_bare(w) for w in p.words(vocab, kind, term)]
    return tuple(dict.fromkeys(w for w in words if w))


def _without(text: str, words: Iterable[str]) -> str:
    """`text` with every mention of `words` blanked, longest first."""
    for word in sorted(set(words), key=len, reverse=True):
        if word:
            text = _pattern(word).sub(" ", text)
    return text


def _below(vocab: Vocabulary, kind: m.Vocab, key: str) -> list[str]:
    out, stack = [], [key]
    while stack and len(out) < 500:
        term = stack.pop()
        out.append(term)
        stack.extend(vocab.children(kind, term))
    return out


def _normal(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


@lru_cache(maxsize=4096)
def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(_normal(word)) + r"(?:s|es|'s)?(?![\w-])")


def _mentions(text: str, words: Iterable[str]) -> str:
    """The first of `words` that `text` (already normalized) says, or ""."""
    for word in words:
        if word and _pattern(word).search(text):
            return word
    return ""
