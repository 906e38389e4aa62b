"""Decision cases as data (the policy tests, rules/**/*.tests.yaml), checked one way for all.

A case names an action, the decision, the clauses that determine it, the duties that
ride along with an allow and, where it matters, what would lift a denial and the
reasons it must give. Kareo's cases and the example policies' use the same checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clausewise import model as m
from clausewise.api import Engine
from clausewise.engine import Decision
from clausewise.policytests import duty_summary  # a duty as the case files write it


def exercised(decision: Decision) -> set[str]:
    """The clauses a decision rests on: its determining clauses and its duties' clauses."""
    return set(decision.clause_ids) | {duty.clause for duty in decision.obligations}


def assert_case(engine: Engine, case: dict[str, Any]) -> None:
    """The engine decides the case as it says: effect, clauses, duties, unmet, reasons."""
    decision = engine.check(case["action"])
    assert decision.effect == case["decision"], engine.explain_text(decision)
    assert list(decision.clause_ids) == case["clause_ids"], engine.explain_text(decision)

    got_duties = sorted((duty.clause, duty_summary(duty.obligation))
                        for duty in decision.obligations)
    if decision.allowed:
        assert got_duties == sorted(tuple(pair) for pair in case["obligations"])
    else:
        assert got_duties == [], "a denial carries no obligations"

    if "unmet" in case:
        assert [(r.clause, list(r.needs)) for r in decision.unmet] == \
            [(clause, needs) for clause, needs in case["unmet"]]

    for expected in case.get("reasons", []):
        matches = [r for r in decision.reasons
                   if r.role == expected["role"] and r.clause == expected.get("clause")]
        assert matches, f"no `{expected['role']}` reason for {expected.get('clause')}: " \
                        f"{decision.reasons}"
        if "missing" in expected:
            assert any(set(expected["missing"]) <= set(r.missing) for r in matches), matches
        if "needs" in expected:
            assert any(list(r.needs) == expected["needs"] for r in matches), matches
        if "given" in expected:
            assert any(set(expected["given"].items()) <= set(r.given) for r in matches), matches


def _without_context(action: dict[str, Any]) -> str:
    return repr(sorted((k, v) for k, v in action.items() if k != "context"))


def conditions_not_decided_both_ways(engine: Engine, cases: Iterable[dict[str, Any]]
                                     ) -> list[str]:
    """The conditional clauses no two cases, differing only in facts, decide both ways.

    A permission holds when it `permits` and fails when it is `unmet`; a prohibition
    holds when it `forbids` and fails when, on the same action, it neither forbids
    nor is merely assumed.
    """
    decided = [(case, engine.check(case["action"])) for case in cases]
    missing = []
    for clause in engine.model.clauses:
        conditional = getattr(clause, "condition", None) is not None or \
            getattr(clause, "exception", None) is not None or \
            getattr(clause, "choice", None) in (m.Choice.opt_in, m.Choice.opt_out)
        if not conditional:
            continue
        prohibition = isinstance(clause, (m.Prohibition, m.ChoiceClause))
        hold_role, fail_roles = ("forbids", None) if prohibition else ("permits", {"unmet"})

        def roles(decision: Decision) -> set[str]:
            return {r.role for r in decision.reasons if r.clause == clause.id}

        holds = {_without_context(case["action"]) for case, decision in decided
                 if hold_role in roles(decision)}
        fails = {_without_context(case["action"]) for case, decision in decided
                 if (roles(decision) & fail_roles if fail_roles else not roles(decision))}
        if not holds & fails:
            missing.append(clause.id)
    return missing
