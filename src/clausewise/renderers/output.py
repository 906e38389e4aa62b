"""Write a rendered file all at once, or not at all.

The text goes to a temporary file beside the target and is moved over it with
`os.replace`, so a reader never sees half a policy and a failure leaves the
old file (or none) in place. Only a regular file (or a new one) is replaced:
a symbolic link is written through to its target, which keeps its mode, and a
device, pipe or directory is refused, so `-o /dev/null` cannot replace the device.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..errors import UsageError


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace (or create) the regular file at `path` with `text`; `UsageError` if it can't."""
    target = Path(os.path.realpath(path))  # through symbolic links, to the file itself
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if _regular_or_absent(target, path) else None
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _cannot(path, exc) from None
        raise


def _regular_or_absent(target: Path, path: str | os.PathLike[str]) -> bool:
    """True when `target` is a regular file, False when it does not exist yet."""
    if not os.path.lexists(target):
        return False
    if not target.is_file():
        raise UsageError.single("not-a-regular-file", f"cannot write to `{path}`: it is not a "
                                "regular file", help="give a file path, or leave out -o to "
                                "print to standard output")
    return True


def _cannot(path: str | os.PathLike[str], exc: OSError) -> UsageError:
    reason = (exc.strerror or str(exc)).lower()
    return UsageError.single("cannot-write", f"cannot write `{path}`: {reason}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
