"""Rendering hostile input safely: escaping, sandboxed user templates, located errors.

A template error must name the template file and line, exit 2, and never leave
a half-written output file behind.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2 import DictLoader, Environment, StrictUndefined

from clausewise.cli import main
from clausewise.errors import TemplateError, UsageError
from clausewise.loader import load
from clausewise.renderers import render
from clausewise.renderers.bounds import MAX_SIZE
from clausewise.renderers.environment import ENV, render_template
from clausewise.renderers.output import write_atomic
from conftest import KAREO

EVIL = '''policy "Evil <script>alert(1)</script> Policy"
  organization "Evil & Co"
end

define category user.name.evil "<script>alert('x')</script> names" under user.name
define recipient evil_partner "<b>bold</b> partner"

sharing evil-share
  share user.name.evil
  with evil_partner
end

use evil-use
  use user.name
  for essential.service
  text "We use names <script>alert(2)</script> & more."
end
'''


@pytest.fixture
def evil(tmp_path: Path):
    path = tmp_path / "evil.policy"
    path.write_text(EVIL, encoding="utf-8")
    return load(path)


def _templates(tmp_path: Path, name: str, body: str) -> Path:
    directory = tmp_path / "templates"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(body, encoding="utf-8")
    return directory


# ------------------------------------------------------------------- escaping


def test_html_escapes_labels_texts_and_titles(evil) -> None:
    html = render(evil, "html", trace=True)
    assert "<script" not in html and "<b>" not in html
    assert "<title>Evil &lt;script&gt;alert(1)&lt;/script&gt; Policy</title>" in html
    assert "We share &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; names with " \
           "&lt;b&gt;bold&lt;/b&gt; partner." in html  # a generated sentence from labels
    assert "names &lt;script&gt;alert(2)&lt;/script&gt; &amp; more." in html  # a clause text
    assert '<th scope="row">&lt;script&gt;' in html  # the decision matrix


def test_markdown_escapes_raw_html(evil) -> None:
    md = render(evil, "markdown")
    assert not re.search(r"(?<!\\)<(script|/script|b)\b", md)
    assert "\\<script\\>alert(2)\\</script\\>" in md


def test_builtin_environment_is_strict_and_autoescapes_html_only() -> None:
    assert ENV.undefined is StrictUndefined
    assert ENV.autoescape("policy.html.j2") and not ENV.autoescape("policy.md.j2")


# ------------------------------------------------------------- user templates


def test_user_template_overrides_one_template_by_name(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.txt.j2",
                           "{{ doc.title }}: {{ doc.sections | length }} sections\n")
    assert render(kareo, "text", templates=directory) == "Kareo Privacy Policy: 10 sections\n"
    assert render(kareo, "markdown", templates=directory) == render(kareo, "markdown")


def test_user_template_may_include_ours(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.html.j2",
                           "<p>{{ '<i>' }}</p>{% include 'matrix.html.j2' %}")
    html = render(kareo, "html", templates=directory)
    assert html.startswith("<p>&lt;i&gt;</p>") and "Decision matrix" in html


def test_user_template_runs_sandboxed(tmp_path: Path) -> None:
    directory = _templates(tmp_path, "policy.md.j2",
                           "fine\n{{ doc.title }}\n{{ ''.__class__.__mro__ }}\n")
    result = CliRunner().invoke(main, ["render", str(KAREO), "--templates", str(directory)])
    assert result.exit_code == 2
    assert f"{directory / 'policy.md.j2'}:3:1: error[template-unsafe]" in result.output
    assert "3 | {{ ''.__class__.__mro__ }}" in result.output


def test_user_template_syntax_error_is_located(tmp_path: Path) -> None:
    directory = _templates(tmp_path, "policy.txt.j2", "one\ntwo\n{% for x in %}\n{% endfor %}\n")
    result = CliRunner().invoke(main, ["render", str(KAREO), "-f", "text",
                                       "--templates", str(directory)])
    assert result.exit_code == 2
    assert f"{directory / 'policy.txt.j2'}:3:1: error[template-syntax]" in result.output


def test_undefined_variable_is_an_error_not_blank(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "{{ doc.title }}\n\n{{ doc.no_such }}\n")
    with pytest.raises(TemplateError) as caught:
        render(kareo, "markdown", templates=directory)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "template-undefined"
    assert diagnostic.span.file == str(directory / "policy.md.j2") and diagnostic.span.line == 3
    assert "no_such" in diagnostic.message


def test_builtin_environment_reports_undefined_with_its_line() -> None:
    env = Environment(loader=DictLoader({"x.md.j2": "ok\n{{ missing }}"}),
                      undefined=StrictUndefined)
    with pytest.raises(TemplateError) as caught:
        render_template("x.md.j2", {}, env)
    assert caught.value.diagnostics[0].span.line == 2


def test_missing_template_is_reported(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "{% include 'nope.j2' %}")
    with pytest.raises(TemplateError) as caught:
        render(kareo, "markdown", templates=directory)
    assert caught.value.codes == ("template-not-found",)


def test_an_error_in_an_included_user_file_is_located(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "{% include 'parts.jinja' %}")
    (directory / "parts.jinja").write_text("a\n{{ doc.title.nope }}\n")
    with pytest.raises(TemplateError) as caught:
        render(kareo, "markdown", templates=directory)
    span = caught.value.diagnostics[0].span
    assert (span.file, span.line) == (str(directory / "parts.jinja"), 2)


def test_a_template_that_is_not_utf8_is_reported(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "")
    (directory / "policy.md.j2").write_bytes(b"caf\xe9")
    with pytest.raises(TemplateError) as caught:
        render(kareo, "markdown", templates=directory)
    assert caught.value.codes == ("template-encoding",)


def test_a_runtime_error_in_a_template_is_located(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "\n\n{{ 1 // 0 }}")
    with pytest.raises(TemplateError) as caught:
        render(kareo, "markdown", templates=directory)
    assert caught.value.codes == ("template-error",)
    assert caught.value.diagnostics[0].span.line == 3


# ------------------------------------------------------------ no half files


def test_failed_render_writes_no_file(tmp_path: Path) -> None:
    directory = _templates(tmp_path, "policy.html.j2", "<p>start</p>\n{{ nope }}\n")
    out = tmp_path / "out" / "policy.html"
    out.parent.mkdir()
    result = CliRunner().invoke(main, ["render", str(KAREO), "-f", "html", "-o", str(out),
                                       "--templates", str(directory)])
    assert result.exit_code == 2 and "policy.html.j2:2:1" in result.output
    assert list(out.parent.iterdir()) == []


def test_failed_render_keeps_the_previous_file(tmp_path: Path) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "{{ nope }}")
    out = tmp_path / "policy.md"
    out.write_text("previous\n")
    result = CliRunner().invoke(main, ["render", str(KAREO), "-o", str(out),
                                       "--templates", str(directory)])
    assert result.exit_code == 2
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.md", "templates"]


def test_write_atomic_leaves_nothing_when_the_move_fails(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "policy.txt"
    out.write_text("old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(UsageError, match="disk full"):
        write_atomic(out, "new text")
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["policy.txt"]


def test_write_atomic_replaces_with_ordinary_permissions(tmp_path: Path) -> None:
    out = tmp_path / "policy.txt"
    write_atomic(out, "text\n")
    mask = os.umask(0)
    os.umask(mask)
    assert out.read_text() == "text\n"
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


# ------------------------------------------------------- where -o may write


def _render_to(target: str) -> object:
    return CliRunner().invoke(main, ["render", str(KAREO), "-o", target])


def test_output_to_a_device_is_refused_and_leaves_it_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = _render_to(str(fifo))
    assert result.exit_code == 2
    assert "error[not-a-regular-file]" in result.stderr
    assert not fifo.is_file() and fifo.exists()


def test_output_into_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = _render_to(str(tmp_path / "nodir" / "policy.md"))
    assert result.exit_code == 2
    assert "error[cannot-write]" in result.stderr and "Traceback" not in result.stderr


def test_output_through_a_symlink_writes_its_target_and_keeps_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert _render_to(str(link)).exit_code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# Kareo Privacy Policy")
    assert real.stat().st_mode & 0o777 == 0o640


def test_output_dash_is_standard_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(KAREO), "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Kareo Privacy Policy")


def test_user_template_cannot_build_a_huge_string(tmp_path: Path) -> None:
    directory = _templates(tmp_path, "policy.md.j2", '{{ "x" * 10**9 }}')
    result = CliRunner().invoke(main, ["render", str(KAREO), "--templates", str(directory)])
    assert result.exit_code == 2
    assert "error[template-limit]" in result.stderr and f"{MAX_SIZE:,} characters" in result.stderr


def test_user_template_that_runs_too_long_is_stopped(tmp_path: Path, monkeypatch) -> None:
    from clausewise.renderers import environment

    monkeypatch.setattr(environment, "USER_TEMPLATE_SECONDS", 1)
    directory = _templates(tmp_path, "policy.md.j2",
                           "{% for i in range(99999) %}{% for j in range(99999) %}"
                           "{% endfor %}{% endfor %}")
    result = CliRunner().invoke(main, ["render", str(KAREO), "--templates", str(directory)])
    assert result.exit_code == 2
    assert "error[template-timeout]" in result.stderr


def test_an_include_of_a_missing_template_is_located_and_lists_the_templates(
        tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.html.j2",
                           "<p>ok</p>\n  {% include 'matrx.html.j2' %}\n")
    with pytest.raises(TemplateError) as caught:
        render(kareo, "html", templates=directory)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "template-not-found"
    assert diagnostic.message == "template `matrx.html.j2` not found"
    span = diagnostic.span
    assert (span.file, span.line, span.column) == (str(directory / "policy.html.j2"), 2, 14)
    assert diagnostic.help.startswith("did you mean `matrix.html.j2`? the templates are ")
    assert "`policy.md.j2`" in diagnostic.help


def test_a_missing_template_in_a_macro_is_located_in_the_macro(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "{% macro m(a) %}\n"
                           "{% include 'atrix.html.j2' %}{% endmacro %}{{ m(1) }}")
    with pytest.raises(TemplateError) as caught:
        render(kareo, "markdown", templates=directory)
    span = caught.value.diagnostics[0].span
    assert (span.file, span.line) == (str(directory / "policy.md.j2"), 2)


def test_a_template_that_is_not_utf8_is_located_at_the_bad_byte(tmp_path: Path) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "")
    (directory / "policy.md.j2").write_bytes(b"# title\n\xc3\xa9t\xff\xfe {{ doc.title }}\n")
    result = CliRunner().invoke(main, ["render", str(KAREO), "--templates", str(directory)])
    assert result.exit_code == 2
    assert f"{directory / 'policy.md.j2'}:2:3: error[template-encoding]: template " \
           "`policy.md.j2` is not UTF-8 text: byte `\\xff`" in result.stderr
    assert "save the file as UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_an_included_user_file_that_is_not_utf8_is_named(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "policy.md.j2", "{% include 'part.j2' %}\n")
    (directory / "part.j2").write_bytes(b"ok\n\x80\n")
    with pytest.raises(TemplateError) as caught:
        render(kareo, "markdown", templates=directory)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "template-encoding"
    assert (diagnostic.span.file, diagnostic.span.line, diagnostic.span.column) == \
        (str(directory / "part.j2"), 2, 1)
