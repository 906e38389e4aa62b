"""Kareo's privacy policy, decided case by case (rules/kareo.tests.yaml, its policy tests).

Each case names the action, the decision, the clauses that determine it and,
where it matters, the duties that ride along and what would lift a denial. The
cases together must exercise every clause of the policy that decides actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
import yaml

import clausewise
from clausewise import model as m
from clausewise.api import Engine
from clausewise.engine import decide

from decision_cases import assert_case, conditions_not_decided_both_ways, exercised
from conftest import KAREO

CASES_FILE = KAREO.with_name("kareo.tests.yaml")  # the policy tests `clausewise test` runs
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]
REQUIRED_KEYS = {"id", "seed", "action", "decision", "clause_ids"}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return clausewise.load(KAREO)


def by_id(cases: Iterable[dict[str, Any]]) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in cases]


# ------------------------------------------------------------------ the data file


def test_case_file_is_well_formed() -> None:
    ids = [case.get("id") for case in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(CASES) >= 48
    for case in CASES:
        assert REQUIRED_KEYS <= case.keys(), case.get("id")
        assert case["decision"] in ("allow", "deny"), case["id"]
        assert isinstance(case["seed"], str) and case["seed"].strip(), case["id"]
        if case["decision"] == "allow":
            assert "obligations" in case, f"{case['id']}: an allow lists its obligations"


def test_public_examples_are_present() -> None:
    for n in range(1, 9):
        assert [c for c in CASES if c["id"].startswith(f"P{n}-")], f"public example P{n}"


def test_case_file_names_only_clauses_of_the_policy(engine: Engine) -> None:
    known = set(engine.compiled.clauses)  # the author's clauses and the rules derived from them
    for case in CASES:
        named = set(case["clause_ids"])
        named |= {clause for clause, _ in case.get("obligations", [])}
        named |= {clause for clause, _ in case.get("unmet", [])}
        named |= {r["clause"] for r in case.get("reasons", []) if r.get("clause")}
        assert named <= known, f"{case['id']}: unknown clauses {sorted(named - known)}"


# ---------------------------------------------------------------------- each case


@pytest.mark.parametrize("case", by_id(CASES))
def test_kareo_decision(engine: Engine, case: dict[str, Any]) -> None:
    assert_case(engine, case)


@pytest.mark.parametrize("case", by_id(CASES))
def test_kareo_decision_is_the_same_with_and_without_the_index(engine: Engine,
                                                               case: dict[str, Any]) -> None:
    action = engine.action(case["action"])
    assert decide(engine.compiled, action, indexed=True) == \
        decide(engine.compiled, action, indexed=False)


# ----------------------------------------------------------------------- coverage


def test_every_deciding_clause_is_exercised(engine: Engine) -> None:
    deciding = {clause.id for clause in engine.model.clauses if clause.kind != "disclaimer"}
    assert deciding, "the policy has clauses that decide actions"
    seen: set[str] = set()
    for case in CASES:
        seen |= exercised(engine.check(case["action"]))
    assert deciding - seen == set(), f"clauses no case exercises: {sorted(deciding - seen)}"


def test_every_permission_kind_is_seen_allowing_and_denying(engine: Engine) -> None:
    """Each permission kind of the policy is seen allowing, and each is seen denying."""
    effects: dict[str, set[str]] = {}
    for case in CASES:
        decision = engine.check(case["action"])
        kind = m.KIND_OF_ACTION[case["action"]["action"]]
        effects.setdefault(kind, set()).add(decision.effect)
    kinds = {clause.kind for clause in engine.model.clauses if isinstance(clause, m.Permission)}
    for kind in kinds:
        assert effects.get(kind) == {"allow", "deny"}, kind


def test_every_condition_is_seen_holding_and_failing(engine: Engine) -> None:
    """Each conditional clause is decided both ways by two cases that differ only in facts."""
    missing = conditions_not_decided_both_ways(engine, CASES)
    assert missing == [], f"no pair of cases decides these both ways: {missing}"
