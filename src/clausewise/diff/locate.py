"""Where a change is written: the line of the version where it is.

What was added or changed is found in the new file, on the very line that changed
within the clause (the line a dropped line left its place to, when lines were
only removed); what was removed, in the old file. Reports name the version.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from .. import model as m
from ..loader import Loaded


def lines_of(loaded: Loaded, node: m.Node) -> list[str]:
    span = node.span
    if span is None:
        return []
    text = loaded.sources.get(span.file)
    if text is None:
        return []
    return _lines(text)[span.line - 1:span.end_line]


@lru_cache(maxsize=8)
def _lines(text: str) -> list[str]:
    return text.splitlines()


def start(node: m.Node | None) -> tuple[str, int] | None:
    if node is None or node.span is None:
        return None
    return node.span.file, node.span.line


def changed_line(old: Loaded, new: Loaded, before: m.Node, after: m.Node) -> tuple[str, int] | None:
    """The first line of `after` (in the new file) that differs from `before`."""
    where = start(after)
    if where is None:
        return None
    was, now = lines_of(old, before), lines_of(new, after)
    if not was or not now:
        return where
    matcher = difflib.SequenceMatcher(None, [line.strip() for line in was],
                                      [line.strip() for line in now], autojunk=False)
    for tag, _i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            return where[0], where[1] + min(j1, len(now) - 1)
    return where
