"""Run the audit query: on DuckDB over the log files directly, or on Spark.

Either way the same sqlglot tree is generated for the engine's dialect, each row's
decision is computed once, and the summary is folded from one aggregate over the
result (per flow: decision, kind, data, recipient, purpose, clauses, error, day), so
a log of any size ends in a table the size of its distinct flows. `--out` is written
to a temporary file beside the target and moved into place when complete.
"""

from __future__ import annotations

import glob
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from ..engine.compile import CompiledPolicy
from ..errors import UsageError
from . import schema
from .compile import AuditQuery, compile_audit

#: a row's location: its file's index in the list, times this, plus its row number
_FILE_STRIDE = 1 << 40
#: the internal columns the summary reads from the audit result
_SUMMARY = ("cw_action", "cw_data", "cw_recipient", "cw_purpose", "cw_loc", "cw_day")


@dataclass(frozen=True)
class Logs:
    paths: tuple[str, ...]
    kind: str  # parquet, csv or jsonl


def find_logs(patterns: tuple[str, ...]) -> Logs:
    """The files the arguments name (globs expanded, sorted), each a readable file."""
    paths: list[str] = []
    for pattern in patterns:
        found = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) \
            else [pattern]
        if not found:
            raise _usage(f"no file matches `{pattern}`")
        for path in found:
            if not os.path.exists(path):
                raise _usage(f"cannot read `{path}`: no such file")
            if not os.path.isfile(path):
                raise _usage(f"`{path}` is not a regular file")
            if not os.access(path, os.R_OK):
                raise _usage(f"cannot read `{path}`: permission denied")
            paths.append(path)
    paths = list(dict.fromkeys(paths))
    return Logs(tuple(paths), schema.source_kind(paths))


def _usage(message: str, help: str | None = None) -> UsageError:
    return UsageError.single("usage", message, help=help)


def locate(loc: int | None, logs: Logs) -> str:
    """`file: row N` for a row location (rows counted from 1, the header not counted)."""
    if loc is None:
        return "?"
    index, row = divmod(int(loc), _FILE_STRIDE)
    path = logs.paths[index] if 0 <= index < len(logs.paths) else "?"
    return f"{path}: row {row}"


def _location(logs: Logs, filename: str, row: exp.Expression) -> exp.Expression:
    """The BIGINT location of a row: its file's index and its row number."""
    if len(logs.paths) == 1:
        index: exp.Expression = exp.Literal.number(0)
    else:
        index = exp.Case(this=exp.column(filename), ifs=[
            exp.If(this=exp.Literal.string(p), true=exp.Literal.number(i))
            for i, p in enumerate(logs.paths)], default=exp.Literal.number(0))
    return exp.Add(this=exp.Mul(this=index, expression=exp.Literal.number(_FILE_STRIDE)),
                   expression=row)


def _time_day(columns: schema.Columns) -> exp.Expression:
    if columns.time is None:
        return exp.cast(exp.Null(), exp.DataType.build("DATE"))
    value = exp.column(columns.time, quoted=True)
    kind = columns.types.get(columns.time)
    if kind in ("date", "timestamp"):
        return exp.cast(value, exp.DataType.build("DATE"))
    return exp.TryCast(this=exp.TryCast(this=value, to=exp.DataType.build("TIMESTAMP")),
                       to=exp.DataType.build("DATE"))


def audit_tree(compiled: CompiledPolicy, source: exp.Expression, columns: schema.Columns,
               keep: tuple[str, ...], summary: bool) -> AuditQuery:
    """The audit query, with the summary's internal columns when `summary`."""
    query = compile_audit(compiled, source, columns, keep)
    if summary:
        extra = [exp.column(f"cw_{name}", table="cw_i") for name in
                 ("action", "data", "recipient", "purpose", "loc")]
        day = _time_day(columns)
        for column in day.find_all(exp.Column):
            column.set("table", exp.to_identifier("cw_i"))
        extra.append(exp.alias_(day, "cw_day"))
        query.tree.select(*extra, copy=False)
    return query


