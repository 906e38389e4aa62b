"""Parse tree -> model: a Lark `Transformer` that builds frozen model nodes with spans.

Field-level structure (which fields a clause kind accepts, a field given twice)
is checked here, where the tokens still know their positions; findings are
collected, not raised, so one run reports every problem of a file.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lark import Token, Transformer_NonRecursive, v_args
from lark.tree import Meta

from .. import model as m
from ..errors import Diagnostic

# Clause field name (as the transformer names it) -> model attribute, for the fields
# that are not dimensions (those come from `m.DIMENSIONS`, named by their attribute).
_FIELD_ATTR = {"choice": "choice", "timing": "timing", "means": "means", "address": "address",
               "conduct": "conduct"}
_DIMENSION_OF_ATTR = {d.attr: d for d in m.DIMENSIONS}
#: how deep a parse tree may nest (a clause and its fields take about 8 levels; the
#: rest is room for conditions). Deeper input is refused before anything recurses.
MAX_DEPTH = 64
#: the most digits a number in a policy may have (ages, days)
MAX_DIGITS = 9
#: how many days a unit of a retention period counts
_DAYS_PER = {"days": 1, "months": 30, "years": 365}
# Fields that may be given more than once (their values accumulate).
_REPEATABLE = {"must", "state", "passes"}
# Header fields that may be given more than once, by model attribute.
_HEADER_REPEATABLE = ("contacts", "complaints", "certifications", "texts")
# Which syntax spells each field, for messages.
_SPELLING = {
    **{d.attr: "/".join(d.keywords) for d in m.DIMENSIONS},
    "data": "the data verb", "never": "never", "about": "about", "when": "if",
    "except": "except", "at_most": "at most", "starts": "effective", "stops": "expires",
    "safeguards": "safeguard",
    "unless": "unless", "choice": "consent", "required": "required", "optional": "optional",
    "timing": "before/after/within", "ending": "then",
    "period": "for N days/until/indefinitely/as long as needed for",
    "state": "in transit/at rest", "means": "using", "must": "must", "text": "text",
    "effect": "then never", "controls": "controls", "sets": "sets", "address": "at",
    "conduct": "by", "beyond": "beyond", "passes": "recipients never",
}


class _Field:
    """One parsed clause field, before it is checked against the clause kind.

    Its span is made only when a message or the model needs it: most fields
    never need one, and building 10,000 clauses makes ~40,000 fields.
    """

    __slots__ = ("name", "value", "meta", "path", "keyword", "_span")

    def __init__(self, name: str, value: Any, meta: Meta, path: str, keyword: str) -> None:
        self.name, self.value, self.meta, self.path, self.keyword = name, value, meta, path, keyword
        self._span: m.Span | None = None

    @property
    def span(self) -> m.Span:
        if self._span is None:
            meta = self.meta
            self._span = m.Span(file=self.path, line=meta.line, column=meta.column,
                                end_line=meta.end_line, end_column=meta.end_column)
        return self._span


def unquote(token: Token) -> str:
    body = token[1:-1]
    if "\\" not in body:
        return body
    out, chars = [], iter(body)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
        else:
            out.append(ch)
    return "".join(out)


def _dimension_field(dimension: m.Dimension):
    """The transformer method of one dimension's grammar alternative (`dim_<name>`)."""
    def method(self: ModelBuilder, meta: Meta, children: list[Any]) -> _Field:
        return _Field(dimension.attr, children[0], meta, self.path,
                      "/".join(dimension.keywords))
    method.__name__ = f"dim_{dimension.name}"
    return method


#: one method per dimension, generated from the table like the grammar's alternatives
_DimensionFields = type("_DimensionFields", (), {
    f"dim_{d.name}": v_args(meta=True)(_dimension_field(d)) for d in m.DIMENSIONS})


