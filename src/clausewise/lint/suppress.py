"""Which findings the user turned off: in pyproject.toml, and by comments in the policy.

`[tool.clausewise.lint]` in the nearest pyproject.toml above the policy (the first
one found walking up that has the table, as ruff finds its own) may say

    disable = ["CW101", "CW303"]
    severity = { CW104 = "error" }

A comment `# clausewise: disable=CW104,CW303` inside a clause, on its lines, or in
the comment lines right above it turns those codes off for that clause (or header,
or definition); `# clausewise: disable-file=CW301` anywhere turns them off for the
whole file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import model as m
from ..errors import UsageError
from .codes import CODES, SEVERITIES, Finding

_COMMENT = re.compile(r"clausewise:\s*disable(-file)?\s*=\s*([A-Za-z0-9_,\s]+)")
#: the most bytes of a pyproject.toml read
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Config:
    disable: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    path: str | None = None


def find_config(start: str | Path) -> Config:
    """The `[tool.clausewise.lint]` table nearest above `start`, or the defaults."""
    here = Path(start).resolve()
    for folder in (here, *here.parents) if here.is_dir() else here.parents:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = _table(candidate)
            if table is not None:
                return _config(table, str(candidate))
    return Config()


def _table(path: Path) -> dict | None:
    data = path.read_bytes()[:MAX_CONFIG_BYTES + 1]
    if len(data) > MAX_CONFIG_BYTES:
        raise UsageError.single("bad-config", f"`{path}` is larger than 1 MB")
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError.single("bad-config", f"`{path}` is not valid TOML: {exc}") from None
    table = parsed.get("tool", {}).get("clausewise", {})
    lint = table.get("lint") if isinstance(table, dict) else None
    return lint if isinstance(lint, dict) else None


def _config(table: dict, path: str) -> Config:
    def bad(message: str) -> UsageError:
        return UsageError.single("bad-config", f"{path}: [tool.clausewise.lint] {message}")

    unknown = sorted(set(table) - {"disable", "severity"})
    if unknown:
        raise bad(f"has no setting `{unknown[0]}` (it takes `disable` and `severity`)")
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(c, str) for c in disable):
        raise bad("`disable` is a list of codes, e.g. [\"CW101\"]")
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise bad("`severity` maps codes to error, warning or info")
    for code in [*disable, *severity]:
        if code not in CODES:
            raise bad(f"names no lint code `{code}` (see `clausewise lint --list-codes`)")
    for code, level in severity.items():
        if level not in SEVERITIES:
            raise bad(f"severity of `{code}` is `{level}`: give error, warning or info")
    return Config(frozenset(disable), dict(severity), path)


def comment_codes(text: str) -> tuple[bool, set[str]] | None:
    """(whole file?, codes) that a comment turns off, or None."""
    found = _COMMENT.search(text)
    if found is None:
        return None
    return found.group(1) is not None, {c.strip().upper() for c in found.group(2).split(",")
                                        if c.strip()}


def _blocks(document: m.Document) -> list[tuple[int, int]]:
    """The (first, last) lines of each clause, the header and each definition."""
    nodes = [document.header, *document.clauses, *document.terms, *document.facts]
    return [(n.span.line, n.span.end_line) for n in nodes if n is not None and n.span]


def suppressed_by_comments(policy: m.Policy) -> dict[str, list[tuple[int, int, set[str]]]]:
    """Per file, the line ranges (a block and the comments right above it) and the
    codes turned off there; a `disable-file` comment spans the whole file."""
    table: dict[str, list[tuple[int, int, set[str]]]] = {}
    for document in policy.documents:
        lines = {c.span.line: c for c in document.comments if c.span is not None}
        ranges = table.setdefault(document.path, [])
        blocks = _blocks(document)
        for line, comment in lines.items():
            parsed = comment_codes(comment.text)
            if parsed is None:
                continue
            whole, codes = parsed
            if whole:
                ranges.append((1, 1 << 30, codes))
                continue
            for first, last in blocks:
                right_above = line < first and all(n in lines for n in range(line + 1, first))
                if first <= line <= last or right_above:
                    ranges.append((first, last, codes))
    return table


def apply(findings: list[Finding], policy: m.Policy, config: Config) -> list[Finding]:
    """The findings left once the config and the comments have turned some off, with
    the severities the config gives."""
    ranges = suppressed_by_comments(policy)
    kept = []
    for item in findings:
        if item.code in config.disable:
            continue
        span = item.span
        if span is not None and any(first <= span.line <= last and item.code in codes
                                    for first, last, codes in ranges.get(span.file, ())):
            continue
        level = config.severity.get(item.code)
        kept.append(replace(item, severity=level) if level else item)
    return kept
