"""The README tells the truth: its sample output is what the command prints."""

from __future__ import annotations

import re

from click.testing import CliRunner

from clausewise.cli import main
from conftest import ROOT


def run_sample(monkeypatch, pattern: str):
    """The README command `pattern` finds, run from the project's root, and the output
    the README shows for it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command, shown = re.search(pattern, readme, re.S).groups()
    monkeypatch.chdir(ROOT)
    return CliRunner().invoke(main, command.split()[1:]), shown


def test_readme_sample_decision_is_the_real_output(monkeypatch) -> None:
    result, shown = run_sample(monkeypatch, r"`(clausewise check [^`]+)` prints:\n\n```\n(.*?)```")
    assert result.stdout == shown


def test_readme_set_up_commands_name_real_files() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("```sh\n", 1)[1].split("\n", 1)[0]
    for path in re.findall(r"\b(?:rules|examples)/[\w./-]+", first):
        assert (ROOT / path).is_file(), path


def test_readme_sample_error_is_the_real_output(monkeypatch) -> None:
    result, shown = run_sample(monkeypatch,
                               r"`(clausewise validate [^`]+)`\nprints:\n\n```\n(.*?)```")
    assert result.exit_code == 2 and result.stderr == shown
