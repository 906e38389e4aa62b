"""`clausewise test`: run the policy tests kept beside the rules (`*.tests.yaml`)."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from typing import Any

import click

from ..api import load
from ..errors import ClausewiseError
from ..policytests import Coverage, Outcome, coverage, discover, read_suite, run_suite
from ..safe_text import visible_line
from . import EXIT_FINDING, EXIT_INPUT, EXIT_OK, include_root_option, main, reports_errors


@main.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "junit", "json"]), default="text",
              show_default=True, help="junit and json are for CI.")
@click.option("--coverage", "with_coverage", is_flag=True, help="List the clauses, and the "
              "branches of each condition, that no case exercised, per file with file:line.")
@click.option("--threshold", type=click.FloatRange(0, 100), metavar="P",
              help="Fail (exit 1) when coverage is below P percent (implies --coverage).")
@include_root_option
@reports_errors
def test_command(paths: tuple[str, ...], fmt: str, with_coverage: bool,
                 threshold: float | None, include_root: str | None) -> None:
    """Run the policy tests in PATHS: test files, policies (the tests beside them) or
    directories (every *.tests.yaml under them).

    Prints each failure with what was expected, what the engine decided and its
    reasons, then `N passed, M failed`. Exit 1 on a failure (or coverage below
    --threshold), 2 when a test file, a case or a policy cannot be read (the other
    cases still run), else 0.
    """
    with_coverage = with_coverage or threshold is not None
    outcomes: list[Outcome] = []
    covers: list[tuple[str, Coverage]] = []
    broken: list[ClausewiseError] = []
    for path in discover(paths):
        try:
            suite = read_suite(path)
            engine = load(suite.policy, include_root=include_root)
        except ClausewiseError as exc:
            broken.append(exc)
            continue
        results = run_suite(suite, engine)
        outcomes += results
        if with_coverage:
            covers.append((suite.policy, coverage(engine, results)))
    errors = [o.error for o in outcomes if o.error is not None] + broken
    passed = sum(o.status == "passed" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    low = threshold is not None and _percent(covers) < threshold
    if fmt == "junit":
        click.echo(to_junit(outcomes, broken))
    elif fmt == "json":
        click.echo(json.dumps(to_json(outcomes, covers, broken), indent=2))
    else:
        click.echo(to_text(outcomes, covers, threshold))
    for error in errors:
        click.echo(error.format(), err=True)
    if fmt != "text":
        click.echo(_tally(passed, failed, len(errors)), err=True)
    sys.exit(EXIT_INPUT if errors else EXIT_FINDING if failed or low else EXIT_OK)


def _tally(passed: int, failed: int, errors: int) -> str:
    return f"{passed} passed, {failed} failed" + (f", {errors} errors" if errors else "")


def _percent(covers: list[tuple[str, Coverage]]) -> float:
    total = sum(c.total for _, c in covers)
    return 100.0 if not total else 100.0 * sum(c.hit for _, c in covers) / total


def to_text(outcomes: list[Outcome], covers: list[tuple[str, Coverage]],
            threshold: float | None) -> str:
    lines: list[str] = []
    for outcome in outcomes:
        if outcome.status != "failed":
            continue
        where = f"{outcome.suite.path}:{outcome.case.line}"
        lines.append(visible_line(f"FAIL {where}: {outcome.case.id}"))
        expected, actual = outcome.expected, outcome.actual
        lines.append(visible_line(f"  expected: {_said(expected)}"))
        lines.append(visible_line(f"  actual:   {_said(actual)}"))
        lines += [visible_line(f"  - {problem}") for problem in outcome.problems]
        lines.append("  reasons:")
        lines += [visible_line(f"    {line}") for line in outcome.explanation.splitlines()]
    if covers:
        lines.append(f"coverage: {_percent(covers):.1f}% of clauses and condition branches"
                     + (f" (threshold {threshold:g}%)" if threshold is not None else ""))
        for policy, cover in covers:
            lines.append(f"  {policy}: {cover.percent:.1f}% ({cover.hit}/{cover.total})")
            for span, what in cover.missing():
                at = f"{span.file}:{span.line}" if span is not None else policy
                lines.append(visible_line(f"    {at}: {what}"))
    if covers and threshold is not None and _percent(covers) < threshold:
        lines.append(f"FAIL coverage {_percent(covers):.1f}% is below the threshold of "
                     f"{threshold:g}%")
    errors = sum(o.status == "error" for o in outcomes)
    lines.append(_tally(sum(o.status == "passed" for o in outcomes),
                        sum(o.status == "failed" for o in outcomes), errors))
    return "\n".join(lines)


def _said(answer: dict[str, Any]) -> str:
    if not answer:
        return "(no decision)"
    text = str(answer["decision"])
    if "clause_ids" in answer:
        text += f" by [{', '.join(str(c) for c in answer['clause_ids'])}]"
    if "obligations" in answer:
        pairs = answer["obligations"]
        duties = ", ".join(f"{p[0]}: {p[1]}" if isinstance(p, list) and len(p) == 2
                           else str(p) for p in pairs) or "none"
        text += f", duties [{duties}]"
    return text


def to_json(outcomes: list[Outcome], covers: list[tuple[str, Coverage]],
            broken: list[ClausewiseError]) -> dict[str, Any]:
    cases = [{"file": o.suite.path, "policy": o.suite.policy, "id": o.case.id,
              "line": o.case.line, "status": o.status, "expected": o.expected,
              "actual": o.actual, "problems": list(o.problems),
              "error": o.error.format() if o.error else None} for o in outcomes]
    out: dict[str, Any] = {
        "cases": cases, "passed": sum(o.status == "passed" for o in outcomes),
        "failed": sum(o.status == "failed" for o in outcomes),
        "errors": sum(o.status == "error" for o in outcomes) + len(broken),
        "unreadable": [e.format() for e in broken]}
    if covers:
        out["coverage"] = {"percent": round(_percent(covers), 2), "policies": [
            {"policy": policy, "percent": round(c.percent, 2), "covered": c.hit,
             "total": c.total,
             "missing": [{"file": s.file if s else policy, "line": s.line if s else None,
                          "what": what} for s, what in c.missing()]}
            for policy, c in covers]}
    return out


def to_junit(outcomes: list[Outcome], broken: list[ClausewiseError]) -> str:
    """JUnit XML: a testsuite per test file, a testcase per case."""
    root = ET.Element("testsuites", name="clausewise")
    suites: dict[str, ET.Element] = {}
    for outcome in outcomes:
        path = outcome.suite.path
        suite = suites.get(path)
        if suite is None:
            suite = suites[path] = ET.SubElement(root, "testsuite", name=path, file=path)
        case = ET.SubElement(suite, "testcase", name=outcome.case.id,
                             classname=outcome.suite.policy, file=path,
                             line=str(outcome.case.line))
        if outcome.status == "failed":
            failure = ET.SubElement(case, "failure", message="; ".join(outcome.problems),
                                    type="policy-test")
            failure.text = f"expected: {_said(outcome.expected)}\nactual:   " \
                           f"{_said(outcome.actual)}\n{outcome.explanation}"
        elif outcome.status == "error" and outcome.error is not None:
            error = ET.SubElement(case, "error", message=outcome.error.diagnostics[0].message,
                                  type=outcome.error.diagnostics[0].code)
            error.text = outcome.error.format()
    for suite in suites.values():
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
        suite.set("errors", str(sum(c.find("error") is not None for c in cases)))
    for exc in broken:
        first = exc.diagnostics[0]
        name = first.span.file if first.span is not None else "clausewise"
        suite = ET.SubElement(root, "testsuite", name=name, tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", name="load", classname=name)
        ET.SubElement(case, "error", message=first.message, type=first.code).text = exc.format()
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
