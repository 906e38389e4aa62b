"""A log's columns -> an action's fields: the mapping, and the checks of each row.

A log row holds one action: `action`, `data` (a list, or a delimited string), one
column per dimension of `model.DIMENSIONS`, `days`/`until`/`collected_for`, and its
facts as columns or one JSON (or struct) column. `--map field=column` or a YAML file
fits another schema. `normalize` makes the first stage of the audit query: every
action field as a typed `cw_*` column, and per row the first thing wrong with it
(an unknown term, a value of the wrong type), as `engine.action.check_terms` says it.
A bad row is a decision error of that row, never the end of the audit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from .. import model as m
from ..engine import action as _action
from ..engine.action import DATA_ACTIONS, MAX_DATA, MAX_NUMBER
from ..errors import Diagnostic, UsageError, did_you_mean
from ..vocabulary import Vocabulary

#: the action fields a row may give, besides its facts
TERM_FIELDS: tuple[tuple[str, m.Vocab], ...] = tuple(
    (d.name, d.vocab) for d in m.DIMENSIONS) + (("until", m.Vocab.event),
                                                ("collected_for", m.Vocab.purpose))
FIELDS = ("action", "data") + tuple(name for name, _ in TERM_FIELDS) + ("days",)
#: a column of facts, as JSON text or a struct
CONTEXT = "context"
ERROR, OK, BAD = "cw_error", "cw_ok", "cw_bad"
#: the largest mapping file read
MAX_MAPPING_BYTES = 64 * 1024
_SQL_TYPES = {m.FactType.bool: "BOOLEAN", m.FactType.int: "BIGINT",
              m.FactType.enum: "TEXT", m.FactType.date: "TEXT"}


def field_column(name: str) -> str:
    return f"cw_{name}"


def fact_column(name: str) -> str:
    return f"cwf_{name}"


def given_column(name: str) -> str:
    """A fact as the row gives it, before the fields derive it (`original_purpose`)."""
    return f"cwg_{name}"


#: the fact the action's fields derive (engine.action._derived), and its column
DERIVED_FROM = "original_purpose"
DERIVED = fact_column(DERIVED_FROM)


@dataclass(frozen=True)
class Columns:
    """Where each action field and fact is in the log, and of what type.

    `types` holds each source column's kind (`kind_of`); a column it does not know
    (the query printed for someone's warehouse) is taken to have the right type.
    """

    fields: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    context: str | None = None
    types: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","
    time: str | None = None


def kind_of(sql_type: str) -> str:
    """A DuckDB or Spark column type, as the kind of value normalization reads."""
    t = sql_type.strip().lower()
    if t.endswith("[]") or t.startswith(("array", "list")):
        return "list"
    if t.startswith(("struct", "map", "row")):
        return "struct"
    if t in ("boolean", "bool"):
        return "bool"
    if t in ("json",):
        return "json"
    if any(t.startswith(w) for w in ("bigint", "int", "smallint", "tinyint", "hugeint",
                                     "ubigint", "uinteger", "usmallint", "utinyint", "long",
                                     "short", "byte", "uhugeint")):
        return "int"
    if any(t.startswith(w) for w in ("double", "float", "real", "decimal", "numeric")):
        return "float"
    if t.startswith("timestamp"):
        return "timestamp"
    if t == "date":
        return "date"
    if t.startswith(("varchar", "string", "text", "char")):
        return "str"
    return "other"


def read_mapping(path: str) -> dict[str, str]:
    """A YAML mapping file: `field: column` pairs, or `columns:` of them plus
    `delimiter:` and `time:`. Read with a safe loader, bounded."""
    import yaml

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_MAPPING_BYTES + 1)
    except OSError as exc:
        raise _usage(f"cannot read the mapping `{path}`: "
                     f"{(exc.strerror or str(exc)).lower()}") from None
    if len(data) > MAX_MAPPING_BYTES:
        raise _usage(f"the mapping `{path}` is larger than {MAX_MAPPING_BYTES // 1024} KB")
    try:
        loaded = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise UsageError((Diagnostic("bad-mapping", f"not a valid YAML mapping: "
                                     f"{str(getattr(exc, 'problem', exc)).lower()}",
                                     m.Span(file=path, line=line, column=column,
                                            end_line=line, end_column=column + 1)),)) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise _usage(f"the mapping `{path}` must be a YAML mapping of field: column")
    out: dict[str, str] = {}
    columns = loaded.get("columns", {})
    if not isinstance(columns, dict):
        raise _usage(f"`columns` in `{path}` must be a mapping of field: column")
    for key, value in [*((k, v) for k, v in loaded.items() if k != "columns"),
                       *columns.items()]:
        if not isinstance(key, str) or not isinstance(value, (str, int)) or \
                isinstance(value, bool):
            raise _usage(f"`{key}` in `{path}` must map to a column name")
        out[key] = str(value)
    return out


def parse_maps(items: tuple[str, ...]) -> dict[str, str]:
    """`--map field=column`, each once."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise _usage(f"`--map {item}`: write it as field=column, e.g. "
                         "--map recipient=dest_system")
        out[key.strip()] = value.strip()
    return out