@v_args(meta=True)
class ModelBuilder(_DimensionFields, Transformer_NonRecursive):
    """Builds a `Document`; collects structural findings in `self.diagnostics`.

    Lark's non-recursive transformer calls one method per rule, children first, with
    the node's `meta` (the parser propagates positions). Conditions are the only
    part that nests; `MAX_DEPTH` bounds them, so that nothing downstream recurses
    without end.
    """

    def __init__(self, path: str, comments: list[Token]) -> None:
        super().__init__()
        self.path = path
        self.comments = comments
        self.diagnostics: list[Diagnostic] = []
        self.references: list[m.Reference] = []
        self._depth: dict[int, int] = {}  # id(condition node) -> how deep it nests
        self.too_deep = False
        # `v_args` wraps each rule method anew at every look-up (a functools.update_wrapper
        # per node: a fifth of the build time); bind each one once, on the instance
        for name, attr in {**vars(_DimensionFields), **vars(ModelBuilder)}.items():
            if hasattr(attr, "visit_wrapper"):
                setattr(self, name, getattr(self, name))

    def _nest(self, node: m.Condition, meta: Meta, operands: Any) -> m.Condition:
        depth = 1 + max((self._depth.get(id(op), 1) for op in operands), default=0)
        self._depth[id(node)] = depth
        if depth > MAX_DEPTH and not self.too_deep:
            self.too_deep = True
            self.error("too-deep", "this condition is nested too deeply "
                       f"(a clause may nest at most {MAX_DEPTH} levels)",
                       meta, "split the condition into simpler clauses")
        return node

    # ---------------------------------------------------------------- helpers
    def span(self, meta: Meta | Token) -> m.Span:
        return m.Span(file=self.path, line=meta.line, column=meta.column,
                      end_line=meta.end_line, end_column=meta.end_column)

    def error(self, code: str, message: str, where: Meta | Token | m.Span,
              help: str | None = None) -> None:
        span = where if isinstance(where, m.Span) else self.span(where)
        self.diagnostics.append(Diagnostic(code, message, span, help))

    def refs(self, vocab: m.Vocab, tokens: tuple[Token, ...] | list[Token]) -> tuple[str, ...]:
        """Record where each term is named and return the plain keys."""
        for token in tokens:
            self.references.append(m.Reference(vocab=vocab, key=str(token),
                                               span=self.span(token)))
        return tuple(str(t) for t in tokens)

    def number(self, token: Token) -> int:
        """A whole number from the source; more than nine digits is surely a slip."""
        if len(token) > MAX_DIGITS:
            self.error("number-too-large", f"`{token[:12]}{'...' if len(token) > 12 else ''}`"
                       f" is too large a number (at most {MAX_DIGITS} digits)", token)
            return 0
        return int(token)

    # ----------------------------------------------------------------- leaves
    def string(self, meta: Meta, tokens: list[Token]) -> str:
        return "".join(unquote(t) for t in tokens)

    def term_list(self, meta: Meta, tokens: list[Token]) -> tuple[Token, ...]:
        return tuple(tokens)

    def verb_list(self, meta: Meta, tokens: list[Token]) -> tuple[Token, ...]:
        return tuple(tokens)

    # ------------------------------------------------------------- conditions
    def fact_is_true(self, meta: Meta, children: list[Token]) -> m.FactIsTrue:
        return m.FactIsTrue(fact=str(children[0]), span=self.span(meta))

    def comparison(self, meta: Meta, children: list[Any]) -> m.Comparison:
        fact, op, value = children
        return m.Comparison(fact=str(fact), op=str(op), value=value, span=self.span(meta))

    def int_value(self, meta: Meta, children: list[Token]) -> int:
        return self.number(children[0])

    def true_value(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def false_value(self, meta: Meta, children: list[Any]) -> bool:
        return False

    def name_value(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])

    def date_value(self, meta: Meta, children: list[Token]) -> date | int:
        return self._date(children[0]) or 0

    def negation(self, meta: Meta, children: list[Any]) -> m.Condition:
        return self._nest(m.Not(operand=children[0], span=self.span(meta)), meta, children)

    def and_cond(self, meta: Meta, children: list[Any]) -> m.Condition:
        return self._nest(m.All(operands=tuple(children), span=self.span(meta)), meta, children)

    def or_cond(self, meta: Meta, children: list[Any]) -> m.Condition:
        return self._nest(m.Any_(operands=tuple(children), span=self.span(meta)), meta,
                          children)

    # ------------------------------------------------------------ obligations
    def before(self, meta: Meta, children: list[Any]) -> m.Timing:
        return m.Timing(when="before", span=self.span(meta))

    def after(self, meta: Meta, children: list[Any]) -> m.Timing:
        return m.Timing(when="after", span=self.span(meta))

    def within(self, meta: Meta, children: list[Token]) -> m.Timing:
        return m.Timing(when="within", days=self.number(children[0]), span=self.span(meta))

    def in_transit(self, meta: Meta, children: list[Any]) -> m.State:
        return m.State.in_transit

    def at_rest(self, meta: Meta, children: list[Any]) -> m.State:
        return m.State.at_rest

    def ob_encrypt(self, meta: Meta, children: list[Any]) -> m.EncryptDuty:
        return m.EncryptDuty(state=children[0], span=self.span(meta))

    def ob_notify(self, meta: Meta, children: list[Any]) -> m.NotifyDuty:
        timing, channels = children
        return m.NotifyDuty(timing=timing, channels=self.refs(m.Vocab.channel, channels),
                            span=self.span(meta))

    def ob_offer(self, meta: Meta, children: list[Any]) -> m.OfferDuty:
        right, channels = children
        return m.OfferDuty(right=self.refs(m.Vocab.right, [right])[0],
                           channels=self.refs(m.Vocab.channel, channels),
                           span=self.span(meta))

    def ob_duty(self, meta: Meta, children: list[str]) -> m.FreeDuty:
        return m.FreeDuty(text=children[0], span=self.span(meta))

    # ----------------------------------------------------------------- fields
    def _field(name: str, convert: Any = None):  # type: ignore[misc]  # noqa: N805
        def method(self: ModelBuilder, meta: Meta, children: list[Any]) -> _Field:
            value = convert(children) if convert else (children[0] if children else True)
            keyword = str(children[0]) if name == "data" else _SPELLING.get(name, name)
            return _Field(name, value, meta, self.path, keyword)
        return method

    about = _field("about")
    except_ = _field("except")
    when = _field("when")
    unless = _field("unless")
    choice = _field("choice", lambda c: m.Choice(str(c[0])))
    required = _field("required")
    optional = _field("optional")
    timing = _field("timing")
    period_days = _field("period", lambda c: ("days", (c[0], c[1])))
    period_after = _field("period", lambda c: ("after", (c[0], c[1], c[2])))
    period_until = _field("period", lambda c: ("until", c[0]))
    period_forever = _field("period", lambda c: ("forever", None))
    period_needed = _field("period", lambda c: ("needed", c[0]))
    ending = _field("ending", lambda c: str(c[0]))
    at_most = _field("at_most")
    safeguards = _field("safeguards")
    starts = _field("starts")
    stops = _field("stops")

    def unit_days(self, meta: Meta, children: list[Any]) -> str:
        return "days"

    def unit_months(self, meta: Meta, children: list[Any]) -> str:
        return "months"

    def unit_years(self, meta: Meta, children: list[Any]) -> str:
        return "years"
    state = _field("state")
    means = _field("means")
    must = _field("must")
    text = _field("text")
    data = _field("data", lambda c: (c[0], c[1]))
    never = _field("never", lambda c: (c[0], c[1]))
    effect = _field("effect")
    controls = _field("controls", lambda c: (c[0], c[1] if len(c) > 1 else ()))
    sets = _field("sets")
    address = _field("address")
    conduct = _field("conduct")
    beyond_days = _field("beyond", lambda c: ("days", (c[0], c[1])))
    beyond_event = _field("beyond", lambda c: ("until", c[0]))
    passes = _field("passes", lambda c: (c[0], c[1]))
    del _field

    # ---------------------------------------------------------------- clauses
    def clause(self, meta: Meta, children: list[Any]) -> m.Clause | None:
        kind_token, id_token, *fields = children
        cls = m.CLAUSE_KINDS[str(kind_token)]
        values: dict[str, Any] = {"id": str(id_token), "span": self.span(meta)}
        seen: dict[str, _Field] = {}
        for f in fields:
            wrong_verb = f.name == "data" and f.keyword not in cls.data_verbs
            if f.name in seen and f.name not in _REPEATABLE and not wrong_verb:
                help = f"first given at line {seen[f.name].span.line}"
                # `use` is a clause kind too: `use b` at the start of a line was meant as one
                if f.name == "data" and f.keyword in m.CLAUSE_KINDS and f.span.column == 1:
                    help += (f"; if line {f.span.line} starts a new clause, close clause "
                             f"`{id_token}` with `end` before it")
                self.error("duplicate-field", f"`{f.keyword}` is given twice in clause "
                           f"`{id_token}`", f.span, help)
                continue
            seen.setdefault(f.name, f)
            self._apply_field(cls, f, values)
        for name in ("states", "obligations", "passes"):  # gathered in lists: linear
            if name in values:
                values[name] = tuple(values[name])
        if "exempt" in values:
            stated = values["exempt"]
            values["exempt"] = tuple((d.name, stated[d.name]) for d in m.DIMENSIONS
                                     if d.name in stated)
        if "terms" in values:  # in the table's order, so equal clauses compare equal
            stated = values["terms"]
            values["terms"] = tuple((d.name, stated[d.name]) for d in m.DIMENSIONS
                                    if d.name in stated)
        if cls is m.ChoiceClause:
            self._check_choice(id_token, meta, values)
        if cls is m.Right and "stops" in values and "fact" not in values:
            self.error("missing-field", f"right `{id_token}` says what exercising it stops, "
                       "but not which fact records that it was exercised", meta,
                       "add a line such as `sets deleted`; an action gives it in `exercised`")
        if cls is m.Prohibition and "actions" not in values:
            self.error("missing-field", f"prohibition `{id_token}` says nothing it prohibits",
                       self.span(meta), "add a line such as `never share user.health_and_medical`")
        if cls is m.Security and "states" not in values and "safeguards" not in values:
            self.error("missing-field", f"security clause `{id_token}` says neither `in transit`"
                       " nor `at rest`, and takes no `safeguard`", meta,
                       "add `in transit`, `at rest`, or a `safeguard` line")
        if cls is m.Right and "right" not in dict(values.get("terms", ())):
            self.error("missing-field", f"right clause `{id_token}` grants no right", meta,
                       "add a line such as `grants correction`")
        if issubclass(cls, (m.Permission, m.Security)) and cls not in (m.Notification, m.Right) \
                and "data" not in seen:  # a data line with the wrong verb is reported already
            verbs = " or ".join(f"`{v}`" for v in cls.data_verbs)
            self.error("missing-field", f"{cls.kind} clause `{id_token}` names no data",
                       self.span(meta), f"add a {verbs} line listing data categories")
        try:
            return cls(**values)
        except Exception as exc:  # pydantic refuses a combination the checks above missed
            self.error("invalid-clause", f"clause `{id_token}` is invalid: {exc}", meta)
            return None

    def _check_choice(self, id_token: Token, meta: Meta, values: dict[str, Any]) -> None:
        if "choice" not in values:
            self.error("missing-field", f"choice `{id_token}` says neither opt-in nor opt-out",
                       meta, "add `consent opt-in` or `consent opt-out`")
        elif values["choice"] is m.Choice.none:
            self.error("bad-value", f"choice `{id_token}` offers no choice (`consent none`)",
                       meta, "write `consent opt-in` or `consent opt-out`")
        if "actions" not in values:
            self.error("missing-field", f"choice `{id_token}` says nothing it controls", meta,
                       "add a line such as `controls share user.contact.email`")
        if values.get("conduct") and values.get("choice") is m.Choice.opt_out:
            self.error("bad-value", f"choice `{id_token}`: only an opt-in is made by conduct",
                       meta, "an opt-out is an act; drop the `by \"...\"` line")

    def _apply_field(self, cls: type[m.Clause], f: _Field, values: dict[str, Any]) -> None:
        allowed = cls.model_fields
        name, value = f.name, f.value

        def refuse(what: str) -> None:
            self.error("field-not-allowed", f"{what} is not allowed in a {cls.kind} clause",
                       f.span, _allowed_help(cls))

        if name == "data":
            verb, terms = value
            if str(verb) not in cls.data_verbs:
                if not cls.data_verbs:
                    refuse(f"`{verb}`")
                else:
                    want = " or ".join(f"`{v}`" for v in cls.data_verbs)
                    self.error("wrong-verb", f"a {cls.kind} clause lists its data with {want}, "
                               f"not `{verb}`", verb, f"write `{cls.data_verbs[0]} ...`")
                return
            if cls is m.Security:
                values["measure"] = str(verb)
            if cls is m.Sharing:
                values["sells"] = str(verb) == "sell"
            values["data"] = self.refs(m.Vocab.category, terms)
        elif name in ("never", "controls"):
            if (cls is m.Prohibition) is not (name == "never") or \
                    name == "controls" and cls is not m.ChoiceClause:
                return refuse(f"`{f.keyword}`")
            verbs, terms = value
            values["actions"] = tuple(m.ACTION_OF_VERB[str(v)] for v in verbs)
            values["data"] = self.refs(m.Vocab.category, terms)
        elif name == "effect":
            if "stops" not in allowed:
                return refuse("`then never`")
            values["stops"] = tuple(m.ACTION_OF_VERB[str(v)] for v in value)
        elif name == "sets":
            if "fact" not in allowed:
                return refuse("`sets`")
            values["fact"] = str(value)
        elif name == "beyond":
            if "beyond" not in allowed:
                return refuse("`beyond`")
            how, amount = value
            if how == "days":
                days = self.number(amount[0]) * _DAYS_PER[amount[1]]
                values["beyond"] = m.Period(days=days, unit=amount[1], span=f.span)
            else:
                values["beyond"] = m.Period(until=self.refs(m.Vocab.event, [amount])[0],
                                            span=f.span)
        elif name == "passes":
            if "passes" not in allowed:
                return refuse("`recipients never`")
            verbs, purposes = value
            values.setdefault("passes", []).append(m.PassedDuty(
                actions=tuple(m.ACTION_OF_VERB[str(v)] for v in verbs),
                purposes=self.refs(m.Vocab.purpose, purposes), span=f.span))
        elif name in ("when", "unless"):
            if "condition" not in allowed:
                return refuse(f"`{f.keyword}`")
            if name == "unless" and cls is m.Prohibition:  # an exception, kept apart
                before = values.get("exception")
                values["exception"] = value if before is None else \
                    m.Any_(operands=(before, value), span=f.span)
                return
            cond = value if name == "when" else m.Not(operand=value, span=value.span)
            if "condition" in values:  # `if A unless B` means A and not B
                cond = m.All(operands=(values["condition"], cond), span=f.span)
            values["condition"] = cond
        elif name in ("required", "optional"):
            if "required" not in allowed:
                return refuse(f"`{name}`")
            if "required" in values:
                self.error("duplicate-field", "a clause is either `required` or `optional`, "
                           "not both", f.span)
            values["required"] = name == "required"
        elif name == "period":
            if "period" not in allowed:
                return refuse("a retention period")
            values["period"] = self._period(value, f, values)
        elif name == "safeguards":
            if "safeguards" not in allowed:
                return refuse("`safeguard`")
            values["safeguards"] = self.refs(m.Vocab.safeguard, value)
        elif name in ("starts", "stops"):
            attr = "effective" if name == "starts" else "expires"
            if attr not in allowed:
                return refuse(f"`{attr}`")
            day = self._date(value)
            if day is not None:
                values[attr] = day
            if values.get("effective") and values.get("expires") and \
                    values["expires"] <= values["effective"]:
                self.error("bad-date", "the practice expires before it takes effect", f.span,
                           "`expires` is the first day it no longer applies")
        elif name == "at_most":
            if "at_most" not in allowed:
                return refuse("`at most`")
            count = self.number(value)
            if count < 1:
                self.error("bad-number", "`at most 0` permits nothing", f.span,
                           "remove the clause, or write a prohibition")
            values["at_most"] = count
        elif name == "ending":
            if "ending" not in allowed:
                return refuse("`then`")
            values["ending"] = value
        elif name == "state":
            if "states" not in allowed:
                return refuse("`in transit`/`at rest`")
            states = values.setdefault("states", [])
            if value in states:
                self.error("duplicate-field", f"`{value.value}` is given twice", f.span)
            else:
                states.append(value)
        elif name == "must":
            if "obligations" not in allowed:
                return refuse("`must`")
            values.setdefault("obligations", []).append(value)
        elif name == "text":
            values["text"] = value
        elif name in _DIMENSION_OF_ATTR:
            dimension = _DIMENSION_OF_ATTR[name]
            if cls.kind not in dimension.kinds:
                return refuse(f"`{f.keyword}`")
            terms = values.setdefault("terms", {})
            if dimension.name in terms:  # `as long as needed for` named the purposes already
                self.error("duplicate-field", "the purposes are given twice: `for` and `as long "
                           "as needed for`", f.span, "name the purposes once, in `as long as "
                           "needed for`")
            terms[dimension.name] = self.refs(dimension.vocab, value)
        elif name == "except":
            inner: _Field = value
            dimension = _DIMENSION_OF_ATTR[inner.name]
            if "exempt" not in allowed or (cls is m.Prohibition
                                           and cls.kind not in dimension.kinds):
                return refuse("`except`")
            exempt = values.setdefault("exempt", {})
            if dimension.name in exempt:
                self.error("duplicate-field", f"`except {inner.keyword}` is given twice",
                           f.span, "list every exception in one line")
            exempt[dimension.name] = self.refs(dimension.vocab, inner.value)
        elif name == "about":
            if cls is not m.Disclaimer:
                return refuse("`about`")
            values["about"] = self.refs(m.Vocab.recipient, value)
        else:
            attr = _FIELD_ATTR[name]
            if attr not in allowed:
                return refuse(f"`{f.keyword}`")
            values[attr] = value

    def _period(self, value: tuple[str, Any], f: _Field, values: dict[str, Any]) -> m.Period:
        """A retention period; `as long as needed for P` also sets the clause's purposes."""
        how, amount = value
        if how in ("days", "after"):
            number, unit = self.number(amount[0]), amount[1]
            days = number * _DAYS_PER[unit]
            until = self.refs(m.Vocab.event, [amount[2]])[0] if how == "after" else None
            return m.Period(days=days, until=until, unit=unit, span=f.span)
        if how == "until":
            return m.Period(until=self.refs(m.Vocab.event, [amount])[0], span=f.span)
        if how == "needed":
            terms = values.setdefault("terms", {})
            if "purpose" in terms:
                self.error("duplicate-field", "the purposes are given twice: `for` and `as long "
                           "as needed for`", f.span, "name the purposes once, in `as long as "
                           "needed for`")
            terms["purpose"] = self.refs(m.Vocab.purpose, amount)
            return m.Period(needed=True, span=f.span)
        return m.Period(span=f.span)

    # ------------------------------------------------------------- vocabulary
    def term_def(self, meta: Meta, children: list[Any]) -> m.TermDef:
        vocab, key, label, *rest = children
        vocab = m.Vocab(str(vocab))
        parts = dict(rest)
        parent = parts.get("under")
        return m.TermDef(vocab=vocab, key=str(key), label=label,
                         parent=self.refs(vocab, [parent])[0] if parent else None,
                         phrase=parts.get("phrase"), aka=parts.get("aka", ()),
                         span=self.span(meta))

    def under(self, meta: Meta, children: list[Any]) -> tuple[str, Token]:
        return ("under", children[0])

    def phrase(self, meta: Meta, children: list[Any]) -> tuple[str, Any, Meta]:
        """`phrase "..."` after a define: attached to that define by `start`."""
        words, *rest = children
        return ("phrase", (words, dict(rest).get("aka", ())), meta)

    def aka(self, meta: Meta, children: list[Any]) -> tuple[str, tuple[str, ...]]:
        return ("aka", tuple(children))

    def wording(self, meta: Meta, children: list[Any]) -> m.Wording:
        vocab, key, phrase, *rest = children
        vocab = m.Vocab(str(vocab))
        return m.Wording(vocab=vocab, key=self.refs(vocab, [key])[0], phrase=phrase,
                         aka=dict(rest).get("aka", ()), span=self.span(meta))

    def section(self, meta: Meta, children: list[Any]) -> m.Section:
        title, *texts = children
        if not title.strip():
            self.error("empty-name", "a section needs a heading", meta,
                       'e.g. `section "Information sharing and disclosure"`')
        return m.Section(title=title, texts=tuple(texts), span=self.span(meta))

    def fact_def(self, meta: Meta, children: list[Any]) -> m.FactDef:
        name, type_, label = children
        return m.FactDef(name=str(name), type=m.FactType(str(type_)), label=label,
                         span=self.span(meta))

    def enum_fact_def(self, meta: Meta, children: list[Any]) -> m.FactDef:
        name, names, label = children
        values = tuple(str(t) for t in names)
        for index, token in enumerate(names):
            if str(token) in values[:index]:
                self.error("duplicate-value", f"`{token}` is listed twice in fact `{name}`",
                           token)
        return m.FactDef(name=str(name), type=m.FactType.enum, label=label,
                         values=tuple(dict.fromkeys(values)), span=self.span(meta))

    def include(self, meta: Meta, children: list[str]) -> m.Include:
        return m.Include(path=children[0], span=self.span(meta))

    # ----------------------------------------------------------------- header
    def _header_field(name: str, convert: Any = None):  # type: ignore[misc]  # noqa: N805
        def method(self: ModelBuilder, meta: Meta, children: list[Any]) -> tuple[str, Any, Meta]:
            return (name, convert(self, meta, children) if convert else children[0], meta)
        return method

    organization = _header_field("organization")
    version = _header_field("version")
    updated = _header_field("updated", lambda s, meta, c: s._date(c[0]))
    effective = _header_field("effective", lambda s, meta, c: s._date(c[0]))
    scope = _header_field("scope")
    covers = _header_field("covers", lambda s, meta, c: s.refs(m.Vocab.source, c[0]))
    contact = _header_field("contacts", lambda s, meta, c: m.Contact(
        channel=s.refs(m.Vocab.channel, [c[0]])[0], value=c[1], span=s.span(meta)))
    complaints = _header_field("complaints", lambda s, meta, c: m.Complaints(
        name=c[0], url=c[1], span=s.span(meta)))
    certification = _header_field("certifications")
    header_text = _header_field("texts")
    do_not_track = _header_field("do_not_track", lambda s, meta, c: str(c[0]))
    del _header_field

    def _date(self, token: Token) -> date | None:
        try:
            return date.fromisoformat(str(token))
        except ValueError:
            self.error("bad-date", f"`{token}` is not a calendar date", token,
                       "write dates as YYYY-MM-DD, e.g. 2010-05-25")
            return None

    def header(self, meta: Meta, children: list[Any]) -> m.Header:
        name, *fields = children
        if not name.strip():
            self.error("empty-name", "the policy needs a name", meta,
                       'e.g. `policy "Our privacy policy"`')
        values: dict[str, Any] = {"name": name, "span": self.span(meta)}
        repeated: dict[str, list[Any]] = {name: [] for name in _HEADER_REPEATABLE}
        for field_name, value, fmeta in fields:
            if field_name in repeated:
                repeated[field_name].append(value)  # a tuple grown by `+` would be quadratic
            elif field_name in values:
                self.error("duplicate-field", f"`{field_name}` is given twice in the policy "
                           "header", fmeta)
            elif value is not None:
                values[field_name] = value
        values.update({name: tuple(items) for name, items in repeated.items() if items})
        return m.Header(**values)

    # ------------------------------------------------------------------- file
    def start(self, meta: Meta, items: list[Any]) -> m.Document:
        buckets: dict[type, list[Any]] = {m.Header: [], m.Include: [], m.TermDef: [],
                                          m.FactDef: [], m.Wording: []}
        clauses: list[m.Clause] = []
        sections: list[tuple[m.Section, list[str]]] = []
        previous: Any = None
        for item in items:
            if isinstance(item, tuple) and item[0] == "phrase":  # the define's own words
                (words, aka), meta = item[1], item[2]
                if isinstance(previous, m.TermDef) and previous.phrase is None:
                    terms = buckets[m.TermDef]
                    terms[-1] = previous = previous.model_copy(
                        update={"phrase": words, "aka": previous.aka + aka})
                else:
                    self.error("misplaced-phrase", "`phrase \"...\"` without a term gives the "
                               "words of the `define` right above it, and there is none",
                               meta, 'write `phrase VOCAB TERM "..."` to word another term')
                continue
            previous = item
            if item is None:
                continue
            if isinstance(item, m.Clause):
                clauses.append(item)
                if sections:
                    sections[-1][1].append(item.id)
            elif isinstance(item, m.Section):
                sections.append((item, []))
            else:
                buckets[type(item)].append(item)
        headers = buckets[m.Header]
        for extra in headers[1:]:
            self.error("duplicate-header", "a policy has one `policy ... end` header",
                       extra.span, f"the first is at line {headers[0].span.line}")
        comments = tuple(m.Comment(text=str(t)[1:].strip(), span=self.span(t))
                         for t in self.comments)
        return m.Document(path=self.path, header=headers[0] if headers else None,
                          includes=tuple(buckets[m.Include]), terms=tuple(buckets[m.TermDef]),
                          facts=tuple(buckets[m.FactDef]), clauses=tuple(clauses),
                          sections=tuple(s.model_copy(update={"clauses": tuple(ids)})
                                         for s, ids in sections),
                          wordings=tuple(buckets[m.Wording]), comments=comments, references=tuple(self.references))


