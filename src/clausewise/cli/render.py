"""`clausewise render`: print the human-readable policy made from the rules."""

from __future__ import annotations

import click

from ..loader import load
from ..renderers import FORMATS, LAYOUTS, render as render_policy
from ..renderers.output import write_atomic
from . import include_root_option, main, reports_errors


@main.command()
@click.argument("policy", type=click.Path(dir_okay=False))
@click.option("-f", "--format", "format_", type=click.Choice(list(FORMATS)), default="markdown",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to FILE (all at once, or not at all) instead of stdout; - is stdout.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False),
              help="Directory of Jinja templates that override ours by name (run sandboxed).")
@click.option("--trace", is_flag=True,
              help="Add each paragraph's clause id and file:line, for a legal reviewer.")
@click.option("--layout", type=click.Choice(LAYOUTS), default=None,
              help="sections: the policy's own `section` headings (the default when it has "
              "any); standard: the fixed layout of a published policy (the default without).")
@click.option("--review", is_flag=True,
              help="The review view for legal editors: each clause's text beside the sentence "
              "generated from its rules, its file:line and any drift (markdown or html).")
@include_root_option
@reports_errors
def render(policy: str, format_: str, output: str | None, templates: str | None,
           trace: bool, layout: str | None, review: bool, include_root: str | None) -> None:
    """Render POLICY as a privacy policy people read: markdown, html or text.

    Every clause appears once, in the policy's own sections (or the standard
    layout), each section with its rules at a glance, under a summary label made
    from the rules; the HTML page adds decision tables computed from the rules.
    A template error is reported as template:line (exit 2) and writes no file.
    """
    text = render_policy(load(policy, include_root=include_root), format_, trace,
                         templates=templates, layout=layout, review=review)
    if output is None or output == "-":
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
