"""Actions to fuzz the engine with: Python objects for the API, JSON text for the reader.

`objects()` is anything a caller might pass to `Engine.check`: action-shaped dicts
whose fields hold the wrong things (huge ints, NaN, sets, bytes, dates, nested
containers), containers that hold themselves, and nestings thousands deep.
`json_texts()` is text for `parse_action`: dumped objects, duplicate keys, deep
arrays, numbers JSON allows and Python dislikes, lone surrogates, and the
bundled example actions with their bytes damaged.
"""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path

from hypothesis import strategies as st

from .harness import ROOT
from .mutate import mutated
from .policies import CATEGORIES, CHANNELS, EVENTS, FACTS, PURPOSES, RECIPIENTS, RIGHTS, SUBJECTS

KINDS = ("collect", "use", "share", "retain", "notify", "exercise", "delete", "")
FIELDS = ("action", "data", "subject", "recipient", "purpose", "event", "method", "channel",
          "right", "days", "until", "context", "extra", "")
TERMS = CATEGORIES + PURPOSES + SUBJECTS + RECIPIENTS + EVENTS + CHANNELS + RIGHTS

#: how deep `deep()` nests: past Python's recursion limit, and a little under it
DEPTHS = (50, 500, 990, 1_000, 5_000, 20_000)


def scalars() -> st.SearchStrategy[object]:
    return st.one_of(
        st.none(), st.booleans(), st.integers(), st.integers(-2**70, 2**70),
        st.sampled_from((0, -1, 2**63, -2**63 - 1)),
        st.integers(4200, 6000).map(lambda n: 10**n),
        st.floats(allow_nan=True, allow_infinity=True), st.just(math.nan), st.just(-0.0),
        st.text(max_size=20), st.sampled_from(TERMS + FACTS + KINDS),
        st.binary(max_size=10), st.dates(), st.datetimes(),
        st.just(datetime.timedelta(days=3)), st.complex_numbers(max_magnitude=1e6),
        st.just(Ellipsis), st.just(NotImplemented), st.just(object()))


def containers(leaves: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    hashable = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                         st.sampled_from(FIELDS + FACTS))
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(hashable, inner, max_size=4),
        st.sets(hashable, max_size=4), st.frozensets(hashable, max_size=4)), max_leaves=10)


def deep(depth: int, kind: str) -> object:
    """A list, dict or tuple nested `depth` deep."""
    value: object = "user"
    for _ in range(depth):
        value = [value] if kind == "list" else {"data": value} if kind == "dict" else (value,)
    return value


