"""What clausewise prints is safe and bounded (issue 8, points 4 and 7).

Control, bidi and invisible characters from a policy reach no terminal, page or
comment unchanged; a file name or a text with backticks or HTML cannot break
out of Markdown; a flood of errors prints a bounded report.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from clausewise.cli import main
from clausewise.errors import MAX_PRINTED, ClausewiseError, Diagnostic, PolicyError
from clausewise.loader import load
from clausewise.model import Span
from clausewise.renderers import render
from clausewise.renderers.markdown import code_block, code_span
from clausewise.safe_text import visible, visible_line

#: one of each kind of character that must not reach a reader as itself
HOSTILE = "\x1b[31m\x1b]0;owned\x07\x08\x7f\x9b\u202e\u2066\u200f\u200b\u2028\ufeff"
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def unsafe(text: str, keep: str = "\n") -> set[str]:
    return {c for c in text if unicodedata.category(c) in UNSAFE_CATEGORIES and c not in keep}


# ------------------------------------------------------------------ safe_text


def test_visible_escapes_every_unsafe_character_and_keeps_lines() -> None:
    shown = visible(f"a{HOSTILE}b\n\tc")
    assert not unsafe(shown, keep="\n\t")
    assert shown.endswith("b\n\tc")
    for escape in ("\\x1b[31m", "\\x07", "\\x9b", "\\u202e", "\\u2066", "\\u200f", "\\u2028"):
        assert escape in shown


def test_visible_line_also_escapes_newlines_and_tabs() -> None:
    assert visible_line("a\nb\tc\r") == "a\\x0ab\\x09c\\x0d"


def test_ordinary_text_in_any_script_is_unchanged() -> None:
    text = "Café – 東京 \u00a0naïve 🙂 «quotes» Ελληνικά עברית"
    assert visible(text) is text or visible(text) == text
    assert visible_line(text) == text


# ------------------------------------------------------ a policy full of escapes

POLICY = f'''policy "Evil{HOSTILE} Policy"
  organization "Evil{HOSTILE} Co"
  contact email "x{HOSTILE}@example.com"
end

define recipient evil_partner "partner{HOSTILE}"

sharing s
  share user.contact.email
  with evil_partner
  must "tell{HOSTILE} them"
  text "We share{HOSTILE} email."
end

use u
  use user.name
  for essential.service
end
'''


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "evil.policy"
    path.write_text(POLICY, encoding="utf-8")
    return path


@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_rendered_policy_shows_control_characters_as_escapes(hostile: Path, format: str) -> None:
    out = render(load(hostile), format, trace=True)
    assert not unsafe(out)
    shown = MarkdownIt("commonmark").render(out) if format == "markdown" else out
    assert "\\x1b[31m" in shown and "\\u202e" in shown


def test_check_text_output_shows_control_characters_as_escapes(hostile: Path,
                                                              tmp_path: Path) -> None:
    action = tmp_path / "a.json"
    action.write_text(json.dumps({"action": "share", "data": ["user.contact.email"],
                                  "recipient": "evil_partner"}))
    result = CliRunner().invoke(main, ["check", str(hostile), str(action)])
    assert result.exit_code == 0, result.output
    assert not unsafe(result.stdout)
    assert '"We share\\x1b[31m' in result.stdout and "tell\\x1b[31m" in result.stdout


def test_diff_text_output_shows_control_characters_as_escapes(hostile: Path,
                                                             tmp_path: Path) -> None:
    old = tmp_path / "old.policy"
    old.write_text(POLICY.replace(f'  must "tell{HOSTILE} them"\n', ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old), str(hostile), "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    assert "tell\\x1b[31m" in result.stdout  # the obligation, and the rendered diff
    assert not unsafe(result.stdout)


def test_github_annotations_escape_file_names_and_messages(hostile: Path,
                                                          tmp_path: Path) -> None:
    old = tmp_path / "old.policy"
    old.write_text(POLICY.replace(f'  must "tell{HOSTILE} them"\n', ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old), str(hostile), "--format", "github",
                                       "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    assert not unsafe(result.stdout) and "\r" not in result.stdout
    for line in result.stdout.splitlines():
        properties = line.split("::")[1]
        assert properties.count(",") == 2  # file=..., line=..., title=...
        assert "file=" + str(hostile).replace(":", "%3A").replace(",", "%2C") in properties


def test_an_error_on_a_line_with_escapes_is_shown_escaped_with_the_caret_in_place(
        tmp_path: Path) -> None:
    path = tmp_path / f"bad{HOSTILE}.policy"
    path.write_text(f'policy "x"\nend\nuse u\n  use user.name\n  text "a{HOSTILE}b" oops\nend\n',
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert not unsafe(result.stderr)
    assert visible_line(str(path)) + ":5:" in result.stderr
    lines = result.stderr.splitlines()
    source = next(line for line in lines if line.startswith("5 | "))
    caret = lines[lines.index(source) + 1]
    assert caret.index("^") == source.index("oops") and caret.endswith("^^^^")


# ---------------------------------------------------------- Markdown injection

BREAKOUT = "a`b<img src=x onerror=alert(1)>``c"


def _html_tokens(markdown: str) -> list[str]:
    """The raw HTML a CommonMark parser finds in `markdown`, inline and block."""
    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "html_block":
            found.append(token.content.strip())
        for child in token.children or ():
            if child.type == "html_inline":
                found.append(child.content)
    return found


def _code_spans(markdown: str) -> list[str]:
    return [child.content for token in MarkdownIt("commonmark").parse(markdown)
            for child in token.children or () if child.type == "code_inline"]


@pytest.mark.parametrize("text", ["plain", "`", "``", "a`b", "`a", "a`", " a ", " ", "` `",
                                  "<b>x</b>", "a ``` b", BREAKOUT])
def test_a_code_span_holds_any_text(text: str) -> None:
    markdown = f"see {code_span(text)} here"
    assert _code_spans(markdown) == [text]
    assert _html_tokens(markdown) == []


def test_a_code_block_holds_any_text() -> None:
    text = "```\n<script>x</script>\n````"
    tokens = MarkdownIt("commonmark").parse(code_block(text, "diff") + "\n\nafter <b>")
    assert tokens[0].type == "fence" and tokens[0].content == text + "\n"
    assert tokens[0].info == "diff"


def test_trace_with_a_hostile_file_name_lets_no_html_through(tmp_path: Path) -> None:
    directory = tmp_path / BREAKOUT
    directory.mkdir()
    path = directory / "p.policy"
    path.write_text('policy "P <b>bold</b>"\nend\nuse u\n  use user.name\n'
                    '  for essential.service\n  text "`<script>alert(1)</script>` & <i>"\nend\n',
                    encoding="utf-8")
    loaded = load(path)
    markdown = render(loaded, "markdown", trace=True)
    assert _html_tokens(markdown) == []  # no raw HTML at all, not even an anchor
    assert f"{path}:3" in _code_spans(markdown)


def test_diff_markdown_lets_no_html_through_from_file_names_or_obligations(
        tmp_path: Path) -> None:
    directory = tmp_path / BREAKOUT
    directory.mkdir()
    old, new = directory / "old.policy", directory / "new.policy"
    body = ('policy "P"\nend\nsharing s\n  share user.contact.email\n  with partner\n'
            '  text "`<script>{n}</script>` ```"\n{must}end\n')
    old.write_text(body.format(n=1, must=""), encoding="utf-8")
    new.write_text(body.format(n=2, must='  must "<img src=x onerror=alert(2)> ``"\n'),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "markdown",
                                       "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    assert _html_tokens(result.stdout) == ["<details><summary>Published policy: rendered "
                                           "diff</summary>", "</details>"]
    fences = [t for t in MarkdownIt("commonmark").parse(result.stdout) if t.type == "fence"]
    assert len(fences) == 1 and fences[0].info == "diff"


# -------------------------------------------------------- bounded diagnostics


def _span(file: str, line: int, column: int, end_column: int) -> Span:
    return Span(file=file, line=line, column=column, end_line=line, end_column=end_column)


def _many(count: int, line_length: int = 40) -> ClausewiseError:
    text = "x" * line_length
    columns = [1 + i % line_length for i in range(count)]
    diagnostics = tuple(Diagnostic("unknown-term", f"unknown term `t{i}`",
                                   _span("big.policy", 1, column, column))
                        for i, column in enumerate(columns))
    return PolicyError(diagnostics, {"big.policy": text})


def test_format_prints_at_most_the_limit_and_counts_the_rest() -> None:
    error = _many(MAX_PRINTED + 19_950)
    text = error.format()
    assert text.count("error[unknown-term]") == MAX_PRINTED
    assert text.endswith("\n... and 19,950 more errors")
    assert len(error.diagnostics) == MAX_PRINTED + 19_950  # all kept
    assert error.format(limit=None).count("error[unknown-term]") == MAX_PRINTED + 19_950


def test_one_more_error_is_singular_and_none_more_says_nothing() -> None:
    assert _many(MAX_PRINTED + 1).format().endswith("\n... and 1 more error")
    assert "more error" not in _many(MAX_PRINTED).format()


def test_a_policy_with_thousands_of_errors_reports_them_all_and_prints_a_few(
        tmp_path: Path) -> None:
    path = tmp_path / "many.policy"
    terms = ", ".join(f"no_such_{i}" for i in range(2_000))
    path.write_text(f'policy "x"\nend\ncollection c\n  collect {terms}\nend\n')
    with pytest.raises(PolicyError) as caught:
        load(path)
    count = len(caught.value.diagnostics)
    assert count >= 2_000
    text = str(caught.value)
    assert text.count("error[") == MAX_PRINTED
    assert text.endswith(f"... and {count - MAX_PRINTED:,} more errors")


def test_a_diagnostic_on_a_long_line_shows_a_window_with_the_caret_in_place() -> None:
    line = "a" * 500_000 + "\tWRONG" + "b" * 500_000
    column = 500_002
    error = PolicyError((Diagnostic("bad", "bad `WRONG`", _span("f", 1, column, column + 5)),),
                        {"f": line})
    source, caret = error.format().splitlines()[2:4]
    assert len(source) < 200
    assert source[caret.index("^"):][:5] == "WRONG" and caret.endswith("^^^^^")


def test_a_diagnostic_on_an_ordinary_line_is_formatted_as_before() -> None:
    error = PolicyError((Diagnostic("unknown-term", "unknown category `user.emial`",
                                    _span("p.policy", 2, 9, 19), "did you mean `x`?"),),
                        {"p.policy": "sharing s\n  share\tuser.emial\nend\n"})
    assert error.format() == (
        "p.policy:2:9: error[unknown-term]: unknown category `user.emial`\n"
        "  |\n"
        "2 |   share user.emial\n"
        "  |         ^^^^^^^^^^\n"
        "  = help: did you mean `x`?")
