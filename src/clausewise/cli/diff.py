"""`clausewise diff`: which actions change decision between two versions of a policy."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import click

from ..diff.changes import DiffResult, diff
from ..diff.report import rendered_diffs, to_github, to_json, to_markdown, to_text, with_layout
from ..errors import Diagnostic, PolicyError, UsageError
from ..loader import load, read_source
from . import EXIT_FINDING, EXIT_OK, include_root_option, main, reports_errors

#: --fail-on choice -> the change classes that fail the run
FAIL_ON = {
    "widening": ("widening", "both", "drift"),
    "any": ("widening", "narrowing", "both", "drift"),
    "none": (),
}


@main.command("diff")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--base", metavar="GITREF", help="Compare FILE as it is now with FILE (and "
              "what it includes) at this git revision, e.g. origin/main.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "github"]),
              default="text", show_default=True, help="markdown suits a pull-request comment; "
              "github prints workflow annotations on the changed clauses.")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)), default="widening",
              show_default=True, help="Exit 1 when a change of this sort is found: widening "
              "(an action now allowed, a duty weakened or dropped, or drift: a clause whose "
              "rules changed while its text did not), any decision, duty or drift change, "
              "or none.")
@include_root_option
@reports_errors
def diff_command(files: tuple[str, ...], base: str | None, fmt: str, fail_on: str,
                 include_root: str | None) -> None:
    """Compare OLD and NEW (or, with --base, FILE at GITREF and FILE now).

    Reports every action whose decision changes, exactly, over every action the two
    versions can tell apart, as statements: the cause (which clause changed, and how,
    old -> new), the effect, and a witness action `clausewise check` decides one way
    with each version; then drift and text changes, and the diff of the rendered
    policy (not in the github format). Exit 1 when a change matches --fail-on, else
    0; 2 on bad input.
    """
    if base is not None:
        if base.startswith("-") or not base.strip():
            raise UsageError.single("bad-revision", f"`{base}` is not a git revision")
        if len(files) != 1:
            raise UsageError.single("usage", "with --base, give exactly one FILE")
        try:
            old = load(files[0], reader=_git_reader(base), include_root=include_root)
        except PolicyError as error:
            raise _in_revision(error, base) from None
        new = load(files[0], include_root=include_root)
    else:
        if len(files) != 2:
            raise UsageError.single("usage", "give OLD and NEW, or one FILE with --base GITREF")
        old = load(files[0], include_root=include_root)
        new = load(files[1], include_root=include_root)
    with _Progress() as progress:
        result = diff(old, new, progress=progress)
    if base is not None:
        result = replace(result, revision=base)
    rendered = rendered_diffs(result) if fmt != "github" else {}
    result = with_layout(result, rendered)
    output = {"text": lambda: to_text(result, rendered), "markdown": lambda: to_markdown(result, rendered),
              "json": lambda: to_json(result, rendered), "github": lambda: to_github(result)}
    text = output[fmt]()
    if text:
        click.echo(text)
    sys.exit(_exit_code(result, fail_on))


class _Progress:
    """A progress bar on stderr, shown only on a terminal and once a diff runs past a second."""

    DELAY = 1.0

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.shown = False
        self.live = sys.stderr.isatty()

    def __enter__(self) -> _Progress:
        return self

    def __call__(self, done: int, total: int, kind: str) -> None:
        if not self.live or time.monotonic() - self.start < self.DELAY:
            return
        width = 24
        filled = width * done // max(total, 1)
        label = f" {kind} actions" if kind else " done"
        sys.stderr.write(f"\rclausewise diff [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done}/{total}{label:<20}")
        sys.stderr.flush()
        self.shown = True

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


def _in_revision(error: PolicyError, revision: str) -> PolicyError:
    """An error in the base version, located in that revision (`REV:path:line`)."""
    def moved(span):
        return span.model_copy(update={"file": f"{revision}:{span.file}"}) if span else None
    diagnostics = tuple(Diagnostic(d.code, d.message if d.span is not None or revision in
                                   d.message else f"{d.message} (at revision {revision})",
                                   moved(d.span), d.help) for d in error.diagnostics)
    sources = {f"{revision}:{name}": text for name, text in error.sources.items()}
    return PolicyError(diagnostics, sources)


def _exit_code(result: DiffResult, fail_on: str) -> int:
    failing = FAIL_ON[fail_on]
    return EXIT_FINDING if any(c.cls in failing for c in result.changes) else EXIT_OK


def _git_reader(ref: str):
    """A file reader that takes each policy file as it was at `ref`."""
    def read(path: str) -> str:
        file = Path(path).resolve()
        try:
            top = subprocess.run(["git", "-C", str(file.parent), "rev-parse", "--show-toplevel"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            raise UsageError.single("not-a-repository", f"`{path}` is not in a git "
                                    "repository, so --base cannot read an older version") \
                from None
        relative = file.relative_to(Path(top).resolve()).as_posix()
        shown = subprocess.run(["git", "-C", top, "show", f"{ref}:{relative}"],
                               capture_output=True)
        if shown.returncode != 0:
            message = shown.stderr.decode("utf-8", "replace").strip().splitlines()
            if any("does not exist" in line or "exists on disk, but not in" in line
                   for line in message):
                raise PolicyError.single("no-such-file", f"no such file: `{path}` at {ref}")
            raise UsageError.single("bad-revision", f"git cannot show `{relative}` at "
                                    f"`{ref}`: {message[-1] if message else 'unknown error'}")
        return read_source(path, shown.stdout)
    return read
