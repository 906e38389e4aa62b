"""Source text -> `Document`: Lark parses, `ModelBuilder` builds, errors get located.

The LALR parser is built once per process from `policy.lark`; the compiled grammar
is cached only in the user's private cache directory (`clausewise.cache`), never in
a shared temp directory, because Lark's cache is a pickle. Comments are kept through
a lexer callback so that a formatter can put them back.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from typing import Any

import lark
from lark.exceptions import VisitError
from lark import Lark, Token, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .. import cache
from .. import model as m
from ..errors import Diagnostic, PolicyError, did_you_mean
from .build import ModelBuilder
from .mistakes import define_hint, line_words, mistake, source_line

_comments: ContextVar[list[Token]] = ContextVar("clausewise_comments")

# How the parser's terminal names read in a message.
_READABLE = {
    "STRING": "a quoted text", "TERM": "a term such as `user.contact.email`",
    "CLAUSE_ID": "a clause id such as `share-partners`", "INT": "a whole number",
    "DATE": "a date (YYYY-MM-DD)", "KIND": "a clause kind (collection, use, sharing, ...)",
    "VOCAB": "a vocabulary (" + ", ".join(vocab.value for vocab in m.Vocab) + ")",
    "FACT_TYPE": "`bool`, `int` or `enum` and its names", "DATA_VERB": "a data line (collect, use, share, keep, ...)",
    "ACTION_VERB": "an action (collect, use, share, sell, keep, notify)",
    "CHOICE": "`opt-in`, `opt-out` or `none`", "COMPARATOR": "a comparison (<, <=, ==, ...)",
    "COMMA": "`,`", "LPAR": "`(`", "RPAR": "`)`", "$END": "the end of the file",
}
_TOP_LEVEL = ("policy", "include", "define", "phrase", "section", "collection", "use",
              "sharing", "retention", "notification", "prohibition", "security", "right",
              "disclaimer", "choice")


def _keep_comment(token: Token) -> Token:
    bucket = _comments.get(None)
    if bucket is not None:
        bucket.append(token)
    return token


#: the text being parsed, for the check that a keyword is not glued to the word after it
_source: ContextVar[str] = ContextVar("clausewise_source")
#: the named terminals that are alternations of words
_WORD_TERMINALS = ("KIND", "DATA_VERB", "ACTION_VERB", "ENDING", "DNT_ANSWER", "FACT_TYPE",
                   "VOCAB")


class GluedKeyword(UnexpectedInput):
    """A keyword run into the word after it (`formarketing`), which the lexer would
    otherwise split silently into `for` and `marketing`. (Not an UnexpectedCharacters:
    Lark's contextual lexer would catch that and retry.)"""

    def __init__(self, text: str, token: Token) -> None:
        end = token.end_pos
        while end < len(text) and (text[end].isalnum() or text[end] in "_.-"):
            end += 1
        self.keyword, self.word = str(token), text[token.start_pos:end]
        self.line, self.column = token.line, token.column
        self.pos_in_stream = token.start_pos
        self.state = None
        super().__init__(f"`{self.word}` runs the keyword `{self.keyword}` into a word")


def _not_glued(token: Token) -> Token:
    text = _source.get(None)
    if text is not None and token.end_pos < len(text) and \
            (text[token.end_pos].isalnum() or text[token.end_pos] == "_"):
        raise GluedKeyword(text, token)
    return token


def _keyword_terminals(grammar: str) -> tuple[str, ...]:
    """The names Lark gives the grammar's word keywords (`"for"` is `FOR`)."""
    words = set(re.findall(r'"([a-z_]+)"', grammar))
    return tuple(sorted({w.upper() for w in words} | set(_WORD_TERMINALS)))


def lark_parse(text: str) -> Any:
    """Lark's parse of `text`, with the check that no keyword is glued to a word."""
    source = _source.set(text)
    try:
        return _parser().parse(text)
    finally:
        _source.reset(source)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = grammar_text()
    callbacks = {name: _not_glued for name in _keyword_terminals(grammar)}
    callbacks["COMMENT"] = _keep_comment
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False,
                lexer_callbacks=callbacks, cache=_grammar_cache(grammar))


def grammar_text() -> str:
    """`policy.lark` and the `dimension` rule written from the model's table."""
    grammar = resources.files(__package__).joinpath("policy.lark").read_text(encoding="utf-8")
    alternatives = [
        "(" + " | ".join(f'"{keyword}"' for keyword in d.keywords) + f") term_list -> dim_{d.name}"
        for d in m.DIMENSIONS]
    vocabularies = " | ".join(f'"{vocab.value}"' for vocab in m.Vocab)
    return (grammar + "\n?dimension: " + "\n          | ".join(alternatives) + "\n"
            + f"VOCAB: {vocabularies}\n")


