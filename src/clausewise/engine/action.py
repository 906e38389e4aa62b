"""A proposed data action: its schema, and its check against a policy's vocabulary.

Pydantic checks the shape (and gives `clausewise schema action`); `check_terms`
checks that every term and fact is one the policy knows, with a field path and a
"did you mean". Errors point at the line of the JSON that holds the bad value.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from .. import model as m
from ..errors import ActionError, Diagnostic, did_you_mean
from ..vocabulary import Vocabulary

ActionKind = Literal["collect", "use", "share", "retain", "notify", "exercise"]
#: kinds whose actions must name data
DATA_ACTIONS = frozenset({"collect", "use", "share", "retain"})


class Action(BaseModel):
    """What someone proposes to do with personal data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: ActionKind = Field(description="collect, use, share, retain, notify or exercise "
                               "(a person exercising a right)")
    data: tuple[str, ...] = Field(default=(), description="data category keys, e.g. "
                                  "user.contact.email")
    subject: str | None = Field(default=None, description="whose data: a data subject key")
    recipient: str | None = Field(default=None, description="who receives it (share)")
    purpose: str | None = Field(default=None, description="why: a purpose (data use) key")
    event: str | None = Field(default=None, description="the event it happens on")
    method: m.Method | None = Field(default=None, description="how it is collected")
    channel: str | None = Field(default=None, description="the channel (notify, exercise)")
    right: str | None = Field(default=None, description="the right exercised (exercise)")
    days: int | None = Field(default=None, ge=0, description="retain: for this many days")
    until: str | None = Field(default=None, description="retain: until this event")
    context: dict[str, StrictBool | StrictInt] = Field(
        default_factory=dict, description="facts about the situation, e.g. consent")

    def __hash__(self) -> int:
        return hash(self.model_dump_json())


_TERM_FIELDS: tuple[tuple[str, m.Vocab], ...] = (
    ("subject", m.Vocab.subject), ("recipient", m.Vocab.recipient),
    ("purpose", m.Vocab.purpose), ("event", m.Vocab.event), ("channel", m.Vocab.channel),
    ("right", m.Vocab.right), ("until", m.Vocab.event),
)


def parse_action(raw: object, vocabulary: Vocabulary, *, source: str = "<action>",
                 text: str | None = None) -> Action:
    """Validate `raw` (a dict, JSON text or an `Action`) against the schema and vocabulary."""
    if isinstance(raw, (str, bytes)):
        text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
        text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors save
        try:
            raw = json.loads(text)
        except ValueError as exc:
            lineno = getattr(exc, "lineno", 1)
            colno = getattr(exc, "colno", 1)
            span = m.Span(file=source, line=lineno, column=colno, end_line=lineno,
                          end_column=colno + 1)
            message = getattr(exc, "msg", str(exc)).lower()
            raise ActionError((Diagnostic("bad-json", f"not valid JSON: {message}", span),),
                              {source: text}) \
                from None
    if isinstance(raw, Action):
        action = raw
    else:
        try:
            action = Action.model_validate(raw)
        except ValidationError as exc:
            raise _schema_error(exc, source, text) from None
    problems = list(check_terms(action, vocabulary))
    if problems:
        raise ActionError(tuple(_locate(d, source, text) for d in problems),
                          _sources(source, text))
    return action


def check_terms(action: Action, vocabulary: Vocabulary) -> list[Diagnostic]:
    """Unknown terms, unknown facts and wrongly typed facts, each with its field path."""
    found: list[Diagnostic] = []

    def unknown(path: str, vocab: m.Vocab, key: str) -> None:
        found.append(Diagnostic("unknown-term", f"{path}: unknown {vocab.value} `{key}`", None,
                                did_you_mean(key, vocabulary.terms[vocab])))

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
    if action.action == "exercise" and action.right is None:
        found.append(Diagnostic("missing-field", "right: an `exercise` action must name the "
                                "right exercised", None, 'e.g. "right": "correction"'))
    if action.days is not None and action.until is not None:
        found.append(Diagnostic("conflicting-fields", "days, until: give a retention period "
                                "in days or until an event, not both", None))
    for name, value in action.context.items():
        fact = vocabulary.facts.get(name)
        if fact is None:
            found.append(Diagnostic("unknown-fact", f"context.{name}: unknown fact `{name}`",
                                    None, did_you_mean(name, vocabulary.facts)))
        elif fact.type is m.FactType.bool and not isinstance(value, bool):
            found.append(Diagnostic("fact-type", f"context.{name}: `{name}` is true or false, "
                                    f"not {value!r}", None))
        elif fact.type is m.FactType.int and isinstance(value, bool):
            found.append(Diagnostic("fact-type", f"context.{name}: `{name}` is a number, "
                                    f"not {str(value).lower()}", None))
    return found


def _schema_error(exc: ValidationError, source: str, text: str | None) -> ActionError:
    diagnostics = []
    seen_facts: set[object] = set()
    for error in exc.errors():
        loc = error["loc"]
        if len(loc) >= 2 and loc[0] == "context":  # one message per fact, not per union arm
            if loc[1] in seen_facts:
                continue
            seen_facts.add(loc[1])
            message = (f"context.{loc[1]}: {json.dumps(error.get('input'))} is not a fact "
                       "value; facts are true, false or whole numbers")
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
            message = f"unknown field `{error['loc'][-1]}`"
            help = did_you_mean(str(error["loc"][-1]), Action.model_fields)
        elif error["type"] == "literal_error" and error["loc"] == ("action",):
            help = did_you_mean(str(error.get("input")), ActionKind.__args__)
        diagnostics.append(_locate(Diagnostic("bad-action", f"{path}: {message}", None, help),
                                   source, text, error["loc"]))
    return ActionError(tuple(diagnostics), _sources(source, text))


def _path(loc: tuple[object, ...]) -> str:
    """A field path as people write it: `data[0]`, `context.consent`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _json_kind(value: object) -> str:
    return {list: "an array", str: "a string", type(None): "null", bool: "true or false",
            int: "a number", float: "a number"}.get(type(value), "that")


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
