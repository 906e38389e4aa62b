"""`clausewise schema`: the JSON Schema of what the commands read and write."""

from __future__ import annotations

import json

import click

from ..engine.action import Action
from . import main


@main.command()
@click.argument("what", type=click.Choice(["action"]))
def schema(what: str) -> None:
    """Print the JSON Schema of WHAT (`action`: the input of `clausewise check`)."""
    click.echo(json.dumps(Action.model_json_schema(), indent=2))
