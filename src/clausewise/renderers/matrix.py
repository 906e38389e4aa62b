"""The decision matrix: data categories against recipients and purposes.

A pure function of the model, so a reviewer can trust the table as much as the
rules: a cell is `never` when an unconditional prohibition covers it
(prohibitions win), `with conditions` when what allows it has a condition, a
consent choice or an event (or a conditional prohibition narrows it),
`allowed` when some clause allows it outright, and `—` when nothing allows it
(the engine fails closed). Terms cover the terms below them in the vocabulary.

Prohibitions that only restrict the audience (`subject_age`) would make every
cell conditional; they are listed once beside the table instead.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def decision_matrix(policy: m.Policy, vocab: Vocabulary) -> Matrix:
    """Compute both tables (who receives what, what it is used for) from the model."""
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
               "share", sharing, prohibitions, vocab),
        _table("purposes", "What each kind of information may be used for", rows,
               _named(c.purposes for c in uses), m.Vocab.purpose, "purposes",
               "use", uses, prohibitions, vocab),
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


def _covers(keys: tuple[str, ...], key: str, kind: m.Vocab, vocab: Vocabulary) -> bool:
    """An empty dimension matches anything; a term covers the terms under it."""
    return not keys or bool(set(keys) & set(vocab.ancestors(kind, key)))


def _table(key: str, caption: str, rows: list[str], columns: list[str], kind: m.Vocab,
           field: str, action: str, permissions: list[m.Permission],
           prohibitions: list[m.Prohibition], vocab: Vocabulary) -> Table:
    other = "purposes" if field == "recipients" else "recipients"
    built = []
    for category in rows:
        cells = []
        for column in columns:
            def hits(clause: m.Clause) -> bool:
                return (_covers(clause.data, category, m.Vocab.category, vocab)
                        and _covers(getattr(clause, field), column, kind, vocab))

            allows = [p for p in permissions if hits(p)]
            forbids = [p for p in prohibitions
                       if (not p.actions or action in p.actions) and hits(p)]
            cells.append(_cell(allows, forbids, other))
        built.append(Row(category, w.capitalize(w.label(vocab, m.Vocab.category, category)),
                         tuple(cells)))
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
