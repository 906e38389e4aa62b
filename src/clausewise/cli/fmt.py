"""`clausewise fmt`: rewrite policy files in the one canonical layout (see docs/fmt.md)."""

from __future__ import annotations

import difflib
import os
import stat
import sys
import tempfile
from pathlib import Path

import click

from ..errors import ClausewiseError, UsageError
from ..fmt import format_text
from ..loader import read_source
from . import EXIT_FINDING, EXIT_INPUT, EXIT_OK, main, reports_errors


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--check", is_flag=True, help="Change no file; list those that would change "
              "and exit 1 if any would.")
@click.option("--diff", "show_diff", is_flag=True, help="Change no file; print what would "
              "change as a unified diff.")
@reports_errors
def fmt(files: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Lay out each policy FILE the canonical way (a directory: its .policy files;
    - reads standard input and prints the result).

    Only whitespace changes: comments and texts stay as they are, and the policy
    means the same. A file with a syntax error is left as it is and its errors are
    printed. Exit code 0 when done (or nothing would change), 1 with --check when a
    file would change, 2 when a file could not be read or parsed.
    """
    status = EXIT_OK
    for file in _policy_files(files):
        try:
            changed = _one(file, check, show_diff)
        except ClausewiseError as exc:  # the others are still formatted
            click.echo(exc.format(), err=True)
            status = EXIT_INPUT
            continue
        if changed and check and status == EXIT_OK:
            status = EXIT_FINDING
    sys.exit(status)


def _policy_files(files: tuple[str, ...]) -> list[str]:
    """The files named, a directory's `.policy` files (sorted) in its place."""
    found: list[str] = []
    for name in files:
        if name != "-" and Path(name).is_dir():
            inside = sorted(str(p) for p in Path(name).rglob("*.policy") if p.is_file())
            if not inside:
                raise UsageError.single("no-policy-files", f"`{name}` holds no .policy file")
            found += inside
        else:
            found.append(name)
    return found


def _one(file: str, check: bool, show_diff: bool) -> bool:
    """Format one file (or standard input); whether it changes."""
    stdin = file == "-"
    name = "<stdin>" if stdin else file
    text = read_source(name, sys.stdin.buffer.read() if stdin else None)
    formatted = format_text(text, name)
    changed = formatted != text or (not stdin and _on_disk(file) != formatted.encode("utf-8"))
    if show_diff and changed:
        click.echo("".join(difflib.unified_diff(
            text.splitlines(keepends=True), formatted.splitlines(keepends=True),
            fromfile=f"{name} (now)", tofile=f"{name} (formatted)")), nl=False)
    if check:
        if changed:
            click.echo(f"would reformat {name}")
        return changed
    if stdin and not show_diff:
        click.echo(formatted, nl=False)
    elif changed and not show_diff:
        write_atomically(file, formatted)
        click.echo(f"reformatted {name}")
    return changed


def _on_disk(path: str) -> bytes | None:
    """The file's bytes, to tell a file whose text is formatted but whose line endings
    (CRLF) or byte order mark are not; None for what is no regular file."""
    return Path(path).read_bytes() if Path(path).is_file() else None


def write_atomically(path: str, text: str) -> None:
    """Replace the file at `path` with `text` at once (a temporary file beside it, then
    `os.replace`), keeping its permissions; a link is followed, not replaced."""
    target = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    handle, temporary = tempfile.mkstemp(prefix=".clausewise-fmt-", suffix=".tmp",
                                         dir=os.path.dirname(target))
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
