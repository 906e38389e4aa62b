"""The `clausewise` command: one module per verb, registered on one click group."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import ClausewiseError

F = TypeVar("F", bound=Callable[..., Any])

#: exit codes shared by every verb
EXIT_OK, EXIT_FINDING, EXIT_INPUT = 0, 1, 2


def reports_errors(func: F) -> F:
    """Turn a `ClausewiseError` into its formatted text on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ClausewiseError as exc:
            click.echo(exc.format(), err=True)
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clausewise")
def main() -> None:
    """Privacy policies as code: validate, check actions, render, diff.

    Exit codes: 0 success (allow, no change), 1 a finding (deny, a change that
    fails the check), 2 bad input or usage.
    """


def _register() -> None:
    from . import check, diff, render, schema, validate  # noqa: F401  (each module adds its command to `main`)


_register()
