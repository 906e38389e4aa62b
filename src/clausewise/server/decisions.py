"""The decision log: one JSON line per decision, buffered, flushed on shutdown.

A record is

    {"id": "3f2a...", "time": "2024-05-01T12:00:00.123Z", "policy": "kareo",
     "version": "9c1e2d3f4a5b", "action": {...}, "decision": "allow",
     "clauses": ["partners"], "obligations": ["industry-standards"]}

`action` is the action as checked, so `jq -c .action LOG | clausewise check POLICY
- --jsonl` decides the logged actions again (what `clausewise audit` will do).
With `mask_data`, fact values stay out of the log: `action` is written without its
`context` and `masked` lists the facts that were given.

Lines are appended to a buffer when a decision is made (before it is answered)
and written by a thread every `flush_interval` seconds or when 256 KB are
waiting, in whole lines with `os.write` on a file opened with O_APPEND, so that
several worker processes can share one file; `close()` writes what is left and
syncs the file. A decision that was answered is in the log after a clean
shutdown; a crash (SIGKILL) may lose the last `flush_interval` seconds.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from typing import Any

from ..engine import Decision

log = logging.getLogger("clausewise.server")

#: write as soon as this much is waiting
FLUSH_BYTES = 256 * 1024
#: on a pipe, writes up to this size are never interleaved with another process's
PIPE_BUF = 4096


def new_id() -> str:
    return uuid.uuid4().hex


def record(decision_id: str, policy: str, version: str, action: dict[str, Any],
           decision: Decision, mask_data: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": decision_id, "time": _now(), "policy": policy,
                             "version": version, "action": action,
                             "decision": decision.effect, "clauses": list(decision.clause_ids),
                             "obligations": list(dict.fromkeys(d.clause for d in
                                                               decision.obligations))}
    if mask_data and action.get("context"):
        entry["action"] = {k: v for k, v in action.items() if k != "context"}
        entry["masked"] = sorted(action["context"])
    return entry


class DecisionLog:
    """Appends records to a file or standard output (`target` "-"); None writes nothing."""

    def __init__(self, target: str | None, flush_interval: float = 1.0) -> None:
        self.target = target
        self._fd: int | None = None
        self._chunk = 1024 * 1024
        if target == "-":
            self._fd, self._chunk = 1, PIPE_BUF
        elif target is not None:
            self._fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._lines: list[str] = []
        self._size = 0
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = False
        self._interval = flush_interval
        self._thread: threading.Thread | None = None
        if self._fd is not None:
            self._thread = threading.Thread(target=self._run, name="clausewise-log",
                                            daemon=True)
            self._thread.start()

    @property
    def enabled(self) -> bool:
        return self._fd is not None

    def write(self, entry: dict[str, Any]) -> None:
        if self._fd is None:
            return
        line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False) + "\n"
        with self._lock:
            self._lines.append(line)
            self._size += len(line)
            full = self._size >= FLUSH_BYTES
        if full:
            self._wake.set()

    def flush(self) -> None:
        with self._write_lock:  # one flush at a time keeps the lines in order
            with self._lock:
                lines, self._lines, self._size = self._lines, [], 0
            if lines and self._fd is not None:
                self._write(lines)

    def close(self) -> None:
        """Write everything still buffered and sync the file; idempotent."""
        self._stop = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        self.flush()
        if self._fd is not None and self._fd != 1:
            try:
                os.fsync(self._fd)
            except OSError:  # pragma: no cover - a pipe or a device given as the log
                pass
            os.close(self._fd)
        self._fd = None

    def _run(self) -> None:
        while not self._stop:
            self._wake.wait(self._interval)
            self._wake.clear()
            try:
                self.flush()
            except OSError:
                log.exception("writing the decision log failed")

    def _write(self, lines: list[str]) -> None:
        assert self._fd is not None
        chunk: list[bytes] = []
        size = 0
        for line in lines:
            data = line.encode("utf-8")
            if chunk and size + len(data) > self._chunk:
                self._write_all(b"".join(chunk))
                chunk, size = [], 0
            chunk.append(data)
            size += len(data)
        if chunk:
            self._write_all(b"".join(chunk))

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)  # type: ignore[arg-type]
            view = view[written:]


def _now() -> str:
    at = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at)) + f".{int(at % 1 * 1000):03d}Z"
