"""Compiled policy -> one SQL query, as a sqlglot expression tree (one tree, many dialects).

The query decides every row of a log of actions exactly as `engine.evaluate.decide`
does. It reads what `CompiledPolicy` holds (its permits, prohibitions, notices and
security tables, so clauses it derives are audited too), never the raw text:

- a hierarchy is an `IN` list of the terms at or under a clause's terms (for a
  prohibition: at, under or above them, since it applies on any overlap);
- a condition is SQL's own three-valued logic: a missing fact is NULL, `AND`/`OR`/`NOT`
  are Kleene's, and only a condition known to hold (`COALESCE(c, FALSE)`) permits;
- the data list is tested element by element with `FILTER(data, c -> ...)`: every
  category must be covered (default deny), a prohibition applies on any overlap.

Each stage is a CTE of named columns: `cw_input` (the log's columns mapped onto an
action's, schema.py), `cw_flags` (per clause: matched, permits, forbids, requires),
`cw_cover` (the categories no permission covers) and the final decision columns.
What cannot be compiled is refused here, naming the clause, never allowed silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlglot
from sqlglot import exp

from .. import model as m
from ..engine.compile import CompiledClause, CompiledPolicy
from ..engine.explain import obligation_text
from ..errors import Diagnostic, PolicyError
from . import schema

#: the dialects `--sql --dialect` prints; DuckDB and Spark also run it
DIALECTS = ("duckdb", "spark", "trino", "bigquery", "snowflake", "postgres")
#: the lambda variable that stands for one data category
_C = "cw_c"
#: the engine's tables of compiled clauses that the query reads
_TABLES = frozenset({"permits", "permits_by_data", "prohibitions", "prohibitions_by_data",
                     "prohibitions_below", "notices_before", "notices_other", "security",
                     "security_below"})
#: the columns the query adds to each row
OUTPUTS = ("decision", "clauses", "obligations", "remedies", "error")


@dataclass(frozen=True)
class AuditQuery:
    """The audit query of one policy: a sqlglot tree and the clause ids it can name."""

    tree: exp.Select
    clause_ids: tuple[str, ...]

    def sql(self, dialect: str = "duckdb", pretty: bool = False) -> str:
        tree = self.tree
        if dialect not in ("duckdb", "postgres", "snowflake"):
            tree = tree.transform(_dialect_overlaps, dialect)
        if dialect in ("duckdb", "postgres"):
            # read the rows twice (for the shapes, then to join their answers) rather
            # than keep them all: the log may not fit in memory
            tree = tree.copy()
            for cte in tree.find_all(exp.CTE):
                if cte.alias == "cw_input":
                    cte.set("materialized", False)
        return tree.sql(dialect=dialect, pretty=pretty,
                        unsupported_level=sqlglot.ErrorLevel.RAISE)


def compile_audit(compiled: CompiledPolicy, source: exp.Expression,
                  columns: schema.Columns, keep: Iterable[str] = ()) -> AuditQuery:
    """The query over `source` (a table or subquery) whose columns `columns` maps.

    `keep` names the source's columns to pass through to the output, before the
    decision columns. Raises `PolicyError` for a construct SQL cannot decide.
    """
    builder = _Builder(compiled, columns)
    flags = builder.flags()
    cover = builder.cover()
    decision = builder.decision()
    final = builder.final()
    keep = tuple(keep)
    # A decision depends only on the action's fields and the facts the policy tests:
    # each distinct shape of those is decided once, and the rows join their answer.
    inputs = schema.key_columns(compiled.vocabulary)
    used = {c.name for e in (*flags, *cover, decision, *final) for c in e.find_all(exp.Column)}
    facts = {schema.fact_column(f) for f in compiled.vocabulary.facts}
    keys = sorted(inputs - (facts - used))
    first, second = schema.checks(compiled.vocabulary, columns)
    answers = exp.select(*keys, *final).from_("cw_decided")
    on = exp.and_(*[exp.NullSafeEQ(this=exp.column(k, table="cw_i"),
                                   expression=exp.column(k, table="cw_a")) for k in keys])
    outputs = [exp.column(name, table="cw_a") for name in OUTPUTS]
    tree = (exp.select(*[exp.column(name, table="cw_i", quoted=True) for name in keep],
                       *outputs)
            .from_(exp.alias_(exp.to_table("cw_input"), "cw_i", table=True))
            .join(exp.alias_(exp.to_table("cw_answers"), "cw_a", table=True), on=on)
            .with_("cw_input", as_=schema.normalize(source, columns, compiled.vocabulary))
            .with_("cw_shapes", as_=exp.select(*keys).distinct().from_("cw_input"))
            .with_("cw_checked", as_=exp.select("*", *first).from_("cw_shapes"))
            .with_("cw_known", as_=exp.select("*", *second).from_("cw_checked"))
            .with_("cw_flags", as_=exp.select("*", *flags).from_("cw_known"))
            .with_("cw_cover", as_=exp.select("*", *cover).from_("cw_flags"))
            .with_("cw_decided", as_=exp.select("*", decision).from_("cw_cover"))
            .with_("cw_answers", as_=answers))
    return AuditQuery(tree, builder.ids)


# ------------------------------------------------------------------ helpers


def _lit(value: object) -> exp.Expression:
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, date):
        return exp.Literal.string(value.isoformat())
    return exp.Literal.string(str(value))


def _in(column: exp.Expression, keys: Iterable[str]) -> exp.Expression:
    """`column IN (...)`, never NULL: a missing term is in no list."""
    keys = sorted(set(keys))
    if not keys:
        return exp.false()
    test = exp.In(this=column, expressions=[_lit(k) for k in keys])
    return exp.func("COALESCE", test, exp.false())


def _known(condition: exp.Expression) -> exp.Expression:
    """True only when the three-valued `condition` is known to hold."""
    return exp.func("COALESCE", exp.paren(condition), exp.false())


def _any(items: list[exp.Expression]) -> exp.Expression:
    return exp.or_(*items) if items else exp.false()


def _all(items: list[exp.Expression]) -> exp.Expression:
    return exp.and_(*items) if items else exp.true()


def _filter(array: exp.Expression, body: exp.Expression) -> exp.Expression:
    return exp.ArrayFilter(this=array, expression=exp.Lambda(
        this=body, expressions=[exp.to_identifier(_C)]))


def _size(array: exp.Expression) -> exp.Expression:
    return exp.func("COALESCE", exp.ArraySize(this=array), exp.Literal.number(0))


def _some(array: exp.Expression, body: exp.Expression) -> exp.Expression:
    """Whether some element of `array` satisfies `body` (over the lambda variable)."""
    return exp.GT(this=_size(_filter(array, body)), expression=exp.Literal.number(0))


def _overlaps(array: exp.Expression, keys: Iterable[str]) -> exp.Expression:
    """Whether `array` holds one of `keys`: one array function, not a lambda per row
    (`AuditQuery.sql` writes it in each dialect's own way)."""
    keys = sorted(set(keys))
    if not keys:
        return exp.false()
    return exp.func("COALESCE", exp.ArrayOverlaps(
        this=array, expression=exp.Array(expressions=[_lit(k) for k in keys])), exp.false())


def _dialect_overlaps(node: exp.Expression, dialect: str) -> exp.Expression:
    """`a && b` where the dialect has it; ARRAYS_OVERLAP or a filter where it has not."""
    if not isinstance(node, exp.ArrayOverlaps):
        return node
    if dialect in ("spark", "trino", "databricks"):
        return exp.Anonymous(this="ARRAYS_OVERLAP", expressions=[node.this, node.expression])
    if dialect == "bigquery":
        return _some(node.this, exp.In(this=exp.column(_C),
                                       expressions=list(node.expression.expressions)))
    return node


def _names(parts: list[tuple[exp.Expression, str]]) -> exp.Expression:
    """The array of the `text`s whose test holds, in order (an empty array if none)."""
    if not parts:
        return exp.cast(exp.Array(expressions=[]), exp.DataType.build("ARRAY<TEXT>"))
    cases = [exp.Case(ifs=[exp.If(this=test, true=exp.Literal.string(text))])
             for test, text in parts]
    return _filter(exp.Array(expressions=cases),
                   exp.not_(exp.Is(this=exp.column(_C), expression=exp.Null())))


def _col(name: str) -> exp.Column:
    return exp.column(name)


def refused(item: CompiledClause | m.Clause, message: str) -> PolicyError:
    clause = item.clause if isinstance(item, CompiledClause) else item
    return PolicyError((Diagnostic(
        "audit-unsupported", f"clause `{clause.id}` cannot be audited in SQL: {message}",
        clause.span, "decide these actions with `clausewise check --jsonl` instead"),))


class _Terms:
    """Terms at or under (or overlapping) a clause's terms, from the vocabulary, and the
    SQL test of a column against them."""

    def __init__(self, vocabulary) -> None:
        self.vocabulary = vocabulary
        self._below: dict[m.Vocab, dict[str, set[str]]] = {}

    def _table(self, vocab: m.Vocab) -> dict[str, set[str]]:
        table = self._below.get(vocab)
        if table is None:
            table = defaultdict(set)
            for key in self.vocabulary.terms[vocab]:
                for above in self.vocabulary.ancestors(vocab, key):
                    table[above].add(key)
            self._below[vocab] = table
        return table

    def below(self, vocab: m.Vocab, keys: Iterable[str]) -> set[str]:
        table = self._table(vocab)
        return {t for key in keys for t in (table.get(key) or {key})}

    def above(self, vocab: m.Vocab, keys: Iterable[str]) -> set[str]:
        return {a for key in keys for a in self.vocabulary.ancestors(vocab, key)}

    def overlap(self, vocab: m.Vocab, keys: Iterable[str]) -> set[str]:
        keys = tuple(keys)
        return self.below(vocab, keys) | self.above(vocab, keys)

    def under(self, column: exp.Expression, vocab: m.Vocab, keys: Iterable[str],
              also: Iterable[str] = ()) -> exp.Expression:
        """`column` at or under one of `keys` (or one of `also`), never NULL.

        A key whose descendants are exactly the known terms that extend it with a dot
        (`user.contact` -> `user.contact.email`) is tested as a prefix, which keeps the
        query short; any other is an IN list of its descendants. Both are exact over
        the known terms, and a row naming an unknown term is an error row anyway.
        """
        keys = set(keys)
        terms = self.vocabulary.terms[vocab]
        table = self._table(vocab)
        tops = sorted(k for k in keys if not any(
            a in keys for a in self.vocabulary.ancestors(vocab, k)[1:]))
        listed: set[str] = set(also)
        tests: list[exp.Expression] = []
        for key in tops:
            below = table.get(key) or {key}
            dotted = {t for t in terms if t == key or t.startswith(key + ".")}
            if len(below) > 2 and below == dotted:
                tests.append(exp.StartsWith(this=column, expression=_lit(key + ".")))
                listed.add(key)
            else:
                listed |= below
        if listed:
            tests.insert(0, exp.In(this=column, expressions=[_lit(k) for k in sorted(listed)]))
        if not tests:
            return exp.false()
        return exp.func("COALESCE", exp.paren(_any(tests)) if len(tests) > 1 else tests[0],
                        exp.false())

    def overlapping(self, column: exp.Expression, vocab: m.Vocab,
                    keys: Iterable[str]) -> exp.Expression:
        """`column` at, under or above one of `keys` (a prohibition's overlap)."""
        keys = tuple(keys)
        return self.under(column, vocab, keys, also=self.above(vocab, keys))


# ----------------------------------------------------------------- builder


class _Builder:
    """Builds the flag columns of each clause, then the decision from them."""

    def __init__(self, compiled: CompiledPolicy, columns: schema.Columns) -> None:
        self.compiled = compiled
        self.columns = columns
        self.terms = _Terms(compiled.vocabulary)
        self.ids: tuple[str, ...] = ()
        self._flag_names: dict[str, str] = {}
        self.permits, self.prohibitions, self.security, self.notices = self._gather()

    # -- what the compiled policy holds, each clause once, in source order
    def _gather(self):
        """Each clause of the engine's tables, with the keys it is filed under there.

        The tables are what `decide` reads, so reading them (not the model) keeps the
        query to the engine's semantics, derived clauses included. A table the
        compiler does not know is refused: it would decide something the SQL cannot.
        """
        c = self.compiled
        for name, table in vars(c).items():
            if name not in _TABLES and isinstance(table, dict) and any(
                    isinstance(v, list) and v and isinstance(v[0], CompiledClause)
                    for v in table.values()):
                raise PolicyError((Diagnostic(
                    "audit-unsupported", f"the engine decides with its table `{name}`, which "
                    "the SQL compiler does not read", None,
                    "decide these actions with `clausewise check --jsonl` instead"),))
        permits: dict[int, list] = {}
        for (action, key), items in c.permits_by_data.items():
            for item in items:
                entry = permits.setdefault(id(item), [item, action, set()])
                entry[2].add(key)
        prohibitions: dict[int, list] = {}
        for (action, key), items in c.prohibitions_by_data.items():
            for item in items:
                entry = prohibitions.setdefault(id(item), [item, set(), set()])
                entry[1].add(action)
                entry[2].add(key)
        for (action, _above), items in c.prohibitions_below.items():
            for item in items:
                prohibitions.setdefault(id(item), [item, set(), set()])[1].add(action)
        security: dict[int, CompiledClause] = {}
        for table in (c.security, c.security_below):
            for items in table.values():
                for item in items:
                    security.setdefault(id(item), item)
        notices: dict[int, tuple[CompiledClause, set[str], bool]] = {}
        for table, before in ((c.notices_before, True), (c.notices_other, False)):
            for event, items in table.items():
                for item in items:
                    notices.setdefault(id(item), (item, set(), before))[1].add(event)
        for item, *_ in [*permits.values(), *prohibitions.values()]:
            if not isinstance(item.clause, (m.Permission, m.Prohibition)):
                raise refused(item, f"its kind `{item.clause.kind}` is not one the SQL "
                              "compiler knows")
        order = lambda entry: entry[0].order  # noqa: E731
        return ([tuple(e) for e in sorted(permits.values(), key=order)],
                [tuple(e) for e in sorted(prohibitions.values(), key=order)],
                sorted(security.values(), key=lambda i: i.order),
                sorted(notices.values(), key=order))

    def _name(self, item: CompiledClause, role: str) -> str:
        return f"cw_{role}_{item.order}"

    # -- conditions
    def condition(self, item: CompiledClause, node: m.Condition) -> exp.Expression:
        facts = self.compiled.vocabulary.facts
        if isinstance(node, m.FactIsTrue):
            fact = facts.get(node.fact)
            if fact is None or fact.type is not m.FactType.bool:
                raise refused(item, f"`{node.fact}` is not a true-or-false fact")
            return _col(schema.fact_column(node.fact))
        if isinstance(node, m.Comparison):
            fact = facts.get(node.fact)
            if fact is None:
                raise refused(item, f"the fact `{node.fact}` is not declared")
            if not _same_type(fact, node.value):
                raise refused(item, f"`{m.condition_text(node)}` compares the "
                              f"{fact.type.value} fact `{node.fact}` with a value of "
                              "another type")
            ops = {"<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE, "==": exp.EQ,
                   "!=": exp.NEQ}
            return ops[node.op](this=_col(schema.fact_column(node.fact)),
                                expression=_lit(node.value))
        if isinstance(node, m.Not):
            return exp.not_(exp.paren(self.condition(item, node.operand)))
        if isinstance(node, (m.All, m.Any_)):
            parts = [exp.paren(self.condition(item, op)) for op in node.operands]
            return (exp.and_ if isinstance(node, m.All) else exp.or_)(*parts)
        raise refused(item, f"a condition of type `{type(node).__name__}`")

    def _cond(self, item: CompiledClause, node: m.Condition | None) -> exp.Expression:
        return exp.true() if node is None else self.condition(item, node)

    # -- dimensions
    def _dims_match(self, item: CompiledClause) -> list[exp.Expression]:
        """A permission: each stated dimension given, at or under one of its terms."""
        return [self.terms.under(_col(schema.field_column(field)), vocab, allowed)
                for field, vocab, allowed in item.dims if allowed is not None]

    def _period(self, item: CompiledClause) -> exp.Expression:
        """A retention's period (engine.evaluate._period_mismatch), as SQL; for a right
        answered `within N days`, a request answered in no more than N days."""
        clause = item.clause
        if isinstance(clause, m.Right) and clause.timing is not None \
                and clause.timing.days is not None:
            days = _col(schema.field_column("days"))
            return exp.or_(exp.Is(this=days, expression=exp.Null()),
                           exp.LTE(this=days, expression=_lit(clause.timing.days)))
        return self._within(getattr(clause, "period", None))

    def _within(self, period: m.Period | None) -> exp.Expression:
        """The row keeps its data within `period` (true for none, or an unbounded one)."""
        if period is None or period.forever:
            return exp.true()
        days, until = _col(schema.field_column("days")), _col(schema.field_column("until"))
        if period.until is None:
            return _known(exp.and_(exp.not_(exp.Is(this=days, expression=exp.Null())),
                                   exp.Is(this=until, expression=exp.Null()),
                                   exp.LTE(this=days, expression=_lit(period.days))))
        return exp.and_(self.terms.under(until, m.Vocab.event, (period.until,)),
                        exp.LTE(this=exp.func("COALESCE", days, exp.Literal.number(0)),
                                expression=_lit(period.days or 0)))

    def _escapes(self, item: CompiledClause) -> list[exp.Expression]:
        """A prohibition: the action is known to fall outside it on some dimension."""
        out = []
        for field, vocab, allowed in item.dims:
            column = _col(schema.field_column(field))
            out.append(exp.and_(exp.not_(exp.Is(this=column, expression=exp.Null())),
                                exp.not_(self.terms.overlapping(column, vocab, allowed))))
        for field, vocab, exempt in item.exempt:
            out.append(self.terms.under(_col(schema.field_column(field)), vocab, exempt))
        if item.bound is not None:  # `beyond P`: keeping within P is not forbidden
            out.append(self._within(item.bound))
        return out

    # -- stage 1: per clause flags
    def flags(self) -> list[exp.Expression]:
        action, data = _col(schema.field_column("action")), _col(schema.field_column("data"))
        out: list[exp.Expression] = []
        ok = _col(schema.OK)

        def add(name: str, value: exp.Expression) -> None:
            out.append(exp.alias_(value, name))

        for item, kind, _keys in self.permits:
            if not isinstance(item.clause, m.Permission):
                raise refused(item, "it is filed as a permission but is not one")
            if item.condition_node is not None and item.condition is None:
                raise refused(item, "its condition was not compiled")
            match = _all([ok, exp.EQ(this=action, expression=_lit(kind)),
                          *self._dims_match(item), self._period(item)])
            add(self._name(item, "match"), match)
            add(self._name(item, "holds"), _known(self._cond(item, item.condition_node)))
        for item, kinds, keys in self.prohibitions:
            applies = [ok, _in(action, kinds)]
            if None not in keys:  # filed under its data: it applies on any overlap
                applies.append(_overlaps(data, self.terms.overlap(m.Vocab.category, keys)))
            applies += [exp.not_(e) for e in self._escapes(item)]
            applies.append(_known(self._cond(item, item.condition_node)))
            if item.exception_node is not None:
                applies.append(exp.not_(_known(self.condition(item, item.exception_node))))
            add(self._name(item, "forbids"), _all(applies))
        encrypted = _col(schema.fact_column("encrypted"))
        for item in self.security:
            kinds = sorted(k for k, duties in (item.state_duties or {}).items() if duties)
            overlap = self.terms.overlap(m.Vocab.category, item.data or ())
            applies = _all([ok, _in(action, kinds), _overlaps(data, overlap)])
            add(self._name(item, "guards"), applies)
            breach = exp.and_(applies, exp.EQ(this=exp.func("COALESCE", encrypted, exp.true()),
                                              expression=exp.false())) \
                if item.encrypts else exp.false()
            add(self._name(item, "breach"), breach)
        event = _col(schema.field_column("event"))
        notice_given = _col(schema.fact_column("notice_given"))
        for item, events, before in self.notices:
            on = _all([ok, exp.NEQ(this=action, expression=_lit("notify")),
                       self.terms.under(event, m.Vocab.event, events)])
            add(self._name(item, "before" if before else "notice"),
                exp.and_(on, exp.not_(_known(notice_given))) if before else on)
        return out

    # -- stage 2: the categories no permission covers
    def cover(self) -> list[exp.Expression]:
        data = _col(schema.field_column("data"))
        covering, none = [], []
        for item, _kind, keys in self.permits:
            granted = exp.and_(_col(self._name(item, "match")), _col(self._name(item, "holds")))
            if None in keys:  # filed for actions that name no data
                none.append(granted)
            if keys - {None}:
                covering.append(exp.and_(granted, self.terms.under(
                    exp.column(_C), m.Vocab.category, keys - {None})))
        uncovered = _filter(data, exp.not_(exp.paren(_any(covering))))
        return [exp.alias_(uncovered, "cw_uncovered"),
                exp.alias_(_any(none), "cw_covered_none"),
                exp.alias_(exp.and_(_col(schema.OK), exp.paren(self._outside())), "cw_outside")]

    # -- stage 3: the decision, then what it rests on
    def _parts(self):
        """Each clause's role in a decision, as (test, clause id or duty text) pairs."""
        c, vocabulary = self.compiled, self.compiled.vocabulary
        data = _col(schema.field_column("data"))
        action = _col(schema.field_column("action"))
        empty = exp.EQ(this=_size(data), expression=exp.Literal.number(0))
        uncovered = _col("cw_uncovered")

        def said(duty) -> str:
            return f"{duty.clause}: {obligation_text(duty.obligation, vocabulary)}"

        forbids = [(_col(self._name(i, "forbids")), i.clause.id) for i, _, _ in self.prohibitions]
        unmet, grants, duties, requires = [], [], [], []
        for item, _kind, keys in self.permits:
            match, holds = _col(self._name(item, "match")), _col(self._name(item, "holds"))
            touch, leave = [], []
            if None in keys:
                touch.append(empty)
                leave.append(exp.and_(empty, exp.not_(_col("cw_covered_none"))))
            if keys - {None}:
                below = self.terms.below(m.Vocab.category, keys - {None})
                touch.append(_overlaps(data, below))
                leave.append(_overlaps(uncovered, below))
            touches, left_out = exp.paren(_any(touch)), exp.paren(_any(leave))
            unmet.append((exp.and_(match, exp.not_(holds), left_out), item.clause.id))
            granted = exp.and_(match, holds, touches)
            grants.append((granted, item.clause.id))
            duties += [(granted, said(d)) for d in item.duties]
        for item, _events, before in self.notices:
            flag = _col(self._name(item, "before" if before else "notice"))
            if before:
                requires.append((flag, item.clause.id))
            elif item.notice is not None:
                duties.append((flag, said(item.notice)))
        for item in self.security:
            guards, breach = _col(self._name(item, "guards")), _col(self._name(item, "breach"))
            requires.append((breach, item.clause.id))
            for kind, items in (item.state_duties or {}).items():
                test = exp.and_(guards, exp.not_(breach),
                                exp.EQ(this=action, expression=_lit(kind)))
                duties += [(test, said(d)) for d in items]
        remedies = [(t, said(d)) for t, name in forbids for d in c.remedies.get(name, ())]
        self.ids = tuple(dict.fromkeys(n for _, n in forbids + unmet + requires + grants))
        return forbids, unmet, requires, grants, duties, remedies

    def decision(self) -> exp.Expression:
        forbids, _unmet, requires, _grants, _duties, _remedies = self._parts()
        data = _col(schema.field_column("data"))
        empty = exp.EQ(this=_size(data), expression=exp.Literal.number(0))
        all_covered = exp.Case(ifs=[exp.If(this=empty, true=_col("cw_covered_none"))],
                               default=exp.EQ(this=_size(_col("cw_uncovered")),
                                              expression=exp.Literal.number(0)))
        blocked = _any([t for t, _ in forbids] + [t for t, _ in requires])
        denied = exp.or_(_col("cw_outside"), exp.paren(blocked),
                         exp.not_(exp.paren(all_covered)))
        return exp.alias_(exp.Case(ifs=[
            exp.If(this=exp.not_(_col(schema.OK)), true=_lit("error")),
            exp.If(this=denied, true=_lit("deny"))], default=_lit("allow")), "decision")

    def final(self) -> list[exp.Expression]:
        forbids, unmet, requires, grants, duties, remedies = self._parts()
        denied = exp.EQ(this=_col("decision"), expression=_lit("deny"))
        allowed = exp.EQ(this=_col("decision"), expression=_lit("allow"))
        blockers = exp.and_(denied, exp.not_(_col("cw_outside")))
        ids = exp.Case(ifs=[exp.If(this=denied, true=_names(
            [(exp.and_(blockers, t), n) for t, n in forbids + unmet + requires]))],
            default=_names([(exp.and_(allowed, t), n) for t, n in grants]))
        return [exp.alias_(_col("decision"), "decision"), exp.alias_(ids, "clauses"),
                exp.alias_(_names([(exp.and_(allowed, t), x) for t, x in duties]),
                           "obligations"),
                exp.alias_(_names([(exp.and_(blockers, t), x) for t, x in remedies]),
                           "remedies"),
                exp.alias_(_col(schema.ERROR), "error")]

    def _outside(self) -> exp.Expression:
        """Before the policy took effect, or through a source its scope leaves out."""
        c = self.compiled
        parts = []
        day = _col(schema.fact_column("date"))
        if c.effective is not None:
            parts.append(_known(exp.LT(this=day, expression=_lit(c.effective))))
        if c.covers:
            source = _col(schema.field_column("source"))
            kinds = m.DIMENSION["source"].actions
            parts.append(exp.and_(_in(_col(schema.field_column("action")), kinds),
                                  exp.not_(exp.Is(this=source, expression=exp.Null())),
                                  exp.not_(self.terms.under(source, m.Vocab.source, c.covers))))
        return _any(parts)


def _same_type(fact: m.FactDef, value: object) -> bool:
    if fact.type is m.FactType.bool:
        return isinstance(value, bool)
    if fact.type is m.FactType.int:
        return isinstance(value, int) and not isinstance(value, bool)
    if fact.type is m.FactType.date:
        return isinstance(value, date)
    return isinstance(value, str)

