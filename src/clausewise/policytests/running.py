"""Cases -> `Outcome`s: each action decided by the engine and compared with what the
case expects, every difference said in words."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .. import model as m
from ..api import Engine
from ..engine import Decision
from ..errors import ActionError, ClausewiseError, UsageError


@dataclass(frozen=True)
class Case:
    id: str
    line: int
    spec: dict[str, Any] = field(default_factory=dict)
    error: ClausewiseError | None = None  # the case could not be read


@dataclass(frozen=True)
class Suite:
    path: str
    policy: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class Outcome:
    suite: Suite
    case: Case
    status: str                       # passed, failed, error
    problems: tuple[str, ...] = ()    # each way the answer differs from the case
    decision: Decision | None = None
    explanation: str = ""             # the engine's text explanation, for a failure
    error: ClausewiseError | None = None

    @property
    def expected(self) -> dict[str, Any]:
        return {k: self.case.spec[k] for k in ("decision", "clause_ids", "obligations")
                if k in self.case.spec}

    @property
    def actual(self) -> dict[str, Any]:
        if self.decision is None:
            return {}
        return {"decision": self.decision.effect, "clause_ids": list(self.decision.clause_ids),
                "obligations": duties_of(self.decision)}


def duty_summary(obligation: m.Obligation) -> str:
    """A duty as test files write it: `encrypt <state>`, `notify <timing>`, `offer
    <right>`, or `duty` for the rest."""
    if isinstance(obligation, m.EncryptDuty):
        return f"encrypt {obligation.state.value}"
    if isinstance(obligation, m.NotifyDuty):
        return f"notify {obligation.timing.when if obligation.timing else 'unstated'}"
    if isinstance(obligation, m.OfferDuty):
        return f"offer {obligation.right}"
    return "duty"


def duties_of(decision: Decision) -> list[list[str]]:
    return sorted([duty.clause, duty_summary(duty.obligation)] for duty in decision.obligations)


def run_suite(suite: Suite, engine: Engine) -> list[Outcome]:
    return [run_case(suite, case, engine) for case in suite.cases]


def run_case(suite: Suite, case: Case, engine: Engine) -> Outcome:
    if case.error is not None:
        return Outcome(suite, case, "error", error=case.error)
    try:
        decision = engine.check(case.spec["action"])
    except ActionError as exc:
        return Outcome(suite, case, "error", error=_action_error_at(exc, suite, case))
    try:
        problems = tuple(differences(case.spec, decision))
    except (TypeError, ValueError, KeyError):  # an expectation of the wrong shape
        span = m.Span(file=suite.path, line=case.line, column=1, end_line=case.line,
                      end_column=2)
        return Outcome(suite, case, "error", decision=decision, error=UsageError.single(
            "bad-test", f"case `{case.id}`: an expectation is not of the form the format "
            "gives", span, "see docs/testing.md for `clause_ids`, `obligations`, `unmet` "
            "and `reasons`"))
    if not problems:
        return Outcome(suite, case, "passed", decision=decision)
    return Outcome(suite, case, "failed", problems, decision, engine.explain_text(decision))


def _action_error_at(exc: ActionError, suite: Suite, case: Case) -> ActionError:
    """An action's error, said at the case (the action's own JSON positions mean nothing
    in the YAML)."""
    span = m.Span(file=suite.path, line=case.line, column=1, end_line=case.line,
                  end_column=2)
    return ActionError(tuple(replace(d, span=span, message=f"case `{case.id}`: {d.message}")
                             for d in exc.diagnostics))


def differences(spec: dict[str, Any], decision: Decision) -> Iterator[str]:
    """Each way the decision differs from what the case expects, in words."""
    if decision.effect != spec["decision"]:
        yield f"decision: expected {spec['decision']}, got {decision.effect}"
    if "clause_ids" in spec and list(decision.clause_ids) != list(spec["clause_ids"]):
        yield f"clause_ids: expected {_list(spec['clause_ids'])}, got " \
              f"{_list(decision.clause_ids)}"
    if "obligations" in spec:
        expected = sorted([str(c), str(d)] for c, d in spec["obligations"]) \
            if all(isinstance(p, list) and len(p) == 2 for p in spec["obligations"]) else None
        got = duties_of(decision)
        if expected != got:
            yield f"obligations: expected {_pairs(expected)}, got {_pairs(got)}"
    if "unmet" in spec:
        got_unmet = [[r.clause, list(r.needs)] for r in decision.unmet]
        if got_unmet != [list(pair) for pair in spec["unmet"]]:
            yield f"unmet: expected {spec['unmet']}, got {got_unmet}"
    for expected in spec.get("reasons", []):
        yield from _reason_differs(expected, decision)


def _reason_differs(expected: Any, decision: Decision) -> Iterator[str]:
    if not isinstance(expected, dict) or "role" not in expected:
        yield f"reasons: `{expected}` is not a mapping with a `role`"
        return
    found = [r for r in decision.reasons
             if r.role == expected["role"] and r.clause == expected.get("clause")]
    said = f"`{expected['role']}` reason" + (f" for `{expected['clause']}`"
                                              if expected.get("clause") else "")
    if not found:
        yield f"reasons: expected a {said}, got none"
        return
    if "missing" in expected and not any(set(expected["missing"]) <= set(r.missing)
                                         for r in found):
        yield f"reasons: the {said} names missing {sorted(found[0].missing)}, expected " \
              f"{expected['missing']}"
    if "needs" in expected and not any(list(r.needs) == expected["needs"] for r in found):
        yield f"reasons: the {said} needs {list(found[0].needs)}, expected {expected['needs']}"
    if "given" in expected and isinstance(expected["given"], dict) and not any(
            set(expected["given"].items()) <= set(r.given) for r in found):
        yield f"reasons: the {said} was given {dict(found[0].given)}, expected " \
              f"{expected['given']}"


def _list(items: Iterable[object]) -> str:
    return "[" + ", ".join(str(i) for i in items) + "]"


def _pairs(pairs: list[list[str]] | None) -> str:
    if pairs is None:
        return "(not a list of [clause, duty] pairs)"
    return "[" + ", ".join(f"{c}: {d}" for c, d in pairs) + "]" if pairs else "none"


def supplied_facts(suite: Suite) -> set[str]:
    """Every fact some case gives in its context (or by a field it is derived from)."""
    facts: set[str] = set()
    for case in suite.cases:
        action = case.spec.get("action")
        if isinstance(action, dict):
            context = action.get("context")
            if isinstance(context, dict):
                facts |= {str(k) for k in context}
            if "collected_for" in action:
                facts.add("collected_for")
    return facts
