"""The loaded policies: one slot per file, each holding its current version.

A version is a compiled `Engine`, the hash of the texts it was made from and its
load time. Hot reload polls the files (the root and everything it includes) and,
when one has changed and held still for one look, loads the policy anew: a version
that validates is swapped in by one assignment, so a request that took the old one
finishes on the old one; a version that fails keeps the old one serving and is
kept as the slot's `error` until a good version replaces it.

Polling rather than inotify (watchfiles): the set of files to watch changes with
every edit of an `include`; editors save by writing a new file and renaming it over
the old one, and Kubernetes ConfigMaps by swapping a symbolic link, and a stat of
the path follows both where an inotify watch on the old inode goes quiet; a file
caught half-written is not loaded until it holds still; and a few stat calls a
second cost nothing, on any file system, in any container.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import Engine
from ..errors import ClausewiseError, UsageError
from ..loader import Loaded, load

log = logging.getLogger("clausewise.server")

#: (path, mtime_ns, ctime_ns, size, inode) of each watched file; None for a missing one
Signature = tuple[tuple[str, int, int, int, int] | tuple[str, None], ...]


def version_hash(loaded: Loaded) -> str:
    """The first 12 hex digits of the sha256 of the policy's texts, in reading order.

    Each included file is named by its path relative to the root file's directory,
    so the same policy has the same version wherever it is installed.
    """
    root_dir = os.path.dirname(loaded.policy.root) or "."
    digest = hashlib.sha256()
    for index, (path, text) in enumerate(loaded.sources.items()):
        name = "" if index == 0 else os.path.relpath(path, root_dir)
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()[:12]


@dataclass(frozen=True, eq=False)
class Version:
    engine: Engine
    hash: str
    loaded_at: float
    #: rendered texts by format, filled on first request
    renders: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str, include_root: str | None = None) -> Version:
        engine = Engine(load(path, include_root=include_root))
        engine.compiled  # noqa: B018 - compile now, not on the first request
        return cls(engine, version_hash(engine.loaded), time.time())

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self.engine.loaded.sources)


@dataclass(frozen=True)
class ReloadError:
    """A version that failed to load, while the previous one goes on serving."""

    at: float
    error: ClausewiseError | None
    message: str

    def as_json(self) -> dict[str, Any]:
        from .problems import diagnostics_json

        return {"at": _iso(self.at), "message": self.message,
                "diagnostics": diagnostics_json(self.error) if self.error else [],
                "text": self.error.format() if self.error else self.message}


class Slot:
    """One policy file and the version of it that serves now."""

    def __init__(self, name: str, path: str, version: Version,
                 include_root: str | None = None) -> None:
        self.name, self.path, self.include_root = name, path, include_root
        self.version = version            # replaced whole, never changed in place
        self.error: ReloadError | None = None
        self._watched: tuple[str, ...] = (path, *version.files)
        self._seen = signature(self._watched)
        self._pending: Signature | None = None

    def as_json(self) -> dict[str, Any]:
        version, error = self.version, self.error
        return {"name": self.name, "path": self.path, "version": version.hash,
                "loaded_at": _iso(version.loaded_at),
                "clauses": len(version.engine.model.clauses),
                "files": list(version.files), "error": error.as_json() if error else None}

    def poll(self, listener: Callable[[str, bool], None]) -> None:
        """Reload if a watched file changed and has held still since the last look."""
        now = signature(self._watched)
        if now == self._seen:
            self._pending = None
            return
        if now != self._pending:
            self._pending = now
            return
        self._pending = None
        self.reload(listener, before=now)

    def reload(self, listener: Callable[[str, bool], None],
               before: Signature | None = None) -> None:
        before = before if before is not None else signature(self._watched)
        try:
            new = Version.load(self.path, self.include_root)
        except Exception as exc:  # noqa: BLE001 - a bad edit must never stop the server
            known = isinstance(exc, ClausewiseError)
            message = (f"{self.path}: the new version is not valid; version "
                       f"{self.version.hash} goes on serving") if known else \
                f"{self.path}: reloading failed ({type(exc).__name__}: {exc}); version " \
                f"{self.version.hash} goes on serving"
            self.error = ReloadError(time.time(), exc if known else None, message)
            files = tuple(getattr(exc, "sources", {}) or ())
            self._watched = tuple(dict.fromkeys((self.path, *self.version.files, *files)))
            self._seen = signature(self._watched)
            log.error("%s\n%s", message, exc.format() if known else "")
            listener(self.name, False)
            return
        self._watched = (self.path, *new.files)
        after = signature(self._watched)
        self._seen = None if _moved(before, after) else after  # changed while loading: again
        recovered, self.error = self.error is not None, None
        if new.hash == self.version.hash:  # touched, or an edit undone: nothing to swap
            if recovered:
                listener(self.name, True)
            return
        old, self.version = self.version, new
        log.info("%s: reloaded, version %s -> %s", self.path, old.hash, new.hash)
        listener(self.name, True)


class PolicyStore:
    """The policies `serve` was given, by name (the file's stem), in order."""

    def __init__(self, paths: Iterable[str], include_root: str | None = None) -> None:
        self.slots: dict[str, Slot] = {}
        for path in paths:
            name = Path(path).stem
            if name in self.slots:
                raise UsageError.single("duplicate-policy-name", f"two policies are named "
                                        f"`{name}` (`{self.slots[name].path}` and `{path}`)",
                                        help="a policy is named by its file name without "
                                        "the extension: rename one of the files")
            self.slots[name] = Slot(name, path, Version.load(path, include_root), include_root)
        if not self.slots:
            raise UsageError.single("usage", "give at least one policy file")
        self.default = next(iter(self.slots))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def get(self, name: str | None) -> Slot | None:
        return self.slots.get(self.default if name is None else name)

    def poll(self, listener: Callable[[str, bool], None]) -> None:
        for slot in self.slots.values():
            slot.poll(listener)

    def watch(self, interval: float, listener: Callable[[str, bool], None]) -> None:
        """Poll every `interval` seconds in a daemon thread, until `stop()`."""
        def run() -> None:
            while not self._stop.wait(interval):
                try:
                    self.poll(listener)
                except Exception:  # noqa: BLE001 - the watcher outlives any surprise
                    log.exception("watching the policy files failed; watching goes on")

        self._thread = threading.Thread(target=run, name="clausewise-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def signature(paths: Iterable[str]) -> Signature:
    out: list[Any] = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out.append((path, None))
            continue
        out.append((path, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))
    return tuple(out)


def _moved(before: Signature, after: Signature) -> bool:
    """Whether a file seen both before and after a load changed in between."""
    earlier = {entry[0]: entry for entry in before}
    return any(entry[0] in earlier and earlier[entry[0]] != entry for entry in after)


def _iso(at: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at)) + f".{int(at % 1 * 1000):03d}Z"


__all__ = ["PolicyStore", "ReloadError", "Slot", "Version", "version_hash"]
