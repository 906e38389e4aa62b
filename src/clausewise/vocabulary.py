"""The vocabulary a policy speaks: fideslang's taxonomy, our defaults, the policy's own terms.

Every vocabulary is a forest of dotted or plain keys with labels. `Vocabulary`
answers the questions all stages ask: is this a known term, what is its label,
what are its ancestors (a clause on `user.contact` covers `user.contact.email`).
fideslang supplies categories, purposes and subjects; `builtin.policy` supplies
recipients, events, channels, rights and the standard facts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources

from . import cache
from . import model as m

#: fideslang collection -> our vocabulary
_FIDESLANG = {"data_category": m.Vocab.category, "data_use": m.Vocab.purpose,
              "data_subject": m.Vocab.subject}


@dataclass(frozen=True, slots=True)
class Term:
    key: str
    label: str
    parent: str | None
    origin: str  # "fideslang", "builtin" or the declaring file
    phrase: str | None = None  # how the published policy says it; None: from the label
    aka: tuple[str, ...] = ()  # other words a clause's text may use for it


class Vocabulary:
    """Terms per vocabulary and the typed facts; read-only once built."""

    def __init__(self, terms: dict[m.Vocab, dict[str, Term]], facts: dict[str, m.FactDef],
                 records: dict[str, m.AnyClause] | None = None) -> None:
        self.terms = terms
        self.facts = facts
        #: the clauses an action may record the person's doings against (its `choices`
        #: and `exercised`): choice clauses and rights that set a fact, by id
        self.records = records or {}
        self._ancestors: dict[tuple[m.Vocab, str], tuple[str, ...]] = {}

    def knows(self, vocab: m.Vocab, key: str) -> bool:
        return key in self.terms[vocab]

    def label(self, vocab: m.Vocab, key: str) -> str:
        term = self.terms[vocab].get(key)
        return term.label if term else key

    def ancestors(self, vocab: m.Vocab, key: str) -> tuple[str, ...]:
        """`key` and every term above it, nearest first (unknown keys: just themselves)."""
        cache_key = (vocab, key)
        found = self._ancestors.get(cache_key)
        if found is None:
            chain, seen, current = [], set(), key
            table = self.terms[vocab]
            while current is not None and current not in seen:
                chain.append(current)
                seen.add(current)
                term = table.get(current)
                current = term.parent if term else None
            found = self._ancestors[cache_key] = tuple(chain)
        return found

    def phrase(self, vocab: m.Vocab, key: str) -> str | None:
        """The declared words for a term (`phrase` or `define ... phrase`), if any."""
        term = self.terms[vocab].get(key)
        return term.phrase if term else None

    def aka(self, vocab: m.Vocab, key: str) -> tuple[str, ...]:
        term = self.terms[vocab].get(key)
        return term.aka if term else ()

    def children(self, vocab: m.Vocab, key: str | None) -> tuple[str, ...]:
        return tuple(sorted(k for k, t in self.terms[vocab].items() if t.parent == key))

    def with_policy(self, terms: tuple[m.TermDef, ...], facts: tuple[m.FactDef, ...],
                    wordings: tuple[m.Wording, ...] = (),
                    clauses: tuple[m.AnyClause, ...] = ()) -> Vocabulary:
        """A new vocabulary extended by a policy's declarations (checked by validate.py)."""
        table = {vocab: dict(entries) for vocab, entries in self.terms.items()}
        for term in terms:
            origin = term.span.file if term.span else "policy"
            table[term.vocab][term.key] = Term(term.key, term.label, _parent_of(term), origin,
                                               term.phrase, term.aka)
        _reword(table, wordings)
        all_facts = dict(self.facts)
        all_facts.update({fact.name: fact for fact in facts})
        records = dict(self.records)
        records.update({c.id: c for c in clauses
                        if isinstance(c, m.ChoiceClause) or isinstance(c, m.Right) and c.fact})
        return Vocabulary(table, all_facts, records)


def _reword(table: dict[m.Vocab, dict[str, Term]], wordings: tuple[m.Wording, ...]) -> None:
    """Give known terms the words of `phrase` lines (an unknown one is validate.py's error)."""
    for wording in wordings:
        term = table[wording.vocab].get(wording.key)
        if term is not None:
            table[wording.vocab][wording.key] = Term(term.key, term.label, term.parent,
                                                     term.origin, wording.phrase,
                                                     wording.aka or term.aka)


def _parent_of(term: m.TermDef) -> str | None:
    if term.parent is not None:
        return term.parent
    return term.key.rsplit(".", 1)[0] if "." in term.key else None


@lru_cache(maxsize=1)
def base_vocabulary() -> Vocabulary:
    """fideslang's default taxonomy plus the language's built-in sets."""
    from .grammar.parser import parse

    table: dict[m.Vocab, dict[str, Term]] = {vocab: {} for vocab in m.Vocab}
    for vocab, key, label, parent in _fideslang_terms():
        table[vocab][key] = Term(key, label, parent, "fideslang")
    text = resources.files(__package__).joinpath("builtin.policy").read_text(encoding="utf-8")
    builtin = parse(text, "<builtin>")
    for term in builtin.terms:
        table[term.vocab][term.key] = Term(term.key, term.label, _parent_of(term), "builtin",
                                           term.phrase, term.aka)
    _reword(table, builtin.wordings)
    return Vocabulary(table, {fact.name: fact for fact in builtin.facts})


def _fideslang_terms() -> list[tuple[m.Vocab, str, str, str | None]]:
    """The taxonomy as plain rows, cached per fideslang version in the private cache.

    Importing fideslang builds its whole pydantic model (~0.15 s); the snapshot
    keeps the CLI's start-up cheap. The snapshot is only a cache, read only from the
    user's private cache directory (a planted one would change what terms cover) and
    only when every row has the expected shape; otherwise it is rebuilt from fideslang.
    """
    name = f"fideslang-{metadata.version('fideslang')}.json"
    rows = _snapshot_rows(cache.read_trusted(name))
    if rows is None:
        from fideslang.default_taxonomy import DEFAULT_TAXONOMY

        rows = [(vocab.value, item.fides_key, item.name or item.fides_key,
                 getattr(item, "parent_key", None))
                for attr, vocab in _FIDESLANG.items()
                for item in getattr(DEFAULT_TAXONOMY, attr)]
        cache.write_private(name, json.dumps(rows).encode("utf-8"))
    return [(m.Vocab(v), k, label, parent) for v, k, label, parent in rows]


def _snapshot_rows(data: bytes | None) -> list[tuple[str, str, str, str | None]] | None:
    """The rows of a snapshot, or None unless it is a list of well-formed rows."""
    if data is None:
        return None
    try:
        rows = json.loads(data)
    except ValueError:
        return None
    vocabs = {v.value for v in _FIDESLANG.values()}
    if not isinstance(rows, list) or not rows:
        return None
    for row in rows:
        if not (isinstance(row, list) and len(row) == 4 and row[0] in vocabs
                and all(isinstance(x, str) for x in row[1:3])
                and (row[3] is None or isinstance(row[3], str))):
            return None
    return [tuple(row) for row in rows]  # type: ignore[misc]
