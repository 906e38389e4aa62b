"""Audit result -> summary: rows audited, denials per clause, data category and
recipient, the top denied flows with a sample row each, the bad rows, and denials
over time; printed as text, JSON, Markdown, GitHub annotations or a self-contained
HTML page (its chart is inline SVG: no script, no external resource).
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..engine.compile import CompiledPolicy
from ..safe_text import visible_line
from .run import Logs, Result, locate

TOP = 10
NO_CLAUSE = "(no clause permits it, or outside the policy)"


@dataclass
class Flow:
    action: str | None
    data: tuple[str, ...]
    recipient: str | None
    purpose: str | None
    clauses: tuple[str, ...]
    rows: int = 0
    sample: str = "?"

    def words(self) -> str:
        parts = [self.action or "?", ", ".join(self.data) or "(no data)"]
        if self.recipient:
            parts.append(f"with {self.recipient}")
        if self.purpose:
            parts.append(f"for {self.purpose}")
        return " ".join(parts)


@dataclass
class Summary:
    policy: str
    logs: tuple[str, ...]
    engine: str
    seconds: float
    rows: int = 0
    allowed: int = 0
    denied: int = 0
    errors: int = 0
    by_clause: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_recipient: list[tuple[str, int]] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    bad: list[tuple[str, int, str]] = field(default_factory=list)
    timeline: list[tuple[str, int, int]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # clause id -> file:line

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy, "logs": list(self.logs), "engine": self.engine,
            "seconds": round(self.seconds, 3), "rows": self.rows, "allowed": self.allowed,
            "denied": self.denied, "errors": self.errors,
            "denied_by_clause": [{"clause": c, "rows": n, "source": self.sources.get(c)}
                                 for c, n in self.by_clause],
            "denied_by_category": [{"category": c, "rows": n} for c, n in self.by_category],
            "denied_by_recipient": [{"recipient": c, "rows": n} for c, n in self.by_recipient],
            "top_denied_flows": [{"action": f.action, "data": list(f.data),
                                  "recipient": f.recipient, "purpose": f.purpose,
                                  "clauses": list(f.clauses), "rows": f.rows,
                                  "sample": f.sample} for f in self.flows],
            "errors_sample": [{"error": e, "rows": n, "sample": s} for e, n, s in self.bad],
            "denied_by_day": [{"day": d, "rows": t, "denied": n} for d, t, n in self.timeline],
        }


def summarize(result: Result, compiled: CompiledPolicy, logs: Logs, policy: str) -> Summary:
    """Fold the flow aggregate (run.FLOWS_SQL) into the summary."""
    s = Summary(policy, logs.paths, result.engine, result.seconds)
    clauses: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    recipients: Counter[str] = Counter()
    flows: dict[tuple, Flow] = {}
    bad: dict[str, list] = {}
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for decision, action, data, recipient, purpose, ids, error, day, n, loc, by_day \
            in result.flows:
        if by_day:
            if day is not None:
                key = day.isoformat() if isinstance(day, date) else str(day)
                days[key][0] += n
                days[key][1] += n if decision == "deny" else 0
            continue
        data, ids = tuple(data or ()), tuple(ids or ())
        s.rows += n
        if decision == "allow":
            s.allowed += n
            continue
        if decision == "error":
            s.errors += n
            entry = bad.setdefault(error or "?", [0, loc])
            entry[0] += n
            entry[1] = min(entry[1], loc) if loc is not None and entry[1] is not None else \
                entry[1] if entry[1] is not None else loc
            continue
        s.denied += n
        for clause in ids or (NO_CLAUSE,):
            clauses[clause] += n
        for category in data or ("(no data)",):
            categories[category] += n
        recipients[recipient or "(none)"] += n
        flow = flows.setdefault((action, data, recipient, purpose, ids),
                                Flow(action, data, recipient, purpose, ids, 0, loc))
        flow.rows += n
        if loc is not None and (not isinstance(flow.sample, int) or loc < flow.sample):
            flow.sample = loc
    s.by_clause = _top(clauses, None)
    s.by_category = _top(categories, None)
    s.by_recipient = _top(recipients, None)
    s.flows = sorted(flows.values(), key=lambda f: (-f.rows, f.words()))[:TOP]
    for flow in s.flows:
        flow.sample = locate(flow.sample if isinstance(flow.sample, int) else None, logs)
    s.bad = [(e, n, locate(loc, logs)) for e, (n, loc) in
             sorted(bad.items(), key=lambda kv: (-kv[1][0], kv[0]))[:TOP]]
    s.timeline = [(d, t, n) for d, (t, n) in sorted(days.items())]
    for clause_id, _ in s.by_clause:
        clause = compiled.clauses.get(clause_id)
        span = getattr(clause, "span", None)
        if span is not None:
            s.sources[clause_id] = f"{span.file}:{span.line}"
    return s


def _top(counter: Counter, limit: int | None) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


# ------------------------------------------------------------------ formats


def text(s: Summary) -> str:
    v = visible_line
    lines = [f"audited {s.rows:,} rows of {len(s.logs)} file{'s' * (len(s.logs) != 1)} "
             f"against {v(s.policy)} in {s.seconds:.1f}s ({s.engine})",
             f"  allowed {s.allowed:,} ({_pct(s.allowed, s.rows)}), denied {s.denied:,} "
             f"({_pct(s.denied, s.rows)}), errors {s.errors:,} ({_pct(s.errors, s.rows)})"]
    for title, rows in (("denied by clause", s.by_clause), ("denied by data category",
                        s.by_category[:TOP]), ("denied by recipient", s.by_recipient[:TOP])):
        if rows:
            lines.append(f"{title}:")
            width = max(len(f"{n:,}") for _, n in rows)
            for name, n in rows:
                where = f"  ({s.sources[name]})" if name in s.sources else ""
                lines.append(f"  {n:>{width},}  {v(name)}{v(where)}")
    if s.flows:
        lines.append("top denied flows:")
        for f in s.flows:
            ids = ", ".join(f.clauses) or NO_CLAUSE
            lines.append(f"  {f.rows:,}  {v(f.words())}  [{v(ids)}]  e.g. {v(f.sample)}")
    if s.bad:
        lines.append("bad rows (decision errors):")
        for error, n, sample in s.bad:
            lines.append(f"  {n:,}  {v(error)}  e.g. {v(sample)}")
    return "\n".join(lines)


def as_json(s: Summary) -> str:
    return json.dumps(s.to_dict(), indent=2)


def _md(text: str) -> str:
    return visible_line(text).replace("|", "\\|").replace("`", "'")


def markdown(s: Summary) -> str:
    out = [f"## Audit of {_md(s.policy)}", "",
           f"{s.rows:,} rows audited: **{s.allowed:,} allowed**, **{s.denied:,} denied**, "
           f"{s.errors:,} errors ({s.seconds:.1f}s, {s.engine}).", ""]
    for title, head, rows in (("Denied by clause", "Clause", s.by_clause),
                              ("Denied by data category", "Category", s.by_category[:TOP]),
                              ("Denied by recipient", "Recipient", s.by_recipient[:TOP])):
        if rows:
            out += [f"### {title}", "", f"| {head} | Rows |", "|---|---:|"]
            out += [f"| {_md(name)} | {n:,} |" for name, n in rows]
            out.append("")
    if s.flows:
        out += ["### Top denied flows", "", "| Rows | Flow | Clauses | Sample |",
                "|---:|---|---|---|"]
        out += [f"| {f.rows:,} | {_md(f.words())} | {_md(', '.join(f.clauses) or '-')} | "
                f"{_md(f.sample)} |" for f in s.flows]
        out.append("")
    if s.bad:
        out += ["### Bad rows", "", "| Rows | Error | Sample |", "|---:|---|---|"]
        out += [f"| {n:,} | {_md(e)} | {_md(sample)} |" for e, n, sample in s.bad]
        out.append("")
    return "\n".join(out)


def _gh(text: str) -> str:
    return visible_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github(s: Summary) -> str:
    """GitHub Actions annotations: one per denying clause, at its line of the policy."""
    out = []
    for clause, n in s.by_clause:
        where = s.sources.get(clause)
        loc = ""
        if where:
            file, _, line = where.rpartition(":")
            loc = f" file={_gh(file)},line={line}"
        out.append(f"::error{loc},title=clausewise audit::{_gh(f'{n:,} logged actions denied by {clause}')}")
    if s.errors:
        out.append(f"::warning title=clausewise audit::"
                   f"{_gh(f'{s.errors:,} rows could not be decided (see the bad rows)')}")
    out.append(_gh(f"audited {s.rows:,} rows: {s.allowed:,} allowed, {s.denied:,} denied, "
                   f"{s.errors:,} errors"))
    return "\n".join(out)


def _chart(timeline: list[tuple[str, int, int]]) -> str:
    """Denials per day as an inline SVG bar chart (total rows in grey behind)."""
    if not timeline:
        return ""
    width, height, pad = 720, 220, 30
    top = max(t for _, t, _ in timeline) or 1
    step = (width - 2 * pad) / len(timeline)
    bars = []
    for i, (day, total, denied) in enumerate(timeline):
        x = pad + i * step
        th, dh = (height - 2 * pad) * total / top, (height - 2 * pad) * denied / top
        label = html.escape(f"{day}: {denied:,} denied of {total:,}")
        bars.append(f'<g><title>{label}</title>'
                    f'<rect x="{x:.1f}" y="{height - pad - th:.1f}" width="{max(step - 1, 1):.1f}"'
                    f' height="{th:.1f}" fill="#d0d7de"/>'
                    f'<rect x="{x:.1f}" y="{height - pad - dh:.1f}" width="{max(step - 1, 1):.1f}"'
                    f' height="{dh:.1f}" fill="#cf222e"/></g>')
    first, last = html.escape(timeline[0][0]), html.escape(timeline[-1][0])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}"'
            f' width="{width}" height="{height}" aria-label="denials per day">'
            f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
            f'stroke="#57606a"/>{"".join(bars)}'
            f'<text x="{pad}" y="{height - 8}" font-size="11">{first}</text>'
            f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{last}'
            f'</text><text x="{pad}" y="16" font-size="11">{top:,} rows</text></svg>')


def page(s: Summary) -> str:
    """A standalone HTML report: no script, no external resource."""
    e = html.escape

    def table(head: tuple[str, ...], rows: list[tuple]) -> str:
        if not rows:
            return "<p>None.</p>"
        cells = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>"
                        for row in rows)
        return ("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head)
                + f"</tr></thead><tbody>{cells}</tbody></table>")

    chart = _chart(s.timeline)
    body = [
        f"<h1>Audit of {e(s.policy)}</h1>",
        f"<p>{s.rows:,} rows audited: <strong>{s.allowed:,} allowed</strong>, "
        f"<strong>{s.denied:,} denied</strong>, {s.errors:,} errors "
        f"({s.seconds:.1f}s, {e(s.engine)}).</p>",
        *(["<h2>Denials over time</h2>", chart] if chart else []),
        "<h2>Denied by clause</h2>",
        table(("Clause", "Source", "Rows"), [(c, s.sources.get(c, ""), f"{n:,}")
                                             for c, n in s.by_clause]),
        "<h2>Denied by data category</h2>",
        table(("Category", "Rows"), [(c, f"{n:,}") for c, n in s.by_category]),
        "<h2>Denied by recipient</h2>",
        table(("Recipient", "Rows"), [(c, f"{n:,}") for c, n in s.by_recipient]),
        "<h2>Top denied flows</h2>",
        table(("Rows", "Flow", "Clauses", "Sample"), [
            (f"{f.rows:,}", f.words(), ", ".join(f.clauses) or "-", f.sample) for f in s.flows]),
        "<h2>Bad rows</h2>",
        table(("Rows", "Error", "Sample"), [(f"{n:,}", err, sample) for err, n, sample in s.bad]),
    ]
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
             "padding:0 1rem;color:#1f2328}table{border-collapse:collapse;margin:.5rem 0}"
             "td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left}"
             "@media print{svg{max-width:100%}}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Audit of {e(s.policy)}</title><style>{style}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


FORMATS = {"text": text, "json": as_json, "markdown": markdown, "github": github,
           "html": page}
