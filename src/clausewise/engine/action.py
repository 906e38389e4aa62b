"""A proposed data action: its schema, and its check against a policy's vocabulary.

Pydantic checks the shape (and gives `clausewise schema action`); `check_terms`
checks that every term and fact is one the policy knows, with a field path and a
"did you mean". Errors point at the line of the JSON that holds the bad value.

An action decides what may be done with personal data, so reading it fails closed:
a key given twice (which JSON parsers resolve silently, last one wins) is an error,
numbers are whole and bounded, nesting is bounded, and whatever Python object the
API is handed ends in an `ActionError`, never in another exception.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr,
                      ValidationError, create_model)

from .. import model as m
from ..errors import ActionError, Diagnostic, did_you_mean
from ..vocabulary import Vocabulary
from .records import context_of

ActionKind = Literal["collect", "use", "share", "sell", "retain", "notify", "exercise"]
#: kinds whose actions must name data
DATA_ACTIONS = frozenset({"collect", "use", "share", "sell", "retain"})
#: kinds whose action, when it names no recipient, is our own (a recipient's own use or
#: keeping names the recipient; a duty passed with a share decides it)
OUR_OWN_UNLESS_SAID = frozenset({"use", "retain"})
#: the largest whole number an action may hold (what JSON represents exactly)
MAX_NUMBER = 2**53 - 1
#: how many data categories one action may name
MAX_DATA = 1000
#: how many problems are reported for one action (the rest are counted)
MAX_PROBLEMS = 20
#: how deep an action's JSON may nest (an action needs two levels)
MAX_DEPTH = 16

Number = Annotated[StrictInt, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
#: a clause id of the policy, as an action's `choices` and `exercised` name them
ClauseId = Annotated[StrictStr, Field(max_length=200)]
Day = Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ChoiceMade(BaseModel):
    """A choice the person made through a `choice` clause, and from which day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    made: Literal["in", "out"] = Field(description="opted in or opted out")
    date: Day | None = Field(default=None, description="the day the choice was made")
#: the value of an enum fact: one of its declared names
Name = Annotated[StrictStr, Field(max_length=200)]


class _ActionBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    action: ActionKind = Field(description="collect, use, share, sell, retain, notify or "
                               "exercise (a person exercising a right)")
    data: tuple[str, ...] = Field(default=(), max_length=MAX_DATA,
                                  description="data category keys, e.g. user.contact.email")

    def __hash__(self) -> int:
        return hash(self.model_dump_json())


#: What someone proposes to do with personal data: its kind, its data, one term per
#: dimension of the model's table (`m.DIMENSIONS`), a retention period and the facts.
Action = create_model(
    "Action", __base__=_ActionBase, __module__=__name__,
    __doc__="What someone proposes to do with personal data.",
    **{d.name: (str | None, Field(default=None, description=d.help)) for d in m.DIMENSIONS},
    days=(StrictInt | None, Field(default=None, ge=0, le=MAX_NUMBER,
                                  description="retain: for this many days (a whole number); "
                                  "with until, this many days after the event")),
    until=(str | None, Field(default=None, description="retain: until this event")),
    collected_for=(str | None, Field(default=None, description="the purpose the data was "
                                     "collected for: the fact original_purpose is derived "
                                     "from it and the action's purpose")),
    context=(dict[str, StrictBool | Number | Name], Field(
        default_factory=dict, description="facts about the situation, e.g. consent")),
    choices=(dict[ClauseId, Literal["in", "out"] | ChoiceMade], Field(
        default_factory=dict, max_length=MAX_DATA,
        description="the choices the person made, by choice clause id: \"in\", \"out\", or "
        "{\"made\": \"out\", \"date\": \"2026-03-01\"}; each sets its fact (consent, "
        "opted_out) for what that choice covers")),
    exercised=(dict[ClauseId, StrictBool | Day], Field(
        default_factory=dict, max_length=MAX_DATA,
        description="the rights the person exercised, by right clause id: true or the day; "
        "each sets the fact its clause names (deleted, deactivated) for what it covers")),
)

_TERM_FIELDS: tuple[tuple[str, m.Vocab], ...] = tuple(
    (d.name, d.vocab) for d in m.DIMENSIONS) + (("until", m.Vocab.event),
                                                ("collected_for", m.Vocab.purpose))


