"""User templates cannot make huge strings, lists or output (issue 8, point 9).

Each reproducer of the issue allocated gigabytes. Here each must stop with a
`TemplateError` located at the template line that asked for too much, while the
render's peak allocation (as tracemalloc sees it) stays far below what was asked.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausewise.cli import main
from clausewise.errors import TemplateError
from clausewise.renderers import render
from clausewise.renderers.bounds import MAX_NESTING, MAX_SIZE
from conftest import KAREO

#: what a refused render may have allocated at its peak
PEAK_BYTES = 200 * 1024 * 1024

NS = "{% set ns = namespace(s='xx', n=10**64, l=[1]) %}"
SIX = "{% set big = ['x' * 1000000] %}{% for i in range(6) %}{% if ns.l.append(big) %}" \
      "{% endif %}{% endfor %}"

#: name -> the template line that must be refused (it is put on line 3)
REPRODUCERS = {
    "center-filter": "{{ 'x' | center(999999999) }}",
    "center-method": "{{ 'x'.center(999999999) }}",
    "ljust": "{{ 'x'.ljust(999999999) }}",
    "rjust": "{{ 'x'.rjust(999999999, '-') }}",
    "zfill": "{{ '1'.zfill(999999999) }}",
    "expandtabs": "{{ ('\t' * 1000).expandtabs(999999) }}",
    "percent-width": "{{ '%0999999999d' % 1 }}",
    "percent-star": "{{ '%*d' % (999999999, 1) }}",
    "percent-repeated": "{{ ('%s' * 1000) % ((('x' * 100000),) * 1000) }}",
    "format-filter": "{{ '%0999999999d' | format(1) }}",
    "str-format-width": "{{ '{:>999999999}'.format(1) }}",
    "str-format-precision": "{{ '{:.999999999f}'.format(1.0) }}",
    "str-format-nested": "{{ '{:>{w}}'.format(1, w=999999999) }}",
    "str-format-repeated": "{{ ('{0}' * 1000).format('x' * 100000) }}",
    "format-map": "{{ '{a:>999999999}'.format_map({'a': 1}) }}",
    "concat-doubling": NS + "{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "plus-doubling": NS + "{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "list-doubling": NS + "{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
    "repeat": "{{ 'x' * 10**9 }}",
    "repeat-nested-list": "{{ [['x' * 1000000]] * 1000000 }}",
    "integer-squaring": NS + "{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "integer-power": "{{ ((10**64) ** 64) ** 64 }}",
    "indent": "{{ 'a' | indent(999999999, true) }}",
    "indent-string": "{{ ('a\\n' * 100000) | indent('x' * 1000) }}",
    "wordwrap": "{{ 'a b c d' | wordwrap(1, wrapstring='x' * 4000000) }}",
    "replace-filter": "{{ ('x' * 4000000) | replace('x', 'yy') }}",
    "replace-method": "{{ ('x' * 4000000).replace('x', 'yy') }}",
    "join-filter": "{{ (['x' * 4000000] * 2) | join }}",
    "join-method": "{{ '-'.join(['x' * 3000000] * 2) }}",
    "join-attribute": "{{ ([doc] * 1000) | join(attribute='sections') | length }}",
    "translate": "{{ ('a' * 1000).translate({97: 'x' * 100000}) }}",
    "batch": "{{ [1] | batch(999999999, 0) | list }}",
    "slice": "{{ [1] | slice(999999999) | list }}",
    "tojson": "{{ {'a': [1, 2]} | tojson(999999999) }}",
    "lipsum": "{{ lipsum(999999) }}",
    # a list holding one big list six times passes every check on its own length,
    # but its text is six times the big list's
    "nested-list-to-text": NS + SIX + "{{ ns.l }}",
    "nested-list-to-string-filter": NS + SIX + "{{ ns.l | string }}",
    "nested-list-concat": NS + SIX + "{{ 'x' ~ ns.l }}",
    "nested-list-percent": NS + SIX + "{{ '%s' % (ns.l,) }}",
    "appended-to-text": NS + "{% set big = [doc] * 200 %}{% for i in range(200) %}"
                        "{% if ns.l.append(big) %}{% endif %}{% endfor %}{{ ns.l }}",
    "namespace-to-text": NS + "{% set big = [doc] * 200 %}{% for i in range(200) %}"
                         "{% if ns.l.append(big) %}{% endif %}{% endfor %}{{ ns }}",
    "appended-to-format": NS + "{% set big = [doc] * 200 %}{% for i in range(200) %}"
                          "{% if ns.l.append(big) %}{% endif %}{% endfor %}"
                          "{{ '{}'.format(ns.l) }}",
    "append-loop": NS + "{% for i in range(100000) %}{% for j in range(100) %}"
                   "{% if ns.l.append('x' * 100000) %}{% endif %}{% endfor %}{% endfor %}",
    # a template's own text, written in a loop: at the top, in a macro, in a block
    "output-loop": "{% for i in range(100000) %}{% for j in range(100000) %}"
                   + "literal text " * 600 + "{% endfor %}{% endfor %}",
    "macro-buffer": "{% macro m() %}{% for i in range(100000) %}{% for j in range(100000) %}"
                    + "literal text " * 600 + "{% endfor %}{% endfor %}{% endmacro %}{{ m() }}",
    "set-block": "{% set x %}{% for i in range(100000) %}{% for j in range(100000) %}"
                 + "literal text " * 600 + "{% endfor %}{% endfor %}{% endset %}",
}


def _templates(tmp_path: Path, body: str, name: str = "policy.md.j2") -> Path:
    directory = tmp_path / "templates"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(body, encoding="utf-8")
    return directory


def _refused(kareo, directory: Path, format: str = "markdown") -> tuple[TemplateError, int]:
    """The error a render raises, and the render's peak allocation in bytes."""
    tracemalloc.start()
    try:
        with pytest.raises(TemplateError) as caught:
            render(kareo, format, templates=directory)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return caught.value, peak


