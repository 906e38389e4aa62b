"""CommonMark from policy strings: text that stays text, code spans and fences that hold.

`md` escapes what CommonMark would read as markup (emphasis, links, raw HTML,
entities, a block start); `code_span` and `code_block` choose a backtick fence
longer than any run of backticks inside, as the CommonMark spec says to, so a
file name with a backtick cannot end the span and let the rest through as
Markdown or HTML. All three show control and bidi characters as escapes.
"""

from __future__ import annotations

import re

from ..safe_text import visible, visible_line

URL = re.compile(r"https?://[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]]")
_MD_INLINE = re.compile(r"([\\`*_\[\]<>])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_BLOCK_START = re.compile(r"^([#>+=~-])|^(\d+)([.)])")
_BACKTICKS = re.compile(r"`+")


def _md_text(text: str) -> str:
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_ENTITY.sub(r"\\&", text)


def md(text: object) -> str:
    """Inline CommonMark: punctuation escaped, URLs as autolinks, no block starts."""
    text = visible_line(" ".join(str(text).split()))
    out, pos = [], 0
    for match in URL.finditer(text):
        out.append(_md_text(text[pos:match.start()]))
        out.append(f"<{match.group()}>")
        pos = match.end()
    out.append(_md_text(text[pos:]))
    result = "".join(out)
    return _MD_BLOCK_START.sub(lambda g: f"\\{g.group(1)}" if g.group(1)
                               else f"{g.group(2)}\\{g.group(3)}", result, count=1)


def _fence(text: str, least: int) -> str:
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    return "`" * max(least, longest + 1)


def code_span(text: object) -> str:
    """`text` as one inline code span, whatever backticks and spaces it holds."""
    text = visible_line(str(text))
    if not text:
        return ""
    fence = _fence(text, 1)
    # a space on each side keeps a backtick at an end off the fence; CommonMark strips
    # one such space from each side, so text with spaces at both ends needs it too
    pad = " " if text[0] == "`" or text[-1] == "`" or (
        text[0] == text[-1] == " " and text.strip(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(text: str, info: str = "") -> str:
    """`text` as a fenced code block that no line of it can close."""
    text = visible(text)
    fence = _fence(text, 3)
    return f"{fence}{info}\n{text}\n{fence}"