def resolve(mapping: dict[str, str], source_types: dict[str, str],
            vocabulary: Vocabulary, where: str) -> Columns:
    """The log's columns for each field and fact, checked against its real columns.

    A field or fact named in the mapping must be a known one and its column must
    exist; one not named is read from the column of its own name when there is one.
    `action` and `data` must be there.
    """
    mapping = dict(mapping)
    delimiter = mapping.pop("delimiter", ",")
    time = mapping.pop("time", None)
    known = set(FIELDS) | set(vocabulary.facts) | {CONTEXT}
    for key in mapping:
        if key not in known:
            raise _usage(f"`{key}` is not an action field or a fact",
                         did_you_mean(key, sorted(known)))
    columns = list(source_types)
    for key, column in [*mapping.items(), *([("time", time)] if time else [])]:
        if column not in source_types:
            raise _usage(f"{where}: no column `{column}` (mapped from `{key}`)",
                         did_you_mean(column, columns) or f"the columns are {_list(columns)}")

    def pick(key: str) -> str | None:
        if key in mapping:
            return mapping[key]
        return key if key in source_types else None

    fields = {name: col for name in FIELDS if (col := pick(name)) is not None}
    for required in ("action", "data"):
        if required not in fields:
            raise _usage(f"{where}: no column `{required}`; name it with --map "
                         f"{required}=COLUMN", did_you_mean(required, columns)
                         or f"the columns are {_list(columns)}")
    facts = {name: col for name in vocabulary.facts if (col := pick(name)) is not None}
    context = pick(CONTEXT)
    if time is None:
        time = next((c for c in columns if source_types[c] in ("timestamp", "date")), None)
    types = {c: t for c, t in source_types.items() if t}
    return Columns(fields, facts, context, types, delimiter, time)


def _list(columns: list[str]) -> str:
    shown = ", ".join(f"`{c}`" for c in columns[:20])
    return shown + (f" and {len(columns) - 20} more" if len(columns) > 20 else "")


def _usage(message: str, help: str | None = None) -> UsageError:
    return UsageError.single("usage", message, help=help)


# ------------------------------------------------------------ normalization


