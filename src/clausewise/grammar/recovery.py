"""Errors, all at once: the parser recovers at item boundaries.

A policy is a sequence of items (the header, includes, defines, sections, clauses),
each starting at column 1 with one of the keywords the grammar accepts at the
start of an item. When the whole text does not parse, or parses only because a
clause that lacks its `end` swallowed the next one (`use b` is also a data line),
each item is parsed on its own: a broken item gives its own error, and the items
that parse are built, so that the loader validates them too and one syntax error
does not hide an unknown term three clauses down. Lines of an item written at
column 1 (a data line `use user.name`, a `phrase` under its `define`) do not parse
on their own and are joined back to the item before them.

What an editor meant is said here where the whole file tells it better than one
line: a clause not closed before the next one (`clause x opened at line N is not
closed with end`), and a field written in a clause of another kind (which kinds
take it, found by trying the line in each).
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from lark import UnexpectedInput, UnexpectedToken

from .. import model as m
from ..errors import Diagnostic
from ..suggest import MAX_SUGGESTION_WORK, Closest, Work
from . import parser as syntax  # parser imports this module: read its names when called

#: how many following pieces one item may absorb (lines of it written at column 1)
MAX_JOINED = 64
#: how many pieces after an item cut short are tried to complete it
LOOKAHEAD = 8


@dataclass(frozen=True)
class Parsed:
    """One file's document (what parsed of it; None if nothing did) and what is wrong."""

    document: m.Document | None
    diagnostics: tuple[Diagnostic, ...] = ()
    #: the words of the items left out: the names they may have defined
    lost: frozenset[str] = frozenset()
    #: an `include` was among them: any name may be missing
    lost_include: bool = False


@dataclass
class Lost:
    """What the files of one load left out, so that validating the rest reports no
    name as unknown that a broken item may have defined."""

    words: set[str] = field(default_factory=set)
    include: bool = False
    diagnostics: int = 0  # how many of the load's diagnostics parsing gave

    def add(self, parsed: Parsed) -> None:
        self.words |= parsed.lost
        self.include |= parsed.lost_include
        self.diagnostics += len(parsed.diagnostics)


def parse_file(text: str, path: str) -> Parsed:
    """Parse one file as far as it goes: every item's error, and the items that parsed."""
    if not text.strip():
        return Parsed(None, (Diagnostic(
            "empty-file", "the file is empty: a policy needs at least a header or a clause",
            m.Span(file=path, line=1, column=1, end_line=1, end_column=1),
            "start with `policy \"Our privacy policy\" ... end`"),))
    try:
        document, found = syntax.build(text, path)
    except UnexpectedInput:
        return _piecewise(text, path)
    if not found:
        return Parsed(document)
    if _cut(text, document):
        return _piecewise(text, path)
    return _apart(text, path, document, [_placed(text, d) for d in found])


def syntax_diagnostics(text: str, path: str) -> tuple[Diagnostic, ...]:
    """Every item's first syntax error (for a file that does not parse)."""
    _, found = _pieces(text, path)
    return tuple(found) or _whole_file_error(text, path)


