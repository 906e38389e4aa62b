"""The registry of lint codes: each a stable id, a severity, a message and a one-line fix.

Codes never change meaning once published (Regal and ruff do the same): a new check
takes a new number. Families: CW1xx how clauses interact over the action space,
CW2xx conditions, CW3xx vocabulary, CW4xx what a privacy policy must state,
CW5xx text that drifts from the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..model import Span

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str  # what the check finds, for docs and SARIF's rule descriptions
    fix: str      # the usual fix, in one line


@dataclass(frozen=True)
class Finding:
    """One lint finding: a code, where, what, how to fix it and, where it helps, an
    action that shows it (decided with the engine) and a second location."""

    code: str
    message: str
    span: Span | None
    fix: str
    severity: Severity
    clause: str | None = None
    example: dict[str, Any] | None = None
    related: tuple[tuple[str, Span], ...] = ()  # (what, where): the other clause

    def sort_key(self) -> tuple[str, int, int, str]:
        if self.span is None:
            return ("", 0, 0, self.code)
        return (self.span.file, self.span.line, self.span.column, self.code)


_CODES = (
    Code("CW101", "permission-prohibition-overlap", "info",
         "a permission and a prohibition overlap: some actions the permission allows are "
         "forbidden", "narrow the permission, or let the prohibition say what it leaves out "
         "(`except ...`)"),
    Code("CW102", "dead-permission", "error",
         "prohibitions forbid every action a permission allows: it never allows anything",
         "remove the permission, or narrow the prohibitions that block it"),
    Code("CW103", "blocked-through-unstated-dimension", "warning",
         "a prohibition blocks a permission's actions that leave out a dimension the "
         "permission does not state (a transfer that names no purpose)",
         "state that dimension on the permission, so its actions give it"),
    Code("CW104", "redundant-permission", "warning",
         "another permission allows every action this one allows, with the same duties",
         "remove this permission, or merge its text into the one that covers it"),
    Code("CW105", "identical-clauses", "warning",
         "two clauses say exactly the same rules", "remove one of them"),
    Code("CW201", "condition-stated-twice", "warning",
         "a clause states the same condition twice (`consent opt-out` with `unless "
         "opted_out`)", "state it once"),
    Code("CW202", "condition-never-holds", "error",
         "a condition can never hold, for any value of its facts (`subject_age < 0`)",
         "fix the comparison, or remove the condition"),
    Code("CW203", "fact-never-supplied", "warning",
         "a condition tests a fact that no test case of the policy ever gives",
         "add a case to the policy's .tests.yaml that gives the fact, or drop the test"),
    Code("CW301", "unused-term", "warning",
         "a term the policy defines is used by no clause, header or other definition",
         "use the term, or remove its `define`"),
    Code("CW302", "unused-fact", "warning",
         "a fact the policy defines is tested by no condition", "test it, or remove its `define`"),
    Code("CW303", "parent-beside-child", "warning",
         "a list names a term and a term under it: the parent already covers the child",
         "remove the child term"),
    Code("CW401", "missing-retention", "error",
         "the policy says nothing about how long data is kept",
         "add a `retention` clause (`keep ... for 90 days`)"),
    Code("CW402", "missing-changes-notice", "error",
         "the policy does not say how changes to it are announced",
         "add a `notification` clause `on policy_change`"),
    Code("CW403", "missing-contact", "error",
         "the policy gives no way to contact the organization",
         "add `contact email \"...\"` to the policy header"),
    Code("CW404", "missing-audience", "error",
         "the policy says nothing about children or who may use the service",
         "add a prohibition `if subject_age < 13` (or the age that applies)"),
    Code("CW405", "missing-security", "error",
         "the policy says nothing about how data is protected",
         "add a `security` clause"),
    Code("CW406", "missing-legal-basis", "error",
         "a policy for people in the EEA gives no legal basis (GDPR Art. 13(1)(c))",
         "add `basis ...` to the permissions (consent, contract, legitimate_interests, ...)"),
    Code("CW407", "missing-gdpr-rights", "error",
         "a policy for people in the EEA does not grant the rights GDPR Art. 13(2) requires",
         "add `right` clauses granting them"),
    Code("CW408", "missing-ccpa-rights", "error",
         "a policy for California residents does not grant the rights the CCPA requires",
         "add `right` clauses granting them"),
    Code("CW501", "text-omits-rule", "warning",
         "a clause's text does not mention something its rules require or allow",
         "say it in the text, or change the rules"),
    Code("CW502", "text-mentions-absent-term", "warning",
         "a clause's text mentions a term its rules do not contain",
         "add the term to the rules, or reword the text"),
)
CODES: dict[str, Code] = {code.code: code for code in _CODES}


def finding(code: str, message: str, span: Span | None, *, fix: str | None = None,
            clause: str | None = None, example: dict[str, Any] | None = None,
            related: tuple[tuple[str, Span], ...] = ()) -> Finding:
    """A finding of a registered code, with the code's severity and (unless given) fix."""
    entry = CODES[code]
    return Finding(code, message, span, fix or entry.fix, entry.severity, clause, example,
                   tuple((what, where) for what, where in related if where is not None))
