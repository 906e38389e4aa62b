"""The Python API: `clausewise.load` and the `Engine` it returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clausewise
from clausewise import Action, ActionError, Decision, Engine, PolicyError
from clausewise.engine import decide
from conftest import KAREO

AUTH = {"action": "use", "data": ["user.contact.email"],
        "purpose": "essential.service.authentication"}
PHI = {"action": "collect", "data": ["user.health_and_medical"], "subject": "customer",
       "purpose": "essential.service"}
CARD = {"action": "share", "data": ["user.financial.credit_card"],
        "recipient": "service_provider", "purpose": "essential.service.payment_processing"}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return clausewise.load(KAREO)


# ------------------------------------------------------------------------ load


def test_load_accepts_a_path_or_a_string() -> None:
    by_path = clausewise.load(KAREO)
    by_str = clausewise.load(str(KAREO))
    assert isinstance(by_path, Engine) and isinstance(by_str, Engine)
    assert by_path.model == by_str.model
    assert by_path.check(AUTH) == by_str.check(AUTH)


def test_load_exposes_model_and_vocabulary(engine: Engine) -> None:
    assert engine.model.header is not None and engine.model.header.organization == "Kareo"
    assert "partners" in {clause.id for clause in engine.model.clauses}
    assert engine.vocabulary.knows(clausewise.model.Vocab.recipient, "tracking_service")


def test_load_of_a_missing_file_raises_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        clausewise.load(tmp_path / "missing.policy")
    assert info.value.codes == ("no-such-file",)


def test_load_of_an_invalid_policy_raises_a_located_policy_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.policy"
    path.write_text("use x\n  use user.contact.emial\nend\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        clausewise.load(path)
    assert "unknown-term" in info.value.codes
    assert f"{path}:2:7" in str(info.value)


# ----------------------------------------------------------------------- check


def test_check_takes_a_dict_json_text_or_an_action(engine: Engine) -> None:
    from_dict = engine.check(AUTH)
    from_json = engine.check(json.dumps(AUTH))
    from_bytes = engine.check(json.dumps(AUTH).encode())
    from_action = engine.check(Action(**AUTH))
    assert isinstance(from_dict, Decision)
    assert from_dict == from_json == from_bytes == from_action
    assert from_dict.effect == "allow" and from_dict.allowed
    assert from_dict.clause_ids == ("general-purposes",)


def test_check_equals_decide_on_the_validated_action(engine: Engine) -> None:
    action = engine.action(CARD)
    assert isinstance(action, Action)
    assert engine.check(CARD) == decide(engine.compiled, action)


def test_check_raises_action_error_for_a_malformed_action(engine: Engine) -> None:
    with pytest.raises(ActionError) as info:
        engine.check({"action": "use", "data": ["user.contact.emial"]})
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "unknown-term"
    assert diagnostic.help == "did you mean `user.contact.email`?"


@pytest.mark.parametrize(("raw", "code"), [
    ('{"action": "use"', "bad-json"),
    ({"action": "look"}, "bad-action"),
    ({"action": "use", "data": ["user"], "colour": "red"}, "bad-action"),
    ({"action": "use", "data": ["user"], "context": {"consnt": True}}, "unknown-fact"),
    ({"action": "use", "data": ["user"], "context": {"subject_age": True}}, "fact-type"),
    ({"action": "share", "recipient": "partner"}, "missing-field"),
    ({"action": "exercise", "channel": "phone"}, "missing-field"),
])
def test_check_error_codes(engine: Engine, raw: object, code: str) -> None:
    with pytest.raises(ActionError) as info:
        engine.check(raw)  # type: ignore[arg-type]
    assert code in info.value.codes


def test_decision_value_properties(engine: Engine) -> None:
    denied = engine.check(PHI)
    assert denied.effect == "deny" and not denied.allowed
    assert denied.clause_ids == ("no-phi",)
    assert denied.unmet == ()
    assert denied.obligations == ()
    conditional = engine.check({"action": "retain", "data": ["user.device.ip_address"],
                                "context": {"linked": True}})
    assert [(r.clause, r.needs) for r in conditional.unmet] == [("ip-not-linked",
                                                                  ("not linked",))]
    allowed = engine.check(CARD)
    assert allowed.unmet == ()
    assert [d.clause for d in allowed.obligations] == ["card-processing", "ssl",
                                                       "industry-standards"]


# ------------------------------------------------------------------ check_many


def test_check_many_yields_errors_for_bad_items_and_decisions_for_the_rest(
        engine: Engine) -> None:
    items = [AUTH, {"action": "use", "data": ["user.contact.emial"]}, json.dumps(PHI),
             "{not json", Action(**CARD)]
    results = list(engine.check_many(items))
    assert len(results) == len(items)
    assert [type(r).__name__ for r in results] == ["Decision", "ActionError", "Decision",
                                                   "ActionError", "Decision"]
    assert [r.effect for r in results if isinstance(r, Decision)] == ["allow", "deny", "allow"]
    assert results[1].codes == ("unknown-term",)
    assert results[3].codes == ("bad-json",)


def test_check_many_is_lazy_and_matches_check(engine: Engine) -> None:
    def items():
        yield AUTH
        yield PHI
        raise AssertionError("read past what was asked for")

    stream = engine.check_many(items())
    assert next(stream) == engine.check(AUTH)
    assert next(stream) == engine.check(PHI)


def test_check_many_of_nothing_yields_nothing(engine: Engine) -> None:
    assert list(engine.check_many([])) == []


# --------------------------------------------------------------------- explain


def test_explain_fields_of_an_allow(engine: Engine) -> None:
    data = engine.explain(engine.check(CARD))
    assert {"decision", "reasons", "obligations", "unmet", "nearest", "assumptions"} <= \
        data.keys()
    assert data["decision"] == "allow"
    (reason,) = data["reasons"]
    assert reason["clause"] == "card-processing"
    assert reason["kind"] == "sharing"
    assert reason["effect"] == "permit"
    assert reason["role"] == "permits"
    assert reason["category"] == "user.financial.credit_card"
    assert reason["source"].startswith(f"{KAREO}:")
    assert reason["text"] == "We use a credit card processing company to bill you for goods " \
        "and services."
    assert reason["why"] == "permits it for user.financial.credit_card"
    assert [(o["clause"], o["duty"]) for o in data["obligations"]] == [
        ("card-processing", "duty"), ("ssl", "encrypt"), ("industry-standards", "duty")]
    assert "encrypt the data in transit" in [o["text"] for o in data["obligations"]]
    assert data["unmet"] == []
    assert [(a["clause"], a["role"]) for a in data["assumptions"]] == [
        ("no-children", "assumes")]
    json.dumps(data)  # JSON-ready


def test_explain_fields_of_a_deny(engine: Engine) -> None:
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "partner", "purpose": "marketing",
                             "context": {"consent": False, "opted_out": True}})
    data = engine.explain(decision)
    assert data["decision"] == "deny"
    found = [(r["clause"], r["role"], r["effect"]) for r in data["reasons"]]
    # the prohibitions first (the opt-out recorded as `opted_out` forbids it too), then
    # the permission whose condition fails
    assert found[0] == ("no-promotional-sharing", "forbids", "forbid")
    assert found[-1] == ("partners", "unmet", "permit")
    assert {"clause": "no-promotional-sharing", "needs": "consent or aggregated"} in data["unmet"]
    assert {"clause": "partners", "needs": "consent and not opted_out"} in data["unmet"]
    assert data["obligations"] == []
    unmet_reason = data["reasons"][-1]
    assert "context.consent is false" in unmet_reason["why"]


def test_explain_default_deny_has_no_clause_and_lists_nearest(engine: Engine) -> None:
    data = engine.explain(engine.check({"action": "exercise", "right": "correction",
                                        "channel": "email"}))
    assert data["reasons"][0]["clause"] is None
    assert data["reasons"][0]["role"] == "no-clause"
    assert "denied by default" in data["reasons"][0]["why"]
    assert 1 <= len(data["nearest"]) <= 3
    assert "correction" in [n["clause"] for n in data["nearest"]]


def test_explain_text(engine: Engine) -> None:
    text = engine.explain_text(engine.check(PHI))
    assert text.splitlines()[0] == "DENY"
    assert "prohibition `no-phi`" in text
    assert "without exception" in text
    assert engine.explain_text(engine.check(AUTH)).splitlines()[0] == "ALLOW"


# ------------------------------------------------ the fast reading of a known shape


def _kareo_cases() -> list[dict]:
    import yaml

    from conftest import KAREO

    return yaml.safe_load(KAREO.with_name("kareo.tests.yaml").read_text(encoding="utf-8"))[
        "cases"]


def test_a_shape_read_the_fast_way_is_the_action_parse_action_makes(engine: Engine) -> None:
    from clausewise.engine.shapes import ShapeReader

    reader = ShapeReader(engine.compiled)
    checked = 0
    for case in _kareo_cases():
        fast = reader._validated(case["action"])
        if fast is None:
            continue  # something the fast way leaves to the full one (a record, a date)
        checked += 1
        assert fast == engine.action(case["action"]), case["id"]
    assert checked > 50


def test_check_explain_false_gives_the_same_value_without_its_basis(engine: Engine) -> None:
    for case in _kareo_cases():
        full, bare = engine.check(case["action"]), engine.check(case["action"], explain=False)
        assert full == bare and bare.basis is None and full.basis is not None
        assert full.effect == case["decision"], case["id"]


@pytest.mark.parametrize("context", [
    {"consent": 1}, {"consent": "yes"}, {"consnet": True}, {"subject_age": True},
    {"subject_age": 2**53}, {"subject_age": 1.5}, {"date": "2021-02-30"},
])
def test_a_known_shape_still_has_every_fact_checked(engine: Engine, context: dict) -> None:
    action = {"action": "use", "data": ["user.contact.email"],
              "purpose": "essential.service.authentication"}
    assert engine.check(action).allowed  # the shape is known now
    with pytest.raises(ActionError):
        engine.check(dict(action, context=context))


@pytest.mark.parametrize("change", [{"days": True}, {"days": 1.0}, {"data": "user.name"},
                                    {"purpose": ["essential.service"]}, {"extra": 1}])
def test_a_shape_that_only_looks_known_takes_the_full_way(engine: Engine, change: dict) -> None:
    action = {"action": "retain", "data": ["user.contact.email"], "days": 1}
    engine.check(action)
    with pytest.raises(ActionError):
        engine.check(dict(action, **change))
