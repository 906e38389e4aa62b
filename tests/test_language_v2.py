"""Language v2 (issue 9): each new construct decides both sides of what it says.

Each test writes a small policy in the language, as an editor would, and decides
actions on either side of the line the construct draws; the diff tests show that a
change of each construct is reported exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import clausewise
from clausewise import model as m
from clausewise.diff.changes import diff
from clausewise.errors import ActionError, PolicyError
from clausewise.grammar.parser import grammar_text
from clausewise.loader import load

HEADER = 'policy "Example"\nend\n\n'


def engine(tmp_path: Path, text: str, header: str = HEADER) -> clausewise.Engine:
    path = tmp_path / "p.policy"
    path.write_text(header + text, encoding="utf-8")
    return clausewise.load(path)


def effect(e: clausewise.Engine, **action) -> str:
    return e.check(action).effect


# ------------------------------------------------------------------ the table
def test_every_dimension_is_one_entry_read_by_grammar_action_and_engine() -> None:
    from clausewise.engine.action import Action
    from clausewise.engine.compile import VOCAB_OF_FIELD
    from clausewise.diff.space import DIMENSIONS

    grammar = grammar_text()
    for d in m.DIMENSIONS:
        assert f"-> dim_{d.name}" in grammar
        assert all(f'"{k}"' in grammar for k in d.keywords)
        assert d.name in Action.model_fields and VOCAB_OF_FIELD[d.name] is d.vocab
        assert all(d.name in DIMENSIONS[kind] for kind in d.actions)
        for kind in d.kinds:
            assert getattr(m.CLAUSE_KINDS[kind](id="x"), d.attr) == ()
    assert f'"{m.Vocab.basis.value}"' in grammar.split("VOCAB:")[1]


def test_a_dimension_on_a_clause_kind_that_does_not_take_it_is_located(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        engine(tmp_path, "notification n\n  on merger\n  under certification\nend\n")
    [d] = caught.value.diagnostics
    assert d.code == "field-not-allowed" and (d.span.line, d.span.column) == (6, 3)
    assert "`under` is not allowed in a notification clause" in d.message


# ----------------------------------------------------------------- 1. selling
SELLING = """
sharing partners
  share user.contact.email
  with partner
end

sharing data-sales
  sell user.device
  to advertiser
end

prohibition no-selling-contact
  never sell user.contact
end

prohibition no-sharing-health
  never share user.health_and_medical
end
"""


def test_selling_is_its_own_verb_under_sharing(tmp_path: Path) -> None:
    e = engine(tmp_path, SELLING)
    email = {"data": ["user.contact.email"], "recipient": "partner"}
    assert effect(e, action="share", **email) == "allow"
    # a permission to share is no permission to sell
    assert effect(e, action="sell", **email) == "deny"
    device = {"data": ["user.device.ip_address"], "recipient": "advertiser"}
    assert effect(e, action="sell", **device) == "allow"
    assert effect(e, action="share", **device) == "deny"


def test_never_sell_forbids_selling_and_never_share_forbids_selling_too(tmp_path: Path) -> None:
    e = engine(tmp_path, SELLING + "\nsharing sell-all\n  sell user\n  to advertiser\nend\n")
    sale = e.check({"action": "sell", "data": ["user.contact.email"],
                    "recipient": "advertiser"})
    assert sale.effect == "deny" and sale.clause_ids == ("no-selling-contact",)
    health = e.check({"action": "sell", "data": ["user.health_and_medical"],
                      "recipient": "advertiser"})
    assert health.effect == "deny" and health.clause_ids == ("no-sharing-health",)
    assert effect(e, action="sell", data=["user.device.ip_address"],
                  recipient="advertiser") == "allow"


# ------------------------------------------------------------------ 2. actor
STAFF = """
define fact problem_reported bool "you reported a problem that needs the file's content"

use file-processing
  use user.content
  for essential.service
end

prohibition staff-do-not-look
  never use user.content
  by staff
  unless problem_reported
  text "Employees do not view the content of your files except to resolve a problem you report."