def _grammar_cache(grammar: str) -> str | bool:
    """Where Lark may keep the compiled grammar: a file of our private cache directory
    that is missing or trusted, or nowhere (False). Never Lark's `cache=True`, which
    reads a predictable file in the shared temp directory."""
    folder = cache.private_dir()
    if folder is None:
        return False
    path = folder / grammar_cache_name(grammar)
    if path.exists() or path.is_symlink():
        return str(path) if cache.trusted_file(path) else False
    return str(path)


def grammar_cache_name(grammar: str) -> str:
    """The compiled grammar's file name: one per grammar text and Lark version."""
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    return f"grammar-{digest}-lark{lark.__version__}.pickle"


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a parse allocates its tree and model.

    A parse makes several objects per token and no reference cycles, but the growing
    heap makes CPython's collector walk it again and again: on a policy of
    10,000 clauses that is about a third of the time. Lark's trees are freed by
    reference counting as usual; the collector resumes as it was.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse(text: str, path: str) -> m.Document:
    """Parse one file. Raises `PolicyError` with every finding, sorted by position
    (grammar/recovery.py parses on past a broken item to find them all)."""
    from .recovery import parse_file

    parsed = parse_file(text, path)
    if parsed.diagnostics:
        raise PolicyError(parsed.diagnostics, {path: text})
    assert parsed.document is not None
    return parsed.document


def build(text: str, path: str) -> tuple[m.Document, list[Diagnostic]]:
    """One pass over the whole text: Lark parses it (raising `UnexpectedInput`), the
    builder builds it and lists what is wrong with its fields."""
    bucket: list[Token] = []
    token = _comments.set(bucket)
    try:
        with _gc_paused():
            tree = lark_parse(text)
    finally:
        _comments.reset(token)
    builder = ModelBuilder(path, bucket)
    try:
        with _gc_paused():
            document = builder.transform(tree)
    except VisitError as exc:  # a bug in a builder method, not in the input: let it show
        raise exc.orig_exc from exc
    return document, builder.diagnostics


_ITEM_START = re.compile(r"^(?=(?:%s)\b)" % "|".join(_TOP_LEVEL), re.MULTILINE)


def _syntax_diagnostic(error: UnexpectedInput, path: str, text: str, chunk: str | None = None,
                       next_item: int | None = None) -> Diagnostic:
    """One error as a diagnostic; `chunk` is the item it was found in, `next_item` the
    line where the next item starts (None when the item is the last of the file)."""
    line, column = error.line, error.column
    if isinstance(error, GluedKeyword):
        span = m.Span(file=path, line=line, column=column, end_line=line,
                      end_column=column + len(error.word))
        hint = mistake(source_line(text, line), column, set(), error.word)
        if hint is not None:  # a mistake editors make (`once a year`) says more
            return Diagnostic("syntax", hint.message, span, hint.help)
        return Diagnostic("syntax", f"`{error.word}` runs the keyword `{error.keyword}` into "
                          "the word after it", span,
                          f"put a space after `{error.keyword}`: `{error.keyword} "
                          f"{error.word[len(error.keyword):]}`, or write another word")
    if isinstance(error, UnexpectedCharacters):
        span = m.Span(file=path, line=line, column=column, end_line=line, end_column=column + 1)
        if error.char == '"':  # a STRING would have matched if it were closed on its line
            return Diagnostic("syntax", "this text has no closing `\"` on its line", span,
                              "a text ends on the line where it starts; write a long one as "
                              'several "..." pieces, which are joined')
        hint = mistake(source_line(text, line), column, set(), str(error.char))
        if hint is not None:
            return Diagnostic("syntax", hint.message, span, hint.help)
        char = error.char if error.char.isprintable() else f"U+{ord(error.char):04X}"
        return Diagnostic("syntax", f"unexpected character `{char}`", span,
                          "text must be in double quotes; comments start with `#`")
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        tok = error.token
        expected = _expected(error.expected)
        span = m.Span(file=path, line=tok.line, column=tok.column, end_line=tok.end_line or
                      tok.line, end_column=tok.end_column or tok.column + len(tok))
        hint = mistake(source_line(text, tok.line), tok.column, set(error.expected), str(tok),
                        _open_item(chunk if chunk is not None else text[:tok.start_pos]))
        if hint is not None:
            if hint.column is not None:  # the mistake is just before the token Lark stopped at
                span = m.Span(file=path, line=tok.line, column=hint.column, end_line=tok.line,
                              end_column=hint.column + 1)
            return Diagnostic("syntax", hint.message, span, hint.help)
        help = did_you_mean(str(tok), _expected_words(error.expected))
        return Diagnostic("syntax", f"unexpected `{tok}`; expected {expected}", span, help)
    # the input ended too soon: point just after its last token (Lark's end-of-input
    # token borrows that token's position)
    expected_set = getattr(error, "expected", None) or ()
    last = getattr(error, "token", None)
    if last is not None and getattr(last, "end_line", None):
        pos_line, pos_col = last.end_line, last.end_column
    else:  # no token at all: the end of the text
        body = text.rstrip()
        pos_line = body.count("\n") + 1
        pos_col = len(body) - (body.rfind("\n") + 1) + 1
    span = m.Span(file=path, line=pos_line, column=pos_col, end_line=pos_line,
                  end_column=pos_col + 1)
    closing = "END" in expected_set
    help = f"close it with `end` after line {pos_line}" if closing else None
    if last is not None and getattr(last, "line", None) and last.line == last.end_line \
            and text.split("\n")[last.line - 1][last.column - 1:last.end_column - 1] == "end":
        # `end` is also a valid name, so `for` followed by `end` reads `end` as the purpose
        help = f"`end` at line {last.line} was read as a name: the line before it lacks its value"
    label = define_hint(line_words(source_line(text, pos_line)), pos_col, set(expected_set))
    if next_item is not None:  # an item of the file, not the file, ends too soon
        if label is not None:
            return Diagnostic("syntax", label.message, span, label.help)
        if closing:
            return Diagnostic("missing-end", f"`{_head(chunk or '')}` is not closed with `end` "
                              f"before the next item (line {next_item})", span, help)
        return Diagnostic("syntax", f"`{_head(chunk or '')}` stops short before the next item "
                          f"(line {next_item}); expected {_expected(expected_set)}", span, help)
    if label is not None:
        return Diagnostic("unexpected-eof", label.message, span, label.help)
    opened = _open_item(text)
    if closing and opened is not None:
        return Diagnostic("unexpected-eof", f"the file ends in the middle of `{opened[1]}` "
                          f"(line {opened[0]})", span, help)
    return Diagnostic("unexpected-eof", "the file ends in the middle of a clause or header"
                      if closing else f"the file ends too soon; expected {_expected(expected_set)}",
                      span, help)