@pytest.mark.parametrize("line", REPRODUCERS.values(), ids=REPRODUCERS.keys())
def test_a_template_asking_for_too_much_is_refused_where_it_asks(tmp_path: Path, kareo,
                                                                   line: str) -> None:
    directory = _templates(tmp_path, f"first line\nsecond line\n{line}\nlast line\n")
    error, peak = _refused(kareo, directory)
    assert error.codes == ("template-limit",), error.format()
    span = error.diagnostics[0].span
    assert (span.file, span.line) == (str(directory / "policy.md.j2"), 3)
    assert peak < PEAK_BYTES


def test_an_imported_template_that_writes_too_much_is_refused(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "{% import 'parts.j2' as parts %}\n{{ parts.x }}\n")
    (directory / "parts.j2").write_text(
        "{% set x = 1 %}\n{% for i in range(100000) %}{% for j in range(100000) %}"
        + "literal text " * 600 + "{% endfor %}{% endfor %}\n", encoding="utf-8")
    error, peak = _refused(kareo, directory)
    assert error.codes == ("template-limit",)
    span = error.diagnostics[0].span
    assert (span.file, span.line) == (str(directory / "parts.j2"), 2)
    assert peak < PEAK_BYTES


def test_the_cli_reports_a_refused_template_as_template_line_with_exit_2(tmp_path: Path) -> None:
    directory = _templates(tmp_path, "ok\n{{ 'x'.center(999999999) }}\n")
    result = CliRunner().invoke(main, ["render", str(KAREO), "--templates", str(directory)])
    assert result.exit_code == 2
    assert f"{directory / 'policy.md.j2'}:2:1: error[template-limit]" in result.stderr
    assert f"more than {MAX_SIZE:,} characters or items" in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr


def test_sizes_under_the_bounds_still_render(tmp_path: Path, kareo) -> None:
    body = ("{{ 'x' | center(11) }}|{{ 'ab'.zfill(5) }}|{{ '%05d' % 42 }}|"
            "{{ '{:>6}'.format('ok') }}|{{ ['a', 'b'] | join('-') }}|"
            "{{ 'a b' | replace(' ', '--') }}|"
            "{% set ns = namespace(s='x') %}{% for i in range(10) %}{% set ns.s = ns.s ~ ns.s %}"
            "{% endfor %}{{ ns.s | length }}|{{ (2 ** 64) * 3 }}\n")
    directory = _templates(tmp_path, body)
    assert render(kareo, "markdown", templates=directory) == \
        "     x     |000ab|00042|    ok|a-b|a--b|1024|55340232221128654848\n"


@pytest.mark.parametrize("format", ["markdown", "html", "text"])
def test_our_templates_render_the_same_inside_the_bounded_sandbox(tmp_path: Path, kareo,
                                                                  format: str) -> None:
    directory = _templates(tmp_path, "unused\n", name="unused.j2")
    assert render(kareo, format, templates=directory, trace=True) == \
        render(kareo, format, trace=True)


# ------------------------------------------------ include, extends, import


def _refused_at(kareo, directory: Path, format: str = "markdown") -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        render(kareo, format, templates=directory)
    return caught.value


def test_a_template_that_includes_itself_through_others_is_refused_where_it_closes(
        tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "top\n{% include 'a.j2' %}\n")
    (directory / "a.j2").write_text("a\n{% import 'b.j2' as b %}\n", encoding="utf-8")
    (directory / "b.j2").write_text("\n\n{% include 'policy.md.j2' %}\n", encoding="utf-8")
    error = _refused_at(kareo, directory)
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "template-cycle"
    assert diagnostic.message == "`b.j2` includes itself through `policy.md.j2` and `a.j2`"
    span = diagnostic.span
    assert (span.file, span.line, span.column) == (str(directory / "b.j2"), 3, 12)
    assert "RecursionError" not in error.format()


