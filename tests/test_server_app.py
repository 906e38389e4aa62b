"""The server's parts in this process: the app through Starlette's TestClient (its
lifespan run), and the store, the decision log and the limits on their own.

test_server.py asks a real server over a socket; these tests reach what a real
server cannot be made to do on demand (an unexpected exception, a batch past its
deadline, a file caught between two looks) and are measured by coverage.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from clausewise.cli import main
from clausewise.errors import UsageError
from clausewise.loader import load
from clausewise.server import Settings, create_app, decisions, routes
from clausewise.server.checking import check_batch
from clausewise.server.limits import authorized
from clausewise.server.problems import ApiError
from clausewise.server.store import PolicyStore, Slot, Version, version_hash

from conftest import KAREO, ROOT

SHARE = {"action": "share", "data": ["user.contact.email"], "subject": "customer",
         "recipient": "partner", "purpose": "marketing.communications",
         "context": {"consent": True, "opted_out": False}}
USE = {"action": "use", "data": ["user.contact.email"],
       "purpose": "essential.service.authentication"}


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    folder.mkdir()
    for name in ("kareo.policy", "kareo-vocabulary.policy"):
        shutil.copy(ROOT / "rules" / name, folder)
    return folder / "kareo.policy"


def app_client(**options: Any) -> TestClient:
    return TestClient(create_app(Settings(policies=(str(KAREO),), **options)),
                      raise_server_exceptions=False)


# ---------------------------------------------------------------- the app in-process


def test_mask_data_leaves_fact_values_out_of_the_log(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    with app_client(log=str(log), mask_data=True) as client:
        assert client.post("/v1/check", json=SHARE).json()["decision"] == "allow"
        assert client.post("/v1/check", json=USE).status_code == 200
        batch = client.post("/v1/check/batch", content=json.dumps(SHARE) + "\n",
                            headers={"content-type": "application/x-ndjson"}).json()
        assert batch["results"][0]["line"] == 1
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(records) == 3
    assert records[0]["action"] == {k: v for k, v in SHARE.items() if k != "context"}
    assert records[0]["masked"] == ["consent", "opted_out"]
    assert records[1]["action"] == USE and "masked" not in records[1]
    assert "true" not in log.read_text()


def test_an_unexpected_exception_is_a_short_500_and_a_logged_traceback(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr(routes, "check", broken)
    with app_client() as client, caplog.at_level(logging.ERROR, "clausewise.server"):
        response = client.post("/v1/check", json=USE)
        metrics = client.get("/metrics").text
    assert response.status_code == 500
    body = response.json()
    assert set(body) == {"error", "incident", "message"} and body["error"] == "internal"
    assert "Traceback" not in response.text and "fell over" not in response.text
    assert body["incident"] in caplog.text and "RuntimeError: the engine fell over" in caplog.text
    assert 'clausewise_errors_total{code="internal"} 1.0' in metrics
    assert 'clausewise_requests_total{endpoint="/v1/check",status="500"} 1.0' in metrics


def test_the_app_answers_every_endpoint_in_process() -> None:
    with app_client(reload_interval=0.05) as client:
        assert client.post("/v1/check?policy=kareo", json=SHARE).json()["decision"] == "allow"
        lean = client.post("/v1/check?explain=false", json=SHARE).json()
        assert lean["clauses"] == ["partners"]
        batch = client.post("/v1/check/batch", json=[SHARE, {"action": "zap"}, USE]).json()
        assert [("error" in r) for r in batch["results"]] == [False, True, False]
        assert client.post("/v1/check/batch", content=b"[1,").json()["error"] == "bad-json"
        assert client.get("/v1/policies").json()["policies"][0]["name"] == "kareo"
        assert client.get("/v1/policies/kareo/render?format=markdown").text.startswith("#")
        assert client.get("/v1/policies/kareo/render?format=markdown").status_code == 200
        assert client.get("/ready").json()["ready"] is True
        assert client.get("/health").json() == {"status": "ok"}
        assert client.get("/openapi.json").json()["components"]["schemas"]["Action"]
        assert client.get("/nowhere").json()["error"] == "not-found"
        assert client.post("/v1/check", content=b"\xef\xbb\xbf" + json.dumps(USE).encode()) \
            .status_code == 200  # a byte-order mark, as `clausewise check` accepts
        assert client.post("/v1/check", content=b"x" * (2 * 1024 * 1024)).status_code == 413


def test_the_token_guards_the_app_in_process() -> None:
    with app_client(token="tok") as client:
        assert client.get("/v1/policies").status_code == 401
        assert client.get("/v1/policies", headers={"authorization": "Bearer tok"}) \
            .status_code == 200
        assert client.get("/health").status_code == 200


def test_a_batch_past_its_deadline_is_503() -> None:
    version = Version.load(str(KAREO))
    text = json.dumps([USE] * 100)
    with pytest.raises(ApiError) as caught:
        check_batch(text, False, version, True, 1000, deadline=time.monotonic() - 1)
    assert caught.value.status == 503 and caught.value.code == "timeout"
    assert len(check_batch(text, False, version, True, 1000, time.monotonic() + 60)) == 100


def test_a_json_batch_locates_an_error_within_its_element() -> None:
    version = Version.load(str(KAREO))
    text = '[\n  {"action": "use", "data": ["user.contact.email"]},\n  "use",\n' \
        '  {"action": "use",\n   "data": ["user.contact.emial"]}\n]'
    results = check_batch(text, False, version, False, 10, time.monotonic() + 60)
    assert results[1]["error"]["diagnostics"][0]["span"]["file"] == "<request>[1]"
    span = results[2]["error"]["diagnostics"][0]["span"]
    assert (span["file"], span["line"]) == ("<request>[2]", 2)  # the element's second line
    assert '2 |    "data": ["user.contact.emial"]}' in results[2]["error"]["text"]


# ------------------------------------------------------------------- store, reload


def test_the_version_hash_is_the_texts_not_where_they_are(copy: Path, tmp_path: Path) -> None:
    assert version_hash(load(copy)) == version_hash(load(KAREO))
    copy.write_text(copy.read_text() + "\n# a comment\n")
    assert version_hash(load(copy)) != version_hash(load(KAREO))
    assert len(version_hash(load(KAREO))) == 12


def test_a_change_is_loaded_once_it_holds_still_and_a_bad_one_keeps_the_old(
        copy: Path) -> None:
    events: list[tuple[str, bool]] = []
    listener = lambda name, ok: events.append((name, ok))  # noqa: E731
    slot = Slot("kareo", str(copy), Version.load(str(copy)))
    first = slot.version
    base = copy.read_text()
    slot.poll(listener)
    assert slot.version is first and events == []

    bump(copy, base + "\nprohibition flip\n  never share user.contact.email\nend\n")
    slot.poll(listener)
    assert slot.version is first  # seen changing: wait for one more look
    slot.poll(listener)
    assert slot.version is not first and events == [("kareo", True)]
    second = slot.version

    bump(copy, base + "\nsharing broken\n  share user.contact.emial\nend\n")
    slot.poll(listener)
    slot.poll(listener)
    assert slot.version is second and events[-1] == ("kareo", False)
    assert slot.error is not None and "unknown-term" in slot.error.as_json()["text"]
    slot.poll(listener)
    assert len(events) == 2  # the same bad file is not retried

    bump(copy, base + "\nprohibition flip\n  never share user.contact.email\nend\n")
    slot.poll(listener)
    slot.poll(listener)  # the edit undone: same version as serving, error cleared
    assert slot.version is second and slot.error is None and events[-1] == ("kareo", True)


def bump(path: Path, text: str) -> None:
    """Write `text` with a new modification time, whatever the clock's resolution."""
    path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


