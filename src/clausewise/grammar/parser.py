"""Source text -> `Document`: Lark parses, `ModelBuilder` builds, errors get located.

The LALR parser is built once per process from `policy.lark`; the compiled grammar
is cached only in the user's private cache directory (`clausewise.cache`), never in
a shared temp directory, because Lark's cache is a pickle. Comments are kept through
a lexer callback so that a formatter can put them back.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import lark
from lark.exceptions import VisitError
from lark import Lark, Token, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .. import cache
from .. import model as m
from ..errors import Diagnostic, PolicyError, did_you_mean
from .build import ModelBuilder

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
_TOP_LEVEL = ("policy", "include", "define", "collection", "use", "sharing", "retention",
              "notification", "prohibition", "security", "right", "disclaimer")


def _keep_comment(token: Token) -> Token:
    bucket = _comments.get(None)
    if bucket is not None:
        bucket.append(token)
    return token


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = grammar_text()
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False,
                lexer_callbacks={"COMMENT": _keep_comment}, cache=_grammar_cache(grammar))


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
    """Parse one file. Raises `PolicyError` with every finding, sorted by position."""
    with _gc_paused():
        return _parse(text, path)


def _parse(text: str, path: str) -> m.Document:
    if not text.strip():
        raise PolicyError((Diagnostic(
            "empty-file", "the file is empty: a policy needs at least a header or a clause",
            m.Span(file=path, line=1, column=1, end_line=1, end_column=1),
            "start with `policy \"Our privacy policy\" ... end`"),), {path: text})
    bucket: list[Token] = []
    token = _comments.set(bucket)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise PolicyError(_syntax_diagnostics(text, path, exc), {path: text}) from None
    finally:
        _comments.reset(token)
    builder = ModelBuilder(path, bucket)
    try:
        document = builder.transform(tree)
    except VisitError as exc:  # a bug in a builder method, not in the input: let it show
        raise exc.orig_exc from exc
    if builder.diagnostics:
        raise PolicyError(tuple(builder.diagnostics), {path: text})
    return document


_ITEM_START = re.compile(r"^(?=(?:%s)\b)" % "|".join(_TOP_LEVEL), re.MULTILINE)


def _syntax_diagnostics(text: str, path: str, first: UnexpectedInput) -> tuple[Diagnostic, ...]:
    """Every item's first syntax error, so one run reports several without cascades.

    Items start at a top-level keyword at the start of a line; each is parsed on its
    own, padded with newlines so that lines and columns stay those of the file.
    """
    starts = [match.start() for match in _ITEM_START.finditer(text)]
    if len(starts) < 2:
        return (_syntax_diagnostic(first, path, text),)
    found: list[Diagnostic] = []
    for begin, end in zip([0] + starts, starts + [len(text)]):
        chunk = text[begin:end]
        if not chunk.strip():
            continue
        try:
            _parser().parse("\n" * text.count("\n", 0, begin) + chunk)
        except UnexpectedInput as exc:
            next_item = None if end == len(text) else text.count("\n", 0, end) + 1
            found.append(_syntax_diagnostic(exc, path, text, chunk, next_item))
    return tuple(found) or (_syntax_diagnostic(first, path, text),)


def _syntax_diagnostic(error: UnexpectedInput, path: str, text: str, chunk: str | None = None,
                       next_item: int | None = None) -> Diagnostic:
    """One error as a diagnostic; `chunk` is the item it was found in, `next_item` the
    line where the next item starts (None when the item is the last of the file)."""
    line, column = error.line, error.column
    if isinstance(error, UnexpectedCharacters):
        span = m.Span(file=path, line=line, column=column, end_line=line, end_column=column + 1)
        if error.char == '"':  # a STRING would have matched if it were closed on its line
            return Diagnostic("syntax", "this text has no closing `\"` on its line", span,
                              "a text ends on the line where it starts; write a long one as "
                              'several "..." pieces, which are joined')
        hint = _mistake(_source_line(text, line), column, set(), str(error.char))
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
        hint = _mistake(_source_line(text, tok.line), tok.column, set(error.expected), str(tok),
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
    label = _define_hint(_line_words(_source_line(text, pos_line)), pos_col, set(expected_set))
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

@dataclass(frozen=True)
class _Hint:
    message: str
    help: str | None
    column: int | None = None  # where to point instead of the token, if elsewhere


@dataclass(frozen=True)
class _Word:
    kind: str    # "string", "word", "comma" or "other"
    text: str
    column: int  # 1-based, as Lark counts
    end: int     # the column just after it


_LINE_TOKEN = re.compile(r'(?P<string>"(?:[^"\\\n]|\\.)*")|(?P<comment>#.*)'
                         r'|(?P<word>[A-Za-z0-9_][A-Za-z0-9_.\-]*)|(?P<comma>,)|(?P<other>\S)')
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
                 "thirty": 30, "sixty": 60, "ninety": 90, "hundred": 100}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}  # as `model.Period` counts
_FREQUENCY = re.compile(r"\s*(once|twice|thrice|daily|weekly|monthly|quarterly|yearly|annually"
                        r"|hourly|every|each|at\s+most|no\s+more\s+than|up\s+to)\b", re.IGNORECASE)
#: fields other than the dimensions whose terms come from a vocabulary
_FIELD_VOCAB = {"until": m.Vocab.event, "about": m.Vocab.recipient, "covers": m.Vocab.source,
                "contact": m.Vocab.channel, "never": m.Vocab.category}


def _source_line(text: str, line: int) -> str:
    lines = _lines(text)
    return lines[line - 1].removesuffix("\r") if 0 < line <= len(lines) else ""


@lru_cache(maxsize=2)
def _lines(text: str) -> tuple[str, ...]:
    """A text's lines, split once for all the items' errors (as the lexer counts them)."""
    return tuple(text.split("\n"))


def _line_words(line: str) -> list[_Word]:
    """The line as the words, texts, commas and signs an editor sees, up to a comment."""
    words = []
    for match in _LINE_TOKEN.finditer(line):
        if match.lastgroup == "comment":
            break
        words.append(_Word(match.lastgroup or "other", match.group(), match.start() + 1,
                           match.end() + 1))
    return words


def _mistake(line: str, column: int, expected: set[str], token: str,
             item: tuple[int, str] | None = None) -> _Hint | None:
    """What the editor meant, if the error at `column` of `line` is a known mistake;
    `item` is the line and head of the item it is in, if known."""
    prohibition = item is not None and item[1].startswith("prohibition")
    words = _line_words(line)
    if not words or words[0].kind != "word":
        return _quote_hint(line, words, column)
    for hint in (_quote_hint(line, words, column), _count_hint(line, words, column),
                 _frequency_hint(line, column), _clause_id_hint(words, column, expected),
                 _define_hint(words, column, expected),
                 _list_hint(line, words, column, expected, token, prohibition)):
        if hint is not None:
            return hint
    return None


def _quote_hint(line: str, words: list[_Word], column: int) -> _Hint | None:
    """`text "the so-called "cookies" we use"`: a quote inside a text ends it."""
    strings = [i for i, w in enumerate(words) if w.kind == "string"]
    for i in strings:
        text, after = words[i], words[i + 1] if i + 1 < len(words) else None
        if after is None or after.column != text.end or after.kind != "word" \
                or column < text.end or strings[-1] == i:
            continue
        first, last = words[strings[0]], words[strings[-1]]
        inner = line[first.column:last.end - 2]
        escaped = re.sub(r'(?<!\\)"', r'\\"', inner)
        fixed = line[:first.column - 1].strip() + f' "{escaped}"'
        return _Hint("this `\"` ends the text: a quote inside a text is written `\\\"`",
                     f"write `{fixed}`", column=text.end - 1)
    return None


def _number(written: list[str]) -> int | None:
    """`thirty`, `two hundred`, `twenty-one` or `30` as a number, else None."""
    total, parts = 0, [p for w in written for p in w.lower().split("-") if p not in ("a", "and")]
    for part in parts:
        if part.isdigit() and len(parts) == 1:
            return int(part)
        if part not in _NUMBER_WORDS:
            return None
        total = max(total, 1) * 100 if part == "hundred" else total + _NUMBER_WORDS[part]
    return total if parts else None


def _count_hint(line: str, words: list[_Word], column: int) -> _Hint | None:
    """`for thirty days`, `within two weeks`, `for 2 weeks`: digits, and units the field takes."""
    keyword = words[0].text
    if keyword not in ("for", "within"):
        return None
    unit_at = next((i for i, w in enumerate(words[2:], 2)
                    if w.text.lower().removesuffix("s") in _UNIT_DAYS), None)
    if unit_at is None or column > words[unit_at].column \
            or any(w.kind != "word" for w in words[1:unit_at]):
        return None
    number = _number([w.text for w in words[1:unit_at]])
    unit = words[unit_at].text.lower()
    takes = _units(keyword)
    in_words = number is not None and not words[1].text.isdigit()
    if number is None or (not in_words and unit in takes):
        return None
    if unit not in takes:
        number, unit = number * _UNIT_DAYS[unit.removesuffix("s")], "days"
    rest = line[words[unit_at].end - 1:].split("#")[0].rstrip()
    fixed = f"{keyword} {number} {unit}{rest}"
    plural = [u for u in takes if u.endswith("s")]
    if "days" not in plural:  # not a grammar this hint knows
        return None
    units = ", ".join(plural[:-1]) + " or " + plural[-1] if len(plural) > 1 else plural[0]
    wrong_unit = f"`{keyword}` takes {units}, not `{words[unit_at].text}`"
    if not in_words:
        return _Hint(wrong_unit, f"write `{fixed}`")
    digits = f"write the number in digits: `{_number([w.text for w in words[1:unit_at]])}`, " \
        f"not `{' '.join(w.text for w in words[1:unit_at])}`"
    if words[unit_at].text.lower() not in takes:
        return _Hint(f"{digits}; {wrong_unit}", f"write `{fixed}`")
    return _Hint(digits, f"write `{fixed}`")


@lru_cache(maxsize=None)
def _units(keyword: str) -> tuple[str, ...]:
    """The units the grammar takes after `for N` or `within N`, read from it by trying."""
    probe = {"for": "retention probe\n  keep user\n  for 2 {}\nend\n",
             "within": "notification probe\n  within 2 {}\nend\n"}[keyword]
    return tuple(unit for unit in ("day", "days", "week", "weeks", "month", "months", "year",
                                   "years") if _parses(probe.format(unit)))


def _frequency_hint(line: str, column: int) -> _Hint | None:
    """`once a year`, `weekly`, `at most ...`: the language has no field for how often."""
    match = _FREQUENCY.match(line)
    if match is None or column <= match.start(1):
        return None
    written = line.split("#")[0].strip()
    written = written if len(written) <= 40 else written[:37] + "..."
    if _parses("use probe\n  use user\n  at most 2 times\nend\n"):  # the grammar's own field
        digits = re.search(r"\d+", written)
        count = int(digits[0]) if digits else {"twice": 2, "thrice": 3}.get(match[1].lower(), 1)
        times = "time" if count == 1 and _parses("use probe\n  at most 1 time\nend\n") else "times"
        return _Hint(f"`{written}` is not a field: how often is written `at most N times`",
                     f"write `at most {count} {times}`")
    return _Hint(f"`{written}` is not a field: a limit on how often is written as a condition "
                 "on a counted fact", 'write `if messages_sent < 1`, having declared '
                 '`define fact messages_sent int "messages sent"`')


@lru_cache(maxsize=None)
def _parses(probe: str) -> bool:
    """Whether the grammar, as it is now, takes `probe`: hints name only what it offers."""
    try:
        _parser().parse(probe)
    except UnexpectedInput:
        return False
    return True


def _clause_id_hint(words: list[_Word], column: int, expected: set[str]) -> _Hint | None:
    """`use Newsletter`, `use news letter`, `use news_letter`: a clause id is lowercase-with-dashes."""
    kind = words[0].text
    if kind not in _alternatives(_parser().get_terminal("KIND").pattern.value) or len(words) < 2:
        return None
    head = expected == {"CLAUSE_ID"} or ("COMMA" not in expected and "END" in expected
                                         and column > words[1].column)
    if not head or any(w.kind != "word" for w in words[1:]):
        return None
    written = " ".join(w.text for w in words[1:])
    dashed = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", written)
    suggestion = re.sub(r"[-_. ]+", "-", dashed).strip("-").lower()
    pattern = _parser().get_terminal("CLAUSE_ID").pattern.to_regexp()
    help = f"write `{kind} {suggestion}`" if re.fullmatch(pattern, suggestion) else \
        "start it with a letter, as in `share-partners`"
    return _Hint(f"`{written}` is not a clause id: a clause id is lowercase, its words joined "
                 "by `-`", help)


def _define_hint(words: list[_Word], column: int, expected: set[str]) -> _Hint | None:
    """`define recipient broker under partner`: the label is missing (or the key has spaces)."""
    if len(words) < 3 or words[0].text != "define" or "STRING" not in expected \
            or any(w.kind == "string" and w.column >= column for w in words[2:]):
        return None  # a label follows: a key of several words, for `_list_hint`
    before = [w.text for w in words if w.column < column]
    after = [w.text for w in words if w.column >= column]
    fixed = " ".join(before + ['"its label"'] + after)
    return _Hint(f"`{' '.join(before)}` has no label: a `define` line gives one in quotes",
                 f"write `{fixed}`")


def _list_hint(line: str, words: list[_Word], column: int, expected: set[str],
               token: str, prohibition: bool = False) -> _Hint | None:
    """A field's terms: `not` in a list, a term of two words, a list without commas."""
    keyword, terms = words[0].text, words[2:] if words[0].text == "define" else words[1:]
    vocab = _field_vocab(keyword)
    if vocab is None and keyword not in ("if", "unless", "define"):
        return None
    if keyword == "never":  # its verbs come first
        verbs = _alternatives(_parser().get_terminal("ACTION_VERB").pattern.value)
        while terms and (terms[0].text in verbs or terms[0].kind == "comma"):
            terms = terms[1:]
    pieces: list[list[_Word]] = [[]]
    for word in terms:  # a piece: the words between commas (in conditions, operators)
        if word.kind != "word" or word.text == "under" and keyword == "define" \
                or vocab is None and word.text in ("and", "or", "not"):
            pieces.append([])
        else:
            pieces[-1].append(word)
    at = next((p for p in pieces if p and p[0].column <= column < p[-1].end), None)
    if at is None:
        return None
    if len(at) == 1 and token == "-":  # `third-party`
        written = at[0].text.split("-")
    elif len(at) >= 2 and column >= at[1].column:
        written = [w.text for w in at]
    else:
        return None
    if written[0] == "not" and vocab is not None:
        return _not_hint(keyword, [p for p in pieces if p], prohibition)
    return _words_hint(line, keyword, vocab, at, written, expected, token)


