"""Rendering the Kareo policy: golden files, clause coverage, layout, CLI, safety.

Refresh the golden files after an intended change to the rendered output with

    CLAUSEWISE_UPDATE_GOLDEN=1 python3 -m pytest -q tests/test_render.py -k golden

then review `git diff tests/golden/` like any other change.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausewise.cli import main
from clausewise.errors import UsageError
from clausewise.loader import load
from clausewise.renderers import FORMATS, render
from clausewise.renderers.outline import SECTIONS, build
from conftest import KAREO

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_FILES = {"markdown": "kareo.md", "html": "kareo.html", "text": "kareo.txt"}


def _anchors(html: str) -> list[str]:
    return re.findall(r'\bid="clause-([a-z0-9-]+)"', html)


# ---------------------------------------------------------------- golden files


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_golden(kareo, fmt: str) -> None:
    rendered = render(kareo, fmt)
    path = GOLDEN / GOLDEN_FILES[fmt]
    if os.environ.get("CLAUSEWISE_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing {path}; run: CLAUSEWISE_UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    assert rendered == expected, (
        f"{fmt} output differs from {path.name}; if intended, refresh with "
        "CLAUSEWISE_UPDATE_GOLDEN=1 python3 -m pytest -q tests/test_render.py -k golden")


# ------------------------------------------------------------- clause coverage


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_clause_id_appears_in_every_format(kareo, fmt: str) -> None:
    """HTML anchors every clause; Markdown and text print clause ids only with --trace."""
    ids = [clause.id for clause in kareo.policy.clauses]
    assert len(ids) == len(set(ids)) > 40
    plain, traced = render(kareo, fmt), render(kareo, fmt, trace=True)
    if fmt == "html":
        assert sorted(_anchors(plain)) == sorted(ids)
    elif fmt == "markdown":
        assert "<a id=" not in plain and "<a id=" not in traced, "no raw HTML anchors"
        found = re.findall(r"\*Source: clause `([a-z0-9-]+)`", traced)
        assert sorted(found) == sorted(ids)
        assert not re.search(r"clause `[a-z0-9-]+`", plain)
    else:
        found = re.findall(r"\[([a-z0-9-]+), [^\]]*\]", " ".join(traced.split()))
        assert sorted(set(found) - {"header"}) == sorted(ids)
        assert not re.findall(r"\[([a-z0-9-]+)\]", " ".join(plain.split())), \
            "plain text prints no clause ids"


def test_every_clause_lands_in_exactly_one_section(kareo) -> None:
    outline = build(kareo.policy, kareo.vocabulary)
    placed = [block.clause for section in outline.sections
              for block in section.blocks + tuple(b for g in section.groups for b in g.blocks)
              if block.clause]
    assert sorted(placed) == sorted(c.id for c in kareo.policy.clauses)


#: the headings of Kareo's published policy of May 25, 2010, in its order
SEED_HEADINGS = [
    "What this privacy policy covers", "Information collection and how it is used",
    "Information sharing and disclosure",
    "Accessing, updating, or correcting your personal information", "Security",
    "Customer testimonials, comments and reviews", "Links to other sites",
    "Changes to this privacy policy", "Questions", "Last Updated"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_kareo_keeps_the_published_headings_in_their_order(kareo, fmt: str) -> None:
    rendered = render(kareo, fmt)
    if fmt == "html":
        headings = re.findall(r'<h2 id="section-[^"]+">([^<]+)</h2>', rendered)
        headings = [h.replace("&#39;", "'") for h in headings]
    elif fmt == "markdown":
        headings = re.findall(r"^## (.+)$", rendered, re.M)
    else:
        lines = rendered.splitlines()
        headings = [lines[i - 1] for i, line in enumerate(lines)
                    if i and re.fullmatch(r"-+", line) and len(line) == len(lines[i - 1])]
    assert [h for h in headings if h not in ("At a glance", "Decision matrix")] == SEED_HEADINGS


def test_sections_keep_the_authors_clause_order(kareo) -> None:
    outline = build(kareo.policy, kareo.vocabulary)
    assert outline.layout == "sections"
    printed = [block.clause for block in outline.paragraphs()]
    assert printed == [cid for s in kareo.policy.sections for cid in s.clauses]
    sharing = next(s for s in outline.sections if s.title == "Information sharing and disclosure")
    said = [b.clause for b in sharing.blocks if b.clause]
    # "these partners" stays right after the partners it refers to
    assert said.index("partner-sharing-opt-out") == said.index("partners") + 1
    collection = outline.sections[1]
    said = [b.clause for b in collection.blocks if b.clause]
    # "If you do not wish to receive them" follows the announcements, not the newsletter
    assert said.index("deactivate-account") == said.index("service-announcements") + 1


def test_the_header_goes_to_the_first_and_closing_sections(kareo) -> None:
    outline = build(kareo.policy, kareo.vocabulary)
    first, questions, updated = outline.sections[0], outline.sections[-2], outline.sections[-1]
    assert first.blocks[0].text.startswith("This privacy policy covers the Kareo web site")
    assert [b.kind for b in questions.blocks][:2] == ["paragraph", "list"]
    assert updated.blocks[0].text == "This policy was last updated on May 25, 2010."


def test_the_standard_layout_stays_for_policies_without_sections(kareo, tmp_path: Path) -> None:
    keys = [section.key for section in build(kareo.policy, kareo.vocabulary, "standard").sections]
    order = [key for key, _ in SECTIONS]
    assert keys == sorted(keys, key=order.index)
    assert keys[0] == "scope" and keys[-2:] == ["contact", "updated"]
    assert {"collection", "use", "communications", "choices", "sharing", "retention",
            "security", "access", "other-sites", "changes"} <= set(keys)
    path = tmp_path / "flat.policy"
    path.write_text('policy "Flat"\nend\nuse u\n  use user.name\n  for essential.service\nend\n')
    flat = load(path)
    assert build(flat.policy, flat.vocabulary).layout == "standard"  # the default without
    with pytest.raises(UsageError) as caught:
        build(flat.policy, flat.vocabulary, "sections")
    assert caught.value.codes == ("no-sections",)


def test_cli_layout_and_review_options(kareo) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(KAREO), "-f", "text", "--layout", "standard"])
    assert result.exit_code == 0, result.output
    assert result.output == render(kareo, "text", layout="standard")
    assert "Information we collect" in result.output
    result = runner.invoke(main, ["render", str(KAREO), "-f", "text", "--review"])
    assert result.exit_code == 2 and "unknown review format `text`" in result.output


def test_collection_is_grouped_by_event_and_method(kareo) -> None:
    outline = build(kareo.policy, kareo.vocabulary, "standard")
    collection = next(s for s in outline.sections if s.key == "collection")
    groups = {g.key: [b.clause for b in g.blocks] for g in collection.groups}
    assert list(groups)[:3] == ["event-site_visit", "event-sign_up", "event-paid_subscription"]
    assert groups["event-paid_subscription"] == ["payment-details", "payment-storage"]
    assert "server-logs" in groups["method-automatic"]
    assert "session-cookie" in groups["method-cookies"]
    assert groups["never"] == ["no-phi"]


def test_empty_sections_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "tiny.policy"
    path.write_text('policy "Tiny"\nend\nuse u\n  use user.name\n  for essential.service\nend\n')
    md = render(load(path), "markdown")
    assert re.findall(r"^## (.+)$", md, re.M) == ["At a glance", "How we use information"]


# -------------------------------------------------------------------- formats


def test_markdown_heading_structure(kareo) -> None:
    md = render(kareo, "markdown")
    headings = re.findall(r"^(#+) (.+)$", md, re.M)
    levels = [len(hashes) for hashes, _ in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), "a heading level is skipped"
    titles = [title for _, title in headings]
    assert titles[0] == "Kareo Privacy Policy" and titles[1] == "At a glance"
    assert titles[2] == "What this privacy policy covers" and titles[-1] == "Last Updated"


def test_markdown_is_plain_commonmark(kareo) -> None:
    md = render(kareo, "markdown")
    assert not re.search(r"\n{3,}", md) and md.endswith("\n") and not md.endswith("\n\n")
    for tag in re.findall(r"<[^>\s]*[^>]*>", md):  # no raw HTML: autolinks only
        assert re.fullmatch(r'<(?:https?://|mailto:)[^\s<>]+>', tag), tag
    for line in md.splitlines():
        if line and not line.startswith(("#", "- ", "  - ")):
            assert not re.match(r"\s{4}|[>+*=-]\s|\d+[.)]\s", line), line


def test_markdown_escapes_what_commonmark_would_read_as_markup() -> None:
    from clausewise.renderers.environment import md
    assert md("7. item") == "7\\. item"
    assert md("# not a heading") == "\\# not a heading"
    assert md("- not a list") == "\\- not a list"
    assert md("*a* _b_ `c` [d](e) <f>") == "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\>"
    assert md("AT&T &amp; co") == "AT&T \\&amp; co"
    assert md("see https://example.com/a_b.") == "see <https://example.com/a_b>."


def test_text_is_wrapped_at_80_columns(kareo) -> None:
    for trace in (False, True):
        text = render(kareo, "text", trace)
        assert max(len(line) for line in text.splitlines()) <= 80
    assert "888-775-2736" in render(kareo, "text"), "a phone number is never split"


def test_html_is_a_standalone_accessible_page(kareo) -> None:
    html = render(kareo, "html")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<meta charset="utf-8">' in html and "<title>Kareo Privacy Policy</title>" in html
    assert html.count("<h1>") == 1 and "<main>" in html and 'aria-label="Contents"' in html
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    assert "<script" not in html and "@media print" in html
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html)
    assert not re.search(r"\bsrc=|@import|url\(", html), "no external resources"
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique"
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, f"dangling link #{target}"


def test_html_has_the_decision_matrix(kareo) -> None:
    html = render(kareo, "html")
    assert 'id="section-decision-matrix"' in html
    assert '<th scope="col">Business partners</th>' in html
    for mark in ("conditional", "none", "never"):
        assert f'<td class="{mark}"' in html
    for view in ("matrix-collection", "matrix-retention", "matrix-purposes"):
        assert f'id="{view}"' in html


# ---------------------------------------------------------------------- trace


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_trace_gives_clause_id_and_source_line(kareo, fmt: str) -> None:
    plain, traced = render(kareo, fmt), render(kareo, fmt, trace=True)
    flat = " ".join(traced.split())
    for clause in kareo.policy.clauses:
        where = f"{clause.span.file}:{clause.span.line}"
        assert clause.id in flat and where in flat, (clause.id, where)
    header = kareo.policy.header.span
    assert f"{header.file}:{header.line}" in flat
    assert f"{header.file}:" not in plain


# ------------------------------------------------------------------------ CLI


def test_cli_prints_to_stdout(kareo) -> None:
    result = CliRunner().invoke(main, ["render", str(KAREO), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert result.output == render(kareo, "text")


def test_cli_writes_the_output_file(tmp_path: Path, kareo) -> None:
    out = tmp_path / "policy.html"
    result = CliRunner().invoke(main, ["render", str(KAREO), "-f", "html", "-o", str(out),
                                       "--trace"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert out.read_text(encoding="utf-8") == render(kareo, "html", trace=True)
    assert list(tmp_path.iterdir()) == [out], "no temporary file is left behind"


def test_cli_bad_policy_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(tmp_path / "missing.policy")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_unknown_format_is_a_usage_error(kareo) -> None:
    with pytest.raises(UsageError):
        render(kareo, "pdf")


def test_render_accepts_a_policy_and_vocabulary_pair(kareo) -> None:
    assert render((kareo.policy, kareo.vocabulary), "text") == render(kareo, "text")
    with pytest.raises(TypeError):
        render("rules/kareo.policy", "text")


def test_markdown_parses_as_commonmark_into_the_policy_structure(kareo) -> None:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(render(kareo, "markdown"))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "Kareo Privacy Policy"
    assert "Information sharing and disclosure" in headings
    # a renderer that escapes raw HTML (markdown-it's default, html=False) shows no tags:
    # the anchors are the headings, which every renderer gives an id
    escaped = MarkdownIt("commonmark", {"html": False}).render(render(kareo, "markdown"))
    assert "&lt;a" not in escaped and "&lt;" not in escaped.replace("&lt;http", "")
    html = MarkdownIt("commonmark").render(render(kareo, "markdown"))
    assert "<script" not in html and "<a id=" not in html