end
"""


def test_employees_do_not_view_files_except_to_resolve_a_reported_problem(
        tmp_path: Path) -> None:
    e = engine(tmp_path, STAFF)
    use = {"action": "use", "data": ["user.content"], "purpose": "essential.service"}
    assert effect(e, **use, actor="automated") == "allow"
    denied = e.check({**use, "actor": "support"})  # support engineers are staff
    assert denied.effect == "deny" and denied.clause_ids == ("staff-do-not-look",)
    assert effect(e, **use, actor="support", context={"problem_reported": True}) == "allow"
    assert effect(e, **use, actor="support", context={"problem_reported": False}) == "deny"
    # an action that does not say who looks may be staff: it does not escape (fail closed)
    assert effect(e, **use) == "deny"


# ------------------------------------------------- 3. source, method and scope
SOURCES = """
define method web_beacons "web beacons" under automatic

collection app-usage
  collect user.device
  method automatic
  through mobile_app
end
"""


def test_collection_through_a_source_and_by_a_method_defined_by_the_policy(
        tmp_path: Path) -> None:
    e = engine(tmp_path, SOURCES)
    collect = {"action": "collect", "data": ["user.device.ip_address"]}
    assert effect(e, **collect, method="web_beacons", source="mobile_app") == "allow"
    assert effect(e, **collect, method="web_beacons", source="web_site") == "deny"
    assert effect(e, **collect, method="provided", source="mobile_app") == "deny"
    with pytest.raises(ActionError) as caught:
        e.check({**collect, "method": "web_beacon", "source": "mobile_app"})
    assert caught.value.diagnostics[0].help == "did you mean `web_beacons`?"


def test_an_action_through_a_source_outside_the_scope_is_denied_as_such(tmp_path: Path) -> None:
    e = engine(tmp_path, SOURCES.replace("through mobile_app", "through mobile_app, other_sites"),
               header='policy "Example"\n  covers web_site, mobile_app\nend\n\n')
    collect = {"action": "collect", "data": ["user.device.ip_address"], "method": "automatic"}
    assert effect(e, **collect, source="mobile_app") == "allow"
    outside = e.check({**collect, "source": "other_sites"})
    assert outside.effect == "deny"
    record = e.explain(outside)
    assert record["reasons"][0]["why"].startswith("outside what this policy covers")
    assert record["unmet"][0]["needs"] == "source under mobile_app or web_site"
    assumed = e.check(collect)  # no source: assumed covered, and said so
    assert assumed.effect == "deny"  # the collection clause itself needs a source
    # the assumption would not change this decision: shown only when asked for
    from clausewise.engine.explain import to_dict
    assert not any(a["why"].endswith("assumed to be covered")
                   for a in e.explain(assumed)["assumptions"])
    assert any(a["why"].endswith("assumed to be covered")
               for a in to_dict(assumed, e.compiled, verbose=True)["assumptions"])


# -------------------------------------------------- 5. place and mechanism
TRANSFERS = """
sharing processors-abroad
  share user
  with service_provider
  in united_states
  under standard_contractual_clauses, data_privacy_framework
  text "Your information is transferred to and stored in the United States."
end

retention stored-in-the-eea
  keep user.contact
  in eea
  indefinitely
end
"""


def test_a_transfer_is_decided_by_place_and_mechanism(tmp_path: Path) -> None:
    e = engine(tmp_path, TRANSFERS)
    share = {"action": "share", "data": ["user.contact.email"],
             "recipient": "service_provider"}
    assert effect(e, **share, place="california",
                  mechanism="standard_contractual_clauses") == "allow"
    assert effect(e, **share, place="canada", mechanism="standard_contractual_clauses") == "deny"
    assert effect(e, **share, place="united_states", mechanism="binding_corporate_rules") \
        == "deny"
    assert effect(e, **share, place="united_states") == "deny"  # no safeguard stated
    keep = {"action": "retain", "data": ["user.contact.email"]}
    assert effect(e, **keep, place="eu") == "allow"
    assert effect(e, **keep, place="united_states") == "deny"


# ----------------------------------------------------------- 6. legal basis
def test_a_legal_basis_on_a_permission_must_be_the_action_s(tmp_path: Path) -> None:
    e = engine(tmp_path, "use fraud-checks\n  use user.device\n  for essential.fraud_detection"
               "\n  basis legitimate_interests\nend\n")
    use = {"action": "use", "data": ["user.device.ip_address"],
           "purpose": "essential.fraud_detection"}
    assert effect(e, **use, basis="legitimate_interests") == "allow"
    assert effect(e, **use, basis="consent") == "deny"
    assert effect(e, **use) == "deny"


# -------------------------------------------------------------- enum facts
PLANS = """
define fact plan enum free, pro, business "the subscription plan"

