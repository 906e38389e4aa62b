"""Auditing logged data actions at scale: the compiled policy as one SQL query.

schema.py maps a log's columns onto an action's fields, compile.py turns the
engine's `CompiledPolicy` into one sqlglot expression tree (one tree, many
dialects), run.py executes it on DuckDB or Spark, report.py summarises the result.
"""

from __future__ import annotations

from .compile import AuditQuery, compile_audit  # noqa: F401

__all__ = ["AuditQuery", "compile_audit"]
