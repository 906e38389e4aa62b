"""The decision server, run for real: `clausewise serve` in a subprocess on a loopback
port, asked over HTTP with httpx (and a raw socket where HTTP clients are too polite).

One server (module scope, with a token, a decision log and small limits) answers
most tests; hot reload, shutdown and several workers have their own files. The
`ServerProcess` harness is shared with them.
"""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from click.testing import CliRunner

from clausewise.cli import main

from clausewise.server import models

from conftest import ROOT

KAREO = "rules/kareo.policy"  # relative, as given to the CLI, so `source` fields agree
CASES: list[dict[str, Any]] = yaml.safe_load(
    (ROOT / "rules" / "kareo.tests.yaml").read_text(encoding="utf-8"))["cases"]
TOKEN = "s3cret-token-for-tests"
STAMP = ("id", "policy", "version")
#: how long to wait for anything on a loaded machine; never an assertion about speed
PATIENCE = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`python -m clausewise serve ARGS --port P` in a subprocess, ready when /health is."""

    def __init__(self, *args: str, token: str | None = None, cwd: Path = ROOT) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = token
        self.stderr = tempfile.NamedTemporaryFile(prefix="clausewise-serve-", suffix=".err",
                                                  delete=False)
        command = [sys.executable, "-m", "clausewise", "serve", *args, "--port",
                   str(self.port)]
        self.proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                                     stderr=self.stderr, stdin=subprocess.DEVNULL)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited ({self.proc.returncode}):\n"
                                     + self.log_text())
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise AssertionError("the server did not become ready:\n" + self.log_text())

    def client(self, token: str | None = "default") -> httpx.Client:
        token = self.token if token == "default" else token
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=PATIENCE)

    def log_text(self) -> str:
        return Path(self.stderr.name).read_text(encoding="utf-8", errors="replace")

    def terminate(self) -> int:
        """SIGTERM, and the exit code once it has drained and flushed."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=PATIENCE)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=PATIENCE)
        Path(self.stderr.name).unlink(missing_ok=True)


def without(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in keys}


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def cli(*args: str, stdin: str | None = None) -> Ran:
    """`clausewise ARGS` in this process (click's runner), from the repository's root."""
    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(main, list(args), input=stdin)
    return Ran(result.exit_code, result.stdout, result.stderr)


# ------------------------------------------------------------------ the shared server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Path]]:
    work = tmp_path_factory.mktemp("served")
    (work / "token").write_text(TOKEN + "\n", encoding="utf-8")
    log = work / "decisions.jsonl"
    server = ServerProcess(KAREO, "--token-file", str(work / "token"), "--log", str(log),
                           "--flush-interval", "0.05", "--max-body", "65536",
                           "--max-batch", "60", "--timeout", "3", token=TOKEN)
    yield server, log
    server.kill()


@pytest.fixture(scope="module")
def server(served: tuple[ServerProcess, Path]) -> ServerProcess:
    return served[0]


@pytest.fixture(scope="module")
def client(server: ServerProcess) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


