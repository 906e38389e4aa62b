"""docs/lint.md holds to the lint registry and to what the command prints."""

from __future__ import annotations

import re

from click.testing import CliRunner

from clausewise.cli import main
from clausewise.lint import CODES

from conftest import ROOT

DOC = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")


def test_the_table_of_codes_is_the_registry() -> None:
    rows = re.findall(r"^\| `(CW\d+)` \| ([\w-]+) \| (\w+) \| (.+?) \| (.+?) \|$", DOC, re.M)
    assert [(c, n, s, summary, fix) for c, n, s, summary, fix in rows] == [
        (c.code, c.name, c.severity, c.summary, c.fix) for c in CODES.values()]


def test_the_sample_finding_is_what_lint_prints(monkeypatch) -> None:
    sample = DOC.split("prints, among the others:\n\n```\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)  # the sample gives the path as typed from the repository's root
    output = CliRunner().invoke(main, ["lint", "tests/data/lint/findings.policy"]).output
    assert sample in output
