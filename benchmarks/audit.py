"""Audit throughput: Parquet logs of Kareo actions through `clausewise audit` (DuckDB),
against `clausewise check --jsonl --brief` on the same actions as JSONL.

    python3 benchmarks/audit.py                    # 1M rows (quick)
    python3 benchmarks/audit.py --rows 10M         # also 100M; --out-dir for the files
    python3 benchmarks/audit.py --rows 10M --with-out   # also time writing --out

Each run is its own process, so its peak memory (max RSS) is its own. The logs are a
realistic mix of Kareo's everyday flows (sample.KAREO_FLOWS): 20,000 distinct drawn
actions, tiled at random, each row with a timestamp, a user id and its day as the
`date` fact, so that lines repeat as little as in a real log. The JSONL CLI is timed
on the first `--jsonl-rows` rows (it is far slower) and reported as rows per second.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

POLICY = str(ROOT / "rules" / "kareo.policy")
BASE = 20_000
CHUNK = 1_000_000
FACTS = ("consent", "opted_out", "aggregated", "legal_requirement", "linked", "notice_given",
         "encrypted", "subject_age")


def rows_arg(text: str) -> int:
    text = text.strip().upper()
    scale = {"K": 1_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("KM")) * scale)


def base_table():
    import pyarrow as pa

    from clausewise.audit import sample

    rows = sample.kareo_mix(BASE, seed=2026, bad=0.005)
    columns = {"action": pa.array([r["action"] for r in rows], pa.string()),
               "data": pa.array([r["data"] for r in rows], pa.list_(pa.string()))}
    for name in ("subject", "recipient", "purpose", "event", "method", "right"):
        columns[name] = pa.array([r[name] for r in rows], pa.string())
    for name in FACTS:
        kind = pa.int64() if name == "subject_age" else pa.bool_()
        columns[name] = pa.array([r["context"].get(name) for r in rows], kind)
    return pa.table(columns)


def write_logs(path: Path, count: int, seed: int = 7) -> None:
    """`count` rows in row groups of a million, written as they are made."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.exists() and pq.ParquetFile(path).metadata.num_rows == count:
        return
    base = base_table()
    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-01-01T00:00:00", "s")
    span = 365 * 86_400
    tmp = path.with_suffix(".tmp")
    writer = None
    try:
        for offset in range(0, count, CHUNK):
            size = min(CHUNK, count - offset)
            chunk = base.take(pa.array(rng.integers(0, BASE, size)))
            seconds = np.sort(rng.integers(offset * span // count,
                                           (offset + size) * span // count, size))
            ts = start + seconds.astype("timedelta64[s]")
            chunk = chunk.add_column(0, "ts", pa.array(ts, pa.timestamp("s")))
            chunk = chunk.add_column(1, "user_id", pa.array(rng.integers(1, 500_000, size)))
            chunk = chunk.append_column("date", pa.array(ts.astype("datetime64[D]"),
                                                         pa.date32()))
            if writer is None:
                writer = pq.ParquetWriter(tmp, chunk.schema, compression="zstd")
            writer.write_table(chunk, row_group_size=256_000)
        if writer is not None:
            writer.close()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_jsonl(parquet: Path, path: Path, count: int) -> None:
    """The first `count` rows as the engine's actions, one JSON line each."""
    import pyarrow.parquet as pq

    table = pq.ParquetFile(parquet).iter_batches(batch_size=count)
    batch = next(table).to_pylist()
    with open(path, "w", encoding="utf-8") as out:
        for row in batch:
            action = {k: row[k] for k in ("action", "data", "subject", "recipient", "purpose",
                                          "event", "method", "right")
                      if row[k] is not None and row[k] != []}
            context = {k: row[k] for k in FACTS if row[k] is not None}
            context["date"] = row["date"].isoformat()
            action["context"] = context
            out.write(json.dumps(action, separators=(",", ":")) + "\n")


def measure(command: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and the exit code of one process.

    The peak is measured by GNU time when it is there: a forked child's own rusage also
    counts the pages it shared with this (large) process before it ran the command.
    """
    import shutil
    import tempfile

    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time")
                                     else None)
    marker = "cw-peak-kb="
    wrapped = [timer, "-f", marker + "%M", *command] if timer else command
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: a pipe fills and blocks
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=stdout, stderr=stderr)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    peak_kb = usage.ru_maxrss
    if marker in errors:
        peak_kb = int(errors.rsplit(marker, 1)[1].split()[0])
        errors = errors.rsplit(marker, 1)[0]
    errors = errors[-2000:]
    if process.returncode not in (0, 1, 2):  # 2: check answered, and some lines were bad
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return seconds, peak_kb / 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=rows_arg, default=1_000_000,
                        help="rows of the Parquet log: 1M (default), 10M, 100M, ...")
    parser.add_argument("--jsonl-rows", type=rows_arg, default=200_000,
                        help="rows given to check --jsonl --brief (default 200K)")
    parser.add_argument("--out-dir", default="/tmp/clausewise-bench")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--memory-limit", default=None,
                        help="DuckDB's memory limit (e.g. 2GB; it spills past it)")
    parser.add_argument("--with-out", action="store_true",
                        help="also time the audit writing every decision to --out")
    args = parser.parse_args()
    directory = Path(args.out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    parquet = directory / f"kareo-{args.rows}.parquet"
    started = time.perf_counter()
    write_logs(parquet, args.rows)
    print(f"logs: {parquet} ({args.rows:,} rows, {parquet.stat().st_size / 1e6:.0f} MB, "
          f"made in {time.perf_counter() - started:.0f}s)")
    cli = [sys.executable, "-m", "clausewise"]
    threads = ["--threads", str(args.threads)] if args.threads else []
    if args.memory_limit:
        threads += ["--memory-limit", args.memory_limit]
    summary = directory / "summary.json"
    with open(summary, "wb") as out:
        seconds, peak, _ = measure(cli + ["audit", POLICY, str(parquet), "--format", "json",
                                          *threads], stdout=out)
    audited = json.loads(summary.read_text())
    assert audited["rows"] == args.rows
    print(f"duckdb audit: {args.rows:,} rows in {seconds:.1f}s = {args.rows / seconds:,.0f} "
          f"rows/s, peak {peak:,.0f} MB (query {audited['seconds']:.1f}s; "
          f"{audited['allowed']:,} allowed, {audited['denied']:,} denied, "
          f"{audited['errors']:,} errors)")
    if args.with_out:
        target = directory / "decisions.parquet"
        seconds, peak, _ = measure(cli + ["audit", POLICY, str(parquet), "--out", str(target),
                                          *threads])
        print(f"duckdb audit --out: {args.rows / seconds:,.0f} rows/s, peak {peak:,.0f} MB")
    count = min(args.jsonl_rows, args.rows)
    jsonl = directory / f"kareo-{count}.jsonl"
    write_jsonl(parquet, jsonl, count)
    seconds, peak, _ = measure(cli + ["check", POLICY, str(jsonl), "--jsonl", "--brief"])
    print(f"check --jsonl --brief: {count:,} rows in {seconds:.1f}s = {count / seconds:,.0f} "
          f"rows/s, peak {peak:,.0f} MB")
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