def test_a_reload_that_crashes_keeps_the_old_version(copy: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    slot = Slot("kareo", str(copy), Version.load(str(copy)))
    first = slot.version

    def crash(path: str, include_root: str | None = None) -> Version:
        raise RecursionError("too deep")

    monkeypatch.setattr(Version, "load", staticmethod(crash))
    events: list[bool] = []
    slot.reload(lambda name, ok: events.append(ok))
    assert slot.version is first and events == [False]
    assert "RecursionError" in slot.error.as_json()["text"]  # type: ignore[union-attr]


def test_the_watcher_thread_reloads(copy: Path) -> None:
    store = PolicyStore([str(copy)])
    events: list[bool] = []
    store.watch(0.02, lambda name, ok: events.append(ok))
    try:
        bump(copy, copy.read_text() + "\n# edited\n")
        deadline = time.monotonic() + 30
        while not events and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        store.stop()
    assert events == [True]
    assert store.get(None) is store.slots["kareo"] and store.get("other") is None


def test_two_policies_with_one_name_are_refused(copy: Path) -> None:
    with pytest.raises(UsageError) as caught:
        PolicyStore([str(KAREO), str(copy)])
    assert caught.value.codes == ("duplicate-policy-name",)


# ------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("args, message", [
    (["nope.policy"], "no such file: `nope.policy`"),
    ([str(KAREO), str(ROOT / "tests" / "data" / "bad" / "unknown-category.policy")],
     "unknown category"),
    ([str(KAREO), "{copy}"], "two policies are named `kareo`"),
    ([str(KAREO), "--token-file", "{empty}"], "must hold one token"),
    ([str(KAREO), "--workers", "2", "--token-file", "{empty}"], "must hold one token"),
])
def test_serve_refuses_bad_policies_and_options_with_exit_2(
        copy: Path, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "empty").write_text("\n")
    args = [a.format(copy=copy, empty=tmp_path / "empty") for a in args]
    result = CliRunner().invoke(main, ["serve", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr


# ------------------------------------------------------------- log, limits, token


def test_the_log_writes_whole_lines_within_pipe_buf_on_stdout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[bytes] = []
    monkeypatch.setattr(os, "write", lambda fd, data: writes.append(bytes(data)) or len(data))
    log = decisions.DecisionLog("-", flush_interval=60)
    for n in range(200):
        log.write({"id": n, "pad": "x" * 100})
    log.close()
    assert all(len(w) <= decisions.PIPE_BUF and w.endswith(b"\n") for w in writes)
    assert [json.loads(line)["id"] for w in writes for line in w.splitlines()] == \
        list(range(200))


def test_the_log_flushes_when_its_buffer_fills(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    log = decisions.DecisionLog(str(path), flush_interval=60)
    try:
        for n in range(decisions.FLUSH_BYTES // 1000 + 10):
            log.write({"id": n, "pad": "x" * 1000})
        deadline = time.monotonic() + 30
        while path.stat().st_size == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert path.stat().st_size > 0  # written without waiting for the 60 s interval
    finally:
        log.close()
    assert decisions.DecisionLog(None).enabled is False


@pytest.mark.parametrize("header, ok", [
    (None, False), ("Bearer tok", True), ("bearer tok", True), ("Bearer tok2", False),
    ("Basic tok", False), ("Bearer", False), ("tok", False)])
def test_authorized(header: str | None, ok: bool) -> None:
    assert authorized(header, "tok") is ok
    assert authorized(header, None) is True


def test_a_key_given_twice_is_refused_as_the_cli_refuses_it() -> None:
    client = app_client()
    text = ('{"action":"share","data":["user.contact.email"],"subject":"customer",'
            '"recipient":"partner","purpose":"marketing.communications",'
            '"context":{"consent":false,"opted_out":true,"consent":true,"opted_out":false}}')
    single = client.post("/v1/check", content=text)
    assert single.status_code == 400
    assert single.json()["diagnostics"][0]["code"] == "duplicate-key"
    batch = client.post("/v1/check/batch", content="[" + text + "]").json()
    assert batch["results"][0]["error"]["diagnostics"][0]["code"] == "duplicate-key"
    lines = client.post("/v1/check/batch", content=text + "\n",
                        headers={"Content-Type": "application/x-ndjson"}).json()
    assert lines["results"][0]["error"]["diagnostics"][0]["code"] == "duplicate-key"
