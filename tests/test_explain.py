"""Explanations derived from the decision value: grouped reasons, checked remedies, assumptions.

The decision is a value (effect, rulings per data item, obligations); everything
in words is derived from it on request. "To allow it" lists only changes that,
applied to the action, make it allowed: the property test at the end applies
every suggestion and decides the action again.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clausewise
from clausewise.api import Engine
from clausewise.engine import decide
from clausewise.engine.evaluate import explained
from clausewise.engine.fixes import apply, fixes

from conftest import KAREO

CASES: list[dict[str, Any]] = yaml.safe_load(
    KAREO.with_name("kareo.tests.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return clausewise.load(KAREO)


# ------------------------------------------------------------- a decision is a value


def test_explain_false_returns_the_bare_value_equal_to_the_explained_one(engine: Engine) -> None:
    action = CASES[0]["action"]
    bare, full = engine.check(action, explain=False), engine.check(action)
    assert bare == full
    assert bare.basis is None and full.basis is not None
    with pytest.raises(ValueError, match="explain=True"):
        bare.reasons


def test_rulings_name_the_facts_and_dimensions_each_clause_turned_on(engine: Engine) -> None:
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "partner", "purpose": "marketing",
                             "context": {"consent": False}})
    forbids = next(r for r in decision.rulings if r.clause == "no-promotional-sharing")
    assert forbids.role == "forbids"
    assert forbids.data == ("user.contact.email",)
    assert "consent" in forbids.facts
    assert {"recipient", "purpose"} <= set(forbids.dimensions)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_lean_decision_is_the_explaining_paths(engine: Engine, case: dict) -> None:
    """The lean path (per-shape plans) and the explaining path decide alike, clause by clause."""
    action = engine.action(case["action"])
    lean = decide(engine.compiled, action)
    full = explained(engine.compiled, action, indexed=False)
    assert (lean.effect, lean.rulings, lean.obligations, lean.remedies) == \
        (full.effect, full.rulings, full.obligations, full.remedies)


# ------------------------------------------------------------ reasons per clause


def test_an_allow_names_the_permission_of_every_data_item(engine: Engine) -> None:
    action = {"action": "share", "data": ["user.name", "user.contact.email"],
              "recipient": "email_provider", "purpose": "marketing.communications.email",
              "context": {"consent": True}}
    decision = engine.check(action)
    assert decision.allowed
    assert set(decision.by_data) == {"user.name", "user.contact.email"}
    data = engine.explain(decision)
    named = [item for r in data["reasons"] for item in r["data"]]
    assert sorted(named) == ["user.contact.email", "user.name"]
    assert all(r["why"].startswith("permits it for ") for r in data["reasons"])


def test_reasons_are_grouped_per_clause_naming_the_data_items(engine: Engine) -> None:
    decision = engine.check({"action": "share", "data": ["user.device.cookie_id",
                                                        "user.behavior.page_requests"],
                             "recipient": "advertiser", "purpose": "marketing.advertising",
                             "context": {"opted_out": True}})
    data = engine.explain(decision)
    clauses = [r["clause"] for r in data["reasons"]]
    assert len(clauses) == len(set(clauses)), "one reason per clause"
    several = [r for r in data["reasons"] if len(r["data"]) == 2]
    assert several, data["reasons"]
    assert all("user.device.cookie_id, user.behavior.page_requests" in r["why"]
               for r in several)


# ---------------------------------------------------------------- to allow it


def test_asking_about_all_of_user_suggests_leaving_out_the_health_data(engine: Engine) -> None:
    decision = engine.check({"action": "use", "data": ["user"], "purpose": "essential.service"})
    texts = [s.text for s in fixes(decision).suggestions]
    assert texts == ["leave out `user.health_and_medical`, which `no-phi` forbids"]
    assert "to allow it:\n  - leave out `user.health_and_medical`, which `no-phi` forbids" in \
        engine.explain_text(decision)


def test_a_share_with_no_purpose_is_told_to_give_one(engine: Engine) -> None:
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "partner"})
    texts = [s.text for s in fixes(decision).suggestions]
    assert any("give a purpose" in t and "`no-promotional-sharing` forbids a share that may "
               "be for marketing" in t for t in texts), texts


def test_fixing_the_encryption_alone_is_not_offered_when_it_does_not_allow(
        engine: Engine) -> None:
    action = {"action": "collect", "data": ["user.financial.credit_card"],
              "method": "provided", "context": {"encrypted": False}}
    decision = engine.check(action)
    found = fixes(decision).suggestions
    assert found
    assert all(len(s.changes) > 1 for s in found), [s.text for s in found]
    assert any(c.field == "context.encrypted" and c.value is True
               for s in found for c in s.changes)


def test_no_change_can_allow_an_unconditional_prohibition_of_the_data(engine: Engine) -> None:
    decision = engine.check({"action": "collect", "data": ["user.health_and_medical"],
                             "method": "provided"})
    found = fixes(decision)
    assert found.suggestions == ()
    assert found.none_because.startswith("no change of this action can allow it: `no-phi`")
    assert engine.explain(decision)["to_allow"] == [{"text": found.none_because,
                                                    "changes": []}]


def test_an_allow_has_nothing_to_allow(engine: Engine) -> None:
    decision = engine.check(CASES[0]["action"]) if CASES[0]["decision"] == "allow" else \
        engine.check({"action": "use", "data": ["user.contact.email"],
                      "purpose": "essential.service.authentication"})
    assert decision.allowed
    assert engine.explain(decision)["to_allow"] == []
    assert "to allow it" not in engine.explain_text(decision)


# ----------------------------------------------------------------- assumptions


def test_an_assumption_is_shown_only_when_its_fact_would_change_the_decision(
        engine: Engine) -> None:
    allow = engine.check({"action": "use", "data": ["user.contact.email"],
                          "purpose": "essential.service.authentication"})
    assert allow.allowed
    # a child's data would be denied: the assumption matters, and is said
    assert [a["clause"] for a in engine.explain(allow)["assumptions"]] == ["no-children"]
    deny = engine.check({"action": "use", "data": ["user"], "purpose": "essential.service"})
    assert not deny.allowed  # denied anyway: the age would change nothing
    assert engine.explain(deny)["assumptions"] == []
    assert "assumed:" not in engine.explain_text(deny)
    # --verbose shows every assumption
    verbose = engine.explain_text(deny, verbose=True)
    assert "assumed:\n  - no-children" in verbose


# ------------------------------------------------- every suggestion allows its action

TERMS = {
    "data": ["user", "user.contact.email", "user.name", "user.financial.credit_card",
             "user.health_and_medical", "user.device.cookie_id", "user.behavior.page_requests",
             "user.contact"],
    "recipient": ["partner", "advertiser", "email_provider", "acquirer", "service_provider",
                  "authority"],
    "purpose": ["marketing", "marketing.communications.email", "essential.service",
                "essential.service.payment_processing", "marketing.advertising"],
    "event": ["merger", "sign_up", "site_visit", "paid_subscription"],
}
FACTS = ("consent", "opted_out", "aggregated", "encrypted", "linked", "notice_given",
         "legal_requirement")


@st.composite
def actions(draw) -> dict[str, Any]:
    kind = draw(st.sampled_from(("collect", "use", "share", "retain")))
    action: dict[str, Any] = {"action": kind, "data": draw(st.lists(
        st.sampled_from(TERMS["data"]), min_size=1, max_size=3, unique=True))}
    if kind in ("share", "retain") and draw(st.booleans()):
        action["recipient"] = draw(st.sampled_from(TERMS["recipient"]))
    for field in ("purpose", "event"):
        if draw(st.booleans()):
            action[field] = draw(st.sampled_from(TERMS[field]))
    if kind == "collect" and draw(st.booleans()):
        action["method"] = draw(st.sampled_from(("provided", "automatic", "cookies")))
    action["context"] = draw(st.dictionaries(st.sampled_from(FACTS), st.booleans(),
                                             max_size=3))
    if draw(st.booleans()):
        action["context"]["subject_age"] = draw(st.integers(8, 40))
    return action


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(raw=actions())
def test_every_suggestion_applied_to_its_action_allows_it(engine: Engine, raw: dict) -> None:
    try:
        decision = engine.check(raw)
    except clausewise.ActionError:
        return  # a field the kind is not decided on: not an action to explain
    found = fixes(decision)
    if decision.allowed:
        assert found.suggestions == ()
        return
    assert found.suggestions or found.none_because
    action = decision.basis.action
    for suggestion in found.suggestions:
        changed = apply(action, suggestion.changes)
        assert changed is not None
        # re-validated in full, then decided again: allowed
        again = engine.check(changed.model_dump(mode="json", exclude_none=True))
        assert again.allowed, (raw, suggestion.text, engine.explain_text(again))
