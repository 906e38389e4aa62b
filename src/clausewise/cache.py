"""A per-user cache directory that nobody else can write, checked before every use.

A cache is only worth its start-up time if it cannot be used against us: Lark's
grammar cache is a pickle, and a planted pickle runs code as whoever loads it; a
planted taxonomy snapshot would change what a policy's terms cover. So a cache
lives only in `$XDG_CACHE_HOME/clausewise` (or `~/.cache/clausewise`), created with
mode 0700, and it is used only while that directory, and each file read from it,
is owned by the current user and writable by no one else. Anything else (a shared
temp directory, a directory of another user, a symbolic link) means no cache: the
work is redone, which costs a tenth of a second.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _base() -> Path:
    configured = os.environ.get("XDG_CACHE_HOME")
    return Path(configured) if configured and os.path.isabs(configured) else \
        Path.home() / ".cache"


def _private(info: os.stat_result, kind: int) -> bool:
    """Of `kind`, owned by us, and writable by nobody else."""
    return (stat.S_IFMT(info.st_mode) == kind and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def private_dir() -> Path | None:
    """The cache directory, made if missing, or None when it cannot be trusted."""
    if not hasattr(os, "getuid"):  # no owners to check (Windows): no cache
        return None
    try:
        folder = _base() / "clausewise"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)  # lstat: a symbolic link is refused, not followed
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return None
    if not _private(info, stat.S_IFDIR):
        return None
    return folder


def trusted_file(path: Path) -> bool:
    """Whether `path` exists in a private cache directory and may be read."""
    try:
        return _private(os.lstat(path), stat.S_IFREG)
    except OSError:
        return False


def read_trusted(name: str) -> bytes | None:
    """The content of a cache file, or None when it is missing or not to be trusted."""
    folder = private_dir()
    if folder is None:
        return None
    path = folder / name
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        if not _private(os.fstat(stream.fileno()), stat.S_IFREG):
            return None
        return stream.read()


def write_private(name: str, data: bytes) -> None:
    """Write a cache file atomically (a temporary file, then a rename); failures only
    cost the cache."""
    folder = private_dir()
    if folder is None:
        return
    try:
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, folder / name)
    except OSError:
        try:
            os.unlink(tmp.name)
        except (OSError, UnboundLocalError):
            pass
