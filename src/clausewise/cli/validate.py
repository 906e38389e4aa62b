"""`clausewise validate`: parse and check policy files, print what they contain."""

from __future__ import annotations

from collections import Counter

import click

from ..loader import load
from . import include_root_option, main, reports_errors


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())  # the loader checks them
@include_root_option
@reports_errors
def validate(files: tuple[str, ...], include_root: str | None) -> None:
    """Parse and check each policy FILE (with the files it includes).

    Prints a summary per policy: clauses per kind and terms declared. Every
    problem is reported as file:line:col with the source line; exit code 2.
    """
    for file in files:
        loaded = load(file, include_root=include_root)
        policy = loaded.policy
        kinds = Counter(clause.kind for clause in policy.clauses)
        terms = Counter(term.vocab.value for term in policy.terms)
        name = policy.header.name if policy.header else file
        click.echo(f"{file}: ok: {name!r}, {len(policy.clauses)} clauses in "
                   f"{len(policy.documents)} file(s)")
        click.echo("  clauses: " + (", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                                    or "none (a vocabulary file, or nothing yet)"))
        if terms or policy.facts:
            declared = [f"{n} {v}" for v, n in sorted(terms.items())]
            if policy.facts:
                declared.append(f"{len(policy.facts)} fact")
            click.echo("  declared: " + ", ".join(declared))