@pytest.fixture(scope="module")
def cli_records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """`clausewise check --jsonl` on every Kareo case, one record per case."""
    lines = tmp_path_factory.mktemp("cli") / "cases.jsonl"
    lines.write_text("".join(json.dumps(c["action"]) + "\n" for c in CASES), encoding="utf-8")
    result = cli("check", KAREO, str(lines), "--jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(CASES), result.stderr
    return [without(r, "line") for r in records]


# ------------------------------------------------------------------------- decisions


def test_every_kareo_case_is_decided_as_clausewise_check_decides_it(
        client: httpx.Client, cli_records: list[dict[str, Any]]) -> None:
    versions = set()
    for case, expected in zip(CASES, cli_records, strict=True):
        response = client.post("/v1/check", json=case["action"])
        assert response.status_code == 200, response.text
        got = response.json()
        assert without(got, *STAMP) == expected, case["id"]
        assert got["decision"] == case["decision"], case["id"]
        assert got["policy"] == "kareo" and len(got["id"]) == 32
        assert response.headers["x-clausewise-version"] == got["version"]
        versions.add(got["version"])
    assert len(versions) == 1


@pytest.mark.parametrize("case_id", ["P1-partner-email-with-consent",
                                     "P2-partner-email-opted-out"])
def test_a_decision_is_the_record_of_check_format_json(client: httpx.Client,
                                                        case_id: str) -> None:
    case = next(c for c in CASES if c["id"] == case_id)
    result = cli("check", KAREO, "-", "--format", "json", stdin=json.dumps(case["action"]))
    assert result.returncode == (0 if case["decision"] == "allow" else 1), result.stderr
    got = client.post("/v1/check", content=json.dumps(case["action"])).json()
    assert without(got, *STAMP) == json.loads(result.stdout)


def test_explain_false_is_the_brief_record(client: httpx.Client) -> None:
    lines = "".join(json.dumps(c["action"]) + "\n" for c in CASES)
    brief = [without(json.loads(line), "line") for line in
             cli("check", KAREO, "-", "--jsonl", "--brief", stdin=lines).stdout.splitlines()]
    for case, expected in zip(CASES, brief, strict=True):
        got = client.post("/v1/check", params={"explain": "false"}, json=case["action"]).json()
        assert without(got, *STAMP) == expected, case["id"]


def test_answers_match_the_documented_models(client: httpx.Client) -> None:
    """The OpenAPI models forbid unknown fields: real answers validate against them."""
    for case in CASES[:10]:
        models.Decision.model_validate(client.post("/v1/check", json=case["action"]).json())
        models.LeanDecision.model_validate(client.post(
            "/v1/check?explain=false", json=case["action"]).json())
    body = [CASES[0]["action"], {"action": "zap"}]
    models.Batch.model_validate(client.post("/v1/check/batch", json=body).json())
    models.Batch.model_validate(client.post("/v1/check/batch?explain=false", json=body).json())
    models.Policies.model_validate(client.get("/v1/policies").json())
    models.Policy.model_validate(client.get("/v1/policies/kareo").json())
    models.Ready.model_validate(client.get("/ready").json())
    models.Health.model_validate(client.get("/health").json())
    models.Error.model_validate(client.post("/v1/check", content=b"{").json())


# ----------------------------------------------------------------------------- batch


def test_a_json_batch_answers_every_good_action_in_order_around_bad_ones(
        client: httpx.Client, cli_records: list[dict[str, Any]]) -> None:
    actions: list[Any] = [c["action"] for c in CASES[:20]]
    actions[3:3] = [{"action": "use", "data": ["user.contact.emial"]}]
    actions[10:10] = [[1, 2]]
    response = client.post("/v1/check/batch", json=actions)
    assert response.status_code == 200, response.text
    body = response.json()
    results = body["results"]
    assert [r["index"] for r in results] == list(range(22))
    assert results[3]["error"]["diagnostics"][0]["code"] == "unknown-term"
    assert results[3]["error"]["diagnostics"][0]["span"]["file"] == "<request>[3]"
    assert "did you mean `user.contact.email`?" in results[3]["error"]["text"]
    assert "not an array" in results[10]["error"]["message"]
    good = [r for r in results if "error" not in r]
    assert [without(r, *STAMP, "index") for r in good] == cli_records[:20]
    assert {r["version"] for r in good} == {body["version"]}
    assert len({r["id"] for r in good}) == 20


def test_a_jsonl_batch_locates_a_bad_line_as_check_jsonl_does(client: httpx.Client) -> None:
    lines = [json.dumps(CASES[0]["action"]), "",
             '{"action": "use", "data": ["user.contact.emial"]}',
             json.dumps(CASES[1]["action"]), "{not json"]
    text = "\n".join(lines) + "\n"
    response = client.post("/v1/check/batch", content=text,
                           headers={"content-type": "application/x-ndjson"})
    results = response.json()["results"]
    assert [(r["index"], r["line"]) for r in results] == [(0, 1), (1, 3), (2, 4), (3, 5)]
    assert [r.get("decision") for r in results] == [CASES[0]["decision"], None,
                                                    CASES[1]["decision"], None]
    cli_err = cli("check", KAREO, "-", "--jsonl", stdin=text).stderr.replace("<stdin>",
                                                                             "<request>")
    assert results[1]["error"]["text"] in cli_err  # the same located error, line 3
    assert results[1]["error"]["diagnostics"][0]["span"]["line"] == 3
    assert results[3]["error"]["error"] == "bad-json"


def test_a_batch_that_is_not_an_array_is_a_400(client: httpx.Client) -> None:
    response = client.post("/v1/check/batch", json={"action": "use"})
    assert response.status_code == 400 and response.json()["error"] == "bad-batch"
    response = client.post("/v1/check/batch", content=b'{"a": 1}\n{"b": 2}\n')
    assert response.status_code == 400
    assert response.json()["diagnostics"][0]["code"] == "bad-json"


# ------------------------------------------------------------------------------ 400s


def test_bad_json_gets_400_with_the_cli_s_located_error(client: httpx.Client) -> None:
    text = '{"action": "use",\n "data": [}\n'
    response = client.post("/v1/check", content=text)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad-json"
    assert body["diagnostics"][0]["span"] == {"file": "<request>", "line": 2, "column": 11,
                                              "end_line": 2, "end_column": 12}
    cli_text = cli("check", KAREO, "-", stdin=text).stderr.strip()
    assert body["text"] == cli_text.replace("<stdin>", "<request>")


@pytest.mark.parametrize("body, code", [
    ('{"action": "use", "data": ["user.contact.emial"]}', "unknown-term"),
    ('{"action": "share", "data": ["user.contact.email"], "recipent": "partner"}',
     "bad-action"),
    ('{"action": "use", "data": ["user.contact.email"], "context": {"consent": "yes"}}',
     "fact-type"),
    ('{"action": "use", "data": ["user.contact.email"], "context": {"consent": [1]}}',
     "bad-action"),
    ('["use"]', "bad-action"),
    ('{"action": "use", "data": []}', "missing-field"),
])
def test_a_bad_action_gets_400_with_the_cli_s_located_error(client: httpx.Client, body: str,
                                                           code: str) -> None:
    response = client.post("/v1/check", content=body)
    assert response.status_code == 400
    got = response.json()
    assert got["error"] == "bad-action" and got["diagnostics"][0]["code"] == code
    assert "Traceback" not in response.text
    cli_text = cli("check", KAREO, "-", stdin=body).stderr.strip()
    assert got["text"] == cli_text.replace("<stdin>", "<request>")


def test_bytes_that_are_not_utf8_get_a_located_400(client: httpx.Client) -> None:
    response = client.post("/v1/check", content=b'{"action": "use\xff"}')
    assert response.status_code == 400
    assert response.json()["diagnostics"][0]["code"] == "encoding"
    assert response.json()["diagnostics"][0]["span"]["column"] == 16


def test_unknown_policy_route_and_parameter(client: httpx.Client) -> None:
    response = client.post("/v1/check?policy=kareoo", json=CASES[0]["action"])
    assert response.status_code == 404
    assert response.json()["diagnostics"][0]["help"] == "did you mean `kareo`?"
    response = client.post("/v1/check?explain=maybe", json=CASES[0]["action"])
    assert response.status_code == 400 and response.json()["error"] == "bad-request"
    assert client.get("/v1/nothing").status_code == 404
    assert client.get("/v1/check").status_code == 405


# ----------------------------------------------------------------------------- token


def test_the_token_is_required_on_v1_and_metrics_but_not_on_probes(
        server: ServerProcess) -> None:
    action = CASES[0]["action"]
    for token in (None, "wrong", TOKEN + "x", TOKEN[:-1]):
        with server.client(token) as c:
            for response in (c.post("/v1/check", json=action), c.get("/v1/policies"),
                             c.get("/metrics"), c.post("/v1/check/batch", json=[action])):
                assert response.status_code == 401, (token, response.request.url)
                assert response.json()["error"] == "unauthorized"
                assert response.headers["www-authenticate"] == "Bearer"
            assert c.get("/health").status_code == 200
            assert c.get("/ready").status_code == 200
            assert c.get("/openapi.json").status_code == 200
    with server.client(TOKEN) as c:
        assert c.post("/v1/check", json=action).status_code == 200
    with httpx.Client(base_url=server.base) as c:
        assert c.get("/v1/policies", headers={"authorization": "Basic " + TOKEN}) \
            .status_code == 401


# ---------------------------------------------------------------------------- limits


def test_a_body_over_the_limit_is_413(client: httpx.Client) -> None:
    big = json.dumps({"action": "use", "data": ["user.contact.email"] * 5000})
    assert len(big) > 65536
    response = client.post("/v1/check", content=big)
    assert response.status_code == 413 and response.json()["error"] == "too-large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(70):
            yield b" " * 1024

    response = client.post("/v1/check", content=chunks())
    assert response.status_code == 413


def test_a_batch_over_the_limit_is_413(client: httpx.Client) -> None:
    response = client.post("/v1/check/batch", json=[CASES[0]["action"]] * 61)
    assert response.status_code == 413 and response.json()["error"] == "batch-too-large"
    assert client.post("/v1/check/batch", json=[CASES[0]["action"]] * 60).status_code == 200


def test_a_body_that_does_not_arrive_in_time_is_408(server: ServerProcess) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=PATIENCE) as sock:
        sock.sendall(f"POST /v1/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}"
                     "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
                     .encode())
        answer = _read_response(sock)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b'"timeout"' in answer


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