use usage-analytics
  use user.device
  for analytics
  if plan != free
end
"""


def test_an_enum_fact_decides_by_its_names(tmp_path: Path) -> None:
    e = engine(tmp_path, PLANS)
    use = {"action": "use", "data": ["user.device.ip_address"], "purpose": "analytics"}
    assert effect(e, **use, context={"plan": "pro"}) == "allow"
    assert effect(e, **use, context={"plan": "free"}) == "deny"
    assert effect(e, **use) == "deny"  # a missing fact satisfies nothing
    with pytest.raises(ActionError) as caught:
        e.check({**use, "context": {"plan": "prp"}})
    assert caught.value.diagnostics[0].help == "did you mean `pro`?"
    with pytest.raises(ActionError):
        e.check({**use, "context": {"plan": True}})


@pytest.mark.parametrize("condition, code, message", [
    ("plan == gold", "unknown-value", "`gold` is not one of the values of fact `plan`"),
    ("plan", "fact-type", "fact `plan` is one of `free`, `pro`, `business`, not true or false"),
    ("plan < pro", "fact-type", "`<` compares numbers"),
    ("plan == 3", "fact-type", "cannot be compared with `3`"),
    ("consent == pro", "fact-type", "cannot be compared with the name `pro`"),
])
def test_enum_conditions_are_checked(tmp_path: Path, condition: str, code: str,
                                     message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        engine(tmp_path, PLANS.replace("plan != free", condition))
    [d] = caught.value.diagnostics
    assert d.code == code and message in d.message and d.span.line == 10


# ------------------------------------------------------------------- the diff
def _diff(tmp_path: Path, old: str, new: str, header_old: str = HEADER,
          header_new: str = HEADER):
    (tmp_path / "old.policy").write_text(header_old + old)
    (tmp_path / "new.policy").write_text(header_new + new)
    return diff(load(tmp_path / "old.policy"), load(tmp_path / "new.policy"))


@pytest.mark.parametrize("old, new, kind, widening", [
    (TRANSFERS, TRANSFERS.replace("in united_states", "in worldwide"), "share", True),
    (TRANSFERS, TRANSFERS.replace(", data_privacy_framework", ""), "share", False),
    (STAFF.replace("by staff", "by staff, automated"), STAFF, "use", True),
    (PLANS, PLANS.replace("plan != free", "plan == business"), "use", False),
    (SELLING, SELLING.replace("never sell user.contact", "never share user.contact"), "share",
     False),
])
def test_the_diff_reports_changes_of_the_new_constructs(tmp_path: Path, old: str, new: str,
                                                        kind: str, widening: bool) -> None:
    result = diff(*[load(p) for p in _write_pair(tmp_path, old, new)])
    classes = {c.cls for c in result.changes if c.kind == kind}
    assert ("widening" in classes) is widening and ("narrowing" in classes) is not widening
    for change in result.changes:  # every witness is really decided as said
        if change.cls in ("widening", "narrowing"):
            old_e, new_e = (clausewise.load(p) for p in _write_pair(tmp_path, old, new))
            assert old_e.check(change.witness).allowed is (change.cls == "narrowing")
            assert new_e.check(change.witness).allowed is (change.cls == "widening")


def _write_pair(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    (tmp_path / "old.policy").write_text(HEADER + old)
    (tmp_path / "new.policy").write_text(HEADER + new)
    return tmp_path / "old.policy", tmp_path / "new.policy"


def test_the_diff_reports_a_narrowed_scope(tmp_path: Path) -> None:
    body = "collection c\n  collect user.device\nend\n"
    result = _diff(tmp_path, body, body,
                   header_old='policy "E"\n  covers web_site, mobile_app\nend\n\n',
                   header_new='policy "E"\n  covers web_site\nend\n\n')
    narrowed = [c for c in result.changes if c.cls == "narrowing"]
    assert narrowed and narrowed[0].witness.source == "mobile_app"


# ------------------------------------------------------------ the published words
def test_new_dimensions_are_said_in_the_rendered_policy(tmp_path: Path) -> None:
    from clausewise.renderers import render

    text = TRANSFERS.replace(
        '  text "Your information is transferred to and stored in the United States."\n', "")
    path = tmp_path / "p.policy"
    path.write_text(HEADER + text + STAFF.replace("  text \"Employees do not view the content "
                                                  "of your files except to resolve a problem "
                                                  "you report.\"\n", "")
                    + "sharing sales\n  sell user.device\n  to advertiser\n  basis consent\nend\n")
    words = " ".join(render(load(path), "text", False).split())
    assert "with service providers who work on our behalf in the United States under " \
        "standard contractual clauses or the EU-U.S. Data Privacy Framework" in words
    assert "in the European Economic Area" in words
    assert "by our employees" in words
    assert "We sell information about your device to advertising companies on the legal " \
        "basis of your consent" in words


# ------------------------------------------------------- 4. retention forms
RETENTION = """
retention account-data
  keep user.contact
  for 30 days after account_closure
  then deleted