def beside(findings: Callable[[], list[Diagnostic]], lost: Lost,
           diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """What validation (`findings`) finds in the parts that parsed, of a load that
    failed to parse: all of it but the names a left-out part may have defined.
    Nothing when the load also failed otherwise (a missing include, a cycle): too
    much is missing to tell."""
    if len(diagnostics) > lost.diagnostics:
        return ()
    try:
        found = findings()
    except Exception:  # noqa: BLE001 - the parts are no policy; the parse errors say why
        return ()
    unknown = ("unknown-term", "unknown-fact", "unknown-parent")
    return tuple(d for d in found
                 if d.code not in unknown or not (lost.include or _names(d) & lost.words))


def _names(diagnostic: Diagnostic) -> set[str]:
    return set(re.findall(r"`([^`]+)`", diagnostic.message))


# ------------------------------------------------------------------ items


@lru_cache(maxsize=1)
def _item_start() -> re.Pattern[str]:
    """A line that starts an item: a keyword the grammar takes where an item begins."""
    parser = syntax._parser()
    words: set[str] = set()
    for name in parser.parse_interactive("").accepts():
        if name == "$END":
            continue
        pattern = parser.get_terminal(name).pattern
        words.update([pattern.value] if pattern.type == "str"
                     else syntax._alternatives(pattern.value))
    return re.compile(r"^(?:%s)(?![A-Za-z0-9_.\-])" % "|".join(sorted(map(re.escape, words))),
                      re.MULTILINE)


class _Text:
    """The text, with its line starts, to parse a piece of it on its own."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def error(self, begin: int, end: int) -> UnexpectedInput | None:
        """The piece's syntax error, at the lines of the file, or None if it parses."""
        try:
            syntax.lark_parse(self.text[begin:end])
        except UnexpectedInput as exc:
            return _moved(exc, self.line(begin) - 1)
        return None


def _moved(error: UnexpectedInput, lines: int) -> UnexpectedInput:
    """The error of a piece parsed alone, at the lines it has in the file (a piece
    starts at the start of a line, so columns stay)."""
    if isinstance(getattr(error, "line", None), int):
        error.line += lines
    token = getattr(error, "token", None)
    if token is not None and isinstance(getattr(token, "line", None), int):
        token.line += lines
        if isinstance(getattr(token, "end_line", None), int):
            token.end_line += lines
    return error


def _at_end(error: UnexpectedInput | None) -> bool:
    """The piece stopped short: it ended where more was expected (no `end`, say)."""
    return isinstance(error, UnexpectedToken) and error.token.type == "$END"


def _items(source: _Text) -> list[tuple[int, int, UnexpectedInput | None]]:
    """The items (begin, end, syntax error or None): the text cut before each line that
    starts with an item's keyword, and a piece that starts no item of its own (a data
    line `use user.name` at column 1) joined to the item before it."""
    text = source.text
    starts = sorted({0, *(match.start() for match in _item_start().finditer(text))})
    pieces = list(zip(starts, starts[1:] + [len(text)]))
    alone = [source.error(b, e) for b, e in pieces]
    items: list[tuple[int, int, UnexpectedInput | None]] = []
    index = 0
    while index < len(pieces):
        begin, end = pieces[index]
        error = alone[index]
        joined = index + 1
        while (error is None or _at_end(error)) and joined < len(pieces) \
                and joined - index <= MAX_JOINED \
                and not _starts_item(source, pieces, alone, joined):
            together = source.error(begin, pieces[joined][1])
            if together is not None and (error is None or not _at_end(together)):
                break  # a complete item stays complete; a cut one may stay open
            end, error, joined = pieces[joined][1], together, joined + 1
        items.append((begin, end, error))
        index = joined
    return items


def _starts_item(source: _Text, pieces: list[tuple[int, int]],
                 alone: list[UnexpectedInput | None], index: int) -> bool:
    """Whether the piece starts an item: it parses, or is an item cut short that the
    pieces after it (none of which parses alone) complete."""
    if alone[index] is None:
        return True
    if not _at_end(alone[index]):
        return False
    for last in range(index + 1, min(len(pieces), index + 1 + LOOKAHEAD)):
        if alone[last] is None:
            return False
        error = source.error(pieces[index][0], pieces[last][1])
        if error is None:
            return True
        if not _at_end(error):
            return False
    return False


def _pieces(text: str, path: str) -> tuple[list[tuple[int, int]], list[Diagnostic]]:
    """The items that do not parse, and their errors."""
    source = _Text(text)
    items = _items(source)
    broken, found = [], []
    for index, (begin, end, error) in enumerate(items):
        if error is None:
            continue
        if not text[begin:end].strip():
            continue
        broken.append((begin, end))
        next_item = source.line(items[index + 1][0]) if index + 1 < len(items) else None
        found.append(_diagnostic(error, path, text, text[begin:end], source.line(begin),
                                 next_item))
    return broken, found


def _piecewise(text: str, path: str) -> Parsed:
    """Each item on its own: the errors of the broken ones, the document of the rest."""
    broken, found = _pieces(text, path)
    if not broken:  # no item is broken alone, yet the whole does not parse
        found = list(_whole_file_error(text, path))
    kept = _blanked(text, broken)
    if not kept.strip():
        return _lost(None, found, text, broken)
    try:
        document, built = syntax.build(kept, path)
    except UnexpectedInput:
        return _lost(None, found, text, broken)
    return _apart(kept, path, document, found + [_placed(text, d) for d in built],
                  _lost(None, [], text, broken))


def _apart(text: str, path: str, document: m.Document, found: list[Diagnostic],
           before: Parsed | None = None) -> Parsed:
    """The document without the items that have an error of their own (reported
    already): validation then reports only what is wrong with the others. `before`
    holds what was left out already (the items that did not parse)."""
    source = _Text(text)
    blocks = _Blocks(_items_of(document))
    spans = {blocks.around(d.span.line) for d in found
             if d.span is not None and d.span.file == path} - {None}
    pieces = sorted((source.starts[first - 1],
                     source.starts[last] if last < len(source.starts) else len(text))
                    for first, last in spans)
    if pieces:
        kept = _blanked(text, pieces)
        try:
            document = syntax.build(kept, path)[0] if kept.strip() else None
        except UnexpectedInput:  # cannot be (whole lines of whole items); keep them then
            pieces = []
    parsed = _lost(document, found, text, pieces)
    if before is not None:
        parsed = replace(parsed, lost=parsed.lost | before.lost,
                         lost_include=parsed.lost_include or before.lost_include)
    return parsed


def _items_of(document: m.Document) -> list[m.Node]:
    """The document's items (header, terms, clauses, ...), read from its fields."""
    items: list[m.Node] = []
    for name in type(document).model_fields:
        if name in ("comments", "references"):
            continue
        value = getattr(document, name)
        values = value if isinstance(value, tuple) else (value,)
        items += [v for v in values if isinstance(v, m.Node)]
    return items


def _lost(document: m.Document | None, found: list[Diagnostic], text: str,
          pieces: list[tuple[int, int]]) -> Parsed:
    words = {w for b, e in pieces for w in re.findall(r"[A-Za-z_][\w.]*", text[b:e])}
    include = any(re.match(r"\s*include\b", text[b:e]) for b, e in pieces)
    return Parsed(document, tuple(found), frozenset(words), include)


def _blanked(text: str, pieces: list[tuple[int, int]]) -> str:
    """The text with these pieces made empty lines: the others keep their places."""
    out, at = [], 0
    for begin, end in pieces:
        out += [text[at:begin], "\n" * text.count("\n", begin, end)]
        at = end
    return "".join(out + [text[at:]])


def _cut(text: str, document: m.Document) -> bool:
    """Whether an item starts inside a block of the document: a clause lacking its `end`
    took in the next clause (which parses on its own)."""
    blocks = _Blocks(_items_of(document))
    source = _Text(text)
    if not any(blocks.inside(source.line(match.start()))
               for match in _item_start().finditer(text)):
        return False
    return any(blocks.inside(source.line(begin)) for begin, _, _ in _items(source))


class _Blocks:
    """The lines the document's items span, to tell which item a line is in."""

    def __init__(self, nodes: list[m.Node]) -> None:
        spans = sorted((n.span.line, n.span.end_line) for n in nodes if n.span is not None)
        self.firsts = [first for first, _ in spans]
        self.spans = spans

    def around(self, line: int) -> tuple[int, int] | None:
        """The span (first line, last line) of the item holding `line`, if any."""
        at = bisect_right(self.firsts, line) - 1
        while at >= 0:  # items do not overlap, but one-line items may share a line
            first, last = self.spans[at]
            if last >= line:
                return first, last
            if first < line:
                return None
            at -= 1
        return None

    def inside(self, line: int) -> bool:
        """Whether `line` is a line of an item past its first."""
        span = self.around(line)
        return span is not None and span[0] < line


def _whole_file_error(text: str, path: str) -> tuple[Diagnostic, ...]:
    try:
        syntax.lark_parse(text)
    except UnexpectedInput as exc:
        return (syntax._syntax_diagnostic(exc, path, text),)
    return ()


# --------------------------------------------------------------- messages


def _diagnostic(error: UnexpectedInput, path: str, text: str, chunk: str, line: int,
                next_item: int | None) -> Diagnostic:
    """An item's syntax error; an item cut short by the next one says which is open."""
    found = syntax._syntax_diagnostic(error, path, text, chunk, next_item)
    if found.code != "missing-end":
        return _misspelt(text, found) if found.code == "syntax" else found
    words = chunk.split("\n")
    head = syntax._head(chunk)
    kind, _, rest = head.partition(" ")
    clause_id = rest.split()[0] if rest.split() else ""
    opened = line + next((i for i, w in enumerate(words) if w.strip() and
                          not w.lstrip().startswith("#")), 0)
    if kind in m.CLAUSE_KINDS and clause_id:
        what = f"clause `{clause_id}`"
    elif kind == "policy":
        what = "the policy header"
    else:
        what = f"`{head}`"
    help = f"close it with `end` after line {found.span.line}" if found.span else None
    if next_item is not None and help:
        help += f", before the next item at line {next_item}"
    return replace(found, message=f"{what} opened at line {opened} is not closed with `end`",
                   help=help)


@lru_cache(maxsize=1)
def _keywords() -> tuple[str, ...]:
    """Every word the grammar spells (field keywords, clause kinds, data verbs, ...)."""
    parser = syntax._parser()
    return tuple(w for w in syntax._expected_words({t.name for t in parser.terminals})
                 if w.isidentifier())


@lru_cache(maxsize=1)
def _closest_keyword() -> Closest:
    return Closest(_keywords())


_FIRST_WORD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)")


