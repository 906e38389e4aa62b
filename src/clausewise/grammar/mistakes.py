"""The mistakes editors make, recognised in the line of a syntax error.

Lark says which token it did not expect; these hints say what the editor meant: a
term of several words, a number in words, a frequency word, `not` in a list, a quote
inside a text, a clause id with capitals, a `define` without a label. Each looks
only at the offending line and at what the grammar accepts there, and gives a
message and a help line showing the corrected line. Split from parser.py, which
turns Lark's errors into diagnostics, because recognising mistakes is its own job.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from lark import UnexpectedInput

from .. import model as m
from ..errors import did_you_mean
from . import parser as syntax  # parser imports this module: read its names when called

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


def source_line(text: str, line: int) -> str:
    lines = _lines(text)
    return lines[line - 1].removesuffix("\r") if 0 < line <= len(lines) else ""


@lru_cache(maxsize=2)
def _lines(text: str) -> tuple[str, ...]:
    """A text's lines, split once for all the items' errors (as the lexer counts them)."""
    return tuple(text.split("\n"))


def line_words(line: str) -> list[_Word]:
    """The line as the words, texts, commas and signs an editor sees, up to a comment."""
    words = []
    for match in _LINE_TOKEN.finditer(line):
        if match.lastgroup == "comment":
            break
        words.append(_Word(match.lastgroup or "other", match.group(), match.start() + 1,
                           match.end() + 1))
    return words


def mistake(line: str, column: int, expected: set[str], token: str,
             item: tuple[int, str] | None = None) -> _Hint | None:
    """What the editor meant, if the error at `column` of `line` is a known mistake;
    `item` is the line and head of the item it is in, if known."""
    prohibition = item is not None and item[1].startswith("prohibition")
    words = line_words(line)
    if not words or words[0].kind != "word":
        return _quote_hint(line, words, column)
    for hint in (_quote_hint(line, words, column), _misplaced_hint(words, column, item),
                 _count_hint(line, words, column),
                 _frequency_hint(line, column), _clause_id_hint(words, column, expected),
                 define_hint(words, column, expected),
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


def _misplaced_hint(words: list[_Word], column: int, item: tuple[int, str] | None
                    ) -> _Hint | None:
    """`organization "Kareo"` in a clause, `for marketing` in the header: a field of
    the other kind of block, found by trying the line in a header and in a clause."""
    if item is None or words[0].column != column or words[0].kind != "word":
        return None
    line = " ".join(w.text for w in words)
    in_header = item[1].startswith("policy")
    kinds = syntax._alternatives(syntax._parser().get_terminal("KIND").pattern.value)
    if in_header:
        if not any(_parses(f"{k} probe\n  {line}\nend\n") for k in kinds):
            return None
        return _Hint(f"`{words[0].text}` is a field of a clause, not of the policy header",
                     f"move `{line}` into the clause it is about")
    if item[1].split(" ")[0] not in kinds or not _parses(f'policy "probe"\n  {line}\nend\n'):
        return None
    return _Hint(f"unexpected `{words[0].text}`; expected `end` or a field: `{words[0].text}` "
                 "is a field of the policy header, not of a clause",
                 f'move `{line}` into the header, `policy "..." ... end`')


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
        syntax._parser().parse(probe)
    except UnexpectedInput:
        return False
    return True


def _clause_id_hint(words: list[_Word], column: int, expected: set[str]) -> _Hint | None:
    """`use Newsletter`, `use news letter`, `use news_letter`: a clause id is lowercase-with-dashes."""
    kind = words[0].text
    if kind not in syntax._alternatives(syntax._parser().get_terminal("KIND").pattern.value) or len(words) < 2:
        return None
    head = expected == {"CLAUSE_ID"} or ("COMMA" not in expected and "END" in expected
                                         and column > words[1].column)
    if not head or any(w.kind != "word" for w in words[1:]):
        return None
    written = " ".join(w.text for w in words[1:])
    dashed = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", written)
    suggestion = re.sub(r"[-_. ]+", "-", dashed).strip("-").lower()
    pattern = syntax._parser().get_terminal("CLAUSE_ID").pattern.to_regexp()
    help = f"write `{kind} {suggestion}`" if re.fullmatch(pattern, suggestion) else \
        "start it with a letter, as in `share-partners`"
    return _Hint(f"`{written}` is not a clause id: a clause id is lowercase, its words joined "
                 "by `-`", help)


def define_hint(words: list[_Word], column: int, expected: set[str]) -> _Hint | None:
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
        verbs = syntax._alternatives(syntax._parser().get_terminal("ACTION_VERB").pattern.value)
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
    if keyword in syntax._alternatives(syntax._parser().get_terminal("DATA_VERB").pattern.value):
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
    if vocab is None or difflib.get_close_matches(token, syntax._expected_words(expected), 1, 0.75):
        return None  # no term is near, and the word may be a misspelt field: say that instead
    if "COMMA" in expected:
        return _Hint(one_word, f"write `{fixed(joined)}`, or separate several terms with "
                     f"commas: `{fixed(listed)}`")
    return _Hint(one_word, f"write `{fixed(joined)}`")