#: the one aggregate the summary is folded from, over the audit result `cw_audit`
#: (two groupings in one pass: the flows, and the decisions per day; `by_day` tells them
#: apart, so that flows times days never has to be held)
FLOWS_SQL = """
SELECT decision, cw_action, cw_data, cw_recipient, cw_purpose, clauses, error, cw_day,
       COUNT(*) AS n, MIN(cw_loc) AS loc, GROUPING(cw_action) AS by_day
FROM cw_audit
GROUP BY GROUPING SETS ((decision, cw_action, cw_data, cw_recipient, cw_purpose, clauses,
                         error), (cw_day, decision))
"""


@dataclass
class Result:
    """What a run gives the report: the flow aggregate's rows and how long it took."""

    flows: list[tuple]
    seconds: float
    engine: str


# ------------------------------------------------------------------ DuckDB


class DuckDB:
    """The embedded engine: the files are read where they are, in parallel."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None,
                 progress: bool = False) -> None:
        import duckdb

        self.duckdb = duckdb
        self.con = duckdb.connect(config={"preserve_insertion_order": False})
        # the join of every row with its (few) distinct actions must build its hash table
        # on those, never on the log: keep the query's own sides
        self.con.execute("SET disabled_optimizers = 'build_side_probe_side'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute("SET memory_limit = ?", [memory_limit])
        self.progress = progress

    def source(self, logs: Logs) -> tuple[exp.Expression, dict[str, str]]:
        """The relation of the logs with each row's location, and the logs' columns."""
        files = exp.Array(expressions=[exp.Literal.string(p) for p in logs.paths])
        eq = lambda k, v: exp.EQ(this=exp.column(k), expression=v)  # noqa: E731
        if logs.kind == "parquet":
            read = exp.func("read_parquet", files, eq("filename", exp.true()),
                            eq("file_row_number", exp.true()),
                            eq("union_by_name", exp.true()))
            row = exp.Add(this=exp.column("file_row_number"),
                          expression=exp.Literal.number(1))
            hidden = {"filename", "file_row_number"}
        else:
            name = "read_csv" if logs.kind == "csv" else "read_json"
            options = [eq("filename", exp.true()), eq("union_by_name", exp.true())]
            if logs.kind == "jsonl":
                options.append(eq("format", exp.Literal.string("newline_delimited")))
            read = exp.func(name, files, *options)
            row = sqlglot.parse_one("ROW_NUMBER() OVER (PARTITION BY filename)",
                                    read="duckdb")
            hidden = {"filename"}
        try:
            described = self.con.execute(
                f"DESCRIBE SELECT * FROM {read.sql('duckdb')}").fetchall()
        except self.duckdb.Error as exc:
            raise _unreadable(logs, exc) from None
        types = {name: kind for name, kind, *_ in described if name not in hidden}
        if "filename" in types or any(n.startswith(("cw_", "cwf_", "cwg_")) for n in types):
            raise _usage("the logs have a column named `filename` or starting with `cw_`, "
                         "which the audit uses itself")
        relation = exp.select("*", exp.alias_(_location(logs, "filename", row), "cw_loc")) \
            .from_(read).subquery("cw_source")
        return relation, {name: schema.kind_of(kind) for name, kind in types.items()}

    def run(self, query: AuditQuery, keep: tuple[str, ...], out: str | None,
            logs: Logs) -> Result:
        started = time.perf_counter()
        sql = query.sql("duckdb")
        try:
            with _Progress(self.con if self.progress else None):
                if out is None:
                    self.con.execute(f"CREATE TEMP VIEW cw_audit AS {sql}")
                else:
                    self.con.execute(f"CREATE TEMP TABLE cw_audit AS {sql}")
                    _write_atomically(out, lambda tmp: self._copy(keep, tmp, out, logs))
                flows = self.con.execute(
                    sqlglot.transpile(FLOWS_SQL, read="duckdb", write="duckdb")[0]).fetchall()
        except self.duckdb.Error as exc:
            raise _unreadable(logs, exc) from None
        return Result(flows, time.perf_counter() - started, self.name)

    def _copy(self, keep: tuple[str, ...], tmp: str, out: str, logs: Logs) -> None:
        fmt = _out_format(out)
        columns = [exp.column(c, quoted=True) for c in keep] + _located(logs)
        for name in ("decision", "clauses", "obligations", "remedies", "error"):
            column = exp.column(name)
            if fmt == "csv" and name in ("clauses", "obligations", "remedies"):
                column = exp.alias_(exp.ArrayToString(this=column,
                                                      expression=exp.Literal.string("; ")), name)
            columns.append(column)
        select = exp.select(*columns).from_("cw_audit").sql("duckdb")
        options = {"parquet": "(FORMAT PARQUET)", "csv": "(FORMAT CSV, HEADER)",
                   "jsonl": "(FORMAT JSON)"}[fmt]
        self.con.execute(f"COPY ({select}) TO '{_quote(tmp)}' {options}")


def _located(logs: Logs) -> list[exp.Expression]:
    """`source_file` and `source_row` of each output row, from its location."""
    loc = exp.column("cw_loc")
    index = exp.IntDiv(this=loc, expression=exp.Literal.number(_FILE_STRIDE))
    file = exp.Case(this=index, ifs=[exp.If(this=exp.Literal.number(i),
                                            true=exp.Literal.string(p))
                                     for i, p in enumerate(logs.paths)])
    row = exp.Mod(this=loc, expression=exp.Literal.number(_FILE_STRIDE))
    return [exp.alias_(file, "source_file"), exp.alias_(row, "source_row")]


def _quote(path: str) -> str:
    return path.replace("'", "''")


def _unreadable(logs: Logs, exc: Exception) -> UsageError:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    where = logs.paths[0] if len(logs.paths) == 1 else f"{len(logs.paths)} log files"
    return _usage(f"cannot audit `{where}`: {message}",
                  "check that the logs are valid " + logs.kind.upper() + " files")


def _out_format(path: str) -> str:
    lower = path.lower()
    for suffix, fmt in ((".parquet", "parquet"), (".csv", "csv"), (".jsonl", "jsonl"),
                        (".ndjson", "jsonl")):
        if lower.endswith(suffix):
            return fmt
    raise _usage(f"`--out {path}`: the file must end in .parquet, .csv or .jsonl")


def _write_atomically(out: str, write: Callable[[str], None]) -> None:
    """Write through a temporary file in the target's directory, then move it in place."""
    directory = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(directory):
        raise _usage(f"`--out {out}`: no directory `{directory}`")
    handle, tmp = tempfile.mkstemp(prefix=".clausewise-audit-", suffix=os.path.basename(out),
                                   dir=directory)
    os.close(handle)
    os.unlink(tmp)
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            if os.path.isdir(tmp):
                import shutil

                shutil.rmtree(tmp, ignore_errors=True)
            else:
                os.unlink(tmp)


