"""Source text -> the same policy in the one canonical layout (`clausewise fmt`).

Built from the tree of a parser that keeps every token (Lark's `keep_all_tokens`,
the grammar of grammar/parser.py) and from the comments its lexer sets aside,
never from a list of today's fields, so a construct added to the language is
formatted without a change here:

- a subtree whose last token is `end` is a block: its head on one line, each of
  its other subtrees on a line of its own, two spaces deeper, `end` under the head;
- every other subtree is one line of tokens, broken only after a comma of a list
  of names that would pass `WIDTH` columns (texts, and lists of them, are never
  broken), before each piece of a text of several pieces, and after a comment; an
  item without `end` also keeps a line for each keyword that starts a line in the
  source (a section's `text` lines);
- comments stay where they were: at the end of the line of the token they follow,
  or on their own lines before the token they precede.

Only whitespace changes. The result must lex to the very same tokens and comments
as the source, or `format_text` raises instead of returning it: the meaning of a
policy cannot change by formatting (docs/fmt.md has the layout in full).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from lark import Lark, Token, Tree, UnexpectedInput

from .errors import PolicyError

#: a line is wrapped (after a comma of a list) where it would pass this column
WIDTH = 100
#: spaces per level of a block, and the extra ones of a wrapped line
INDENT, CONTINUATION = 2, 4

_comments: ContextVar[list[Token]] = ContextVar("clausewise_fmt_comments")


def _keep_comment(token: Token) -> Token:
    bucket = _comments.get(None)
    if bucket is not None:
        bucket.append(token)
    return token


@lru_cache(maxsize=1)
def _parser() -> Lark:
    """The language's grammar, with every token kept in the tree (keywords too)."""
    from .grammar import parser as syntax

    grammar = syntax.grammar_text()
    return Lark(grammar, parser="lalr", keep_all_tokens=True, maybe_placeholders=False,
                lexer_callbacks={"COMMENT": _keep_comment},
                cache=syntax._grammar_cache(grammar + "\n// keep_all_tokens\n"))


@lru_cache(maxsize=1)
def _end_types() -> frozenset[str]:
    """The terminals spelt `end`: what closes a block."""
    return frozenset(t.name for t in _parser().terminals
                     if t.pattern.type == "str" and t.pattern.value == "end")


@lru_cache(maxsize=1)
def _keyword_types() -> frozenset[str]:
    """The terminals that are a fixed word of the grammar (`text`, `under`, `never`...)."""
    return frozenset(t.name for t in _parser().terminals
                     if t.pattern.type == "str" and t.pattern.value.isidentifier())


def format_text(text: str, path: str) -> str:
    """`text` in the canonical layout; a `PolicyError` with every syntax error if it
    does not parse (then nothing is formatted)."""
    tree, comments = _parse(text, path)
    out = _Layout(tree, comments).text()
    after, after_comments = _parse(out, path)
    if _leaves(after) != _leaves(tree) or [_comment(c) for c in after_comments] != \
            [_comment(c) for c in comments]:
        raise RuntimeError(f"formatting {path} would change its tokens; it was left as it was")
    return out


def _parse(text: str, path: str) -> tuple[Tree, list[Token]]:
    bucket: list[Token] = []
    reset = _comments.set(bucket)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput:
        from .grammar.recovery import syntax_diagnostics

        raise PolicyError(syntax_diagnostics(text, path), {path: text}) from None
    finally:
        _comments.reset(reset)
    return tree, bucket


def _leaves(tree: Tree) -> list[tuple[str, str]]:
    return [(t.type, str(t)) for t in _tokens(tree)]


def _tokens(node: Tree | Token) -> list[Token]:
    if isinstance(node, Token):
        return [node]
    return list(node.scan_values(lambda v: isinstance(v, Token)))


def _comment(token: Token) -> str:
    return str(token).rstrip()


def _is_block(node: Tree | Token) -> bool:
    return isinstance(node, Tree) and bool(node.children) and \
        isinstance(node.children[-1], Token) and node.children[-1].type in _end_types()


def _starts_a_field(node: Tree | Token) -> bool:
    """A subtree that begins with a word (`for ...`, `text ...`), not a text (the head's name)."""
    if not isinstance(node, Tree):
        return False
    first = next(iter(_tokens(node)), None)
    return first is not None and (first[:1].isalpha() or first[:1] == "_")


@dataclass
class _Line:
    indent: int
    text: str = ""
    blank_before: bool = False
    closed: bool = False  # a comment ends it: nothing more may follow on it