def _open_item(text: str) -> tuple[int, str] | None:
    """The line and first line of the file's last item, the one the end of the file cut."""
    starts = [match.start() for match in _ITEM_START.finditer(text)]
    if not starts:
        return None
    return text.count("\n", 0, starts[-1]) + 1, _head(text[starts[-1]:])


def _head(chunk: str) -> str:
    """The first line of an item, to name it in a message."""
    for line in chunk.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line if len(line) <= 60 else line[:57] + "..."
    return ""


def _expected_words(expected: set[str]) -> list[str]:
    words = []
    for name in expected:
        if name == "$END":  # the end of the input is no terminal of the grammar
            continue
        pattern = _parser().get_terminal(name).pattern
        if pattern.type == "str":
            words.append(pattern.value)
        elif name in ("KIND", "DATA_VERB", "VOCAB", "ACTION_VERB", "CHOICE"):
            words.extend(_alternatives(pattern.value))
    return sorted(set(words))


def _alternatives(regex: str) -> list[str]:
    return [w.replace("\\", "") for w in regex.strip("(?:)").split("|") if w.isidentifier()
            or w.replace("-", "").replace("\\", "").isidentifier()]


def _expected(expected: set[str]) -> str:
    words = _expected_words(expected)
    keywords = [w for w in words if w.isidentifier() or "-" in w]
    punctuation = [f"`{w}`" for w in words if w not in keywords]  # `)`, `(` or `,`
    others = sorted(_READABLE.get(n, n) for n in expected
                    if n != "$END" and _parser().get_terminal(n).pattern.type != "str"
                    and n not in ("KIND", "DATA_VERB", "VOCAB", "ACTION_VERB", "CHOICE"))
    if set(_TOP_LEVEL) <= set(keywords):
        keywords = [w for w in keywords if w not in _TOP_LEVEL]
        others.insert(0, "a new item (policy, include, define or a clause)")
    if len(keywords) > 8:
        shown = ", ".join([f"`{w}`" for w in keywords if w != "end"][:8])
        others.insert(0, f"a field ({shown}, ...)")
        keywords = ["end"] if "end" in keywords else []
    parts = [f"`{w}`" for w in keywords] + others + punctuation
    if not parts:
        return "something else"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


# ------------------------------------------------------------ editors' mistakes
#
# Legal editors write these files. Where a syntax error is one of the mistakes they
# make (a term of two words, a number in words, a quote inside a text, ...), the
# source line says what was meant better than the parser's expected tokens do.
# Each hint reads the line of the error; the location stays that of the token.
