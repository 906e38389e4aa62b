"""The `clausewise` command: one module per verb, registered on one click group."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import ClausewiseError
from ..safe_text import visible_line

F = TypeVar("F", bound=Callable[..., Any])

#: exit codes shared by every verb; EXIT_BUG is never a decision, so a crash cannot
#: pass for "deny" (1) in a script that only tests for allow; EXIT_PIPE is what a
#: shell reports for a reader that went away (`clausewise ... | head -1`)
EXIT_OK, EXIT_FINDING, EXIT_INPUT, EXIT_BUG, EXIT_PIPE = 0, 1, 2, 3, 141

BUG_REPORT = ("clausewise: internal error ({kind}: {message}); this is a bug, please report "
              "it with the command and input that caused it")


def include_root_option(func: F) -> F:
    """`--include-root DIR`: the tree that a policy's includes must stay inside."""
    return click.option(
        "--include-root", type=click.Path(file_okay=False, exists=True),
        help="Directory that includes must resolve inside (default: the directory of "
        "the policy file); an include outside it is refused without being read.")(func)


def reports_errors(func: F) -> F:
    """Turn a `ClausewiseError` into its formatted text on stderr and exit code 2, and
    anything unexpected into one line asking for a bug report and exit code 3."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ClausewiseError as exc:
            click.echo(exc.format(), err=True)
            sys.exit(EXIT_INPUT)
        except (SystemExit, KeyboardInterrupt, click.exceptions.Exit, click.ClickException,
                click.exceptions.Abort):
            raise
        except BrokenPipeError:  # the reader stopped reading: nothing is wrong with us
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_PIPE)
        except BaseException as exc:  # noqa: BLE001 - the one place a bug is turned into words
            try:
                message = visible_line(str(exc)[:200]) or "no message"
            except Exception:  # noqa: BLE001 - even its message may fail to print
                message = "no message"
            click.echo(BUG_REPORT.format(kind=type(exc).__name__, message=message), err=True)
            sys.exit(EXIT_BUG)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clausewise")
def main() -> None:
    """Privacy policies as code: validate, check actions, render, diff.

    Exit codes: 0 success (allow, no change), 1 a finding (deny, a change that
    fails the check), 2 bad input or usage, 3 an internal error (a bug: please
    report it).
    """


def _register() -> None:
    from . import audit, check, diff, fmt, lint, render, schema, serve, test, validate, vocab  # noqa: F401  (each module adds its command to `main`)


_register()
