"""How big a value a template operation would make, worked out before it is made.

`bounds.BoundedSandbox` asks these functions before a call, an operator or a
filter runs: the size a width, a count or a join would reach (`FILTER_SIZES`,
`percent_size`, `text_method_size`), and how big a value would be as text
(`measure`, which also counts what lists hold, so that one list holding another a
million times is seen for what its text would be).
"""

from __future__ import annotations

import re
from collections.abc import Callable, ItemsView, KeysView, Mapping, Sized, ValuesView
from typing import Any

from jinja2.sandbox import SecurityError
from jinja2.utils import Namespace
from markupsafe import Markup

#: characters of one string, or items of one list counting the lists inside it
MAX_SIZE = 5_000_000
#: bits of a whole number (`**` and `*` on numbers square their size)
MAX_INT_BITS = 100_000
CONTAINERS = (list, tuple, dict, set, frozenset)
_TEXT = (str, bytes, bytearray)
_FLAT = frozenset({float, bool, type(None)})
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


class TemplateLimit(SecurityError):
    """A template asked for more than a template may make."""


def _too_big(what: str) -> TemplateLimit:
    return TemplateLimit(f"{what} would make a string or list of more than {MAX_SIZE:,} "
                         "characters or items")


def measure(value: Any, limit: int = MAX_SIZE) -> tuple[int, int]:
    """About the characters `value` takes as text, counting what its lists hold; and its depth.

    Stops as soon as the count passes `limit`, so it costs at most about that much,
    even for a list that holds itself or the same big list a million times. Any
    other object counts the length of its `repr`, worked out once per object.
    """
    if isinstance(value, _TEXT):
        return len(value), 0
    if _items(value) is None:
        return 0, 0
    total, depth, stack, seen = 0, 0, [(value, 1)], {}
    while stack and total <= limit:
        item, level = stack.pop()
        inner_items = _items(item) or ()
        total += len(inner_items)
        depth = max(depth, level)
        for inner in inner_items:
            if total > limit:
                break
            kind = type(inner)
            if kind is int:
                total += inner.bit_length() // 3 + 2
            elif kind in _FLAT:
                total += 24
            elif isinstance(inner, _TEXT):
                total += len(inner)
            elif _items(inner) is not None:
                stack.append((inner, level + 1))
            else:
                total += _repr_size(inner, seen)
    return total, depth


def _items(value: Any) -> Sized | None:
    """What a container holds (a namespace's attributes too); None for anything else."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return value
    if isinstance(value, dict):
        return (*value.keys(), *value.values())
    if isinstance(value, (KeysView, ValuesView, ItemsView)):
        return tuple(value)
    if isinstance(value, Namespace):
        return _items(object.__getattribute__(value, "_Namespace__attrs"))
    return None


def _repr_size(value: Any, seen: dict[int, int]) -> int:
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    found = seen.get(id(value))
    if found is None:
        found = seen[id(value)] = len(repr(value))
    return found


def check_value(value: Any, what: str) -> None:
    """Refuse to turn into text a value whose text would be too big."""
    if _items(value) is not None:
        check(measure(value)[0], what)


def check(size: int, what: str) -> None:
    if size > MAX_SIZE:
        raise _too_big(what)


def as_int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _wrapped(text: Any, width: Any, inserted: int) -> int:
    """At most what wrapping adds: a line holds a word, two lines more than `width`."""
    size = len(as_text(text))
    return size + (2 * size // max(1, as_int(width)) + 1) * (inserted + 1)


def _replaced(text: Any, old: Any, new: Any, count: Any) -> int:
    text, old, new = as_text(text), as_text(old), as_text(new)
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(0, len(new) - len(old))


def percent_size(template: str, values: Any) -> int:
    """At most what `template % values` makes, from its widths and its values' sizes."""
    specs = _PERCENT.findall(template)
    if not specs:
        return len(template)
    items = values.values() if isinstance(values, Mapping) else \
        values if isinstance(values, tuple) else (values,)
    widest = max((int(n) for spec in specs for n in spec[:2] if n.isdigit()), default=0)
    if any("*" in spec[:2] for spec in specs):
        widest = max(widest, *(abs(v) for v in items if isinstance(v, int)), 0)
    factor = 10 if any(spec[2] in "ra" for spec in specs) else 1  # repr escapes
    biggest = max((_piece(v) * factor for v in items), default=0)
    growth = 6 if isinstance(template, Markup) else 1  # each value escaped
    return len(template) + len(specs) * (max(widest, biggest) + 24) * growth