class _Layout:
    """Lays out one parse tree; `text()` is the result."""

    def __init__(self, tree: Tree, comments: list[Token]) -> None:
        self.tree, self.comments = tree, comments
        self.lines: list[_Line] = []
        self.pending: list[Token] = []
        tokens = _tokens(self.tree)
        self.leading: dict[int, list[Token]] = {}
        self.trailing: dict[int, Token] = {}
        self.gap: dict[int, bool] = {}  # id(token or comment) -> a blank line before it
        elements = sorted(tokens + self.comments, key=lambda t: t.start_pos)
        previous: Token | None = None
        last_token: Token | None = None
        for element in elements:
            self.gap[id(element)] = previous is not None and \
                element.line - previous.end_line > 1
            if element.type == "COMMENT":
                if last_token is not None and last_token.end_line == element.line \
                        and id(last_token) not in self.trailing:
                    self.trailing[id(last_token)] = element
                else:
                    self.pending.append(element)
            else:
                if self.pending:
                    self.leading[id(element)] = self.pending
                    self.pending = []
                last_token = element
            previous = element
        self.tail = self.pending  # comments after the last token

    # -------------------------------------------------------------- output
    def text(self) -> str:
        previous_block: bool | None = None
        for item in self.tree.children:
            block = _is_block(item)
            blank = "first" if previous_block is None else \
                ("force" if block or previous_block else "keep")
            self.node(item, 0, blank, top=True)
            previous_block = block
        for index, comment in enumerate(self.tail):
            self.open(0, "keep" if index or self.lines else "first", comment)
            self.lines[-1].text += _comment(comment)
            self.lines[-1].closed = True
        out = []
        for number, line in enumerate(self.lines):
            if line.blank_before and number:
                out.append("")
            out.append((" " * line.indent + line.text).rstrip())
        return "\n".join(out) + "\n" if out else ""

    def node(self, node: Tree | Token, indent: int, blank: str, top: bool = False) -> None:
        """A block (head, fields, `end`) or one line of tokens."""
        if not _is_block(node):
            self.unit(_tokens(node), indent, blank, keep_keyword_lines=top)
            return
        assert isinstance(node, Tree)
        children = node.children[:-1]
        head_size = next((i for i, c in enumerate(children) if i and _starts_a_field(c)),
                         len(children))
        self.unit([t for c in children[:head_size] for t in _tokens(c)], indent, blank)
        for index, child in enumerate(children[head_size:]):
            self.node(child, indent + INDENT, "none" if index == 0 else "keep")
        self.unit([node.children[-1]], indent, "none", comments_at=indent + INDENT)

    def open(self, indent: int, blank: str, element: Token) -> None:
        """Start a new line; `blank` says whether a blank line goes before it:
        "force", "none", "first" (the file's first line: none), or "keep" (as the source)."""
        wanted = blank == "force" or (blank == "keep" and self.gap.get(id(element), False))
        self.lines.append(_Line(indent, blank_before=wanted))

    def unit(self, tokens: list[Token], indent: int, blank: str, keep_keyword_lines: bool = False,
             comments_at: int | None = None) -> None:
        """Tokens that make one line, wrapped and broken as the module says."""
        continuation = indent + CONTINUATION
        previous: Token | None = None
        run_column = 0  # where the first piece of a text of several pieces starts
        for index, token in enumerate(tokens):
            first = previous is None
            comments = self.leading.get(id(token), ())
            for number, comment in enumerate(comments):
                at = (comments_at if comments_at is not None else indent) if first else \
                    continuation
                self.open(at, blank if first and number == 0 else ("keep" if first else "none"),
                          comment)
                self.lines[-1].text = _comment(comment)
                self.lines[-1].closed = True
            line = self.lines[-1] if self.lines and not first else None
            glued = token in (",", ")") or (previous is not None and previous == "(")
            string_run = previous is not None and token.type == "STRING" and \
                previous.type == "STRING"
            keyword_line = keep_keyword_lines and not first and token.type in _keyword_types() \
                and self._starts_source_line(token, tokens[index - 1])
            if first or line is None or line.closed or string_run or keyword_line:
                where = indent if first else run_column if string_run else \
                    indent + INDENT if keyword_line else continuation
                self.open(where, blank if first and not comments else
                          ("keep" if first else "none"), token)
                line = self.lines[-1]
                line.text = str(token)
            else:
                width = len(token) + (1 if index + 1 < len(tokens) and tokens[index + 1] == ","
                                      else 0)
                sep = "" if glued else " "
                if previous == "," and token.type != "STRING" \
                        and line.indent + len(line.text) + len(sep) + width > WIDTH:
                    self.open(continuation, "none", token)
                    line = self.lines[-1]
                    line.text = str(token)
                else:
                    line.text += sep + str(token)
            if token.type == "STRING" and not string_run:
                run_column = line.indent + len(line.text) - len(token)
            trailing = self.trailing.get(id(token))
            if trailing is not None:
                line.text += "  " + _comment(trailing)
                line.closed = True
            previous = token

    @staticmethod
    def _starts_source_line(token: Token, before: Token) -> bool:
        return token.line > before.end_line
