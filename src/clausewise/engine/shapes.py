"""Reading an action the fast way: a shape validated once, only its facts per action.

`parse_action` checks an action in full (pydantic, then every term against the
vocabulary). Actions of one shape (all fields but the context) recur, and
everything checked about the shape gives the same answer each time; so once a
plain dict's shape has been validated, the next dict of that shape has only its
context checked, by small per-fact tests that accept a subset of what
`parse_action` accepts. Anything else (another type, an unknown fact, a value
out of range, a contradiction) goes the full way, which raises the located error:
this path can only be faster, never more lenient.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from .. import model as m
from ..errors import ActionError
from .action import (DATA_ACTIONS, MAX_DATA, MAX_NUMBER, Action, ActionKind, _derived,
                     check_terms)
from .compile import CompiledPolicy
from .plan import Plan, plans_of

_KINDS = frozenset(ActionKind.__args__)
_FIELDS = frozenset(Action.model_fields)
#: each dimension field -> (its vocabulary, the action kinds that take it)
_DIMENSIONS = {d.name: (d.vocab, frozenset(d.actions)) for d in m.DIMENSIONS}

#: how many shapes are remembered (then started afresh)
MAX_KEYS = 1 << 16
_SCALARS = (str, int, type(None))


class ShapeReader:
    """Validated dict shapes of one policy -> their plans, and fast checks of facts."""

    __slots__ = ("policy", "keys", "facts", "vocabulary", "blank", "kinds", "line_keys")

    def __init__(self, policy: CompiledPolicy) -> None:
        self.policy = policy
        #: an action with every field at its default, copied with a new shape's fields
        self.blank = Action.model_validate({"action": "notify"})
        self.vocabulary = policy.vocabulary
        self.keys: dict[tuple, tuple[Plan, bool | None]] = {}
        self.facts: dict[str, Callable[[Any], bool]] = {
            name: _checker(fact) for name, fact in policy.vocabulary.facts.items()}
        #: each fact -> bool for a true-or-false fact (checked inline), else its test
        self.kinds: dict[str, Any] = {
            name: bool if fact.type is m.FactType.bool else self.facts[name]
            for name, fact in policy.vocabulary.facts.items()}
        #: JSONL: a line's fields but its context, as orjson writes them -> plan
        self.line_keys: dict[bytes, tuple[Plan, bool | None]] = {}

    def key(self, raw: dict) -> tuple | None:
        """The shape of a plain dict as a hashable key, or None if it is not plain."""
        key = []
        for name, value in raw.items():
            if name == "context":
                continue
            kind = value.__class__
            if kind is list or kind is tuple:
                for item in value:
                    if item.__class__ is not str:
                        return None
                value = tuple(value)
            elif kind not in _SCALARS:
                return None
            key.append((name, value))
        return tuple(key)

    def known(self, raw: dict) -> tuple[Plan, dict] | None:
        """The plan and the checked context of a dict whose shape was validated before."""
        context = raw.get("context")
        if context is None:
            if "context" in raw:
                return None
            context = {}
        elif context.__class__ is not dict:
            return None
        key = self.key(raw)
        found = self.keys.get(key) if key is not None else None
        if found is None:
            return None
        return self._checked(found, context)

    def known_line(self, key: bytes, context: object) -> tuple[Plan, dict] | None:
        """As `known`, for a JSONL line read by orjson: `key` is its fields but the
        context, written back by orjson (equal bytes: equal JSON values and types)."""
        if context is None:
            context = {}
        elif context.__class__ is not dict:
            return None
        found = self.line_keys.get(key)
        return None if found is None else self._checked(found, context)

    def _checked(self, found: tuple[Plan, bool | None], context: dict
                 ) -> tuple[Plan, dict] | None:
        kinds = self.kinds
        for name, value in context.items():
            kind = kinds.get(name)
            if kind is bool:
                if value.__class__ is not bool:
                    return None
            elif kind is None or not kind(value):
                return None
        plan, same = found
        if same is not None:  # `collected_for`: the fact original_purpose is derived
            given = context.get("original_purpose")
            if given is not None and given is not same:
                return None
            context = {**context, "original_purpose": same}
        return plan, context

    def read(self, raw: dict) -> tuple[Plan, dict] | None:
        """A plain dict's plan and facts, its shape checked here if it is new.

        A new shape is checked field by field against the vocabulary, as `check_terms`
        does, and built without pydantic; anything unusual returns None, for the full
        way (which raises the located error).
        """
        found = self.known(raw)
        if found is not None:
            return found
        key = self.key(raw)
        action = self._validated(raw) if key is not None else None
        if action is None:
            return None
        self._remember(key, plans_of(self.policy).plan(action), action)  # type: ignore[arg-type]
        return self.known(raw)

    def _validated(self, raw: dict) -> Action | None:
        kind = raw.get("action")
        if not _FIELDS.issuperset(raw) or kind.__class__ is not str or kind not in _KINDS:
            return None
        terms = self.vocabulary.terms
        kind = raw["action"]
        data = raw.get("data", ())
        if data.__class__ not in (list, tuple) or len(data) > MAX_DATA:
            return None
        categories = terms[m.Vocab.category]
        if (kind in DATA_ACTIONS and not data) or any(c not in categories for c in data):
            return None
        fields: dict[str, Any] = {"action": kind, "data": tuple(data)}
        for name, value in raw.items():
            if name in ("action", "data", "context") or value is None:
                continue
            dimension = _DIMENSIONS.get(name)
            if dimension is not None:
                vocab, kinds = dimension
                if value.__class__ is not str or value not in terms[vocab] or kind not in kinds:
                    return None
            elif name == "days":
                if value.__class__ is not int or not 0 <= value <= MAX_NUMBER:
                    return None
            elif name in ("until", "collected_for"):
                vocab = m.Vocab.event if name == "until" else m.Vocab.purpose
                if value.__class__ is not str or value not in terms[vocab]:
                    return None
            else:
                return None
            fields[name] = value
        if kind == "exercise" and fields.get("right") is None:
            return None
        context = raw.get("context", {})
        if context.__class__ is not dict or any(
                (test := self.facts.get(name)) is None or not test(value)
                for name, value in context.items()):
            return None
        fields["context"] = dict(context)
        action = self.blank.model_copy(update=fields)
        if check_terms(action, self.vocabulary):  # the authority on terms, as parse_action
            return None
        try:  # the facts and defaults its fields imply, as parse_action derives them
            return _derived(action, self.vocabulary, "<action>", None)
        except ActionError:
            return None

    def learn_line(self, key: bytes, plan: Plan) -> None:
        """Remember a JSONL line's shape (`read` has checked and learned it)."""
        if len(self.line_keys) >= MAX_KEYS:
            self.line_keys.clear()
        template = plan.template
        self.line_keys[key] = (plan, None if template.collected_for is None
                               else template.context["original_purpose"])

    def learn(self, raw: object, action: Action) -> Plan:
        """Remember a dict's shape once `parse_action` has accepted it."""
        plan = plans_of(self.policy).plan(action)
        if raw.__class__ is dict:
            key = self.key(raw)  # type: ignore[arg-type]
            if key is not None:
                self._remember(key, plan, action)
        return plan

    def _remember(self, key: tuple, plan: Plan, action: Action) -> None:
        if len(self.keys) >= MAX_KEYS:
            self.keys.clear()
        same = None
        if action.collected_for is not None:
            same = action.context["original_purpose"]
        self.keys[key] = (plan, same)


def _checker(fact: m.Fact) -> Callable[[Any], bool]:
    """A test that accepts only values `parse_action` accepts for this fact."""
    if fact.type is m.FactType.bool:
        return lambda value: value.__class__ is bool
    if fact.type is m.FactType.int:
        return lambda value: value.__class__ is int and -MAX_NUMBER <= value <= MAX_NUMBER
    if fact.type is m.FactType.enum:
        names = frozenset(fact.values)
        return lambda value: value.__class__ is str and value in names and len(value) <= 200
    if fact.type is m.FactType.date:
        days: set[str] = set()

        def day(value: Any) -> bool:
            if value.__class__ is not str:
                return False
            if value in days:
                return True
            if len(value) != 10:
                return False
            try:
                ok = date.fromisoformat(value).isoformat() == value
            except ValueError:
                return False
            if ok and len(days) < 4096:
                days.add(value)
            return ok
        return day
    return lambda value: False  # a type this reader does not know: the full way
