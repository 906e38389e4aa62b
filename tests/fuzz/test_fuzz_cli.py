"""The `clausewise` command as a whole process on a few generated inputs of each kind.

Exit code 0, 1 or 2, never a traceback (nor 3, the internal-error code); `--jsonl`
prints one record for every line that is not blank. Processes are slow to start
(about 0.3 s), so these tests take few inputs; the in-process tests take many.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from .harness import budget
from .manifests import manifests
from .policies import policies
from .templates import templates
from .values import json_texts

KAREO = "rules/kareo.policy"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@budget(8)
@given(text=json_texts(), fmt=st.sampled_from(("text", "json")))
def test_check_process(targets, text, fmt):
    targets.cli("cli-check", ["check", KAREO, "{action}", "--format", fmt],
                {"action.json": _utf8(text)})


@budget(6)
@given(lines=st.lists(json_texts().map(lambda t: t.replace("\n", " ")), min_size=1,
                      max_size=5), brief=st.booleans())
def test_check_jsonl_process(targets, lines, brief):
    data = _utf8("\n".join(lines) + "\n")
    expected = sum(1 for line in data.split(b"\n") if line.strip())
    targets.cli("cli-jsonl", ["check", KAREO, "{log}", "--jsonl"] + ["--brief"] * brief,
                {"log.jsonl": data}, jsonl_lines=expected)


@budget(6)
@given(data=manifests())
def test_manifest_process(targets, data):
    targets.cli("cli-manifest", ["check", KAREO, "--manifest", "{flows}"], {"flows.yaml": data})


@budget(6)
@given(text=policies(), verb=st.sampled_from(("validate", "render")))
def test_validate_and_render_process(targets, text, verb):
    targets.cli(f"cli-{verb}", [verb, "{policy}"], {"policy.policy": _utf8(text)})


@budget(4)
@given(template=templates())
def test_render_templates_process(targets, template):
    name, text = template
    directory = targets.sandbox.base / "cli-templates"
    directory.mkdir(exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    (directory / name).write_bytes(_utf8(text))
    fmt = {"policy.txt.j2": "text", "policy.md.j2": "markdown", "policy.html.j2": "html"}[name]
    targets.cli("cli-render-templates", ["render", KAREO, "--format", fmt, "--templates",
                                         str(directory)], {})
