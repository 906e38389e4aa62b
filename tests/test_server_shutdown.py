"""SIGTERM with requests in flight: they are drained and every decision answered is
in the log, whole, once the server has exited (exit code 0); with one worker and
with two sharing one log file.

The log is flushed only every 60 s here, so what is in it was written by the
shutdown. A request whose body is still arriving when SIGTERM comes is the one
that shows the draining: the server waits for it and answers it.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from test_server import KAREO, PATIENCE, ServerProcess, _read_response, _samples

ACTIONS = [
    {"action": "share", "data": ["user.contact.email"], "subject": "customer",
     "recipient": "partner", "purpose": "marketing.communications",
     "context": {"consent": True, "opted_out": False}},
    {"action": "use", "data": ["user.contact.email"],
     "purpose": "essential.service.authentication"},
    {"action": "collect", "data": ["user.health_and_medical"], "subject": "customer",
     "purpose": "essential.service"},
]


class Load:
    """Threads posting decisions until the server stops answering; keeps each id."""

    def __init__(self, server: ServerProcess, threads: int = 4) -> None:
        self.server = server
        self.ids: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(threads)]
        for thread in self.threads:
            thread.start()

    def run(self, number: int) -> None:
        turn = number
        with httpx.Client(base_url=self.server.base, timeout=PATIENCE) as client:
            while True:
                turn += 1
                try:
                    response = client.post("/v1/check", json=ACTIONS[turn % len(ACTIONS)])
                except httpx.HTTPError:
                    return  # the server has stopped listening
                if response.status_code != 200:
                    return
                with self.lock:
                    self.ids.append(response.json()["id"])

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + PATIENCE
        while len(self.ids) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.ids) >= count

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=PATIENCE)


def slow_request(port: int) -> tuple[socket.socket, bytes]:
    """A POST whose headers and first half of the body are sent; the rest is returned."""
    body = json.dumps(ACTIONS[0]).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=PATIENCE)
    sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:10])
    return sock, body[10:]


def read_log(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") or not text
    return [json.loads(line) for line in text.splitlines()]  # every line whole


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_drains_requests_in_flight_and_loses_no_decision_line(
        tmp_path: Path, workers: int) -> None:
    log = tmp_path / "decisions.jsonl"
    server = ServerProcess(KAREO, "--log", str(log), "--flush-interval", "60",
                           "--workers", str(workers))
    try:
        load = Load(server)
        load.wait_for(200)
        with httpx.Client(base_url=server.base) as client:  # every worker counts, once
            metrics = _samples(client.get("/metrics").text)
        counted = sum(v for k, v in metrics.items() if k.startswith("clausewise_decisions_total"))
        assert counted >= 200
        sock, rest = slow_request(server.port)
        time.sleep(0.5)  # let the server read the headers: the request is now in flight
        server.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert server.proc.poll() is None, "the server exited with a request in flight"
        sock.sendall(rest)
        answer = _read_response(sock)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
        slow_id = json.loads(answer.partition(b"\r\n\r\n")[2])["id"]
        assert server.proc.wait(timeout=PATIENCE) == 0, server.log_text()
        load.join()
    finally:
        server.kill()
    records = read_log(log)
    logged = [r["id"] for r in records]
    assert len(logged) == len(set(logged))
    assert set(load.ids) | {slow_id} <= set(logged)
    assert len(logged) >= len(load.ids) + 1
    assert {r["decision"] for r in records} == {"allow", "deny"}


def test_a_log_on_stdout_holds_only_decision_lines() -> None:
    """`--log -`: uvicorn's own messages go to stderr, so stdout is the log alone."""
    server = ServerProcess(KAREO, "--log", "-")
    try:
        with httpx.Client(base_url=server.base, timeout=PATIENCE) as client:
            ids = [client.post("/v1/check", json=a).json()["id"] for a in ACTIONS]
        assert server.terminate() == 0
        assert server.proc.stdout is not None
        lines = server.proc.stdout.read().decode("utf-8").splitlines()
        assert "Application shutdown complete" in server.log_text()
    finally:
        server.kill()
    assert [json.loads(line)["id"] for line in lines] == ids
