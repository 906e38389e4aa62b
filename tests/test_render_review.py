"""The review view for legal editors (issue 12, point 4): `render --review`.

For each clause, its `text` beside the sentence generated from its rules and its
`file:line`, in HTML and Markdown; Kareo's review view is kept in tests/golden/review/.
Refresh after an intended change with

    CLAUSEWISE_UPDATE_GOLDEN=1 python3 -m pytest -q tests/test_render_review.py -k golden
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausewise.cli import main
from clausewise.errors import UsageError
from clausewise.renderers import render
from clausewise.renderers.sentences import generate
from conftest import KAREO

GOLDEN = Path(__file__).resolve().parent / "golden" / "review"
FILES = {"markdown": "kareo.md", "html": "kareo.html"}


def _relative(text: str) -> str:
    """The review view names files as given; the golden file holds them from the repo root."""
    return text.replace(str(KAREO.parent.parent) + os.sep, "")


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_golden(kareo, fmt: str) -> None:
    rendered = _relative(render(kareo, fmt, review=True))
    path = GOLDEN / FILES[fmt]
    if os.environ.get("CLAUSEWISE_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing {path}; run: CLAUSEWISE_UPDATE_GOLDEN=1 pytest {__file__}"
    assert rendered == path.read_text(encoding="utf-8"), \
        f"the {fmt} review view differs from {path.name}; refresh it if intended"


def test_every_clause_has_its_text_its_sentence_and_its_line(kareo) -> None:
    md = render(kareo, "markdown", review=True)
    html = render(kareo, "html", review=True)
    for clause in kareo.policy.clauses:
        where = f"{clause.span.file}:{clause.span.line}"
        assert f"### Clause `{clause.id}`" in md and f"`{where}`" in md, clause.id
        assert f'<tr id="clause-{clause.id}">' in html and where in html
        sentence = generate(clause, kareo.policy, kareo.vocabulary)
        row = html[html.index(f'<tr id="clause-{clause.id}">'):]
        row = row[:row.index("</tr>")]
        assert '<td class="rules">' in row
        if clause.text:
            first = re.escape(clause.text.split(".")[0][:40]).replace("\\ ", " ")
            assert re.search(first.replace('"', "&#34;"), row) or \
                clause.text.split(".")[0][:20].split('"')[0] in row
    assert md.count("| Published text | What the rules say |") == len(kareo.policy.clauses)


def test_a_clause_without_text_says_its_sentence_is_published(kareo) -> None:
    md = render(kareo, "markdown", review=True)
    part = md[md.index("### Clause `anonymous-reporting`"):]
    part = part[:part.index("### Clause", 5)]
    assert "*(no text: the generated sentence is published)*" in part
    assert "to produce anonymous reports, only in aggregate" in part


def test_the_review_view_lists_drift(kareo) -> None:
    md = render(kareo, "markdown", review=True)
    part = md[md.index("### Clause `chat-provider`"):]
    part = part[:part.index("### Clause", 5)]
    assert "Drift:" in part and "does not mention your name" in part


def test_the_review_view_is_html_or_markdown_only(kareo) -> None:
    with pytest.raises(UsageError):
        render(kareo, "text", review=True)
    result = CliRunner().invoke(main, ["render", str(KAREO), "--review", "-f", "html"])
    assert result.exit_code == 0 and result.output == render(kareo, "html", review=True)
    assert result.output.startswith("<!DOCTYPE html>") and "<script" not in result.output
