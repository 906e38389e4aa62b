"""`clausewise lint`: findings about policies that validate but may not mean what
their authors wanted."""

from __future__ import annotations

import os
import sys
from importlib import metadata

import click

from ..errors import PolicyError, UsageError
from ..lint import CODES, Finding, find_config, lint
from ..lint.output import summary, to_github, to_json, to_sarif, to_text
from ..loader import Loaded, load
from ..policytests import read_suite, supplied_facts, tests_beside
from . import EXIT_FINDING, EXIT_INPUT, EXIT_OK, include_root_option, main, reports_errors

FORMATS = {"text": to_text, "json": to_json, "github": to_github}


@main.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]),
              default="text", show_default=True, help="github prints workflow annotations; "
              "sarif is a SARIF 2.1.0 log for code scanning.")
@click.option("--list-codes", is_flag=True, help="List every lint code, its severity and "
              "its fix, and exit.")
@include_root_option
@reports_errors
def lint_command(paths: tuple[str, ...], fmt: str, list_codes: bool,
                 include_root: str | None) -> None:
    """Lint policy files, or every policy under a directory.

    Each finding has a stable code (CW101...), a severity, file:line:col, a one-line
    fix and, where it helps, an example action decided by the engine. Files that
    another policy includes are linted as part of it. Turn codes off in pyproject.toml
    (`[tool.clausewise.lint] disable = ["CW101"]`) or for one clause with a comment
    `# clausewise: disable=CW101`. Exit 1 when a finding is an error, else 0; 2 on
    bad input.
    """
    if list_codes:
        for code in CODES.values():
            click.echo(f"{code.code}  {code.severity:<7}  {code.name}: {code.summary}\n"
                       f"{'':16}fix: {code.fix}")
        sys.exit(EXIT_OK)
    if not paths:
        raise UsageError.single("usage", "give policy files or directories to lint")
    findings: list[Finding] = []
    errors: list[PolicyError] = []
    for loaded in _policies(paths, include_root, errors):
        findings += lint(loaded, supplied=_supplied(loaded.policy.root),
                         config=find_config(loaded.policy.root))
    if fmt == "sarif":
        text = to_sarif(findings, metadata.version("clausewise"))
    else:
        text = FORMATS[fmt](findings)
    if text:
        click.echo(text)
    for error in errors:
        click.echo(error.format(), err=True)
    if errors:
        sys.exit(EXIT_INPUT)
    if fmt != "text" and findings:
        click.echo(summary(findings), err=True)
    sys.exit(EXIT_FINDING if any(f.severity == "error" for f in findings) else EXIT_OK)


def _policies(paths: tuple[str, ...], include_root: str | None,
              errors: list[PolicyError]) -> list[Loaded]:
    """Every root policy among the paths: a file another one includes is linted with it."""
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for folder, subdirs, names in os.walk(path):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
                files += [os.path.join(folder, n) for n in sorted(names) if n.endswith(".policy")]
        else:
            files.append(path)
    loaded: dict[str, Loaded] = {}
    for file in dict.fromkeys(files):
        try:
            loaded[file] = load(file, include_root=include_root)
        except PolicyError as exc:
            errors.append(exc)
    included = {os.path.realpath(d.path) for one in loaded.values()
                for d in one.policy.documents[1:]}
    return [one for file, one in loaded.items() if os.path.realpath(file) not in included]


def _supplied(policy_path: str) -> set[str] | None:
    """The facts the policy's own tests give, or None when it has none (or they do not read)."""
    beside = tests_beside(policy_path)
    if beside is None:
        return None
    try:
        return supplied_facts(read_suite(beside))
    except UsageError:
        return None
