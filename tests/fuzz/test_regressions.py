"""Crashes the fuzz campaign found that issue 8 did not list, each as its smallest input.

Each test states the behaviour the oracle asks for; until the fix lands it fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewise.errors import TemplateError
from clausewise.loader import load
from clausewise.renderers import render

ROOT = Path(__file__).resolve().parents[2]
KAREO = ROOT / "rules" / "kareo.policy"


@pytest.fixture(scope="module")
def kareo():
    return load(KAREO)


def _render_with(tmp_path: Path, loaded, name: str, text: bytes) -> TemplateError:
    (tmp_path / name).write_bytes(text)
    with pytest.raises(TemplateError) as caught:
        render(loaded, {"policy.txt.j2": "text", "policy.md.j2": "markdown"}[name],
               templates=tmp_path)
    return caught.value


def test_include_of_a_missing_template_is_located_at_the_include(tmp_path, kareo):
    # found by the template target: `{% include 'policy.d.j2' %}` gave a TemplateError
    # with no span at all (template-not-found), so `render` printed no template:line
    error = _render_with(tmp_path, kareo, "policy.txt.j2",
                         b"first line\n{% include 'no-such.j2' %}\n")
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "template-not-found"
    assert diagnostic.span is not None
    assert Path(diagnostic.span.file).name == "policy.txt.j2"
    assert (diagnostic.span.line, diagnostic.span.column) >= (2, 1)


def test_a_user_template_that_is_not_utf8_is_located_at_its_file(tmp_path, kareo):
    # found by the template target: a template with a byte that is not UTF-8 gave
    # template-encoding with no span, naming no file; which file is wrong must show
    error = _render_with(tmp_path, kareo, "policy.md.j2", b"# title\n\xff\xfe {{ doc.title }}\n")
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "template-encoding"
    assert diagnostic.span is not None
    assert Path(diagnostic.span.file).name == "policy.md.j2"
    assert diagnostic.span.line >= 1 and diagnostic.span.column >= 1


def test_a_template_that_extends_itself_is_refused_in_the_users_file(tmp_path, kareo):
    # found by the template target: a user's policy.txt.j2 that extends itself (and
    # includes policy.md.j2) recursed about a thousand levels, rendering Kareo's whole
    # Markdown at each, for 8 to 10 s, and ended in a RecursionError located in our
    # policy.md.j2:8; a template that includes or extends itself should be refused
    # at once, in the user's file
    error = _render_with(tmp_path, kareo, "policy.txt.j2",
                         b"{% extends 'policy.txt.j2' %}\n{% include 'policy.md.j2' %}\n")
    assert all(Path(d.span.file).name == "policy.txt.j2" and Path(d.span.file).parent == tmp_path
               for d in error.diagnostics if d.span is not None)
    assert error.diagnostics[0].span is not None
    assert "RecursionError" not in error.format()


def test_an_error_while_jinja_folds_constants_is_a_template_error(tmp_path, kareo):
    # found by the long campaign: slicing a number inside `{% set %}` failed while Jinja
    # compiled the template (UndefinedError from its optimizer), and escaped as a crash
    error = _render_with(tmp_path, kareo, "policy.txt.j2",
                         b"{% set v = (14915[1:3] ~ 'x') %}{{ v }}\n")
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "template-error"
    assert "policy.txt.j2" in diagnostic.message


def test_a_manifest_whose_top_mapping_has_a_list_as_a_key_is_a_located_error(tmp_path):
    # found by the long campaign (atheris): `? [a]` as a top-level key raised TypeError
    from clausewise.manifest import read_manifest
    from clausewise.errors import UsageError

    path = tmp_path / "flows.yaml"
    path.write_text("? [a, b]\n: 1\nflows: []\n", encoding="utf-8")
    flows, _ = read_manifest(str(path))
    assert flows == []
    path.write_text("? [a, b]\n: 1\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_manifest(str(path))
    assert caught.value.codes == ("bad-manifest",)


@pytest.mark.parametrize("kind", [[], {}, 1, None])
def test_an_action_kind_that_is_no_string_is_an_action_error(kind):
    # found by the hypothesis suite: the fast reader of known shapes hashed a list kind
    import clausewise
    from clausewise.errors import ActionError

    engine = clausewise.load(KAREO)
    with pytest.raises(ActionError):
        engine.check({"action": kind, "data": ["user"]})
