"""The decision matrix: data categories against recipients and purposes.

A pure function of the model, so a reviewer can trust the table as much as the
rules: a cell is `never` when an unconditional prohibition covers it
(prohibitions win), `with conditions` when what allows it is limited to some
purposes, has a condition, a consent choice or an event (or a conditional
prohibition narrows it), `allowed` when some clause allows it outright, and `—`
when nothing allows it (the engine fails closed). A cell that allows says how:
one grant per allowing clause, with the purposes (in the recipients table) and
the conditions it allows it under, each linked to that clause; a prohibition
that narrows the cell is listed after them. Terms cover the terms below them
in the vocabulary. Rows are the categories the table's own clauses name (and
those an unconditional prohibition of its action names), never the others.

Beside the tables, `collection_view` and `retention_view` list per category how,
when and why it is collected, and how long it is kept, clause by clause.

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
from .. import phrases as ph
from ..vocabulary import Vocabulary
from . import words as w
from .sentences import generate

ALLOWED, CONDITIONAL, NEVER, NONE = "allowed", "with conditions", "never", "—"
_CSS = {ALLOWED: "allowed", CONDITIONAL: "conditional", NEVER: "never", NONE: "none"}


@dataclass(frozen=True)
class Grant:
    """What one clause says about a cell: "to bill you", "only with your consent"."""

    clause: str
    says: str
    forbids: bool = False


@dataclass(frozen=True)
class Cell:
    mark: str
    clauses: tuple[str, ...] = ()
    grants: tuple[Grant, ...] = ()

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
    #: per category, how it is collected and how long it is kept (see the functions below)
    collection: tuple[ViewRow, ...] = ()
    retention: tuple[ViewRow, ...] = ()
    legend: tuple[tuple[str, str], ...] = (
        (ALLOWED, "a clause allows it for any purpose, without conditions"),
        (CONDITIONAL, "allowed only for the purposes, under the conditions, a choice you make "
                      "or an event the cell names"),
        (NEVER, "a prohibition forbids it"),
        (NONE, "no clause allows it, so it is not done"),
    )

    @property
    def empty(self) -> bool:
        return not any(table.rows and table.columns for table in self.tables)


@dataclass(frozen=True)
class ViewRow:
    """One clause's say on one category, in the collection or the retention view."""

    key: str
    label: str
    clause: str
    how: str
    when: str = ""


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
    sharing = [c for c in policy.clauses if isinstance(c, m.Sharing)]
    uses = [c for c in policy.clauses if isinstance(c, m.Use)]
    tables = (
        _table("recipients", "Who may receive each kind of information, and what for",
               _rows(sharing, prohibitions, "share"),
               _named(c.recipients for c in sharing), m.Vocab.recipient, "recipients",
               "share", sharing, prohibitions, vocab, hits),
        _table("purposes", "What each kind of information may be used for, and when",
               _rows(uses, prohibitions, "use"),
               _named(c.purposes for c in uses), m.Vocab.purpose, "purposes",
               "use", uses, prohibitions, vocab, hits),
    )
    notes = tuple((p.id, p.text or generate(p, policy, vocab)) for p in audience)
    return Matrix(tables, notes, collection_view(policy, vocab), retention_view(policy, vocab))


def _rows(permissions: list[m.Permission], prohibitions: list[m.Prohibition],
          action: str) -> list[str]:
    """The categories the table's clauses name, and those an outright "never" of it names."""
    never = [p.data for p in prohibitions if (not p.actions or action in p.actions)
             and not _narrowed(p, "") and not p.recipients and not p.purposes]
    return sorted(_named([c.data for c in permissions] + never))


def collection_view(policy: m.Policy, vocab: Vocabulary) -> tuple[ViewRow, ...]:
    """Per category collected, each clause that allows it: how, when, what for, on what terms."""
    rows = []
    for clause in policy.clauses:
        if not isinstance(clause, m.Collection):
            continue
        how = ph.join([ph.noun(vocab, m.Vocab.method, key) for key in clause.methods], "or")
        for key in clause.data:
            rows.append(ViewRow(key, _heading(vocab, key), clause.id,
                                how or "by any method",
                                _terms(clause, vocab, with_purposes=True)))
    return tuple(sorted(rows, key=lambda r: r.key))


def retention_view(policy: m.Policy, vocab: Vocabulary) -> tuple[ViewRow, ...]:
    """Per category kept, each clause that allows keeping it, and for how long."""
    rows = []
    for clause in policy.clauses:
        if not isinstance(clause, m.Retention):
            continue
        how = w.period(clause.period, vocab)
        if clause.ending is not None:
            how += ", then " + ("anonymized" if clause.ending == "anonymized" else "deleted")
        for key in clause.data or ("user",):
            rows.append(ViewRow(key, _heading(vocab, key), clause.id, how,
                                _terms(clause, vocab, with_purposes=True)))
    return tuple(sorted(rows, key=lambda r: r.key))