def parse_action(raw: object, vocabulary: Vocabulary, *, source: str = "<action>",
                 text: str | None = None) -> Action:
    """Validate `raw` (a dict, JSON text or an `Action`) against the schema and vocabulary."""
    if isinstance(raw, (str, bytes)):
        text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
        text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors save
        raw = load_json(text, source)
    if isinstance(raw, Action):
        action = raw
    else:
        try:
            action = Action.model_validate(raw)
        except ValidationError as exc:
            raise _schema_error(exc, source, text) from None
        except RecursionError:  # a Python object nested past the interpreter's limit
            raise ActionError((_locate(Diagnostic(
                "too-deep", "the action nests too deeply", None,
                "an action is an object of fields, lists of terms and a context of facts"),
                source, text),), _sources(source, text)) from None
    problems = check_terms(action, vocabulary)
    if problems:
        raise ActionError(_located_capped(problems, source, text), _sources(source, text))
    return _derived(action, vocabulary, source, text)


def _derived(action: Action, vocabulary: Vocabulary, source: str, text: str | None) -> Action:
    """The facts an action's fields imply: those its `choices` and `exercised` set (see
    records.py), and `original_purpose` from `collected_for`."""
    if action.choices or action.exercised:
        action = action.model_copy(update={"context": context_of(vocabulary, action)})
    if action.recipient is None and action.action in OUR_OWN_UNLESS_SAID:
        action = action.model_copy(update={"recipient": "first_party"})
    if action.collected_for is None:
        return action
    same = action.purpose is not None and action.collected_for in \
        vocabulary.ancestors(m.Vocab.purpose, action.purpose)
    given = action.context.get("original_purpose")
    if given is not None and given is not same:
        raise ActionError((_locate(Diagnostic(
            "contradiction", f"context.original_purpose: `{str(given).lower()}` contradicts "
            f"collected_for `{action.collected_for}` and purpose `{action.purpose}`", None,
            "give collected_for, or the fact, not both"), source, text),),
            _sources(source, text))
    return action.model_copy(update={"context": {**action.context, "original_purpose": same}})


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key


class _BadNumber(ValueError):
    def __init__(self, literal: str, message: str) -> None:
        self.literal, self.message = literal, message


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return found


def _whole(literal: str) -> int:
    if len(literal.lstrip("-")) > 16:  # MAX_NUMBER has 16 digits; int() of 5,000 would fail
        raise _BadNumber(literal, f"the number `{literal[:30]}` is too large")
    return int(literal)


def _no_constant(name: str) -> object:
    raise _BadNumber(name, f"`{name}` is not a JSON number")


def load_json(text: str, source: str) -> object:
    """JSON text as Python values, refusing repeated keys, NaN and huge or deep values."""
    try:
        return json.loads(text, object_pairs_hook=_unique, parse_int=_whole,
                          parse_constant=_no_constant)
    except _Duplicate as dup:
        first, second = _occurrences(text, dup.key)
        raise ActionError((Diagnostic(
            "duplicate-key", f"`{dup.key}` is given twice (first at line "
            f"{text.count(chr(10), 0, first) + 1})", _span_at(text, second, source,
                                                              len(json.dumps(dup.key))),
            "give each field once: which one was meant cannot be guessed"),),
            {source: text}) from None
    except _BadNumber as bad:
        offset = max(text.find(bad.literal), 0)
        raise ActionError((Diagnostic("bad-number", bad.message, _span_at(
            text, offset, source, min(len(bad.literal), 30)),
            f"numbers are whole and at most {MAX_NUMBER:,}"),), {source: text}) from None
    except RecursionError:
        raise ActionError((Diagnostic(
            "too-deep", f"the action nests more than {MAX_DEPTH} levels deep",
            _span_at(text, _too_deep_at(text), source),
            "an action is an object of fields, lists of terms and a context of facts"),),
            {source: text}) from None
    except ValueError as exc:
        lineno, colno = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
        span = m.Span(file=source, line=lineno, column=colno, end_line=lineno,
                      end_column=colno + 1)
        message = getattr(exc, "msg", str(exc)).lower()
        raise ActionError((Diagnostic("bad-json", f"not valid JSON: {message}", span),),
                          {source: text}) from None


def _occurrences(text: str, key: str) -> tuple[int, int]:
    """Offsets of the first two places where `key` is written as a key."""
    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    hits = [match.start() for _, match in zip(range(2), pattern.finditer(text))]
    if len(hits) < 2:  # written with escapes: point at the start
        return 0, 0
    return hits[0], hits[1]


def _too_deep_at(text: str) -> int:
    """The offset where nesting first passes MAX_DEPTH (strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return offset
        elif char in "]}":
            depth -= 1
    return 0


def _span_at(text: str, offset: int, source: str, width: int = 1) -> m.Span:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return m.Span(file=source, line=line, column=column, end_line=line,
                  end_column=column + max(width, 1))


def _capped(problems: list[Diagnostic]) -> list[Diagnostic]:
    """At most MAX_PROBLEMS, and a last one counting the rest."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [Diagnostic(
        "too-many-problems", f"and {rest:,} more problems in this action", None,
        "fix the ones above first")]