def _field_vocab(keyword: str) -> m.Vocab | None:
    """The vocabulary of the terms a field keyword takes, if it takes terms."""
    for dimension in m.DIMENSIONS:
        if keyword in dimension.keywords:
            return dimension.vocab
    if keyword in _alternatives(_parser().get_terminal("DATA_VERB").pattern.value):
        return m.Vocab.category
    return _FIELD_VOCAB.get(keyword)


def _not_hint(keyword: str, pieces: list[list[_Word]], prohibition: bool) -> _Hint:
    """`with partner, not advertiser`: a list names what is covered; a prohibition leaves
    terms out with `except` (if the grammar has it), a permission with a prohibition."""
    kept = ", ".join(p[0].text for p in pieces if p[0].text != "not")
    left_out = ", ".join(" ".join(w.text for w in p[1:]) for p in pieces if p[0].text == "not")
    message = f"a list names what is covered and cannot leave out `{left_out}` with `not`"
    probe = f"prohibition probe\n  never share user\n  except {keyword} x\nend\n"
    if prohibition and _parses(probe):
        write = f"write `{keyword} {kept}`, and" if kept else "name what is covered, and"
        return _Hint(message, f"{write} leave out what is under it with "
                     f"`except {keyword} {left_out}`")
    data_line = _field_vocab(keyword) is m.Vocab.category and keyword != "never"
    apart = f"a prohibition `never {keyword} {left_out}`" if data_line else \
        f"a prohibition clause with `{keyword} {left_out}`"
    write = f"write `{keyword} {kept}`, and" if kept else "name what is covered, and"
    return _Hint(message, f"{write} state the exception on its own: {apart}, or an `unless` "
                 "condition")