def _heading(vocab: Vocabulary, key: str) -> str:
    return ph.heading(vocab, m.Vocab.category, key)


def _terms(clause: m.Permission, vocab: Vocabulary, with_purposes: bool) -> str:
    """A permission's limits in words: its purposes, events, choice and condition."""
    parts = []
    if with_purposes:
        parts.append(ph.purposes(vocab, clause.purposes) if clause.purposes
                     else "for any purpose")
    parts.append(ph.join([ph.event(vocab, key) for key in clause.events], "or"))
    parts.append(w.conditions(vocab, clause))
    return ", ".join(part for part in parts if part)


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
    said: dict[str, Grant] = {}
    built = []
    # category -> the prohibitions of a part of it (a term strictly under it)
    above: dict[str, list[m.Prohibition]] = defaultdict(list)
    for prohibition in relevant:
        seen: set[str] = set()
        for part in prohibition.data:
            for term in vocab.ancestors(m.Vocab.category, part)[1:]:
                if term not in seen:
                    seen.add(term)
                    above[term].append(prohibition)
    for row, category in enumerate(rows):
        # a prohibition of a part of the row's category forbids an action on all of it
        # (the engine applies a prohibition on any overlap): the cell lists it as a limit
        parts = above.get(category, [])
        cells = tuple(_cell(allows.get((row, column), []), _with_parts(
            forbids.get((row, column), []), parts, field, columns[column], kind, vocab),
            other, vocab, said, {id(p) for p in parts}) for column in range(len(columns)))
        built.append(Row(category, _heading(vocab, category), cells))
    labelled = tuple((c, ph.heading(vocab, kind, c)) for c in columns)
    return Table(key, caption, labelled, tuple(built))


def _with_parts(forbids: list[m.Prohibition], parts: list[m.Prohibition], field: str,
                column: str, kind: m.Vocab, vocab: Vocabulary) -> list[m.Prohibition]:
    """The cell's prohibitions, and those of a part of its row that cover its column."""
    if not parts:
        return forbids
    known = {id(p) for p in forbids}
    return forbids + [p for p in parts if id(p) not in known
                      and _covers(getattr(p, field), column, kind, vocab)]


def _cell(allows: list[m.Permission], forbids: list[m.Prohibition], other: str,
          vocab: Vocabulary, said: dict[str, Grant], parts: set[int]) -> Cell:
    full = [p for p in forbids if not _narrowed(p, other) and id(p) not in parts]
    if full:
        return Cell(NEVER, tuple(p.id for p in full),
                    tuple(_grant(p, other, vocab, said) for p in full))
    if not allows:
        return Cell(NONE)
    outright = [p for p in allows if not _conditional(p, other)]
    grants = tuple(_grant(c, other, vocab, said) for c in allows + forbids)
    if outright and not forbids:
        return Cell(ALLOWED, tuple(p.id for p in outright), grants)
    return Cell(CONDITIONAL, tuple(p.id for p in allows + forbids), grants)


def _grant(clause: m.Clause, other: str, vocab: Vocabulary, said: dict[str, Grant]) -> Grant:
    """What `clause` says in every cell it covers (worked out once per clause)."""
    found = said.get(clause.id)
    if found is None:
        if isinstance(clause, m.Prohibition):
            found = Grant(clause.id, _forbids(clause, other, vocab), forbids=True)
            said[clause.id] = found
            return found
        else:
            says = _terms(clause, vocab, with_purposes=other == "purposes")
            found = Grant(clause.id, says or "allowed")
        said[clause.id] = found
    return found


def _forbids(clause: m.Prohibition, other: str, vocab: Vocabulary) -> str:
    """A prohibition in a cell: "never for promotional purposes, unless you consent"."""
    parts = ["never", ph.join([ph.data(vocab, key) for key in clause.data], "or")]
    if other == "purposes" and clause.purposes:
        parts.append(ph.purposes(vocab, clause.purposes, "or"))
    if other == "recipients" and clause.recipients:
        parts.append("with " + ph.join([ph.noun(vocab, m.Vocab.recipient, k)
                                       for k in clause.recipients], "or"))
    if clause.events:
        parts.append(ph.join([ph.event(vocab, k) for k in clause.events], "or"))
    text = " ".join(parts)
    if clause.condition is not None:
        text += ", " + w.condition(vocab, clause.condition)
    if clause.exception is not None:
        text += ", " + w.exception(vocab, clause.exception)
    return text


def _conditional(clause: m.Permission, other: str = "") -> bool:
    return (clause.condition is not None or bool(clause.events)
            or clause.choice in (m.Choice.opt_in, m.Choice.opt_out)
            or (other == "purposes" and bool(clause.purposes)))


def _narrowed(clause: m.Prohibition, other: str) -> bool:
    """A prohibition that covers only part of a cell (a condition, an event, ...)."""
    return (clause.condition is not None or clause.exception is not None
            or bool(clause.events) or bool(clause.subjects)
            or bool(other and getattr(clause, other)))
