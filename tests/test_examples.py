"""The example policies of rules/examples/, decided case by case (issue 9).

Each example is an invented company's policy that uses the language as it stands;
its cases (rules/examples/<name>.tests.yaml, the policy tests) name the
action, the decision, the clauses that determine it, the duties that ride along
with an allow and, where it matters, what would lift a denial. The cases of each
policy must exercise every clause that decides actions, and its rendered Markdown
must say every clause's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

import clausewise
from clausewise import model as m
from clausewise.api import Engine
from clausewise.engine import decide
from clausewise.loader import load
from clausewise.renderers import render

from decision_cases import assert_case, conditions_not_decided_both_ways, exercised
from conftest import ROOT

EXAMPLES = ROOT / "rules" / "examples"
POLICIES = ("notably", "stride")
REQUIRED_KEYS = {"id", "seed", "action", "decision", "clause_ids"}
MIN_CASES = 30


def policy_path(name: str) -> Path:
    return EXAMPLES / f"{name}.policy"


@cache
def cases_of(name: str) -> tuple[dict[str, Any], ...]:
    text = (EXAMPLES / f"{name}.tests.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text)["cases"])


@cache
def engine_of(name: str) -> Engine:
    return clausewise.load(policy_path(name))


def all_cases() -> Iterable[Any]:
    for name in POLICIES:
        for case in cases_of(name):
            yield pytest.param(name, case, id=f"{name}:{case['id']}")


# ------------------------------------------------------------------ the policies


@pytest.mark.parametrize("name", POLICIES)
def test_example_policy_validates(name: str) -> None:
    from click.testing import CliRunner

    from clausewise.cli import main

    result = CliRunner().invoke(main, ["validate", str(policy_path(name))])
    assert result.exit_code == 0, result.output
    assert "ok:" in result.output


@pytest.mark.parametrize("name", POLICIES)
def test_every_clause_has_its_own_words(name: str) -> None:
    """A policy a lawyer signs: each clause carries the published wording."""
    model = engine_of(name).model
    assert [c.id for c in model.clauses if not c.text] == []


# ------------------------------------------------------------------ the data files


@pytest.mark.parametrize("name", POLICIES)
def test_case_file_is_well_formed(name: str) -> None:
    cases = cases_of(name)
    ids = [case.get("id") for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(cases) >= MIN_CASES
    for case in cases:
        assert REQUIRED_KEYS <= case.keys(), case.get("id")
        assert case["decision"] in ("allow", "deny"), case["id"]
        assert isinstance(case["seed"], str) and case["seed"].strip(), case["id"]
        if case["decision"] == "allow":
            assert "obligations" in case, f"{case['id']}: an allow lists its obligations"


@pytest.mark.parametrize("name", POLICIES)
def test_case_file_names_only_clauses_of_the_policy(name: str) -> None:
    known = set(engine_of(name).compiled.clauses)  # the author's and the derived rules
    for case in cases_of(name):
        named = set(case["clause_ids"])
        named |= {clause for clause, _ in case.get("obligations", [])}
        named |= {clause for clause, _ in case.get("unmet", []) if clause is not None}
        named |= {r["clause"] for r in case.get("reasons", []) if r.get("clause")}
        assert named <= known, f"{case['id']}: unknown clauses {sorted(named - known)}"


@pytest.mark.parametrize("name", POLICIES)
def test_seeds_quote_the_policy(name: str) -> None:
    """Each case's seed is words of the clause texts it is decided by (or the header's)."""
    model = engine_of(name).model
    words = " ".join([c.text for c in model.clauses if c.text]
                     + [model.header.scope or ""] + list(model.header.texts))
    for case in cases_of(name):
        for part in case["seed"].split(" ... "):
            assert part in words, f"{case['id']}: seed not in the policy: {part!r}"


# ---------------------------------------------------------------------- each case


@pytest.mark.parametrize("name, case", all_cases())
def test_example_decision(name: str, case: dict[str, Any]) -> None:
    assert_case(engine_of(name), case)


@pytest.mark.parametrize("name, case", all_cases())
def test_example_decision_is_the_same_with_and_without_the_index(
        name: str, case: dict[str, Any]) -> None:
    engine = engine_of(name)
    action = engine.action(case["action"])
    assert decide(engine.compiled, action, indexed=True) == \
        decide(engine.compiled, action, indexed=False)


# ----------------------------------------------------------------------- coverage


@pytest.mark.parametrize("name", POLICIES)
def test_every_deciding_clause_decides_a_case(name: str) -> None:
    """Every clause but the disclaimers (which decide nothing) decides some case."""
    engine = engine_of(name)
    deciding = {clause.id for clause in engine.model.clauses if clause.kind != "disclaimer"}
    seen: set[str] = set()
    for case in cases_of(name):
        seen |= exercised(engine.check(case["action"]))
    assert deciding - seen == set(), f"clauses no case exercises: {sorted(deciding - seen)}"


@pytest.mark.parametrize("name", POLICIES)
def test_disclaimers_decide_nothing(name: str) -> None:
    """A disclaimer is never among the clauses of any decision."""
    engine = engine_of(name)
    disclaimers = {c.id for c in engine.model.clauses if c.kind == "disclaimer"}
    assert disclaimers
    for case in cases_of(name):
        decision = engine.check(case["action"])
        assert not {r.clause for r in decision.reasons} & disclaimers, case["id"]


@pytest.mark.parametrize("name", POLICIES)
def test_every_kind_of_clause_is_seen_allowing_and_denying(name: str) -> None:
    """Each permission kind of the policy is seen allowing, and each is seen denying."""
    engine = engine_of(name)
    effects: dict[str, set[str]] = {}
    for case in cases_of(name):
        verb = case["action"]["action"]
        # a sale is decided by sharing clauses (`sell`), which KIND_OF_ACTION leaves out
        kind = "sharing" if verb == "sell" else m.KIND_OF_ACTION[verb]
        effects.setdefault(kind, set()).add(case["decision"])
    kinds = {clause.kind for clause in engine.model.clauses if isinstance(clause, m.Permission)}
    assert {kind: effects.get(kind) for kind in kinds} == \
        {kind: {"allow", "deny"} for kind in kinds}


@pytest.mark.parametrize("name", POLICIES)
def test_every_condition_is_seen_holding_and_failing(name: str) -> None:
    """Each conditional clause is decided both ways by two cases that differ only in facts."""
    missing = conditions_not_decided_both_ways(engine_of(name), cases_of(name))
    assert missing == [], f"no pair of cases decides these both ways: {missing}"


# ----------------------------------------------------------------------- constructs


def _uses(clause: m.AnyClause, attr: str) -> bool:
    return bool(getattr(clause, attr, None))


@pytest.mark.parametrize("name", POLICIES)
def test_every_dimension_a_policy_uses_is_decided_both_ways(name: str) -> None:
    """For each dimension a clause of the policy states, a case allows an action that
    gives it and a case denies one, both decided by (or near) a clause stating it."""
    engine = engine_of(name)
    by_id = {c.id: c for c in engine.model.clauses}
    decided = [(case, engine.check(case["action"])) for case in cases_of(name)]
    for dim in m.DIMENSIONS:
        stating = {c.id for c in by_id.values() if getattr(c, dim.attr, ())}
        if not stating:
            continue
        allows = [case["id"] for case, d in decided
                  if d.allowed and dim.name in case["action"] and set(d.clause_ids) & stating]
        denies = [case["id"] for case, d in decided
                  if not d.allowed and dim.name in case["action"]
                  and {r.clause for r in d.reasons} & stating]
        assert allows and denies, (dim.name, allows, denies)


# ------------------------------------------------------------------ the published text


def _plain(markdown: str) -> str:
    """The Markdown's words: backslash escapes undone, whitespace joined."""
    return " ".join(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).split())


@pytest.mark.parametrize("name", POLICIES)
def test_rendered_markdown_says_every_clause_text(name: str) -> None:
    loaded = load(policy_path(name))
    words = _plain(render(loaded, "markdown", False))
    model = engine_of(name).model
    for clause in model.clauses:
        assert " ".join(clause.text.split()) in words, clause.id
    assert "<a id=" not in words  # Markdown's anchors are its headings, not raw HTML


@pytest.mark.parametrize("name", POLICIES)
def test_render_cli_makes_markdown(name: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from clausewise.cli import main

    out = tmp_path / f"{name}.md"
    result = CliRunner().invoke(main, ["render", str(policy_path(name)), "--format",
                                       "markdown", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(f"# {engine_of(name).model.header.name}")