# ----------------------------------------------------------------- policies, render


def test_policies_list_the_version_and_load_time(client: httpx.Client) -> None:
    from clausewise.loader import load
    from clausewise.server.store import version_hash

    listed = client.get("/v1/policies").json()["policies"]
    assert [p["name"] for p in listed] == ["kareo"]
    assert listed[0]["version"] == version_hash(load(ROOT / KAREO))
    assert listed[0]["files"] == ["rules/kareo.policy", "rules/kareo-vocabulary.policy"]
    assert listed[0]["error"] is None and listed[0]["loaded_at"].endswith("Z")
    assert client.get("/v1/policies/kareo").json() == listed[0]
    assert client.get("/v1/policies/nope").status_code == 404


@pytest.mark.parametrize("fmt, media", [("html", "text/html"), ("markdown", "text/markdown"),
                                        ("text", "text/plain")])
def test_render_is_clausewise_render(client: httpx.Client, fmt: str, media: str) -> None:
    response = client.get("/v1/policies/kareo/render", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    assert response.text == cli("render", KAREO, "--format", fmt).stdout
    assert client.get("/v1/policies/kareo/render?format=pdf").status_code == 400


# ------------------------------------------------------------------------- OpenAPI


def test_openapi_is_served_with_the_action_schema_of_clausewise_schema(
        client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    schema = json.loads(cli("schema", "action").stdout.replace("#/$defs/",
                                                               "#/components/schemas/"))
    components = document["components"]["schemas"]
    for name, definition in schema.pop("$defs", {}).items():
        assert components[name] == definition
    assert components["Action"] == schema
    body = document["paths"]["/v1/check"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/Action"}
    batch = document["paths"]["/v1/check/batch"]["post"]["requestBody"]["content"]
    assert set(batch) == {"application/json", "application/x-ndjson"}
    for path in ("/v1/check", "/v1/check/batch", "/v1/policies", "/v1/policies/{name}/render",
                 "/health", "/ready", "/metrics"):
        assert path in document["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


# ------------------------------------------------------------------------- metrics


def _samples(text: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def test_metrics_count_requests_decisions_latency_and_errors(client: httpx.Client) -> None:
    before = _samples(client.get("/metrics").text)
    allow = next(c["action"] for c in CASES if c["decision"] == "allow")
    deny = next(c["action"] for c in CASES if c["decision"] == "deny")
    for action in (allow, allow, deny):
        assert client.post("/v1/check", json=action).status_code == 200
    client.post("/v1/check", content=b"{")
    client.post("/v1/check/batch", json=[allow, deny, deny])
    after = _samples(client.get("/metrics").text)

    def grew(name: str) -> float:
        return after.get(name, 0.0) - before.get(name, 0.0)

    assert grew('clausewise_decisions_total{effect="allow",policy="kareo"}') == 3
    assert grew('clausewise_decisions_total{effect="deny",policy="kareo"}') == 3
    assert grew('clausewise_requests_total{endpoint="/v1/check",status="200"}') == 3
    assert grew('clausewise_requests_total{endpoint="/v1/check",status="400"}') == 1
    assert grew('clausewise_requests_total{endpoint="/v1/check/batch",status="200"}') == 1
    assert grew('clausewise_errors_total{code="bad-json"}') == 1
    assert grew('clausewise_request_duration_seconds_count{endpoint="/v1/check"}') == 4
    assert grew('clausewise_request_duration_seconds_bucket{endpoint="/v1/check",le="+Inf"}') == 4
    assert grew("clausewise_decision_duration_seconds_count") == 6
    assert "# TYPE clausewise_reloads_total counter" in client.get("/metrics").text


# -------------------------------------------------------------------- decision log


def test_the_decision_log_has_one_line_per_decision_readable_by_check_jsonl(
        client: httpx.Client, served: tuple[ServerProcess, Path]) -> None:
    _, log = served
    answered = [client.post("/v1/check", json=c["action"]).json() for c in CASES[:12]]
    deadline = time.monotonic() + PATIENCE
    wanted = {a["id"] for a in answered}
    while time.monotonic() < deadline:  # flushed every 0.05 s
        records = {r["id"]: r for r in map(json.loads, log.read_text().splitlines())}
        if wanted <= records.keys():
            break
        time.sleep(0.05)
    logged = [records[a["id"]] for a in answered]
    for answer, entry, case in zip(answered, logged, CASES, strict=False):
        assert set(entry) == {"id", "time", "policy", "version", "action", "decision",
                              "clauses", "obligations"}
        assert entry["version"] == answer["version"] and entry["policy"] == "kareo"
        assert entry["decision"] == answer["decision"] == case["decision"]
        assert entry["clauses"] == case["clause_ids"]
        assert entry["action"] == case["action"]
        assert entry["time"].endswith("Z")
    again = cli("check", KAREO, "-", "--jsonl", "--brief",
                stdin="".join(json.dumps(e["action"]) + "\n" for e in logged))
    assert [json.loads(line)["decision"] for line in again.stdout.splitlines()] == \
        [e["decision"] for e in logged]
    assert [json.loads(line)["clauses"] for line in again.stdout.splitlines()] == \
        [e["clauses"] for e in logged]