def _words_hint(line: str, keyword: str, vocab: m.Vocab | None, piece: list[_Word],
                written: list[str], expected: set[str], token: str) -> _Hint | None:
    """`until account deletion`, `with partner advertiser`: underscores or commas."""
    from ..vocabulary import base_vocabulary  # it parses the built-in policy

    base = base_vocabulary()  # the policy's own terms are not known before it parses
    known = set(base.terms[vocab]) if vocab is not None else set(base.facts)
    joined, spaced, listed = "_".join(written), " ".join(written), ", ".join(written)

    def fixed(replacement: str) -> str:
        return (line[:piece[0].column - 1] + replacement + line[piece[-1].end - 1:]) \
            .split("#")[0].strip()

    noun = "a term" if vocab is not None else "a fact"
    one_word = f"`{'-'.join(written) if token == '-' else spaced}` is not {noun}: {noun} is " \
        "one word, with `_` between its words"
    several = "COMMA" in expected and any(w in known for w in written)
    close = re.search(r"`([^`]*)`", did_you_mean(joined, known) or "")
    if keyword == "define" or joined in known:  # a new term, or the very term: underscores
        return _Hint(one_word, f"write `{fixed(joined)}`")
    if several and all(w in known for w in written):
        return _Hint(f"`{spaced}` are separate terms: a list separates them with commas",
                     f"write `{fixed(listed)}`")
    if close and not several:
        return _Hint(one_word, f"did you mean `{fixed(close[1])}`?")
    if vocab is None or difflib.get_close_matches(token, _expected_words(expected), 1, 0.75):
        return None  # no term is near, and the word may be a misspelt field: say that instead
    if "COMMA" in expected:
        return _Hint(one_word, f"write `{fixed(joined)}`, or separate several terms with "
                     f"commas: `{fixed(listed)}`")
    return _Hint(one_word, f"write `{fixed(joined)}`")