def _misspelt(text: str, diagnostic: Diagnostic) -> Diagnostic:
    """`shares user.name`: the line starts with a word that is no keyword but begins
    with one, which the lexer read as that keyword and a name (`share` `s`): what
    follows is no help, the misspelt word is."""
    if diagnostic.span is None:
        return diagnostic
    line = syntax.source_line(text, diagnostic.span.line)
    match = _FIRST_WORD.match(line)
    if match is None or line[match.end():match.end() + 1] in (".", "-"):
        return diagnostic
    word = match[1]
    keywords = _keywords()
    prefix = max((k for k in keywords if word.startswith(k)), key=len, default=None)
    if word in keywords or prefix is None or _similarity(word, prefix) < 0.8:
        return diagnostic  # `once a year` begins with `on`, but is no slip of it
    help = _closest_keyword().did_you_mean(word, Work(MAX_SUGGESTION_WORK))
    span = m.Span(file=diagnostic.span.file, line=diagnostic.span.line,
                  column=match.start(1) + 1, end_line=diagnostic.span.line,
                  end_column=match.end(1) + 1)
    return Diagnostic("syntax", f"`{word}` is not a keyword", span, help)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _placed(text: str, diagnostic: Diagnostic) -> Diagnostic:
    """A field a clause does not take: say which clause kinds take it."""
    diagnostic = _misspelt(text, diagnostic)
    if diagnostic.code not in ("field-not-allowed", "wrong-verb") or diagnostic.span is None:
        return diagnostic
    line = _span_text(text, diagnostic.span)
    if diagnostic.code == "wrong-verb":  # the span is the verb: try the whole line
        line = syntax.source_line(text, diagnostic.span.line).split("#")[0].strip()
    kinds = _kinds_taking(line)
    if not kinds:
        return diagnostic
    word = line.split()[0] if line.split() else line
    names = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
    where = f"`{word}` belongs in a {names} clause"
    return replace(diagnostic, help=f"{where}; {diagnostic.help}" if diagnostic.help else where)


def _span_text(text: str, span: m.Span) -> str:
    """The source a span covers, its lines joined by spaces."""
    lines = [syntax.source_line(text, n) for n in range(span.line, span.end_line + 1)]
    if len(lines) == 1:
        return lines[0][span.column - 1:span.end_column - 1].strip()
    lines[0], lines[-1] = lines[0][span.column - 1:], lines[-1][:span.end_column - 1]
    return " ".join(part.strip() for part in lines)


@lru_cache(maxsize=256)
def _kinds_taking(line: str) -> tuple[str, ...]:
    """The clause kinds in which `line` is a field they take, found by trying it."""
    kinds = []
    for kind in m.CLAUSE_KINDS:
        try:
            _, found = syntax.build(f"{kind} probe\n  {line}\nend\n", "<probe>")
        except UnexpectedInput:
            return ()
        if not any(d.code in ("field-not-allowed", "wrong-verb") for d in found):
            kinds.append(kind)
    return tuple(kinds)
