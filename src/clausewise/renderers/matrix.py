"""The decision matrix: data categories against recipients and purposes.

A pure function of the model, so a reviewer can trust the table as much as the
rules: a cell is `never` when an unconditional prohibition covers it
(prohibitions win), `with conditions` when what allows it has a condition, a
consent choice or an event (or a conditional prohibition narrows it),
`allowed` when some clause allows it outright, and `—` when nothing allows it
(the engine fails closed). Terms cover the terms below them in the vocabulary.

Prohibitions that only restrict the audience (`subject_age`) would make every
cell conditional; they are listed once beside the table instead.

Each clause is filed once under the rows and columns it covers (the terms at or
below its own), so the tables cost the cells plus what each clause covers, not
rows x columns x clauses. `scan_matrix` is the cell-by-cell definition, kept for
the tests that hold the fast path to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import model as m
from ..vocabulary import Vocabulary
from . import words as w
from .sentences import generate

ALLOWED, CONDITIONAL, NEVER, NONE = "allowed", "with conditions", "never", "—"
_CSS = {ALLOWED: "allowed", CONDITIONAL: "conditional", NEVER: "never", NONE: "none"}


@dataclass(frozen=True)
class Cell:
    mark: str
    clauses: tuple[str, ...] = ()

    @property
    def css(self) -> str:
        return _CSS[self.mark]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Matrix:
    tables: tuple[Table, ...]
    #: (clause id, sentence) of each audience-only prohibition
    audience: tuple[tuple[str, str], ...]
    legend: tuple[tuple[str, str], ...] = (
        (ALLOWED, "a clause allows it without conditions"),
        (CONDITIONAL, "allowed only under a condition, a choice you make or an event"),
        (NEVER, "a prohibition forbids it"),
        (NONE, "no clause allows it, so it is not done"),
    )

    @property
    def empty(self) -> bool:
        return not any(table.rows and table.columns for table in self.tables)


#: (rows, columns, row vocabulary, column vocabulary, clauses, column field, vocabulary)
#: -> for each (row, column) index pair, the clauses that cover it, in source order
_Hits = Callable[[Sequence[str], Sequence[str], m.Vocab, Sequence[m.Clause], str, Vocabulary],
                 dict[tuple[int, int], list[Any]]]


def decision_matrix(policy: m.Policy, vocab: Vocabulary) -> Matrix:
    """Compute both tables (who receives what, what it is used for) from the model."""
    return _matrix(policy, vocab, _filed)


def scan_matrix(policy: m.Policy, vocab: Vocabulary) -> Matrix:
    """`decision_matrix` cell by cell, every clause tested against every cell (slow)."""
    return _matrix(policy, vocab, _scanned)


def _matrix(policy: m.Policy, vocab: Vocabulary, hits: _Hits) -> Matrix:
    audience = tuple(p for p in _prohibitions(policy) if _audience_only(p))
    prohibitions = [p for p in _prohibitions(policy) if not _audience_only(p)]
    # rows: what permissions name, and what prohibitions name (so "never" shows)
    categories = _named([c.data for c in policy.clauses if isinstance(c, m.Permission)]
                        + [p.data for p in prohibitions])
    rows = sorted(categories)
    sharing = [c for c in policy.clauses if isinstance(c, m.Sharing)]
    uses = [c for c in policy.clauses if isinstance(c, m.Use)]
    tables = (
        _table("recipients", "Who may receive each kind of information", rows,
               _named(c.recipients for c in sharing), m.Vocab.recipient, "recipients",
               "share", sharing, prohibitions, vocab, hits),
        _table("purposes", "What each kind of information may be used for", rows,
               _named(c.purposes for c in uses), m.Vocab.purpose, "purposes",
               "use", uses, prohibitions, vocab, hits),
    )
    notes = tuple((p.id, p.text or generate(p, policy, vocab)) for p in audience)
    return Matrix(tables, notes)


def _named(groups) -> list[str]:
    seen: dict[str, None] = {}
    for keys in groups:
        for key in keys:
            seen.setdefault(key, None)
    return list(seen)


def _prohibitions(policy: m.Policy) -> list[m.Prohibition]:
    return [c for c in policy.clauses if isinstance(c, m.Prohibition)]


def _audience_only(clause: m.Prohibition) -> bool:
    return set(m.condition_facts(clause.condition)) == {"subject_age"}


def _filed(rows: Sequence[str], columns: Sequence[str], kind: m.Vocab,
           clauses: Sequence[m.Clause], field: str,
           vocab: Vocabulary) -> dict[tuple[int, int], list[Any]]:
    """Each clause filed under the cells it covers: the rows and columns at or below its terms."""
    rows_under = _under(rows, m.Vocab.category, vocab)
    columns_under = _under(columns, kind, vocab)
    found: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for clause in clauses:
        covered_columns = _covered(getattr(clause, field), columns_under, len(columns))
        for row in _covered(clause.data, rows_under, len(rows)):
            for column in covered_columns:
                found[row, column].append(clause)
    return found


def _under(keys: Sequence[str], kind: m.Vocab, vocab: Vocabulary) -> dict[str, list[int]]:
    """Term -> the positions of the keys at or below it."""
    under: dict[str, list[int]] = defaultdict(list)
    for position, key in enumerate(keys):
        for above in vocab.ancestors(kind, key):
            under[above].append(position)
    return under


def _covered(terms: tuple[str, ...], under: dict[str, list[int]], count: int) -> list[int]:
    """An empty dimension matches anything; a term covers the terms under it."""
    if not terms:
        return list(range(count))
    return list(dict.fromkeys(position for term in terms for position in under.get(term, ())))


def _scanned(rows: Sequence[str], columns: Sequence[str], kind: m.Vocab,
             clauses: Sequence[m.Clause], field: str,
             vocab: Vocabulary) -> dict[tuple[int, int], list[Any]]:
    found: dict[tuple[int, int], list[Any]] = {}
    for row, category in enumerate(rows):
        for column, term in enumerate(columns):
            found[row, column] = [c for c in clauses
                                  if _covers(c.data, category, m.Vocab.category, vocab)
                                  and _covers(getattr(c, field), term, kind, vocab)]
    return found


def _covers(keys: tuple[str, ...], key: str, kind: m.Vocab, vocab: Vocabulary) -> bool:
    return not keys or bool(set(keys) & set(vocab.ancestors(kind, key)))


def _table(key: str, caption: str, rows: list[str], columns: list[str], kind: m.Vocab,
           field: str, action: str, permissions: list[m.Permission],
           prohibitions: list[m.Prohibition], vocab: Vocabulary, hits: _Hits) -> Table:
    other = "purposes" if field == "recipients" else "recipients"
    relevant = [p for p in prohibitions if not p.actions or action in p.actions]
    allows = hits(rows, columns, kind, permissions, field, vocab)
    forbids = hits(rows, columns, kind, relevant, field, vocab)
    built = []
    for row, category in enumerate(rows):
        cells = tuple(_cell(allows.get((row, column), []), forbids.get((row, column), []),
                            other) for column in range(len(columns)))
        built.append(Row(category, w.capitalize(w.label(vocab, m.Vocab.category, category)),
                         cells))
    labelled = tuple((c, w.capitalize(w.label(vocab, kind, c))) for c in columns)
    return Table(key, caption, labelled, tuple(built))


def _cell(allows: list[m.Permission], forbids: list[m.Prohibition], other: str) -> Cell:
    full = [p for p in forbids if not _narrowed(p, other)]
    if full:
        return Cell(NEVER, tuple(p.id for p in full))
    if not allows:
        return Cell(NONE)
    outright = [p for p in allows if not _conditional(p)]
    if outright and not forbids:
        return Cell(ALLOWED, tuple(p.id for p in outright))
    return Cell(CONDITIONAL, tuple(p.id for p in allows + forbids))


def _conditional(clause: m.Permission) -> bool:
    return (clause.condition is not None or bool(clause.events)
            or clause.choice in (m.Choice.opt_in, m.Choice.opt_out))


def _narrowed(clause: m.Prohibition, other: str) -> bool:
    """A prohibition that covers only part of a cell (a condition, an event, ...)."""
    return (clause.condition is not None or clause.exception is not None
            or bool(clause.events) or bool(clause.subjects) or bool(getattr(clause, other)))
