"""How fast the decision server answers: a bounded load test on loopback.

    python benchmarks/server.py                 # 1 and 2 workers, 5 s per phase
    python benchmarks/server.py --quick         # 2 s per phase
    python benchmarks/server.py --workers 1,2,4 --seconds 10 --connections 32

For each worker count it starts `clausewise serve rules/kareo.policy` on a free
127.0.0.1 port (with a decision log in a temporary file, as in production), warms
it up, then runs each phase for `--seconds` seconds or `--max-requests` requests,
whichever comes first:

  single            POST /v1/check, one Kareo case per request (all 49 in turn)
  single, lean      the same with ?explain=false
  batch of N        POST /v1/check/batch with N cases (decisions/s counts each one)

The load comes from `--clients` processes with `--connections` keep-alive httpx
connections in all, one thread each; every request's latency is measured from
send to last byte by the client. It reports requests/s, decisions/s, p50/p99
latency and errors. Client and server share the machine's cores, so on a small
machine the client's own CPU use is part of what limits the numbers; the line
"client CPU" says how much of the machine the clients took.

Everything is bounded: each phase stops by itself, the server is stopped with
SIGTERM at the end, and only 127.0.0.1 is ever addressed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = [c["action"] for c in yaml.safe_load(
    (ROOT / "rules" / "kareo.tests.yaml").read_text())["cases"]]


@dataclass
class Phase:
    name: str
    path: str
    body: bytes
    decisions: int  # per request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int, log: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "clausewise", "serve", "rules/kareo.policy", "--port", str(port),
         "--workers", str(workers), "--log", log, "--max-batch", "1000"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def client_process(base: str, phase: Phase, threads: int, seconds: float, max_requests: int,
                   out: Any) -> None:
    """Runs in its own process: `threads` connections, each in a loop, until time or count."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    stop_at = time.monotonic() + seconds
    budget = [max_requests]
    lock = threading.Lock()
    headers = {"content-type": "application/json"}
    if phase.path.startswith("/v1/check/batch"):
        headers["content-type"] = "application/x-ndjson"

    def run(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < stop_at:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                started = time.perf_counter()
                try:
                    response = client.post(phase.path, content=phase.body, headers=headers)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies[n].append(time.perf_counter() - started)
                if not ok:
                    errors[n] += 1

    begun = time.perf_counter()
    cpu = time.process_time()
    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put({"latencies": [x for part in latencies for x in part], "errors": sum(errors),
             "wall": time.perf_counter() - begun, "cpu": time.process_time() - cpu})


def run_phase(base: str, phase: Phase, clients: int, connections: int, seconds: float,
              max_requests: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    per = max(1, connections // clients)
    procs = [context.Process(target=client_process, args=(base, phase, per, seconds,
                                                          max_requests // clients, queue))
             for _ in range(clients)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    latencies = sorted(x for r in results for x in r["latencies"])
    wall = max(r["wall"] for r in results)
    count = len(latencies)
    return {"phase": phase.name, "requests": count, "rps": count / wall,
            "dps": count * phase.decisions / wall,
            "p50": latencies[count // 2] * 1000 if count else 0.0,
            "p99": latencies[min(count - 1, int(count * 0.99))] * 1000 if count else 0.0,
            "errors": sum(r["errors"] for r in results),
            "client_cpu": sum(r["cpu"] for r in results) / wall}


def phases(batch: int) -> list[Phase]:
    single = json.dumps(CASES[0]).encode()
    lines = "".join(json.dumps(CASES[i % len(CASES)]) + "\n" for i in range(batch)).encode()
    return [Phase("single", "/v1/check", single, 1),
            Phase("single, lean", "/v1/check?explain=false", single, 1),
            Phase(f"batch of {batch}", "/v1/check/batch", lines, batch),
            Phase(f"batch of {batch}, lean", "/v1/check/batch?explain=false", lines, batch)]


def server_cpu(process: subprocess.Popen[bytes]) -> float:
    """CPU seconds of the server and its workers so far (Linux /proc)."""
    total = 0.0
    pids = [process.pid]
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to measure")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each phase")
    parser.add_argument("--max-requests", type=int, default=100_000,
                        help="most requests of a phase")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--connections", type=int, default=16, help="connections in all")
    parser.add_argument("--batch", type=int, default=100, help="actions per batch")
    parser.add_argument("--quick", action="store_true", help="2 s per phase")
    args = parser.parse_args()
    seconds = 2.0 if args.quick else args.seconds
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096)) if \
        resource.getrlimit(resource.RLIMIT_NOFILE)[1] >= 4096 else None
    print(f"{os.cpu_count()} cores; {args.clients} client processes, {args.connections} "
          f"connections, {seconds:g} s per phase\n")
    print("| workers | phase | requests | requests/s | decisions/s | p50 ms | p99 ms | errors "
          "| server CPU | client CPU |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for workers in [int(w) for w in args.workers.split(",")]:
        with tempfile.TemporaryDirectory() as folder:
            process, base = start_server(workers, os.path.join(folder, "decisions.jsonl"))
            try:
                warm = Phase("warm-up", "/v1/check", json.dumps(CASES[0]).encode(), 1)
                run_phase(base, warm, 1, 2, 1.0, 2000)
                for phase in phases(args.batch):
                    cpu = server_cpu(process)
                    r = run_phase(base, phase, args.clients, args.connections, seconds,
                                  args.max_requests)
                    used = (server_cpu(process) - cpu) / seconds
                    print(f"| {workers} | {r['phase']} | {r['requests']:,} | {r['rps']:,.0f} "
                          f"| {r['dps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
                          f"{r['errors']} | {used:.2f} cores | {r['client_cpu']:.2f} cores |",
                          flush=True)
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)


if __name__ == "__main__":
    main()