class _Progress:
    """A progress line on stderr while DuckDB works (only when stderr is a terminal)."""

    def __init__(self, con) -> None:
        self.con = con if con is not None and sys.stderr.isatty() else None
        self.stop = threading.Event()

    def __enter__(self) -> _Progress:
        if self.con is not None:
            self.thread = threading.Thread(target=self._show, daemon=True)
            self.thread.start()
        return self

    def _show(self) -> None:
        shown = False
        while not self.stop.wait(0.25):
            try:
                done = self.con.query_progress()
            except Exception:  # noqa: BLE001 - progress is a courtesy, never a failure
                return
            if done is not None and done >= 0:
                bar = int(done / 100 * 30)
                sys.stderr.write(f"\raudit [{'#' * bar}{'.' * (30 - bar)}] {done:5.1f}%")
                sys.stderr.flush()
                shown = True
        if shown:
            sys.stderr.write("\r" + " " * 50 + "\r")
            sys.stderr.flush()

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.con is not None:
            self.thread.join(timeout=1)


# ------------------------------------------------------------------- Spark


class Spark:
    """The same query through PySpark: a local session, or a cluster at `master`."""

    name = "spark"

    def __init__(self, master: str | None = None, progress: bool = False,
                 session=None) -> None:
        if session is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError:
                raise _usage("--engine spark needs pyspark: pip install 'clausewise[spark]'") \
                    from None
            builder = SparkSession.builder.appName("clausewise-audit") \
                .master(master or "local[*]") \
                .config("spark.ui.showConsoleProgress", "true" if progress else "false") \
                .config("spark.ui.enabled", "false") \
                .config("spark.sql.session.timeZone", "UTC") \
                .config("spark.sql.codegen.wholeStage", "false")
            session = builder.getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
        self.spark = session
        # the audit query is one wide projection: generating one Java method for the
        # whole stage costs more than it saves (measured: about half the time)
        session.conf.set("spark.sql.codegen.wholeStage", "false")

    def source(self, logs: Logs) -> tuple[exp.Expression, dict[str, str]]:
        from pyspark.sql import functions as F

        reader = self.spark.read
        try:
            if logs.kind == "parquet":
                frame = reader.parquet(*logs.paths)
            elif logs.kind == "csv":
                frame = reader.option("header", True).option("inferSchema", True) \
                    .csv(list(logs.paths))
            else:
                frame = reader.json(list(logs.paths))
        except Exception as exc:  # noqa: BLE001 - Spark raises its own family
            raise _unreadable(logs, exc) from None
        types = {name: schema.kind_of(kind) for name, kind in frame.dtypes}
        index = F.lit(0)
        if len(logs.paths) > 1:
            names = F.input_file_name()
            index = F.lit(0)
            for i, path in enumerate(logs.paths):
                index = F.when(names.endswith(os.path.abspath(path)), F.lit(i)).otherwise(index)
        frame = frame.withColumn("cw_loc", index * F.lit(_FILE_STRIDE)
                                 + F.monotonically_increasing_id() + F.lit(1))
        frame.createOrReplaceTempView("cw_source")
        return exp.to_table("cw_source"), types

    def run(self, query: AuditQuery, keep: tuple[str, ...], out: str | None,
            logs: Logs) -> Result:
        started = time.perf_counter()
        try:
            frame = self.spark.sql(query.sql("spark"))
            if out is not None:
                frame = frame.cache()
            frame.createOrReplaceTempView("cw_audit")
            if out is not None:
                _write_atomically(out, lambda tmp: self._write(frame, keep, tmp, out, logs))
            flows = [tuple(r) for r in self.spark.sql(
                sqlglot.transpile(FLOWS_SQL, read="duckdb", write="spark")[0]).collect()]
        except UsageError:
            raise
        except Exception as exc:  # noqa: BLE001 - Spark's analysis and runtime errors
            raise _unreadable(logs, exc) from None
        flows = [tuple(list(v) if isinstance(v, (list, tuple)) else v for v in row)
                 for row in flows]
        return Result(flows, time.perf_counter() - started, self.name)

    def _write(self, frame, keep: tuple[str, ...], tmp: str, out: str,
               logs: Logs) -> None:
        from pyspark.sql import functions as F

        fmt = _out_format(out)
        columns = [F.col(f"`{c}`") for c in keep] + [
            F.expr(e.sql("spark")) for e in _located(logs)]
        for name in ("decision", "clauses", "obligations", "remedies", "error"):
            column = F.col(name)
            if fmt == "csv" and name in ("clauses", "obligations", "remedies"):
                column = F.array_join(column, "; ").alias(name)
            columns.append(column)
        parts = tmp + ".parts"
        writer = frame.select(*columns).coalesce(1).write.mode("overwrite")
        if fmt == "parquet":
            writer.parquet(parts)
        elif fmt == "csv":
            writer.option("header", True).csv(parts)
        else:
            writer.json(parts)
        try:
            produced = [os.path.join(parts, n) for n in sorted(os.listdir(parts))
                        if n.startswith("part-")]
            if len(produced) != 1:
                raise _usage(f"Spark wrote {len(produced)} files for `--out {out}`")
            os.replace(produced[0], tmp)
        finally:
            import shutil

            shutil.rmtree(parts, ignore_errors=True)
