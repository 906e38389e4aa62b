"""One exception family for everything a user can get wrong, formatted in one place.

A `Diagnostic` is one finding: a stable code, a message (lowercase, user input in
backticks), the span it points at and an optional help line ("did you mean ...").
`ClausewiseError` carries a non-empty, position-sorted tuple of them and the source
texts needed to print each with its line and a caret, as `path:line:col: message`.
Printing is bounded: at most `MAX_PRINTED` diagnostics (the rest are counted, as
OPA's error limit does), each a window of its source line, with whatever a
policy string holds shown by `safe_text.visible_line`, never sent raw to a terminal.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .model import Span
from .safe_text import visible_line

#: diagnostics `ClausewiseError.format` prints; the exception keeps them all
MAX_PRINTED = 50
#: a source line longer than this is shown as a window of `_WINDOW` around the column
_LONG_LINE, _WINDOW, _BEFORE = 200, 160, 80


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    span: Span | None = None
    help: str | None = None

    def sort_key(self) -> tuple[str, int, int]:
        if self.span is None:
            return ("", 0, 0)
        return (self.span.file, self.span.line, self.span.column)


@dataclass
class ClausewiseError(Exception):
    """A user-facing error: bad policy, bad action, bad template, bad usage."""

    diagnostics: tuple[Diagnostic, ...]
    sources: Mapping[str, str | Excerpt] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.diagnostics = tuple(sorted(self.diagnostics, key=Diagnostic.sort_key))
        super().__init__(self.format())

    @classmethod
    def single(cls, code: str, message: str, span: Span | None = None, help: str | None = None,
               source: str | None = None) -> ClausewiseError:
        sources = {span.file: source} if span is not None and source is not None else {}
        return cls((Diagnostic(code, message, span, help),), sources)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.diagnostics)

    def format(self, limit: int | None = MAX_PRINTED) -> str:
        """The diagnostics as text, the first `limit` of them (None: all), then a count."""
        shown = self.diagnostics if limit is None else self.diagnostics[:limit]
        lines = [format_diagnostic(d, self.sources) for d in shown]
        more = len(self.diagnostics) - len(shown)
        if more:
            lines.append(f"... and {more:,} more error{'s' if more > 1 else ''}")
        return "\n".join(lines)

    def moved_to_line(self, line: int) -> ClausewiseError:
        """The same error found in a text that starts at `line` of its file (a JSONL record)."""
        def move(span: Span | None) -> Span | None:
            if span is None:
                return None
            return Span(file=span.file, line=span.line + line - 1, column=span.column,
                        end_line=span.end_line + line - 1, end_column=span.end_column)
        moved = tuple(replace(d, span=move(d.span)) for d in self.diagnostics)
        sources = {name: Excerpt(line, text.text if isinstance(text, Excerpt) else text)
                   for name, text in self.sources.items()}
        return type(self)(moved, sources)

    def __str__(self) -> str:
        return self.format()


class PolicyError(ClausewiseError):
    """The policy source is malformed or inconsistent."""


class ActionError(ClausewiseError):
    """A proposed action is malformed or names unknown terms."""


class TemplateError(ClausewiseError):
    """A renderer template failed to compile or to render."""


class UsageError(ClausewiseError):
    """The command line was used wrongly (a missing file, a bad git ref, ...)."""


@dataclass(frozen=True)
class Excerpt:
    """Part of a file: `text` is its lines from `first_line` on (one record of a stream)."""

    first_line: int
    text: str


def format_diagnostic(diagnostic: Diagnostic, sources: Mapping[str, str | Excerpt]) -> str:
    """`path:line:col: error[code]: message`, then the source line and a caret."""
    span = diagnostic.span
    where = f"{visible_line(str(span))}: " if span is not None else ""
    lines = [f"{where}error[{diagnostic.code}]: {visible_line(diagnostic.message)}"]
    if span is not None:
        excerpt = _excerpt(span, sources.get(span.file))
        if excerpt is not None:
            gutter = " " * len(str(span.line))
            lines += [f"{gutter} |", f"{span.line} | {excerpt[0]}", f"{gutter} | {excerpt[1]}"]
    if diagnostic.help:
        lines.append(f"  = help: {visible_line(diagnostic.help)}")
    return "\n".join(lines)


def _excerpt(span: Span, text: str | Excerpt | None) -> tuple[str, str] | None:
    """The span's source line (a window of it, if long) and its caret line.

    Only the window is copied, expanded and escaped, so each diagnostic costs the
    same on a line of a megabyte as on a line of a policy.
    """
    first = 1
    if isinstance(text, Excerpt):
        first, text = text.first_line, text.text
    if text is None:
        return None
    source_lines = _lines(text)
    if not first <= span.line < first + len(source_lines):
        return None
    line, start = source_lines[span.line - first], 0
    if len(line) > _LONG_LINE:  # keep minified or generated input readable
        start = max(0, span.column - _BEFORE)
        line = line[start:start + _WINDOW]
    line = line.removesuffix("\r").expandtabs(1)  # a CRLF file's lines end in \r
    column = max(1, span.column - start)
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = min(span.end_column - span.column, max(1, len(line) - column + 1))
    # an escaped character takes several columns: measure the caret on the escaped text
    indent = len(visible_line(line[:column - 1])) + max(0, column - 1 - len(line))
    width = max(1, len(visible_line(line[column - 1:column - 1 + width])))
    return visible_line(line), " " * indent + "^" * width


@lru_cache(maxsize=4)
def _lines(text: str) -> tuple[str, ...]:
    """A source's lines, split once for all its diagnostics (as the lexer counts them:
    not at \\f or U+2028, which `str.splitlines` also breaks at)."""
    return tuple(text.split("\n"))


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """A "did you mean `x`?" line for the known name closest to `name`, if any is close."""
    candidates = list(known)
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not matches:
        # a key's last segment is often what was misspelt: `user.contact.emial`
        tail = name.rsplit(".", 1)[-1]
        by_tail = {c.rsplit(".", 1)[-1]: c for c in candidates}
        tails = difflib.get_close_matches(tail, list(by_tail), n=1, cutoff=0.75)
        matches = [by_tail[t] for t in tails]
    return f"did you mean `{matches[0]}`?" if matches else None
