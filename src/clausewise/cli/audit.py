"""`clausewise audit`: decide every logged action of Parquet, CSV or JSONL logs in SQL."""

from __future__ import annotations

import os
import sys

import click

from ..api import load
from ..errors import UsageError
from . import EXIT_FINDING, EXIT_OK, include_root_option, main, reports_errors


@main.command()
@click.argument("policy", type=click.Path(dir_okay=False))
@click.argument("logs", nargs=-1)
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
              show_default=True, help="Where the query runs: embedded DuckDB over the files, "
              "or PySpark (a local session, or --master).")
@click.option("--master", metavar="URL", help="With --engine spark: the cluster's master URL "
              "(default: a local session on every core).")
@click.option("--sql", "print_sql", is_flag=True, help="Print the audit query and exit; with "
              "LOGS, fitted to their columns.")
@click.option("--dialect", type=click.Choice(["duckdb", "spark", "trino", "bigquery",
                                              "snowflake", "postgres"]), default="duckdb",
              show_default=True, help="The SQL dialect --sql prints.")
@click.option("--table", default="actions", show_default=True,
              help="With --sql: the table of logged actions the query reads.")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="The log column holding an action field or fact (repeatable); "
              "`context=COLUMN` names a JSON column of facts.")
@click.option("--mapping", type=click.Path(dir_okay=False), help="A YAML file of field: "
              "column pairs (and `delimiter:`, `time:`).")
@click.option("--delimiter", help="How a text `data` column separates its categories "
              "(default `,`).")
@click.option("--time", "time_column", metavar="COLUMN", help="The timestamp column for the "
              "denials over time (default: the first date or timestamp column).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write every row with its "
              "decision, clauses, obligations and error to FILE.parquet, .csv or .jsonl.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "github",
                                                    "html"]),
              default="text", show_default=True, help="How to print the summary.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write the HTML report (with a chart of denials over time).")
@click.option("--fail-on", type=click.Choice(["deny", "error", "none"]), default="none",
              show_default=True, help="Exit 1 when any row is denied (deny), or is denied or "
              "cannot be decided (error).")
@click.option("--threads", type=click.IntRange(1, 1024), help="DuckDB's threads (default: "
              "every core).")
@click.option("--memory-limit", metavar="SIZE", help="DuckDB's memory limit, e.g. 4GB; past "
              "it, it spills to disk.")
@include_root_option
@reports_errors
def audit(policy: str, logs: tuple[str, ...], engine: str, master: str | None,
          print_sql: bool, dialect: str, table: str, maps: tuple[str, ...],
          mapping: str | None, delimiter: str | None, time_column: str | None,
          out: str | None, fmt: str, html_path: str | None, fail_on: str,
          threads: int | None, memory_limit: str | None, include_root: str | None) -> None:
    """Audit the logged actions in LOGS (Parquet, CSV or JSONL files, or globs) against
    POLICY: every row is decided in one SQL query, as `clausewise check` decides it.

    Prints a summary (rows, denials per clause, data category and recipient, the top
    denied flows with a sample row, the bad rows). A row that cannot be decided (an
    unknown term, a value of the wrong type) is counted as an error and the audit goes
    on. Exit code 0, or 1 with --fail-on when rows were denied; 2 for bad usage, a
    missing column or an unreadable file.
    """
    try:
        from ..audit import report, run, schema
        from ..audit.compile import compile_audit
    except ImportError as exc:  # the `audit` extra is not installed
        raise _usage(f"clausewise audit needs the `audit` extra ({exc.name} is missing): "
                     "pip install 'clausewise[audit]'") from None
    if master and engine != "spark":
        raise _usage("--master goes with --engine spark")
    if not logs and not print_sql:
        raise _usage("missing LOGS: Parquet, CSV or JSONL files of logged actions, or a glob")
    found = run.find_logs(logs) if logs else None
    if out is not None:
        run._out_format(out)  # a bad suffix is refused before any work
    engine_ = load(policy, include_root=include_root)
    given = schema.read_mapping(mapping) if mapping else {}
    given.update(schema.parse_maps(maps))
    if delimiter is not None:
        given["delimiter"] = delimiter
    if time_column is not None:
        given["time"] = time_column
    vocabulary = engine_.vocabulary

    if print_sql:
        from sqlglot import exp

        if found is not None:
            runner = run.DuckDB(threads=threads)
            _source, types = runner.source(found)
        else:
            types = {name: "" for name in (*schema.FIELDS, *vocabulary.facts)
                     if name not in given.values()}
            types.update({column: "" for key, column in given.items()
                          if key not in ("delimiter", "time")})
        columns = schema.resolve(given, types, vocabulary, found.paths[0] if found else table)
        keep = tuple(types) if found else tuple(columns.fields.values())
        query = compile_audit(engine_.compiled, exp.to_table(table), columns, keep)
        click.echo(query.sql(dialect, pretty=True) + ";")
        sys.exit(EXIT_OK)

    assert found is not None
    progress = sys.stderr.isatty()
    runner = run.Spark(master, progress) if engine == "spark" else \
        run.DuckDB(threads, memory_limit, progress)
    source, types = runner.source(found)
    columns = schema.resolve(given, types, vocabulary, found.paths[0])
    keep = tuple(types)
    query = run.audit_tree(engine_.compiled, source, columns, keep, summary=True)
    result = runner.run(query, keep, out, found)
    summary = report.summarize(result, engine_.compiled, found, os.path.basename(policy))
    if html_path is not None:
        run._write_atomically(html_path, lambda tmp: _write_text(tmp, report.page(summary)))
    click.echo(report.FORMATS[fmt](summary))
    failed = fail_on == "deny" and summary.denied or \
        fail_on == "error" and (summary.denied or summary.errors)
    sys.exit(EXIT_FINDING if failed else EXIT_OK)


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _usage(message: str) -> UsageError:
    return UsageError.single("usage", message)