class Weird(dict):  # type: ignore[type-arg]
    """A dict whose look-ups and iteration misbehave, as a hostile caller's might."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("iteration refused")


def _self_referencing(kind: str, base: dict[str, object]) -> object:
    action = dict(base)
    if kind == "dict":
        action["context"] = action
    elif kind == "list":
        data: list[object] = ["user"]
        data.append(data)
        action["data"] = data
    else:
        inner: dict[str, object] = {}
        inner["consent"] = inner
        action["context"] = inner
    return action


def action_dicts(values: st.SearchStrategy[object]) -> st.SearchStrategy[dict[str, object]]:
    """Mostly well-formed actions with some fields replaced by anything."""
    base = st.fixed_dictionaries({
        "action": st.sampled_from(KINDS[:6]),
        "data": st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3)},
        optional={"subject": st.sampled_from(SUBJECTS), "recipient": st.sampled_from(RECIPIENTS),
                  "purpose": st.sampled_from(PURPOSES), "event": st.sampled_from(EVENTS),
                  "channel": st.sampled_from(CHANNELS), "right": st.sampled_from(RIGHTS),
                  "method": st.sampled_from(("provided", "cookies", "telepathy")),
                  "days": st.integers(-5, 10**6), "until": st.sampled_from(EVENTS),
                  "context": st.dictionaries(st.sampled_from(FACTS),
                                             st.one_of(st.booleans(), st.integers()),
                                             max_size=4)})
    overrides = st.dictionaries(st.sampled_from(FIELDS), values, max_size=3)
    return st.builds(lambda b, o: {**b, **o}, base, overrides)


def objects() -> st.SearchStrategy[object]:
    """Anything, as the API's `check` may be given it."""
    values = containers(scalars())
    context_values = st.dictionaries(st.sampled_from(FACTS), values, min_size=1, max_size=3)
    return st.one_of(
        action_dicts(values), action_dicts(values),
        action_dicts(values).flatmap(lambda a: context_values.map(
            lambda c: {**a, "context": c})),
        values,
        st.builds(_self_referencing, st.sampled_from(("dict", "list", "context")),
                  action_dicts(st.none())),
        st.builds(lambda d, k, a: {**a, "data": deep(d, k)} if k != "top" else deep(d, "list"),
                  st.sampled_from(DEPTHS), st.sampled_from(("list", "dict", "tuple", "top")),
                  action_dicts(st.none())),
        st.builds(lambda d, a: {**a, "context": {"consent": deep(d, "dict")}},
                  st.sampled_from(DEPTHS), action_dicts(st.none())),
        action_dicts(st.none()).map(Weird),
        st.builds(lambda a, n: {**a, **{f"field{i}": i for i in range(n)}},
                  action_dicts(st.none()), st.integers(1, 4_000)))


# ------------------------------------------------------------------ JSON text

def _json_value() -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.sampled_from(("null", "true", "false", "0", "-0", "1e400", "-1e400", "NaN",
                         "Infinity", "-Infinity", "1.0", "30.0", '"30"', "1" * 5000,
                         '"\\ud800"', '"\\u0000"', '"\\u001b[31m"', '"\\u202e"')),
        st.sampled_from(TERMS + FACTS + KINDS).map(json.dumps),
        st.integers().map(str), st.text(max_size=12).map(json.dumps))
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(FIELDS + FACTS).map(json.dumps), inner),
                 max_size=4).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")),
        max_leaves=10)


def json_objects() -> st.SearchStrategy[str]:
    """JSON objects written by hand: keys may repeat, values may be anything JSON has."""
    pairs = st.lists(st.tuples(st.sampled_from(FIELDS), _json_value()), min_size=1, max_size=8)
    return pairs.map(lambda kv: "{" + ",\n ".join(f"{json.dumps(k)}: {v}" for k, v in kv) + "}")


def _dumpable() -> st.SearchStrategy[object]:
    return action_dicts(st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                    max_size=3),
        max_leaves=8))


def example_actions() -> list[bytes]:
    return [p.read_bytes() for p in sorted((ROOT / "examples").glob("*.json"))]


def json_texts() -> st.SearchStrategy[str]:
    """Text for `parse_action`: JSON, JSON with duplicate keys, deep or broken JSON."""
    dumped = _dumpable().map(lambda o: json.dumps(o, indent=1))
    duplicate = st.builds(
        lambda f, a, b: "{" + f'"action": "share", "data": ["user.contact.email"], '
                        f'"recipient": "partner", "{f}": {a}, "{f}": {b}' + "}",
        st.sampled_from(("context", "data", "action", "days")), _json_value(), _json_value())
    deep_text = st.builds(lambda d, open_, close: open_ * d + '"user"' + close * d,
                          st.sampled_from(DEPTHS), st.sampled_from(("[", '{"a":', '{"data":')),
                          st.sampled_from(("]", "}")))
    mutant = st.sampled_from(example_actions()).flatmap(mutated).map(
        lambda b: b.decode("utf-8", "replace"))
    return st.one_of(dumped, json_objects(), json_objects(), duplicate, deep_text, mutant,
                     st.text(max_size=30))


def manifest_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted(Path(ROOT / "tests" / "data" / "manifests")
                                           .glob("*.yaml"))]
