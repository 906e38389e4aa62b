"""Errors as JSON bodies: what went wrong, where, and the text the CLI would print.

A bad action gets the located diagnostics of `ActionError` (code, message, help,
file:line:column) and `text`, the same formatted error `clausewise check` prints;
anything unexpected gets a short body with an incident id, never a traceback.
"""

from __future__ import annotations

from typing import Any

from ..errors import ClausewiseError


class ApiError(Exception):
    """An answer other than 200: raised by a route, turned into JSON by the app."""

    def __init__(self, status: int, code: str, message: str, *, help: str | None = None,
                 error: ClausewiseError | None = None, close: bool = False) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.help = status, code, message, help
        self.error = error
        #: close the connection after answering (a body left unread)
        self.close = close

    def body(self) -> dict[str, Any]:
        if self.error is not None:
            return error_json(self.error, self.code)
        diagnostic = {"code": self.code, "message": self.message, "help": self.help,
                      "span": None}
        text = f"error[{self.code}]: {self.message}" + \
            (f"\n  = help: {self.help}" if self.help else "")
        return {"error": self.code, "message": self.message, "diagnostics": [diagnostic],
                "text": text}


def diagnostics_json(error: ClausewiseError) -> list[dict[str, Any]]:
    out = []
    for d in error.diagnostics:
        span = d.span
        out.append({"code": d.code, "message": d.message, "help": d.help, "span": None
                    if span is None else {"file": span.file, "line": span.line,
                                          "column": span.column, "end_line": span.end_line,
                                          "end_column": span.end_column}})
    return out


def error_kind(error: ClausewiseError) -> str:
    """`bad-json` for a body that is not JSON (or not UTF-8), else `bad-action`."""
    return "bad-json" if set(error.codes) & {"bad-json", "encoding"} else "bad-action"


def error_json(error: ClausewiseError, code: str | None = None) -> dict[str, Any]:
    """`error` (the kind), `message` (the first finding), `diagnostics`, `text`."""
    return {"error": code or error_kind(error), "message": error.diagnostics[0].message,
            "diagnostics": diagnostics_json(error), "text": error.format()}