def _located_capped(problems: list[Diagnostic], source: str, text: str | None
                    ) -> tuple[Diagnostic, ...]:
    """The shown problems located in the text; the count of the rest sorts after them."""
    shown = [_locate(d, source, text) for d in _capped(problems)]
    if len(shown) > MAX_PROBLEMS:
        last = max(shown[:-1], key=Diagnostic.sort_key)
        shown[-1] = Diagnostic(shown[-1].code, shown[-1].message, last.span, shown[-1].help)
    return tuple(shown)


def check_terms(action: Action, vocabulary: Vocabulary) -> list[Diagnostic]:
    """Unknown terms, unknown facts and wrongly typed facts, each with its field path."""
    found: list[Diagnostic] = []

    def suggest(name: str, known) -> str | None:  # only for the problems that are shown
        return did_you_mean(name, known) if len(found) < MAX_PROBLEMS else None

    def unknown(path: str, vocab: m.Vocab, key: str) -> None:
        found.append(Diagnostic("unknown-term", f"{path}: unknown {vocab.value} `{key}`", None,
                                suggest(key, vocabulary.terms[vocab])))

    if action.action in DATA_ACTIONS and not action.data:
        found.append(Diagnostic("missing-field", f"data: a `{action.action}` action must name "
                                "at least one data category", None,
                                'e.g. "data": ["user.contact.email"]'))
    for index, key in enumerate(action.data):
        if not vocabulary.knows(m.Vocab.category, key):
            unknown(f"data[{index}]", m.Vocab.category, key)
    for field, vocab in _TERM_FIELDS:
        key = getattr(action, field)
        if key is not None and not vocabulary.knows(vocab, key):
            unknown(field, vocab, key)
    for dimension in m.DIMENSIONS:  # a field the kind is not decided on would decide nothing
        if getattr(action, dimension.name) is not None and \
                action.action not in dimension.actions:
            found.append(Diagnostic(
                "field-not-allowed", f"{dimension.name}: a `{action.action}` action has no "
                f"{dimension.name}", None, f"{dimension.name} is given on "
                + ", ".join(f"`{kind}`" for kind in dimension.actions) + " actions"))
    if action.action == "exercise" and action.right is None:
        found.append(Diagnostic("missing-field", "right: an `exercise` action must name the "
                                "right exercised", None, 'e.g. "right": "correction"'))
    for clause_id, record in action.choices.items():
        if not isinstance(record, str) and record.date is not None and not _is_day(record.date):
            found.append(Diagnostic("fact-type", f"choices.{clause_id}.date: "
                                    f"{_shown(record.date)} is not a calendar day", None,
                                    'e.g. "2026-03-01"'))
    for clause_id, when in action.exercised.items():
        if isinstance(when, str) and not _is_day(when):
            found.append(Diagnostic("fact-type", f"exercised.{clause_id}: {_shown(when)} is "
                                    "not a calendar day", None, 'true, or e.g. "2026-03-01"'))
    for field in ("choices", "exercised"):
        want = "choice" if field == "choices" else "right"
        for clause_id in getattr(action, field):
            record = vocabulary.records.get(clause_id)
            if record is None or record.kind != want:
                known = [k for k, v in vocabulary.records.items() if v.kind == want]
                found.append(Diagnostic(
                    "unknown-clause", f"{field}.{clause_id}: the policy has no {want} clause "
                    f"`{clause_id}`" + (" that sets a fact" if want == "right" else ""), None,
                    suggest(clause_id, known) or (f"its {want} clauses: " + ", ".join(known[:8])
                                                  if known else f"the policy has no {want} "
                                                  "clause to record")))
    for name, value in action.context.items():
        fact = vocabulary.facts.get(name)
        if fact is None:
            found.append(Diagnostic("unknown-fact", f"context.{name}: unknown fact `{name}`",
                                    None, suggest(name, vocabulary.facts)))
        elif fact.type is m.FactType.bool and not isinstance(value, bool):
            found.append(Diagnostic("fact-type", f"context.{name}: `{name}` is true or false, "
                                    f"not {_shown(value)}", None))
        elif fact.type is m.FactType.int and not isinstance(value, int) or \
                fact.type is m.FactType.int and isinstance(value, bool):
            found.append(Diagnostic("fact-type", f"context.{name}: `{name}` is a number, "
                                    f"not {_shown(value)}", None))
        elif fact.type is m.FactType.date and not _is_day(value):
            found.append(Diagnostic("fact-type", f"context.{name}: `{name}` is a day written "
                                    f"YYYY-MM-DD, not {_shown(value)}", None,
                                    'e.g. "2021-03-01"'))
        elif fact.type is m.FactType.enum and value not in fact.values:
            found.append(Diagnostic(
                "fact-type", f"context.{name}: `{name}` is one of "
                f"{', '.join(fact.values)}, not {_shown(value)}", None,
                suggest(value, fact.values) if isinstance(value, str) else None))
    return found


