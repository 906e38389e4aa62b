"""Findings as text, JSON, GitHub workflow commands and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import quote

from ..safe_text import visible_line
from .codes import CODES, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def summary(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
             for s in ("error", "warning", "info") if counts[s] or s == "error"]
    return ", ".join(parts)


def to_text(findings: list[Finding]) -> str:
    lines = []
    for item in findings:
        where = f"{item.span}: " if item.span is not None else ""
        lines.append(visible_line(f"{where}{item.severity}[{item.code}]: {item.message}"))
        for what, span in item.related:
            lines.append(visible_line(f"  = see: {what} at {span}"))
        lines.append(visible_line(f"  = fix: {item.fix}"))
        if item.example is not None:
            lines.append(visible_line(f"  = example: {_example_text(item.example)}"))
    lines.append(summary(findings))
    return "\n".join(lines)


def _example_text(example: dict[str, Any]) -> str:
    action = json.dumps(example["action"], sort_keys=False)
    if "decision" in example:
        by = ", ".join(example.get("by", ())) or "no clause"
        return f"{action} -> {example['decision']} ({by})"
    return action


def to_dict(item: Finding) -> dict[str, Any]:
    span = item.span
    return {
        "code": item.code, "name": CODES[item.code].name, "severity": item.severity,
        "message": item.message, "fix": item.fix, "clause": item.clause,
        "file": span.file if span else None, "line": span.line if span else None,
        "column": span.column if span else None,
        "related": [{"what": what, "file": s.file, "line": s.line, "column": s.column}
                    for what, s in item.related],
        "example": item.example,
    }


def to_json(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    return json.dumps({"findings": [to_dict(f) for f in findings],
                       "summary": {s: counts[s] for s in ("error", "warning", "info")}},
                      indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(findings: list[Finding]) -> str:
    """One workflow command per finding: `::error file=...,line=...,col=...::message`."""
    lines = []
    for item in findings:
        props = []
        if item.span is not None:
            props += [f"file={_escape_property(item.span.file)}", f"line={item.span.line}",
                      f"col={item.span.column}"]
        props.append(f"title={_escape_property(f'{item.code} {CODES[item.code].name}')}")
        message = f"{item.message} (fix: {item.fix})"
        lines.append(f"::{_GITHUB_LEVEL[item.severity]} {','.join(props)}::"
                     f"{_escape_data(visible_line(message))}")
    return "\n".join(lines)


def _location(file: str, line: int, column: int, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": {"uri": quote(file, safe="/:")},  # a URI reference
        "region": {"startLine": line, "startColumn": column}}}
    if message is not None:
        location["message"] = {"text": message}
    return location


def to_sarif(findings: list[Finding], version: str) -> str:
    """A SARIF 2.1.0 log: one run, every code as a rule, one result per finding."""
    codes = sorted(CODES)
    rules = [{"id": code, "name": CODES[code].name,
              "shortDescription": {"text": CODES[code].summary},
              "help": {"text": f"fix: {CODES[code].fix}"},
              "defaultConfiguration": {"level": _SARIF_LEVEL[CODES[code].severity]}}
             for code in codes]
    results = []
    for item in findings:
        result: dict[str, Any] = {
            "ruleId": item.code, "ruleIndex": codes.index(item.code),
            "level": _SARIF_LEVEL[item.severity],
            "message": {"text": f"{item.message} (fix: {item.fix})"}}
        if item.span is not None:
            result["locations"] = [_location(item.span.file, item.span.line, item.span.column)]
        if item.related:
            result["relatedLocations"] = [
                dict(_location(s.file, s.line, s.column, what), id=n)
                for n, (what, s) in enumerate(item.related)]
        if item.example is not None:
            result["properties"] = {"example": item.example}
        results.append(result)
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "clausewise", "version": version, "rules": rules}},
        "results": results}]}
    return json.dumps(log, indent=2)
