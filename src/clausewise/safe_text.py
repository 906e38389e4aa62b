"""Text from a policy made safe to print: control and invisible characters shown as escapes.

A policy's strings (clause text, labels, header fields, file paths, values an
action echoes back) reach terminals, Markdown and HTML. An ESC or BEL there
can retitle or recolour a terminal, and a bidi override (U+202E) or an
invisible character can make the text read differently from what it says.
`visible` replaces each such character by a Python-style escape (`\\x1b`,
`\\u202e`), which is plain ASCII with no meaning to a terminal, to CommonMark
or to HTML, so the result can be escaped again for any of them.
"""

from __future__ import annotations

import unicodedata

#: control, format (bidi, zero width), surrogate, private use, unassigned, line/paragraph
#: separator: what must not reach a reader unchanged
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class _Table(dict[int, str]):
    """A `str.translate` table worked out per code point on first use."""

    def __init__(self, keep: str) -> None:
        super().__init__()
        self.keep = keep

    def __missing__(self, code: int) -> str:
        char = chr(code)
        unsafe = char not in self.keep and unicodedata.category(char) in _UNSAFE
        self[code] = escape_char(char) if unsafe else char
        return self[code]


_KEEP_LINES = _Table("\n\t")
_ONE_LINE = _Table("")


def visible(text: str) -> str:
    """`text` with every unsafe character escaped; newlines and tabs kept."""
    return text if text.isprintable() else text.translate(_KEEP_LINES)


def visible_line(text: str) -> str:
    """`text` as one line: newlines and tabs escaped too, so it cannot fake other lines."""
    return text if text.isprintable() else text.translate(_ONE_LINE)