end

retention logs
  keep user.device
  for 6 months
  then anonymized
end

retention billing
  keep user.financial
  as long as needed for essential.service.payment_processing
end

retention processor-billing
  keep user.financial.credit_card
  with service_provider
  for 2 years
end

retention session
  keep user.behavior
  until session_end
end
"""


@pytest.mark.parametrize("action, decision", [
    ({"data": ["user.contact.email"], "until": "account_closure", "days": 30}, "allow"),
    ({"data": ["user.contact.email"], "until": "account_closure", "days": 31}, "deny"),
    ({"data": ["user.contact.email"], "until": "account_closure"}, "allow"),
    ({"data": ["user.contact.email"], "days": 10}, "deny"),  # not tied to the closing
    ({"data": ["user.device.ip_address"], "days": 180}, "allow"),  # six months of 30 days
    ({"data": ["user.device.ip_address"], "days": 181}, "deny"),
    ({"data": ["user.financial"], "purpose": "essential.service.payment_processing",
      "days": 4000}, "allow"),
    ({"data": ["user.financial"], "purpose": "marketing", "days": 1}, "deny"),
    ({"data": ["user.financial.credit_card"], "recipient": "service_provider", "days": 730},
     "allow"),
    ({"data": ["user.financial.credit_card"], "recipient": "service_provider", "days": 731},
     "deny"),
    ({"data": ["user.behavior.browsing_history"], "until": "session_end"}, "allow"),
    ({"data": ["user.behavior.browsing_history"], "until": "session_end", "days": 1}, "deny"),
])
def test_retention_forms_decide_both_sides(tmp_path: Path, action: dict, decision: str) -> None:
    assert engine(tmp_path, RETENTION).check({"action": "retain", **action}).effect == decision


def test_what_happens_at_the_end_is_an_obligation(tmp_path: Path) -> None:
    e = engine(tmp_path, RETENTION)
    kept = e.check({"action": "retain", "data": ["user.device.ip_address"], "days": 30})
    assert [o["text"] for o in e.explain(kept)["obligations"]] == \
        ["anonymize it at the end of the period"]
    needed = e.check({"action": "retain", "data": ["user.financial"],
                      "purpose": "essential.service.payment_processing"})
    assert [o["text"] for o in e.explain(needed)["obligations"]] == \
        ["delete it once it is no longer needed for the purposes"]


def test_retention_forms_are_said_and_diffed(tmp_path: Path) -> None:
    from clausewise.renderers import render

    path = tmp_path / "p.policy"
    path.write_text(HEADER + RETENTION)
    words = " ".join(render(load(path), "text", False).split())
    assert "for 30 days after the closing of the account, then delete it" in words
    assert "for 6 months, then anonymize it" in words
    assert "as long as we need it for" in words
    result = diff(*[load(p) for p in _write_pair(
        tmp_path, RETENTION, RETENTION.replace("for 30 days after", "for 60 days after"))])
    widened = [c for c in result.changes if c.cls == "widening"]
    assert widened and widened[0].witness.until == "account_closure" \
        and 30 < widened[0].witness.days <= 60


# ------------------------------------------------------ 7. purpose limitation
ONLY_FOR = """
use anything
  use user
end

prohibition billing-only
  never use, share user.financial
  except for essential.service.payment_processing
  text "We use your payment details only to bill you."