def _is_day(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        return date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _schema_error(exc: ValidationError, source: str, text: str | None) -> ActionError:
    diagnostics: list[Diagnostic] = []
    seen_facts: set[object] = set()
    errors = exc.errors(include_url=False, include_context=False, include_input=True)
    for error in errors:
        if len(diagnostics) == MAX_PROBLEMS:  # at the last one shown, so it sorts after it
            diagnostics.append(Diagnostic(
                "too-many-problems", f"and {len(errors) - MAX_PROBLEMS:,} more problems in "
                "this action", diagnostics[-1].span, "fix the ones above first"))
            break
        loc = error["loc"]
        if len(loc) >= 2 and loc[0] == "context":  # one message per fact, not per union arm
            if loc[1] in seen_facts:
                continue
            seen_facts.add(loc[1])
            message = (f"context.{loc[1]}: {_shown(error.get('input'))} is not a fact "
                       f"value; facts are true, false, whole numbers up to {MAX_NUMBER:,} "
                       "or names")
            diagnostics.append(_locate(Diagnostic("bad-action", message, None), source, text,
                                       (loc[1],)))
            continue
        path = _path(loc)
        message = error["msg"][0].lower() + error["msg"][1:]
        help = None
        if not loc:  # the document itself: an array, a string, null
            diagnostics.append(_locate(Diagnostic(
                "bad-action", "an action is a JSON object, not "
                f"{_json_kind(error.get('input'))}", None,
                'e.g. {"action": "use", "data": ["user.contact.email"]}'), source, text))
            continue
        if error["type"] == "extra_forbidden":
            name = loc[-1]
            message = f"unknown field `{_part(name)}`"
            help = did_you_mean(name, Action.model_fields) if isinstance(name, str) else None
        elif error["type"] == "literal_error" and loc == ("action",) and \
                isinstance(error.get("input"), str):
            help = did_you_mean(error["input"], ActionKind.__args__)
        diagnostics.append(_locate(Diagnostic("bad-action", f"{path}: {message}", None, help),
                                   source, text, error["loc"]))
    return ActionError(tuple(diagnostics), _sources(source, text))


def _shown(value: object) -> str:
    """A short, safe rendering of any value a caller passed (big, cyclic or foreign)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10**100 else None
        return str(value) if digits is not None and digits <= 30 else "a number that large"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value[:40] + ("..." if len(value) > 40 else ""))
    return _json_kind(value)


def _path(loc: tuple[object, ...]) -> str:
    """A field path as people write it: `data[0]`, `context.consent`."""
    out = ""
    for part in loc:
        out += f"[{_part(part)}]" if isinstance(part, int) else \
            (f".{_part(part)}" if out else _part(part))
    return out


def _part(part: object) -> str:
    """A key or index of a field path, short and printable whatever the caller passed."""
    if isinstance(part, str):
        return part if len(part) <= 60 else part[:57] + "..."
    return _shown(part)


def _json_kind(value: object) -> str:
    return {list: "an array", tuple: "an array", dict: "an object", str: "a string",
            type(None): "null", bool: "true or false", int: "a number", float: "a number",
            set: "a set", frozenset: "a set", bytes: "bytes"}.get(
                type(value), f"a {type(value).__name__}")


def _sources(source: str, text: str | None) -> dict[str, str]:
    if text is None:
        return {}
    return {source: text}


def _locate(diagnostic: Diagnostic, source: str, text: str | None,
            loc: tuple[object, ...] = ()) -> Diagnostic:
    """Point at the JSON line holding the offending value (or key), as well as can be found."""
    base = 1
    needle = None
    path = diagnostic.message.split(":", 1)[0]
    if "`" in diagnostic.message:
        needle = '"' + diagnostic.message.split("`")[1] + '"'
    elif loc:
        needle = f'"{loc[0]}"'
    if text is None:
        return Diagnostic(diagnostic.code, diagnostic.message,
                          m.Span(file=source, line=base, column=1, end_line=base, end_column=1),
                          diagnostic.help)
    offset = text.find(needle) if needle else -1
    if offset < 0 and path:
        offset = text.find(f'"{path.split(".")[0].split("[")[0]}"')
    offset = max(offset, 0)
    lineno = text.count("\n", 0, offset) + base
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    width = len(needle) if needle and text.find(needle) >= 0 else 1
    span = m.Span(file=source, line=lineno, column=column, end_line=lineno,
                  end_column=column + width)
    return Diagnostic(diagnostic.code, diagnostic.message, span, diagnostic.help)