def test_a_template_that_imports_itself_is_refused(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "{% import 'policy.md.j2' as me %}\n{{ me }}\n")
    (diagnostic,) = _refused_at(kareo, directory).diagnostics
    assert (diagnostic.code, diagnostic.message) == ("template-cycle",
                                                     "`policy.md.j2` imports itself")
    assert (diagnostic.span.file, diagnostic.span.line) == (str(directory / "policy.md.j2"), 1)


def test_a_user_template_extending_ours_of_its_own_name_is_told_why(tmp_path: Path,
                                                                    kareo) -> None:
    directory = _templates(tmp_path, "{% extends 'policy.txt.j2' %}\n", name="policy.txt.j2")
    (diagnostic,) = _refused_at(kareo, directory, "text").diagnostics
    assert (diagnostic.code, diagnostic.message) == ("template-cycle",
                                                     "`policy.txt.j2` extends itself")
    assert (diagnostic.span.file, diagnostic.span.line) == (str(directory / "policy.txt.j2"), 1)
    assert "replaces ours" in diagnostic.help


def test_a_user_template_our_template_includes_is_refused_in_the_users_file(
        tmp_path: Path, kareo) -> None:
    # ours (policy.html.j2) includes matrix.html.j2, which the user's file replaces
    directory = _templates(tmp_path, "<p>\n{% include 'policy.html.j2' %}\n",
                           name="matrix.html.j2")
    (diagnostic,) = _refused_at(kareo, directory, "html").diagnostics
    assert diagnostic.code == "template-cycle"
    assert diagnostic.message == "`matrix.html.j2` includes itself through `policy.html.j2`"
    assert (diagnostic.span.file, diagnostic.span.line) == \
        (str(directory / "matrix.html.j2"), 2)


def _chain(tmp_path: Path, levels: int) -> Path:
    """policy.md.j2 includes p1.j2, which includes p2.j2, ...: `levels` templates in all."""
    directory = _templates(tmp_path, "{% include 'p1.j2' %}\n" if levels > 1 else "end\n")
    for level in range(1, levels - 1):
        (directory / f"p{level}.j2").write_text(f"{level}\n{{% include 'p{level + 1}.j2' %}}",
                                                encoding="utf-8")
    (directory / f"p{levels - 1}.j2").write_text("end\n", encoding="utf-8")
    return directory


def test_templates_nested_as_deep_as_allowed_render(tmp_path: Path, kareo) -> None:
    output = render(kareo, "markdown", templates=_chain(tmp_path, MAX_NESTING))
    assert output.splitlines() == [str(n) for n in range(1, MAX_NESTING - 1)] + ["end"]


def test_templates_nested_deeper_than_allowed_are_refused_at_the_include(tmp_path: Path,
                                                                         kareo) -> None:
    directory = _chain(tmp_path, MAX_NESTING + 1)
    (diagnostic,) = _refused_at(kareo, directory).diagnostics
    assert diagnostic.code == "template-limit"
    assert f"more than {MAX_NESTING} levels deep" in diagnostic.message
    last = MAX_NESTING - 1  # the 20th template asks for the 21st
    assert (diagnostic.span.file, diagnostic.span.line, diagnostic.span.column) == \
        (str(directory / f"p{last}.j2"), 2, 12)


def test_a_template_included_many_times_side_by_side_is_no_cycle(tmp_path: Path,
                                                                 kareo) -> None:
    directory = _templates(tmp_path, "{% for i in range(3) %}{% include 'row.j2' %}{% endfor %}"
                                     "{% import 'row.j2' as a %}{% import 'row.j2' as b %}")
    (directory / "row.j2").write_text("row\n", encoding="utf-8")
    assert render(kareo, "markdown", templates=directory) == "row\nrow\nrow\n"


def test_a_macro_that_calls_itself_forever_is_a_located_limit(tmp_path: Path, kareo) -> None:
    directory = _templates(tmp_path, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(1) }}\n")
    error = _refused_at(kareo, directory)
    assert error.codes == ("template-limit",)
    assert error.diagnostics[0].span.file == str(directory / "policy.md.j2")
    assert "RecursionError" not in error.format()


def test_the_cli_reports_a_cycle_as_template_line_col_with_exit_2(tmp_path: Path) -> None:
    directory = _templates(tmp_path, "{% extends 'policy.txt.j2' %}\n"
                                     "{% include 'policy.md.j2' %}\n", name="policy.txt.j2")
    result = CliRunner().invoke(main, ["render", str(KAREO), "-f", "text",
                                       "--templates", str(directory)])
    assert result.exit_code == 2
    assert f"{directory / 'policy.txt.j2'}:1:12: error[template-cycle]: " \
           "`policy.txt.j2` extends itself" in result.stderr
    assert "Traceback" not in result.stderr