def _c(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def _s(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def _null(sql_type: str) -> exp.Expression:
    return exp.cast(exp.Null(), exp.DataType.build(sql_type))


def _is_null(e: exp.Expression) -> exp.Expression:
    return exp.Is(this=e, expression=exp.Null())


def _given(e: exp.Expression) -> exp.Expression:
    return exp.not_(_is_null(e))


def _text(e: exp.Expression) -> exp.Expression:
    return exp.cast(e, exp.DataType.build("TEXT"))


def _concat(*parts: exp.Expression | str) -> exp.Expression:
    return exp.Concat(expressions=[_s(p) if isinstance(p, str) else p for p in parts],
                      safe=False, coalesce=False)


def _whole(text: exp.Expression) -> exp.Expression:
    return exp.RegexpLike(this=text, expression=_s(r"^-?[0-9]{1,16}$"))


def _in(e: exp.Expression, keys) -> exp.Expression:
    return exp.In(this=e, expressions=[_s(k) for k in sorted(keys)])


class _Reader:
    """The typed reading of one source column, and what is wrong with its value."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        self.problems: list[tuple[exp.Expression, exp.Expression]] = []

    def raw(self, column: str) -> tuple[exp.Expression, str | None]:
        return _c(column), self.columns.types.get(column)

    def number(self, value: exp.Expression, kind: str | None, path: str,
               what: str) -> exp.Expression:
        """A whole number: from an int column as it is, from text when it is one."""
        if kind in (None, "int"):
            out = exp.cast(value, exp.DataType.build("BIGINT")) if kind else value
        elif kind == "str":
            self.problems.append((exp.and_(_given(value), exp.not_(exp.func(
                "COALESCE", _whole(value), exp.false()))),
                _concat(f"{path}: `{what}` is a number, not `", value, "`")))
            out = exp.TryCast(this=value, to=exp.DataType.build("BIGINT"))
        else:
            self.problems.append((_given(value), _concat(
                f"{path}: `{what}` is a whole number, not `", _text(value), "`")))
            return _null("BIGINT")
        big = exp.GT(this=exp.Abs(this=out), expression=exp.Literal.number(MAX_NUMBER))
        self.problems.append((exp.func("COALESCE", big, exp.false()),
                              _s(f"{path}: numbers are whole and at most {MAX_NUMBER:,}")))
        return out

    def fact(self, fact: m.FactDef, value: exp.Expression, kind: str | None) -> exp.Expression:
        path = f"context.{fact.name}"
        if fact.type is m.FactType.int:
            return self.number(value, kind, path, fact.name)
        if fact.type is m.FactType.bool:
            if kind in (None, "bool"):
                return value
            if kind == "str":
                low = exp.Lower(this=exp.Trim(this=value))
                self.problems.append((exp.and_(_given(value), exp.not_(exp.func(
                    "COALESCE", _in(low, ("true", "false")), exp.false()))),
                    _concat(f"{path}: `{fact.name}` is true or false, not `", value, "`")))
                return exp.Case(ifs=[exp.If(this=exp.EQ(this=low, expression=_s("true")),
                                            true=exp.true()),
                                     exp.If(this=exp.EQ(this=low, expression=_s("false")),
                                            true=exp.false())])
            self.problems.append((_given(value), _concat(
                f"{path}: `{fact.name}` is true or false, not `", _text(value), "`")))
            return _null("BOOLEAN")
        if fact.type is m.FactType.date:
            if kind in ("date", "timestamp"):
                return _text(exp.cast(value, exp.DataType.build("DATE")))
            text = value if kind in (None, "str") else _text(value)
            day = exp.TryCast(this=text, to=exp.DataType.build("DATE"))
            good = exp.and_(exp.RegexpLike(this=text, expression=_s(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
                            _given(day))
            self.problems.append((exp.and_(_given(text), exp.not_(exp.func(
                "COALESCE", exp.paren(good), exp.false()))),
                _concat(f"{path}: `{fact.name}` is a day written YYYY-MM-DD, not `", text, "`")))
            return text
        text = value if kind in (None, "str") else _text(value)  # enum
        self.problems.append((exp.and_(_given(text), exp.not_(exp.func(
            "COALESCE", _in(text, fact.values), exp.false()))),
            _concat(f"{path}: `{fact.name}` is one of {', '.join(fact.values)}, not `",
                    text, "`")))
        return text


#: the terms an action's kind implies when it leaves a field out (engine.action._derived):
#: a `use` or `retain` names no recipient when it is us who use or keep the data
IMPLIED = {"recipient": (tuple(sorted(getattr(_action, "OUR_OWN_UNLESS_SAID", ()))),
                         "first_party")}


def _implied(name: str, value: exp.Expression, action: exp.Expression) -> exp.Expression:
    kinds, term = IMPLIED.get(name, ((), None))
    if not kinds:
        return value
    return exp.Case(ifs=[exp.If(this=exp.and_(_is_null(value), _in(action, kinds)),
                                true=_s(term))], default=value)


def _json_fact(column: exp.Expression, kind: str | None, name: str) -> exp.Expression:
    """One fact of a JSON (or struct) column of facts, as text."""
    doc = exp.func("TO_JSON", column) if kind == "struct" else column
    path = sqlglot.parse_one(f"JSON_EXTRACT_STRING(x, '$.{name}')", read="duckdb")
    path.set("this", doc)
    return path


def normalize(source: exp.Expression, columns: Columns, vocabulary: Vocabulary) -> exp.Select:
    """The first stage, per row: the source's columns, each action field as
    `cw_<field>`, each fact as `cwf_<fact>`, and `cw_bad`: the first value of the wrong
    type, if any (what the action's terms get wrong is checked per shape: `checks`)."""
    reader = _Reader(columns)
    out: list[exp.Expression] = []
    fields = columns.fields
    action_col, action_kind = reader.raw(fields["action"])
    action = action_col if action_kind in (None, "str") else _text(action_col)
    out.append(exp.alias_(action, field_column("action")))
    data_col, data_kind = reader.raw(fields["data"])
    empty = exp.cast(exp.Array(expressions=[]), exp.DataType.build("ARRAY<TEXT>"))
    if data_kind == "str":
        parts = exp.Split(this=data_col, expression=_s(columns.delimiter))
        trimmed = exp.Transform(this=parts, expression=exp.Lambda(
            this=exp.Trim(this=exp.column("cw_c")), expressions=[exp.to_identifier("cw_c")]))
        data = exp.ArrayFilter(this=trimmed, expression=exp.Lambda(
            this=exp.NEQ(this=exp.column("cw_c"), expression=_s("")),
            expressions=[exp.to_identifier("cw_c")]))
    elif data_kind in (None, "list"):
        data = data_col
    else:
        raise _usage(f"the column `{fields['data']}` holds {data_kind} values; `data` is "
                     "a list of categories or a delimited string of them")
    out.append(exp.alias_(exp.func("COALESCE", data, empty), field_column("data")))
    for name, _vocab in TERM_FIELDS:
        if name in fields:
            value, kind = reader.raw(fields[name])
            value = value if kind in (None, "str") else _text(value)
        else:
            value = _null("TEXT")
        out.append(exp.alias_(_implied(name, value, action), field_column(name)))
    if "days" in fields:
        value, kind = reader.raw(fields["days"])
        out.append(exp.alias_(reader.number(value, kind, "days", "days"), field_column("days")))
    else:
        out.append(exp.alias_(_null("BIGINT"), field_column("days")))
    context = reader.raw(columns.context) if columns.context else None
    for name, fact in sorted(vocabulary.facts.items()):
        if name in columns.facts:
            value, kind = reader.raw(columns.facts[name])
            if context is not None:  # a column wins; the JSON's value fills its gaps
                value = exp.func("COALESCE", _text(value) if kind not in (None, "str")
                                 else value, _json_fact(*context, name))
                kind = "str" if kind != "str" and kind is not None else kind
        elif context is not None:
            value, kind = _json_fact(*context, name), "str"
        else:
            out.append(exp.alias_(_null(_SQL_TYPES[fact.type]), _fact_alias(name)))
            continue
        out.append(exp.alias_(reader.fact(fact, value, kind), _fact_alias(name)))
    bad = exp.Case(ifs=[exp.If(this=test, true=message) for test, message in reader.problems]) \
        if reader.problems else _null("TEXT")
    return exp.select("*", *out, exp.alias_(bad, BAD)).from_(source)


def checks(vocabulary: Vocabulary, columns: Columns) -> tuple[list[exp.Expression],
                                                              list[exp.Expression]]:
    """What is checked once per distinct action (not per row): the first problem of the
    action's terms (after any of its values, `cw_bad`), as `cw_error`, and the facts
    the fields derive; then `cw_ok`. Two steps: the second reads the first."""
    has_collected_for = "collected_for" in columns.fields
    problems = _term_problems(vocabulary, has_collected_for)
    terms = exp.Case(ifs=[exp.If(this=test, true=message) for test, message in problems])
    first = [exp.alias_(exp.func("COALESCE", exp.column(BAD), terms), ERROR)]
    if DERIVED_FROM in vocabulary.facts:
        first.append(exp.alias_(_derived(vocabulary, has_collected_for), DERIVED))
    return first, [exp.alias_(_is_null(exp.column(ERROR)), OK)]


def key_columns(vocabulary: Vocabulary) -> set[str]:
    """The columns `normalize` gives that a decision may read."""
    out = {field_column(f) for f in FIELDS} | {BAD}
    out |= {_fact_alias(f) for f in vocabulary.facts}
    return out


def _fact_alias(name: str) -> str:
    return given_column(name) if name == DERIVED_FROM else fact_column(name)


def _term_problems(vocabulary: Vocabulary, has_collected_for: bool
                   ) -> list[tuple[exp.Expression, exp.Expression]]:
    """What `engine.action.check_terms` reports, in its order (the first one is shown)."""
    action, data = exp.column(field_column("action")), exp.column(field_column("data"))
    out: list[tuple[exp.Expression, exp.Expression]] = [
        (_is_null(action), _s("action: a row must name its action kind")),
        (exp.not_(_in(action, m.ACTION_KINDS)),
         _concat("action: `", action, "` is not one of " + ", ".join(m.ACTION_KINDS))),
    ]
    size = exp.func("COALESCE", exp.ArraySize(this=data), exp.Literal.number(0))
    out.append((exp.and_(_in(action, DATA_ACTIONS), exp.EQ(this=size,
                                                           expression=exp.Literal.number(0))),
                _concat("data: a `", action, "` action must name at least one data category")))
    out.append((exp.GT(this=size, expression=exp.Literal.number(MAX_DATA)),
                _s(f"data: an action names at most {MAX_DATA:,} data categories")))
    var = exp.column("cw_c")
    unknown = exp.ArrayFilter(this=data, expression=exp.Lambda(
        this=exp.not_(exp.func("COALESCE", _in(var, vocabulary.terms[m.Vocab.category]),
                                   exp.false())), expressions=[exp.to_identifier("cw_c")]))
    out.append((exp.GT(this=exp.func("COALESCE", exp.ArraySize(this=unknown),
                                     exp.Literal.number(0)), expression=exp.Literal.number(0)),
                _concat("data: unknown category `", exp.ArrayToString(
                    this=unknown, expression=_s("`, `")), "`")))
    for name, vocab in TERM_FIELDS:
        column = exp.column(field_column(name))
        out.append((exp.and_(_given(column), exp.not_(_in(column, vocabulary.terms[vocab]))),
                    _concat(f"{name}: unknown {vocab.value} `", column, "`")))
    for dimension in m.DIMENSIONS:
        column = exp.column(field_column(dimension.name))
        out.append((exp.and_(_given(column), exp.not_(_in(action, dimension.actions))),
                    _concat(f"{dimension.name}: a `", action,
                            f"` action has no {dimension.name}")))
    out.append((exp.and_(exp.EQ(this=action, expression=_s("exercise")),
                         _is_null(exp.column(field_column("right")))),
                _s("right: an `exercise` action must name the right exercised")))
    days = exp.column(field_column("days"))
    out.append((exp.func("COALESCE", exp.LT(this=days, expression=exp.Literal.number(0)),
                         exp.false()), _s("days: a number of days is 0 or more")))
    if has_collected_for and "original_purpose" in vocabulary.facts:
        given = exp.column(given_column("original_purpose"))
        out.append((exp.and_(_given(exp.column(field_column("collected_for"))), _given(given),
                             exp.NEQ(this=given, expression=_same_purpose(vocabulary))),
                    _s("context.original_purpose contradicts collected_for and purpose")))
    return out


def _same_purpose(vocabulary: Vocabulary) -> exp.Expression:
    """Whether the row's purpose is at or under its `collected_for` (a CASE per term)."""
    from .compile import _Terms

    terms = _Terms(vocabulary)
    purpose = exp.column(field_column("purpose"))
    ifs = [exp.If(this=exp.EQ(this=exp.column(field_column("collected_for")),
                              expression=_s(key)),
                  true=exp.func("COALESCE", _in(purpose, terms.below(m.Vocab.purpose, (key,))),
                                exp.false()))
           for key in sorted(vocabulary.terms[m.Vocab.purpose])]
    return exp.Case(ifs=ifs, default=exp.false())


def _derived(vocabulary: Vocabulary, has_collected_for: bool) -> exp.Expression:
    """`original_purpose` from `collected_for` and the purpose, as the engine derives it."""
    given = exp.column(given_column(DERIVED_FROM))
    if not has_collected_for:
        return given
    collected = exp.column(field_column("collected_for"))
    return exp.Case(ifs=[exp.If(this=_given(collected), true=_same_purpose(vocabulary))],
                    default=given)


def source_kind(paths: list[str]) -> str:
    """parquet, csv or jsonl, from the files' extension (all alike)."""
    kinds = set()
    for path in paths:
        name = path.lower().removesuffix(".gz").removesuffix(".zst")
        ext = os.path.splitext(name)[1]
        kinds.add({".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "csv",
                   ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}.get(ext, ext))
    if len(kinds) != 1:
        raise _usage("the logs must all be of one format: " + ", ".join(sorted(kinds)))
    kind = kinds.pop()
    if kind not in ("parquet", "csv", "jsonl"):
        raise _usage(f"`{paths[0]}`: logs are .parquet, .csv or .jsonl files")
    return kind