end

prohibition purpose-limitation
  never use user.contact
  unless original_purpose
  text "We use your contact details only for the purpose for which they were collected."
end
"""


def test_used_only_for_a_purpose_is_one_construct(tmp_path: Path) -> None:
    e = engine(tmp_path, ONLY_FOR)
    use = {"action": "use", "data": ["user.financial.bank_account"]}
    assert effect(e, **use, purpose="essential.service.payment_processing") == "allow"
    denied = e.check({**use, "purpose": "marketing"})
    assert denied.effect == "deny" and denied.clause_ids == ("billing-only",)
    assert effect(e, **use) == "deny"  # no purpose given: it may be another one
    assert effect(e, action="use", data=["user.name"], purpose="marketing") == "allow"


def test_used_only_for_the_purpose_it_was_collected_for(tmp_path: Path) -> None:
    e = engine(tmp_path, ONLY_FOR)
    use = {"action": "use", "data": ["user.contact.email"], "collected_for": "essential.service"}
    assert effect(e, **use, purpose="essential.service.notifications") == "allow"
    assert effect(e, **use, purpose="marketing.advertising") == "deny"
    assert effect(e, action="use", data=["user.contact.email"], purpose="marketing") == "deny"
    with pytest.raises(ActionError) as caught:
        e.check({**use, "purpose": "marketing", "context": {"original_purpose": True}})
    assert caught.value.codes == ("contradiction",)


# ---------------------------------------------------------------- 8. frequency
def test_at_most_n_is_tested_against_the_count_of_earlier_ones(tmp_path: Path) -> None:
    e = engine(tmp_path, "notification invitation\n  on sign_up\n  notify customer\n"
                         "  via email\n  at most 1 time\nend\n\nnotification reminders\n"
                         "  on account_closure\n  notify customer\n  via email\n"
                         "  at most 3 times\nend\n")
    invite = {"action": "notify", "subject": "customer", "channel": "email", "event": "sign_up"}
    assert effect(e, **invite, context={"previous": 0}) == "allow"
    assert effect(e, **invite, context={"previous": 1}) == "deny"
    assert effect(e, **invite) == "deny"  # how many before is not known: fail closed
    remind = {**invite, "event": "account_closure"}
    assert effect(e, **remind, context={"previous": 2}) == "allow"
    assert effect(e, **remind, context={"previous": 3}) == "deny"


def test_except_and_at_most_are_diffed(tmp_path: Path) -> None:
    result = diff(*[load(p) for p in _write_pair(
        tmp_path, ONLY_FOR, ONLY_FOR.replace("except for essential.service.payment_processing",
                                             "except for essential"))])
    assert any(c.cls == "widening" and c.witness.purpose is not None for c in result.changes)
    body = "notification n\n  on sign_up\n  via email\n  at most 1 time\nend\n"
    result = diff(*[load(p) for p in _write_pair(tmp_path, body,
                                                  body.replace("at most 1", "at most 2"))])
    [widened] = [c for c in result.changes if c.cls == "widening"]
    assert widened.witness.context["previous"] == 1


# -------------------------------------------------------------------- 10. dates
DATED = """
sharing ad-partners
  share user.device
  with advertiser
  expires 2020-06-30
end

use new-analytics
  use user.device
  for analytics
  effective 2021-01-01