def _piece(value: Any) -> int:
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    if isinstance(value, float):
        return 330
    if _items(value) is not None:
        size = measure(value)[0]
        check(size, "formatting this value")
        return size * 4
    return len(str(value))


def _json_size(value: Any, indent: Any) -> int:
    size, depth = measure(value)
    check(size, "`tojson`")
    step = len(indent) if isinstance(indent, str) else as_int(indent)
    return size * 6 + size * (depth * step + 1)


def _urlize_size(value: Any, target: Any, rel: Any) -> int:
    text = as_text(value)
    links = text.count(".") + text.count("@") + text.count(":") + 1
    return 3 * len(text) + links * (64 + len(as_text(target or "")) + len(as_text(rel or "")))


#: filter -> at most what it makes, from its bound arguments (those that can grow)
FILTER_SIZES: dict[str, Callable[[dict[str, Any]], int]] = {
    "center": lambda a: max(len(as_text(a["value"])), as_int(a["width"])),
    "indent": lambda a: len(as_text(a["s"])) + (as_text(a["s"]).count("\n") + 1) * (
        len(a["width"]) if isinstance(a["width"], str) else as_int(a["width"])),
    "wordwrap": lambda a: _wrapped(a["s"], a["width"], len(as_text(a["wrapstring"] or "\n"))),
    "wrap": lambda a: _wrapped(a["text"], a["width"], max(
        len(as_text(a["indent"])), len(as_text(a["subsequent"] or "")))),
    "replace": lambda a: _replaced(a["s"], a["old"], a["new"], a["count"]),
    "format": lambda a: percent_size(as_text(a["value"]), a["kwargs"] or a["args"]),
    "batch": lambda a: as_int(a["linecount"]),
    "slice": lambda a: as_int(a["slices"]),
    "tojson": lambda a: _json_size(a["value"], a["indent"]),
    "urlize": lambda a: _urlize_size(a["value"], a["target"], a["rel"]),
}
#: filters that do not turn a list they are given into text (the rest are checked first)
STRUCTURAL = frozenset({"attr", "batch", "count", "d", "default", "dictsort", "first", "groupby",
                        "items", "last", "length", "list", "map", "max", "min", "random",
                        "reject", "rejectattr", "reverse", "select", "selectattr", "slice",
                        "sort", "sum", "unique", "join"})


def text_method_size(text: str | bytes, name: str, args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> int:
    """At most what `text.name(*args)` makes, for the string methods that can grow."""
    first = args[0] if args else None
    if name in ("center", "ljust", "rjust", "zfill"):
        return max(len(text), as_int(first))
    if name == "expandtabs":
        tab = "\t" if isinstance(text, str) else b"\t"
        return len(text) + text.count(tab) * as_int(kwargs.get("tabsize", 8 if first is None
                                                            else first))
    if name == "replace" and len(args) >= 2 and isinstance(first, type(text)):
        count = args[2] if len(args) > 2 else kwargs.get("count", -1)
        hits = text.count(first) if first else len(text) + 1
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        return len(text) + hits * max(0, len(args[1]) - len(first))
    if name == "join" and isinstance(first, list):
        parts = sum(len(p) for p in first if isinstance(p, (str, bytes)))
        return (parts + len(text) * max(0, len(first) - 1)) * (6 if isinstance(text, Markup)
                                                                else 1)
    if name == "translate" and first is not None:
        values = first.values() if isinstance(first, Mapping) else \
            first if isinstance(first, (list, tuple)) else ()
        longest = max((len(v) for v in values if isinstance(v, (str, bytes))), default=1)
        return len(text) * max(1, longest)
    return 0
