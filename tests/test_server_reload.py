"""Hot reload under load: threads decide without pause while the policy file is
rewritten several times, then broken, then mended.

No request may be lost (every one answered 200), every answer carries the hash of
a version that was written, and every decision in it (a batch included) is the one
that version makes: no request mixes two versions. A bad edit keeps the previous
version serving and is reported in /ready, /v1/policies, the metrics and the log.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import clausewise
from clausewise.engine.explain import to_dict
from clausewise.server.store import version_hash

from conftest import ROOT
from test_server import PATIENCE, STAMP, ServerProcess, without

SHARE = {"action": "share", "data": ["user.contact.email"], "subject": "customer",
         "recipient": "partner", "purpose": "marketing.communications",
         "context": {"consent": True, "opted_out": False}}
USE = {"action": "use", "data": ["user.contact.email"],
       "purpose": "essential.service.authentication"}
FLIP = "\nprohibition test-flip\n  never share user.contact.email\nend\n"
BROKEN = "\nsharing broken\n  share user.contact.emial\n  with partner\nend\n"
THREADS = 4


def replace(path: Path, text: str) -> None:
    """Write as editors do: a new file renamed over the old one."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def expected_for(text: str, folder: Path, served: Path) -> tuple[str, dict[str, Any]]:
    """A version's hash and its decisions on SHARE and USE, worked out in this process
    on a copy in `folder` (its file names then changed to those of `served`)."""
    folder.mkdir()
    shutil.copy(ROOT / "rules" / "kareo-vocabulary.policy", folder)
    (folder / "kareo.policy").write_text(text, encoding="utf-8")
    engine = clausewise.load(folder / "kareo.policy")
    decisions = {name: to_dict(engine.check(action), engine.compiled)
                 for name, action in (("share", SHARE), ("use", USE))}
    renamed = json.dumps(decisions).replace(str(folder), str(served.parent))
    return version_hash(engine.loaded), json.loads(renamed)


class Hammer:
    """Threads that decide until told to stop, keeping every answer (or failure)."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.answers: list[tuple[str, Any]] = []
        self.failures: list[str] = []
        self.sent = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(THREADS)]

    def run(self, number: int) -> None:
        with self.server.client() as client:
            turn = 0
            while not self.stop.is_set():
                turn += 1
                with self.lock:
                    self.sent += 1
                try:
                    if (turn + number) % 3 == 0:
                        response = client.post("/v1/check/batch", json=[SHARE, USE, SHARE])
                        kind = "batch"
                    else:
                        response = client.post("/v1/check", json=SHARE)
                        kind = "single"
                except httpx.HTTPError as exc:
                    with self.lock:
                        self.failures.append(repr(exc))
                    continue
                with self.lock:
                    if response.status_code != 200:
                        self.failures.append(f"{response.status_code}: {response.text}")
                    else:
                        self.answers.append((kind, response.json()))

    def count(self, version: str) -> int:
        with self.lock:
            return sum(1 for _, a in self.answers if a["version"] == version)

    def __enter__(self) -> Hammer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=PATIENCE)


def wait_for(what: str, condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture()
def policy(tmp_path: Path) -> Path:
    folder = tmp_path / "served"
    folder.mkdir()
    for name in ("kareo.policy", "kareo-vocabulary.policy"):
        shutil.copy(ROOT / "rules" / name, folder)
    return folder / "kareo.policy"


@pytest.fixture()
def server(policy: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(str(policy), "--reload-interval", "0.1")
    yield server
    server.kill()


def test_reloads_under_concurrent_requests_lose_nothing_and_mix_no_versions(
        policy: Path, server: ServerProcess, tmp_path: Path) -> None:
    base = policy.read_text(encoding="utf-8")
    texts = [base + FLIP, base + "\n# an editorial comment\n", base, base + FLIP, base]
    expected: dict[str, dict[str, dict[str, Any]]] = {}
    by_text: dict[str, str] = {}
    for number, text in enumerate(dict.fromkeys(texts)):
        version, decisions = expected_for(text, tmp_path / f"v{number}", policy)
        expected[version], by_text[text] = decisions, version
    order = [by_text[text] for text in texts]
    assert len(expected) == 3
    assert expected[order[0]]["share"]["decision"] == "deny"   # the flip forbids it
    assert expected[order[2]]["share"]["decision"] == "allow"
    first = order[2]  # the served file is the base text

    control = server.client()
    served = lambda: control.get("/v1/policies/kareo").json()  # noqa: E731
    assert served()["version"] == first
    with Hammer(server) as hammer:
        wait_for("answers from the first version", lambda: hammer.count(first) >= 5)
        for text, version in zip(texts, order, strict=True):
            replace(policy, text)
            wait_for(f"version {version} to serve", lambda v=version: served()["version"] == v)
            wait_for(f"answers from {version}", lambda v=version: hammer.count(v) >= 5)

        # a bad edit: the last good version goes on serving, and the error is reported
        good = order[-1]
        replace(policy, base + BROKEN)
        wait_for("/ready to report the bad edit",
                 lambda: control.get("/ready").json()["stale"] == ["kareo"])
        listed = served()
        assert listed["version"] == good
        assert listed["error"]["diagnostics"][0]["code"] == "unknown-term"
        assert "user.contact.emial" in listed["error"]["text"]
        assert f"version {good} goes on serving" in listed["error"]["message"]
        ready = control.get("/ready")
        assert ready.status_code == 200 and ready.json()["policies"][0]["version"] == good
        after_bad = len(hammer.answers)
        wait_for("answers after the bad edit", lambda: len(hammer.answers) >= after_bad + 20)
        assert 'clausewise_reloads_total{policy="kareo",result="error"} 1.0' in \
            control.get("/metrics").text

        # mended: the error clears
        replace(policy, base + FLIP)
        wait_for("the mended version", lambda: served()["version"] == order[0])
        assert served()["error"] is None and control.get("/ready").json()["stale"] == []
    control.close()

    assert hammer.failures == []
    assert len(hammer.answers) == hammer.sent  # no request lost
    assert {a["version"] for _, a in hammer.answers} == set(order)
    for kind, answer in hammer.answers:
        decisions = expected[answer["version"]]
        if kind == "single":
            assert without(answer, *STAMP) == decisions["share"]
            continue
        assert [r["version"] for r in answer["results"]] == [answer["version"]] * 3
        assert [without(r, *STAMP, "index") for r in answer["results"]] == \
            [decisions["share"], decisions["use"], decisions["share"]]
    assert "unknown category `user.contact.emial`" in server.log_text()
    assert "goes on serving" in server.log_text()


def test_an_edit_of_an_included_file_is_reloaded(policy: Path, server: ServerProcess) -> None:
    vocabulary = policy.parent / "kareo-vocabulary.policy"
    with server.client() as client:
        before = client.get("/v1/policies/kareo").json()["version"]
        replace(vocabulary, vocabulary.read_text(encoding="utf-8") + "\n# reviewed\n")
        wait_for("the new version", lambda: client.get("/v1/policies/kareo").json()["version"]
                 != before)
        answer = client.post("/v1/check", json=USE).json()
        assert answer["version"] != before and answer["decision"] == "allow"
        assert 'clausewise_reloads_total{policy="kareo",result="ok"} 1.0' in \
            client.get("/metrics").text