end
"""


@pytest.mark.parametrize("action, day, decision", [
    ({"action": "share", "recipient": "advertiser"}, "2020-06-29", "allow"),
    ({"action": "share", "recipient": "advertiser"}, "2020-06-30", "deny"),  # stopped that day
    ({"action": "use", "purpose": "analytics"}, "2021-01-01", "allow"),
    ({"action": "use", "purpose": "analytics"}, "2020-12-31", "deny"),
    ({"action": "use", "purpose": "analytics"}, None, "deny"),  # undated: fail closed
    ({"action": "use", "purpose": "analytics"}, "2011-12-31", "deny"),  # before the policy
])
def test_practices_start_and_stop_on_dates(tmp_path: Path, action: dict, day: str | None,
                                           decision: str) -> None:
    e = engine(tmp_path, DATED, header='policy "D"\n  effective 2012-01-01\nend\n\n')
    context = {"date": day} if day else {}
    got = e.check({**action, "data": ["user.device.ip_address"], "context": context})
    assert got.effect == decision
    if day == "2011-12-31":
        assert e.explain(got)["reasons"][0]["why"] == \
            "outside what this policy covers: it takes effect on 2012-01-01"


def test_dates_are_checked_said_and_diffed(tmp_path: Path) -> None:
    from clausewise.renderers import render

    with pytest.raises(ActionError) as caught:
        engine(tmp_path, DATED).check({"action": "use", "data": ["user.device"],
                                       "purpose": "analytics", "context": {"date": "2021-13-01"}})
    assert caught.value.codes == ("fact-type",)
    with pytest.raises(PolicyError) as caught:
        engine(tmp_path, "use u\n  use user\n  if date >= 5\nend\n")
    assert caught.value.codes == ("fact-type",)
    path = tmp_path / "p.policy"
    path.write_text(HEADER + DATED)
    words = " ".join(render(load(path), "text", False).split())
    assert "before June 30, 2020" in words and "from January 1, 2021" in words
    result = diff(*[load(p) for p in _write_pair(
        tmp_path, DATED, DATED.replace("effective 2021-01-01", "effective 2020-01-01"))])
    [widened] = [c for c in result.changes if c.cls == "widening"]
    assert "2020-01-01" <= widened.witness.context["date"] < "2021-01-01"


# ---------------------------------------------------------- 11. security measures
SAFEGUARDS = """
collection accounts
  collect user.authorization.credentials
end

collection contact
  collect user.contact
end

security credentials
  protect user.authorization
  safeguard secure_authentication, access_limitation
  using "hashed passwords and two-factor sign-in"
end
"""


def test_security_measures_ride_along_with_the_data_they_protect(tmp_path: Path) -> None:
    e = engine(tmp_path, SAFEGUARDS)
    guarded = e.check({"action": "collect", "data": ["user.authorization.credentials"]})
    assert [o["text"] for o in e.explain(guarded)["obligations"]] == [
        "apply secure authentication (hashed passwords and two-factor sign-in)",
        "apply access limited to those who need it (hashed passwords and two-factor sign-in)"]
    plain = e.check({"action": "collect", "data": ["user.contact.email"]})
    assert plain.allowed and plain.obligations == ()
    with pytest.raises(PolicyError) as caught:
        engine(tmp_path, "security s\n  protect user\n  safeguard audit\nend\n")
    assert caught.value.diagnostics[0].help == "did you mean `audits`?"


def test_security_measures_are_said_and_their_removal_is_a_widening(tmp_path: Path) -> None:
    from clausewise.renderers import render

    path = tmp_path / "p.policy"
    path.write_text(HEADER + SAFEGUARDS)
    words = " ".join(render(load(path), "text", False).split())
    assert "we apply secure authentication and access limited to those who need it" in words
    result = diff(*[load(p) for p in _write_pair(
        tmp_path, SAFEGUARDS, SAFEGUARDS.replace(", access_limitation", ""))])
    assert [c.cls for c in result.changes if c.kind == "collect"] == ["widening"]  # a duty dropped


def test_a_security_clause_may_carry_duties_that_ride_along(tmp_path: Path) -> None:
    e = engine(tmp_path, SAFEGUARDS.replace(
        '  using "hashed passwords and two-factor sign-in"\n',
        '  must "regularly review these measures"\n'))
    guarded = e.check({"action": "collect", "data": ["user.authorization.credentials"]})
    assert "regularly review these measures" in [o["text"] for o in
                                                  e.explain(guarded)["obligations"]]
    assert e.check({"action": "collect", "data": ["user.contact.email"]}).obligations == ()


# ----------------------------------------------------------- 9. remedies
def test_a_denial_carries_the_remedies_of_its_prohibition(tmp_path: Path) -> None:
    e = engine(tmp_path, "use anything\n  use user\nend\n\nprohibition no-children\n"
                         "  never collect, use user\n  if subject_age < 13\n"
                         '  must "promptly delete it"\nend\n')
    child = e.check({"action": "use", "data": ["user.name"], "context": {"subject_age": 9}})
    assert child.effect == "deny"
    assert [(d.clause, d.obligation.text) for d in child.remedies] == \
        [("no-children", "promptly delete it")]
    assert e.explain(child)["remedies"][0]["text"] == "promptly delete it"
    assert "remedies the policy promises:" in e.explain_text(child)
    adult = e.check({"action": "use", "data": ["user.name"], "context": {"subject_age": 30}})
    assert adult.allowed and adult.remedies == ()


def test_a_prohibition_applies_to_a_term_above_its_own(tmp_path: Path) -> None:
    """`in united_states` forbids a share `in worldwide`, which may be there (fail closed)."""
    e = engine(tmp_path, "sharing abroad\n  share user\n  with service_provider\n"
                         "  in worldwide\nend\n\nprohibition no-us\n  never share user\n"
                         "  in united_states\nend\n")
    share = {"action": "share", "data": ["user"], "recipient": "service_provider"}
    above = e.check({**share, "place": "worldwide"})
    assert above.effect == "deny" and above.clause_ids == ("no-us",)
    assert e.explain(above)["unmet"][0]["needs"] == "place other than united_states"
    assert effect(e, **share, place="canada") == "allow"
    assert effect(e, **share, place="california") == "deny"


def test_a_field_the_action_kind_is_not_decided_on_is_refused(tmp_path: Path) -> None:
    e = engine(tmp_path, "use u\n  use user\nend\n\nprohibition p\n  never use user.contact\n"
                         "  with partner\nend\n")
    with pytest.raises(ActionError) as caught:
        e.check({"action": "use", "data": ["user.contact"], "method": "cookies"})
    assert caught.value.diagnostics[0].message == "method: a `use` action has no method"
    # a use that names no recipient is our own: the prohibition on partners' use is not it
    assert effect(e, action="use", data=["user.contact"]) == "allow"
    assert effect(e, action="use", data=["user.contact"], recipient="partner") == "deny"
    # a recipient's own use (a duty passed with a share decides it) is a `use` with a recipient
    assert effect(e, action="use", data=["user.contact"], recipient="service_provider") == "allow"


def test_a_date_fact_is_compared_with_a_date_in_a_condition(tmp_path: Path) -> None:
    e = engine(tmp_path, 'define fact renewal date "the day the plan renews"\n\nuse u\n'
                         "  use user\n  if renewal >= 2021-01-01\nend\n")
    use = {"action": "use", "data": ["user.name"]}
    assert effect(e, **use, context={"renewal": "2021-01-01"}) == "allow"
    assert effect(e, **use, context={"renewal": "2020-12-31"}) == "deny"


# ------------------------------------------- 9. a prohibition bounding time
BEYOND = """retention keep-cards
  keep user.financial
  for 90 days