def _allowed_help(cls: type[m.Clause]) -> str:
    fields = [name for name in cls.model_fields if name not in ("span", "id")]
    spelled = {
        "data": " / ".join(cls.data_verbs) or None, "actions": "never", "about": "about",
        "condition": "if / unless", "choice": "consent", "required": "required / optional",
        "timing": "before / after / within", "ending": "then deleted / anonymized",
        "period": "for N days / until / indefinitely / as long as needed for",
        "states": "in transit / at rest", "means": "using", "obligations": "must", "text": "text",
        "measure": None, "terms": None, "sells": None, "exempt": "except ...",
        "at_most": "at most N times", "effective": "effective DATE", "expires": "expires DATE",
        "safeguards": "safeguard", "stops": "then never", "fact": "sets", "address": "at",
        "conduct": "by \"...\"", "beyond": "beyond", "passes": "recipients never ... for",
        "origin": None, "source_clause": None,
    }
    if cls is m.ChoiceClause:
        spelled["actions"] = "controls"
    words = [spelled[f] for f in fields if spelled.get(f) and f not in ("data", "text")]
    dimensions = [" / ".join(d.keywords) for d in m.DIMENSIONS if cls.kind in d.kinds]
    data = [spelled["data"]] if spelled["data"] and "data" in fields else []
    return f"a {cls.kind} clause takes: " + ", ".join(data + dimensions + words + ["text"])