end

retention keep-until
  keep user.financial
  until transaction_complete
end

prohibition no-cards-after-payment
  never keep user.financial.credit_card
  beyond transaction_complete
  text "Card numbers are never stored after the transaction is complete."
end

prohibition thirty
  never keep user.financial.bank_account
  beyond 30 days
end
"""


@pytest.mark.parametrize("action, expected", [
    ({"data": ["user.financial.credit_card"], "until": "transaction_complete"}, "allow"),
    ({"data": ["user.financial.credit_card"], "days": 10}, "deny"),  # may outlast it
    ({"data": ["user.financial.bank_account"], "days": 30}, "allow"),
    ({"data": ["user.financial.bank_account"], "days": 31}, "deny"),
    ({"data": ["user.financial.bank_account"]}, "deny"),  # no period: may be longer
])
def test_a_prohibition_may_bound_time_not_forbid_keeping(tmp_path: Path, action, expected) -> None:
    from clausewise.engine import decide

    e = engine(tmp_path, BEYOND)
    full = {"action": "retain", **action}
    assert effect(e, **full) == expected
    assert decide(e.compiled, e.action(full), indexed=False).effect == expected


def test_a_changed_time_bound_is_reported_by_the_diff(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "p.policy").write_text(HEADER + BEYOND, encoding="utf-8")
    (tmp_path / "b" / "p.policy").write_text(
        HEADER + BEYOND.replace("beyond 30 days", "beyond 60 days"), encoding="utf-8")
    result = diff(load(str(tmp_path / "a" / "p.policy")), load(str(tmp_path / "b" / "p.policy")))
    witnesses = [c.witness for c in result.changes if getattr(c, "witness", None) is not None]
    assert any(w.days is not None and 30 < w.days <= 60 for w in witnesses), result.changes
