"""Engine semantics on small inline policies, and the index held to the slow path.

Each test writes a policy of a few clauses to `tmp_path`, loads it with
`clausewise.load` and checks actions against it, so what is asserted is the
decision of the whole pipeline (parse, validate, compile, decide).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clausewise
from clausewise import model as m
from clausewise.api import Engine
from clausewise.engine import CompiledPolicy, Decision, decide, parse_action
from clausewise.engine.decision import Reason
from clausewise.loader import load as load_policy


def policy(tmp_path: Path, text: str, name: str = "p.policy") -> Engine:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return clausewise.load(path)


def roles(decision: Decision) -> list[tuple[str, str | None]]:
    return [(r.role, r.clause) for r in decision.reasons]


def reasons_of(decision: Decision, role: str) -> list[Reason]:
    return [r for r in decision.reasons if r.role == role]


USE_CONTACT = """
    use contact
      use user.contact
      for essential.service
    end
"""


# ------------------------------------------------------------------ hierarchies


def test_category_clause_on_parent_covers_child(tmp_path: Path) -> None:
    engine = policy(tmp_path, USE_CONTACT)
    decision = engine.check({"action": "use", "data": ["user.contact.email"],
                             "purpose": "essential.service"})
    assert decision.effect == "allow"
    assert decision.clause_ids == ("contact",)


def test_category_clause_on_child_does_not_cover_parent(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use email
          use user.contact.email
          for essential.service
        end
    """)
    decision = engine.check({"action": "use", "data": ["user.contact"],
                             "purpose": "essential.service"})
    assert decision.effect == "deny"
    assert ("no-clause", None) in roles(decision)
    near = reasons_of(decision, "near")
    assert [r.clause for r in near] == ["email"]
    assert near[0].needs == ("data under user.contact.email",)


def test_category_sibling_is_not_covered(tmp_path: Path) -> None:
    engine = policy(tmp_path, USE_CONTACT)
    decision = engine.check({"action": "use", "data": ["user.financial"],
                             "purpose": "essential.service"})
    assert decision.effect == "deny"


def test_purpose_hierarchy_parent_covers_child_not_reverse(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use broad
          use user.contact.email
          for marketing
        end

        use narrow
          use user.name
          for marketing.communications.email
        end
    """)
    child = engine.check({"action": "use", "data": ["user.contact.email"],
                          "purpose": "marketing.communications.email"})
    assert child.effect == "allow" and child.clause_ids == ("broad",)
    parent = engine.check({"action": "use", "data": ["user.name"], "purpose": "marketing"})
    assert parent.effect == "deny"
    near = reasons_of(parent, "near")
    assert near[0].clause == "narrow"
    assert near[0].needs == ("purpose under marketing.communications.email",)


def test_recipient_hierarchy_parent_covers_defined_child_not_reverse(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        define recipient payment_processor "a payment processor" under service_provider

        sharing providers
          share user.contact.email
          with service_provider
        end

        sharing processor-only
          share user.name
          with payment_processor
        end
    """)
    child = engine.check({"action": "share", "data": ["user.contact.email"],
                          "recipient": "payment_processor"})
    assert child.effect == "allow" and child.clause_ids == ("providers",)
    parent = engine.check({"action": "share", "data": ["user.name"],
                           "recipient": "service_provider"})
    assert parent.effect == "deny"
    assert reasons_of(parent, "near")[0].needs == ("recipient under payment_processor",)


def test_event_hierarchy_parent_covers_defined_child_not_reverse(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        define event annual_renewal "renewing a paid subscription" under paid_subscription

        collection on-payment
          collect user.financial.credit_card
          on paid_subscription
        end

        collection on-renewal
          collect user.financial.bank_account
          on annual_renewal
        end
    """)
    child = engine.check({"action": "collect", "data": ["user.financial.credit_card"],
                          "event": "annual_renewal"})
    assert child.effect == "allow" and child.clause_ids == ("on-payment",)
    parent = engine.check({"action": "collect", "data": ["user.financial.bank_account"],
                           "event": "paid_subscription"})
    assert parent.effect == "deny"
    assert reasons_of(parent, "near")[0].needs == ("event under annual_renewal",)


def test_channel_and_right_hierarchy(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        define channel support_inbox "the support inbox" under email

        right fix
          grants correction
          via email
        end
    """)
    by_child = engine.check({"action": "exercise", "right": "correction",
                             "channel": "support_inbox"})
    assert by_child.effect == "allow" and by_child.clause_ids == ("fix",)
    by_phone = engine.check({"action": "exercise", "right": "correction", "channel": "phone"})
    assert by_phone.effect == "deny"
    other_right = engine.check({"action": "exercise", "right": "deletion", "channel": "email"})
    assert other_right.effect == "deny"


def test_unconstrained_dimension_matches_any_value_and_none(tmp_path: Path) -> None:
    engine = policy(tmp_path, USE_CONTACT)
    with_subject = engine.check({"action": "use", "data": ["user.contact"], "subject": "customer",
                                 "purpose": "essential.service", "event": "sign_up"})
    assert with_subject.effect == "allow"


def test_missing_action_field_fails_a_constrained_dimension(tmp_path: Path) -> None:
    engine = policy(tmp_path, USE_CONTACT)
    decision = engine.check({"action": "use", "data": ["user.contact.email"]})
    assert decision.effect == "deny"
    assert reasons_of(decision, "near")[0].needs == ("purpose under essential.service",)


def test_method_dimension(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        collection logs
          collect user.device.ip_address
          method automatic
        end
    """)
    assert engine.check({"action": "collect", "data": ["user.device.ip_address"],
                         "method": "automatic"}).allowed
    provided = engine.check({"action": "collect", "data": ["user.device.ip_address"],
                             "method": "provided"})
    assert not provided.allowed
    assert reasons_of(provided, "near")[0].needs == ("method under automatic",)
    assert not engine.check({"action": "collect", "data": ["user.device.ip_address"]}).allowed


def test_action_kind_must_match_clause_kind(tmp_path: Path) -> None:
    engine = policy(tmp_path, USE_CONTACT)
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "purpose": "essential.service", "recipient": "partner"})
    assert decision.effect == "deny"
    assert roles(decision) == [("no-clause", None)]


def test_retention_periods(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        define event logout "logging out" under session_end

        retention ninety-days
          keep user.device.ip_address
          for 90 days
        end

        retention session
          keep user.device.cookie
          until session_end
        end
    """)
    ip = {"action": "retain", "data": ["user.device.ip_address"]}
    assert engine.check({**ip, "days": 90}).allowed
    assert engine.check({**ip, "days": 30}).allowed
    too_long = engine.check({**ip, "days": 91})
    assert not too_long.allowed
    assert reasons_of(too_long, "near")[0].needs == ("kept at most 90 days",)
    assert not engine.check(ip).allowed
    cookie = {"action": "retain", "data": ["user.device.cookie"]}
    assert engine.check({**cookie, "until": "session_end"}).allowed
    assert engine.check({**cookie, "until": "logout"}).allowed
    assert not engine.check({**cookie, "until": "account_closure"}).allowed
    assert not engine.check({**cookie, "days": 1}).allowed


# ------------------------------------------------------------------ prohibitions


PHI = """
    use everything
      use user
    end

    prohibition no-phi
      never use user.health_and_medical
    end
"""


def test_prohibition_wins_over_a_matching_permission(tmp_path: Path) -> None:
    engine = policy(tmp_path, PHI)
    decision = engine.check({"action": "use", "data": ["user.health_and_medical.genetic"]})
    assert decision.effect == "deny"
    assert decision.clause_ids == ("no-phi",)
    assert ("permits", "everything") not in roles(decision)


def test_prohibition_applies_on_overlap_with_a_broader_category(tmp_path: Path) -> None:
    engine = policy(tmp_path, PHI)
    decision = engine.check({"action": "use", "data": ["user"]})
    assert decision.effect == "deny"
    forbids = reasons_of(decision, "forbids")
    assert [(r.clause, r.category) for r in forbids] == [("no-phi", "user")]


def test_prohibition_does_not_apply_without_overlap(tmp_path: Path) -> None:
    engine = policy(tmp_path, PHI)
    decision = engine.check({"action": "use", "data": ["user.contact"]})
    assert decision.effect == "allow"
    assert decision.clause_ids == ("everything",)


def test_prohibition_applies_only_to_its_action_kinds(tmp_path: Path) -> None:
    engine = policy(tmp_path, PHI + """
    collection anything
      collect user
    end
    """)
    assert engine.check({"action": "collect", "data": ["user.health_and_medical"]}).allowed


def test_prohibition_dimensions_narrow_it(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        sharing anyone
          share user.contact.email
        end

        prohibition not-to-advertisers
          never share user.contact
          with advertiser
        end
    """)
    assert not engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "advertiser"}).allowed
    assert engine.check({"action": "share", "data": ["user.contact.email"],
                         "recipient": "partner"}).allowed


def test_conditional_prohibition_applies_only_when_its_condition_holds(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use everything
          use user
        end

        prohibition no-children
          never use user
          if subject_age < 13
        end
    """)
    action = {"action": "use", "data": ["user.name"]}
    child = engine.check({**action, "context": {"subject_age": 12}})
    assert child.effect == "deny" and child.clause_ids == ("no-children",)
    assert reasons_of(child, "forbids")[0].needs == ("not (subject_age < 13)",)
    adult = engine.check({**action, "context": {"subject_age": 13}})
    assert adult.effect == "allow"
    unknown = engine.check(action)
    assert unknown.effect == "allow"
    assumes = reasons_of(unknown, "assumes")
    assert [(r.clause, r.missing) for r in assumes] == [("no-children", ("subject_age",))]


def test_unmet_is_empty_for_an_unconditional_prohibition(tmp_path: Path) -> None:
    engine = policy(tmp_path, PHI)
    decision = engine.check({"action": "use", "data": ["user.health_and_medical"]})
    assert decision.effect == "deny"
    assert decision.unmet == ()


def test_unmet_names_what_lifts_a_conditional_prohibition(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use everything
          use user
        end

        prohibition no-marketing-without-consent
          never use user
          for marketing
          unless consent
        end
    """)
    decision = engine.check({"action": "use", "data": ["user.name"], "purpose": "marketing",
                             "context": {"consent": False}})
    assert decision.effect == "deny"
    assert [(r.clause, r.needs) for r in decision.unmet] == [
        ("no-marketing-without-consent", ("consent",))]
    assert engine.check({"action": "use", "data": ["user.name"], "purpose": "marketing",
                         "context": {"consent": True}}).allowed


# -------------------------------------------------------------------- conditions


def test_missing_fact_denies_and_names_the_fact(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use with-consent
          use user.contact.email
          if consent
        end
    """)
    decision = engine.check({"action": "use", "data": ["user.contact.email"]})
    assert decision.effect == "deny"
    (unmet,) = reasons_of(decision, "unmet")
    assert unmet.clause == "with-consent"
    assert unmet.missing == ("consent",)
    assert unmet.needs == ("consent",)
    assert decision.clause_ids == ("with-consent",)


def test_missing_fact_never_satisfies_a_negation(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use unless-out
          use user.contact.email
          unless opted_out
        end
    """)
    action = {"action": "use", "data": ["user.contact.email"]}
    missing = engine.check(action)
    assert missing.effect == "deny"
    assert reasons_of(missing, "unmet")[0].missing == ("opted_out",)
    assert engine.check({**action, "context": {"opted_out": False}}).allowed
    given_true = engine.check({**action, "context": {"opted_out": True}})
    assert not given_true.allowed
    assert reasons_of(given_true, "unmet")[0].given == (("opted_out", True),)


KLEENE = """
    define fact subpoena bool "a subpoena was served"
    define fact violation bool "the terms were violated"

    sharing either
      share user.contact.email
      if subpoena or violation
    end

    sharing both
      share user.name
      if subpoena and violation
    end
"""


@pytest.mark.parametrize(("context", "effect"), [
    ({"subpoena": True}, "allow"),                       # true or unknown = true
    ({"violation": True}, "allow"),
    ({"subpoena": True, "violation": False}, "allow"),
    ({"subpoena": False}, "deny"),                       # false or unknown = unknown
    ({}, "deny"),                                        # unknown or unknown = unknown
    ({"subpoena": False, "violation": False}, "deny"),
])
def test_kleene_or(tmp_path: Path, context: dict, effect: str) -> None:
    engine = policy(tmp_path, KLEENE)
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "context": context})
    assert decision.effect == effect
    if effect == "deny":
        (unmet,) = reasons_of(decision, "unmet")
        assert set(unmet.missing) == {"subpoena", "violation"} - set(context)


@pytest.mark.parametrize(("context", "effect", "missing"), [
    ({"subpoena": True, "violation": True}, "allow", ()),
    ({"subpoena": True}, "deny", ("violation",)),          # true and unknown = unknown
    ({"subpoena": False}, "deny", ("violation",)),         # false and unknown = false
    ({}, "deny", ("subpoena", "violation")),
    ({"subpoena": True, "violation": False}, "deny", ()),
])
def test_kleene_and(tmp_path: Path, context: dict, effect: str, missing: tuple) -> None:
    engine = policy(tmp_path, KLEENE)
    decision = engine.check({"action": "share", "data": ["user.name"], "context": context})
    assert decision.effect == effect
    if effect == "deny":
        (unmet,) = reasons_of(decision, "unmet")
        assert unmet.missing == missing


def test_kleene_and_false_dominates_unknown_in_a_prohibition(tmp_path: Path) -> None:
    """`false and unknown` is false, so a prohibition on it is not even assumed."""
    engine = policy(tmp_path, """
        define fact flagged bool "the account is flagged"

        use everything
          use user
        end

        prohibition flagged-children
          never use user
          if flagged and subject_age < 13
        end
    """)
    decision = engine.check({"action": "use", "data": ["user.name"],
                             "context": {"flagged": False}})
    assert decision.effect == "allow"
    assert reasons_of(decision, "assumes") == []
    unknown = engine.check({"action": "use", "data": ["user.name"],
                            "context": {"flagged": True}})
    assert unknown.effect == "allow"
    assert [r.missing for r in reasons_of(unknown, "assumes")] == [("subject_age",)]


def test_integer_comparisons(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use adults
          use user.contact.email
          if subject_age >= 18
        end
    """)
    action = {"action": "use", "data": ["user.contact.email"]}
    assert engine.check({**action, "context": {"subject_age": 18}}).allowed
    under = engine.check({**action, "context": {"subject_age": 17}})
    assert not under.allowed
    assert reasons_of(under, "unmet")[0].given == (("subject_age", 17),)


# ---------------------------------------------------------------- consent modes


CONSENT = """
    use opt-in-use
      use user.contact.email
      consent opt-in
    end

    use opt-out-use
      use user.contact.phone_number
      consent opt-out
    end

    use no-choice
      use user.name
      consent none
    end
"""


@pytest.mark.parametrize(("context", "effect"), [
    ({"consent": True}, "allow"),
    ({"consent": False}, "deny"),
    ({}, "deny"),
    ({"opted_out": False}, "deny"),
])
def test_opt_in_requires_consent(tmp_path: Path, context: dict, effect: str) -> None:
    engine = policy(tmp_path, CONSENT)
    decision = engine.check({"action": "use", "data": ["user.contact.email"], "context": context})
    assert decision.effect == effect
    if effect == "deny":
        assert [(r.clause, r.needs) for r in decision.unmet] == [("opt-in-use", ("consent",))]


@pytest.mark.parametrize(("context", "effect"), [
    ({"opted_out": False}, "allow"),
    ({"opted_out": True}, "deny"),
    ({}, "deny"),
    ({"consent": True}, "deny"),
])
def test_opt_out_requires_not_opted_out(tmp_path: Path, context: dict, effect: str) -> None:
    engine = policy(tmp_path, CONSENT)
    decision = engine.check({"action": "use", "data": ["user.contact.phone_number"],
                             "context": context})
    assert decision.effect == effect
    if effect == "deny":
        assert [(r.clause, r.needs) for r in decision.unmet] == [
            ("opt-out-use", ("not opted_out",))]


@pytest.mark.parametrize("context", [{}, {"consent": False}, {"opted_out": True}])
def test_consent_none_ignores_consent_and_opt_out(tmp_path: Path, context: dict) -> None:
    engine = policy(tmp_path, CONSENT)
    assert engine.check({"action": "use", "data": ["user.name"], "context": context}).allowed


def test_opt_in_joined_with_own_condition(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use both
          use user.contact.email
          consent opt-in
          unless opted_out
        end
    """)
    action = {"action": "use", "data": ["user.contact.email"]}
    assert engine.check({**action, "context": {"consent": True, "opted_out": False}}).allowed
    decision = engine.check({**action, "context": {"consent": False, "opted_out": True}})
    assert [r.needs for r in reasons_of(decision, "unmet")] == [("consent", "not opted_out")]


# ------------------------------------------------------------- several categories


def test_multi_category_action_needs_every_category_covered(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use email
          use user.contact.email
        end

        use name
          use user.name
        end
    """)
    both = engine.check({"action": "use", "data": ["user.contact.email", "user.name"]})
    assert both.effect == "allow"
    assert both.clause_ids == ("email", "name")
    one_uncovered = engine.check({"action": "use",
                                  "data": ["user.contact.email", "user.contact.phone_number"]})
    assert one_uncovered.effect == "deny"
    no_clause = reasons_of(one_uncovered, "no-clause")
    assert [r.category for r in no_clause] == ["user.contact.phone_number"]
    assert ("permits", "email") not in roles(one_uncovered)


def test_prohibition_on_one_category_denies_the_whole_action(tmp_path: Path) -> None:
    engine = policy(tmp_path, PHI)
    decision = engine.check({"action": "use",
                             "data": ["user.contact.email", "user.health_and_medical"]})
    assert decision.effect == "deny"
    assert [(r.clause, r.category) for r in reasons_of(decision, "forbids")] == [
        ("no-phi", "user.health_and_medical")]


# --------------------------------------------------------- no clause and nearest


NEAREST = """
    use p-marketing-partner
      use user.contact.email
      for marketing
      on sign_up
      if consent
    end

    use p-one-off
      use user.contact.email
      for analytics
    end

    use p-two-off
      use user.contact.email
      for essential.service
      on merger
    end

    use p-other-data
      use user.name
      for analytics
    end

    use p-exact-but-condition
      use user.contact.email
      for marketing.advertising
      on site_visit
      if aggregated and consent
    end
"""


def test_no_clause_reason_with_at_most_three_nearest_permits(tmp_path: Path) -> None:
    engine = policy(tmp_path, NEAREST)
    decision = engine.check({"action": "use", "data": ["user.contact.email"],
                             "purpose": "functional", "event": "site_visit",
                             "context": {"consent": True}})
    assert decision.effect == "deny"
    assert decision.reasons[0] == Reason("no-clause", None, "user.contact.email")
    near = reasons_of(decision, "near")
    assert len(near) == 3
    assert {r.clause for r in near} <= {"p-marketing-partner", "p-one-off", "p-two-off",
                                        "p-exact-but-condition"}
    # nearest first: fewest needs, then source order
    assert [len(r.needs) for r in near] == sorted(len(r.needs) for r in near)
    by_clause = {r.clause: r.needs for r in near}
    assert by_clause["p-one-off"] == ("purpose under analytics",)
    # a clause for other data is not near while clauses for this data exist
    assert "p-other-data" not in by_clause
    assert all(r.needs for r in near)
    assert [u.clause for u in decision.unmet] == [r.clause for r in near]


def test_nearest_names_each_unmatched_dimension_and_condition(tmp_path: Path) -> None:
    engine = policy(tmp_path, """
        use exact-but-condition
          use user.contact
          for marketing.advertising
          on site_visit
          if aggregated and consent
        end
    """)
    decision = engine.check({"action": "use", "data": ["user.contact.email"],
                             "purpose": "marketing.advertising", "event": "sign_up",
                             "context": {"aggregated": True}})
    assert [(r.clause, r.needs) for r in reasons_of(decision, "near")] == [
        ("exact-but-condition", ("event under site_visit", "consent"))]


def test_unmet_condition_is_reported_instead_of_nearest(tmp_path: Path) -> None:
    engine = policy(tmp_path, NEAREST)
    decision = engine.check({"action": "use", "data": ["user.contact.email"],
                             "purpose": "marketing", "event": "sign_up",
                             "context": {"consent": False}})
    assert decision.effect == "deny"
    assert roles(decision) == [("unmet", "p-marketing-partner")]
    assert decision.reasons[0].given == (("consent", False),)


def test_nearest_with_no_clause_for_the_data_says_which_data(tmp_path: Path) -> None:
    engine = policy(tmp_path, NEAREST)
    decision = engine.check({"action": "use", "data": ["user.financial"],
                             "purpose": "analytics"})
    near = reasons_of(decision, "near")
    assert 1 <= len(near) <= 3
    assert all(r.needs[0].startswith("data under ") for r in near)


# ---------------------------------------------------------- notices and security


NOTICES = """
    sharing transfer
      share user.contact.email
      with acquirer
      on merger
      must "specify what is transferred"
    end

    notification merger-notice
      on merger
      notify customer
      via email
      before
    end

    notification change-notice
      on policy_change
      notify customer
      via web_notice
    end

    use any-use
      use user.contact.email
    end
"""


@pytest.mark.parametrize(("context", "effect"), [
    ({"notice_given": True}, "allow"), ({"notice_given": False}, "deny"), ({}, "deny")])
def test_notice_before_event_is_required(tmp_path: Path, context: dict, effect: str) -> None:
    engine = policy(tmp_path, NOTICES)
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "acquirer", "event": "merger", "context": context})
    assert decision.effect == effect
    if effect == "deny":
        (requires,) = reasons_of(decision, "requires")
        assert requires.clause == "merger-notice"
        assert requires.needs == ("notice_given",)
        assert requires.missing == (() if context else ("notice_given",))
        assert decision.clause_ids == ("merger-notice",)


def test_notify_action_on_the_event_itself_needs_no_prior_notice(tmp_path: Path) -> None:
    engine = policy(tmp_path, NOTICES)
    decision = engine.check({"action": "notify", "subject": "customer", "channel": "email",
                             "event": "merger"})
    assert decision.allowed and decision.clause_ids == ("merger-notice",)


def test_other_notices_ride_along_as_obligations(tmp_path: Path) -> None:
    engine = policy(tmp_path, NOTICES)
    decision = engine.check({"action": "use", "data": ["user.contact.email"],
                             "event": "policy_change"})
    assert decision.allowed
    assert [(d.clause, d.obligation) for d in decision.obligations] == [
        ("change-notice", m.NotifyDuty(timing=None, channels=("web_notice",)))]


def test_obligations_are_listed_on_allow_only(tmp_path: Path) -> None:
    engine = policy(tmp_path, NOTICES)
    action = {"action": "share", "data": ["user.contact.email"], "recipient": "acquirer",
              "event": "merger"}
    allowed = engine.check({**action, "context": {"notice_given": True}})
    assert allowed.allowed
    assert [(d.clause, d.obligation) for d in allowed.obligations] == [
        ("transfer", m.FreeDuty(text="specify what is transferred"))]
    denied = engine.check({**action, "context": {"notice_given": False}})
    assert not denied.allowed
    assert denied.obligations == ()


SECURITY = """
    collection cards
      collect user.financial.credit_card, user.contact.email
    end

    retention cards-kept
      keep user.financial.credit_card
      indefinitely
    end

    use cards-used
      use user.financial
    end

    security tls
      encrypt user.financial
      in transit
    end

    security vault
      encrypt user.financial.credit_card
      at rest
    end

    security care
      protect user
      in transit
      using "industry standards"
    end
"""


def test_encryption_duties_ride_along_by_state(tmp_path: Path) -> None:
    engine = policy(tmp_path, SECURITY)
    collect = engine.check({"action": "collect", "data": ["user.financial.credit_card"]})
    assert collect.allowed
    assert [(d.clause, d.obligation) for d in collect.obligations] == [
        ("tls", m.EncryptDuty(state=m.State.in_transit)),
        ("care", m.FreeDuty(text="protect it in transit using industry standards"))]
    retain = engine.check({"action": "retain", "data": ["user.financial.credit_card"],
                           "context": {"encrypted": True}})
    assert retain.allowed
    assert [(d.clause, d.obligation) for d in retain.obligations] == [
        ("vault", m.EncryptDuty(state=m.State.at_rest))]


def test_encrypted_false_denies_by_the_encryption_duty(tmp_path: Path) -> None:
    engine = policy(tmp_path, SECURITY)
    decision = engine.check({"action": "collect", "data": ["user.financial.credit_card"],
                             "context": {"encrypted": False}})
    assert decision.effect == "deny"
    assert decision.clause_ids == ("tls",)
    (requires,) = reasons_of(decision, "requires")
    assert requires.given == (("encrypted", False),)
    retain = engine.check({"action": "retain", "data": ["user.financial.credit_card"],
                           "context": {"encrypted": False}})
    assert retain.clause_ids == ("vault",)


def test_security_does_not_apply_to_use_or_unrelated_data(tmp_path: Path) -> None:
    engine = policy(tmp_path, SECURITY)
    use = engine.check({"action": "use", "data": ["user.financial.credit_card"],
                        "context": {"encrypted": False}})
    assert use.allowed and use.obligations == ()
    email = engine.check({"action": "collect", "data": ["user.contact.email"],
                          "context": {"encrypted": False}})
    assert email.allowed
    assert [d.clause for d in email.obligations] == ["care"]


def test_security_on_a_child_category_applies_to_a_broader_action(tmp_path: Path) -> None:
    engine = policy(tmp_path, SECURITY + """
    collection all-financial
      collect user.financial
    end
    """)
    decision = engine.check({"action": "collect", "data": ["user.financial"],
                             "context": {"encrypted": False}})
    assert decision.clause_ids == ("tls",)


# ------------------------------------------------------------------ determinism


def test_determinism_same_input_same_output(tmp_path: Path) -> None:
    engine = policy(tmp_path, NEAREST + """
    prohibition no-children
      never use user
      if subject_age < 13
    end
    """)
    action = {"action": "use", "data": ["user.contact.email", "user.name"],
              "purpose": "functional", "event": "site_visit", "context": {"consent": True}}
    first = engine.check(action)
    again = [engine.check(dict(action)) for _ in range(5)]
    assert all(d == first for d in again)
    assert all(d.reasons == first.reasons for d in again)
    fresh = clausewise.load(tmp_path / "p.policy").check(action)
    assert fresh == first
    assert engine.explain(first) == clausewise.load(tmp_path / "p.policy").explain(fresh)


def test_determinism_across_hash_seeds(tmp_path: Path) -> None:
    """Set and dict iteration must not leak into a decision: other hash seeds, same JSON."""
    path = tmp_path / "p.policy"
    path.write_text(textwrap.dedent(NEAREST + SECURITY), encoding="utf-8")
    script = textwrap.dedent(f"""
        import json, clausewise
        engine = clausewise.load({str(path)!r})
        out = []
        for action in ({{"action": "use", "data": ["user.contact.email", "user.financial"],
                        "purpose": "functional", "event": "site_visit"}},
                       {{"action": "collect", "data": ["user.financial.credit_card",
                                                       "user.contact.email"]}}):
            out.append(engine.explain(engine.check(action)))
        print(json.dumps(out))
    """)
    outputs = set()
    for seed in ("0", "1", "12345"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120,
                              check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_policy_with_no_clauses_denies_everything(tmp_path: Path) -> None:
    engine = policy(tmp_path, 'define fact unused bool "unused"\n')
    decision = engine.check({"action": "use", "data": ["user"]})
    assert decision.effect == "deny"
    assert roles(decision) == [("no-clause", None)]


# ------------------------------------------------- index == slow path (property)


CATEGORIES = ("user", "user.contact", "user.contact.email", "user.contact.phone_number",
              "user.name", "user.financial", "user.financial.credit_card",
              "user.health_and_medical", "user.device.cookie_id")
PURPOSES = ("marketing", "marketing.advertising", "marketing.communications.email",
            "essential.service", "essential.service.payment_processing", "analytics")
RECIPIENTS = ("partner", "service_provider", "processor", "advertiser", "acquirer")
EVENTS = ("merger", "sign_up", "site_visit", "policy_change", "renewal")
SUBJECTS = ("customer", "visitor")
CHANNELS = ("email", "web_notice", "phone", "inbox")
RIGHTS = ("access", "correction", "opt_out")
METHODS = ("provided", "automatic", "cookies")
BOOL_FACTS = ("consent", "opted_out", "aggregated", "encrypted", "notice_given")
DEFINES = """\
define recipient processor "a payment processor" under service_provider
define event renewal "renewing" under paid_subscription
define channel inbox "the support inbox" under email
"""

_some = lambda pool: st.lists(st.sampled_from(pool), min_size=1, max_size=2,  # noqa: E731
                              unique=True)


@st.composite
def conditions(draw, depth: int = 0) -> str:
    choice = draw(st.integers(0, 4 if depth < 2 else 1))
    if choice == 0:
        return draw(st.sampled_from(BOOL_FACTS))
    if choice == 1:
        return f"subject_age {draw(st.sampled_from(['<', '>=', '==']))} {draw(st.integers(10, 20))}"
    if choice == 2:
        return f"not {draw(conditions(depth + 1))}"
    word = "and" if choice == 3 else "or"
    return f"({draw(conditions(depth + 1))} {word} {draw(conditions(depth + 1))})"


@st.composite
def clauses(draw, index: int) -> str:
    kind = draw(st.sampled_from(("collection", "use", "sharing", "retention", "notification",
                                 "right", "prohibition", "security")))
    lines = [f"{kind} c{index}"]

    def maybe(field: str, pool: tuple[str, ...]) -> None:
        if draw(st.booleans()):
            lines.append(f"  {field} {', '.join(draw(_some(pool)))}")

    data = ", ".join(draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3,
                                   unique=True)))
    verb = {"collection": "collect", "use": "use", "sharing": "share", "retention": "keep"}
    if kind in verb:
        lines.append(f"  {verb[kind]} {data}")
    if kind == "prohibition":
        verbs = draw(st.lists(st.sampled_from(("collect", "use", "share", "keep")),
                              min_size=1, max_size=2, unique=True))
        lines.append(f"  never {', '.join(verbs)} {data}")
    if kind == "security":
        lines.append(f"  {draw(st.sampled_from(('encrypt', 'protect')))} {data}")
        states = draw(st.lists(st.sampled_from(("in transit", "at rest")), min_size=1,
                               max_size=2, unique=True))
        lines += [f"  {s}" for s in states]
        return "\n".join(lines + ["end"])
    maybe("from", SUBJECTS)
    if kind in ("sharing", "prohibition"):
        maybe("with", RECIPIENTS)
    maybe("for", PURPOSES)
    if kind == "notification" or draw(st.booleans()):
        maybe("on", EVENTS)
    if kind in ("notification", "right"):
        maybe("via", CHANNELS)
    if kind == "notification" and draw(st.booleans()):
        lines.append("  before")
    if kind == "right":
        lines.append(f"  grants {', '.join(draw(_some(RIGHTS)))}")
    if kind == "collection" and draw(st.booleans()):
        lines.append(f"  method {', '.join(draw(_some(METHODS)))}")
    if kind == "retention":
        lines.append(draw(st.sampled_from(("  indefinitely", "  for 30 days",
                                           "  until session_end"))))
    if draw(st.booleans()):
        lines.append(f"  {draw(st.sampled_from(('if', 'unless')))} {draw(conditions())}")
    if kind not in ("prohibition",) and draw(st.booleans()):
        lines.append(f"  consent {draw(st.sampled_from(('opt-in', 'opt-out', 'none')))}")
    if kind not in ("prohibition",) and draw(st.booleans()):
        lines.append('  must "keep a record"')
    return "\n".join(lines + ["end"])


@st.composite
def policies(draw) -> str:
    count = draw(st.integers(1, 8))
    return DEFINES + "\n".join(draw(clauses(i)) for i in range(count)) + "\n"


@st.composite
def actions(draw) -> dict:
    kind = draw(st.sampled_from(("collect", "use", "share", "retain", "notify", "exercise")))
    action: dict = {"action": kind}
    if kind in ("collect", "use", "share", "retain") or draw(st.booleans()):
        action["data"] = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3,
                                       unique=True))
    for field, pool in (("subject", SUBJECTS), ("recipient", RECIPIENTS),
                        ("purpose", PURPOSES), ("event", EVENTS), ("channel", CHANNELS),
                        ("method", METHODS)):
        if kind in m.DIMENSION[field].actions and draw(st.booleans()):
            action[field] = draw(st.sampled_from(pool))
    if kind == "exercise":
        action["right"] = draw(st.sampled_from(RIGHTS))
    if kind == "retain":
        period = draw(st.sampled_from(("days", "until", None)))
        if period == "days":
            action["days"] = draw(st.integers(0, 60))
        elif period == "until":
            action["until"] = draw(st.sampled_from(("session_end", "merger")))
    context = draw(st.dictionaries(st.sampled_from(BOOL_FACTS), st.booleans(), max_size=5))
    if draw(st.booleans()):
        context["subject_age"] = draw(st.integers(8, 25))
    action["context"] = context
    return action


_compiled: dict[str, CompiledPolicy] = {}


def compiled_policy(text: str) -> CompiledPolicy:
    if text not in _compiled:
        loaded = load_policy("<generated>", reader=lambda path: text)
        _compiled[text] = CompiledPolicy(loaded.policy, loaded.vocabulary)
    return _compiled[text]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=policies(), raw_actions=st.lists(actions(), min_size=1, max_size=6))
def test_indexed_and_unindexed_decisions_are_equal(text: str, raw_actions: list[dict]) -> None:
    compiled = compiled_policy(text)
    for raw in raw_actions:
        action = parse_action(raw, compiled.vocabulary)
        assert decide(compiled, action, indexed=True) == decide(compiled, action, indexed=False)


def test_generated_policies_are_valid_and_decide_both_ways() -> None:
    """The generator itself: its policies load, and both effects occur over its actions."""
    effects = set()

    @settings(max_examples=150, deadline=None, database=None)
    @given(text=policies(), raw=actions())
    def run(text: str, raw: dict) -> None:
        compiled = compiled_policy(text)
        effects.add(decide(compiled, parse_action(raw, compiled.vocabulary)).effect)

    run()
    assert effects == {"allow", "deny"}


# ------------------------------------------- prohibitions: triggers and exceptions

SHARE_AND_BAN = """
    sharing partners
      share user.contact.email
      with partner
    end

    prohibition no-promotion
      never share user.contact
      for marketing
      unless consent
    end

    prohibition no-children
      never share user
      if subject_age < 13
    end
"""


def test_missing_exception_does_not_lift_a_prohibition(tmp_path: Path) -> None:
    engine = policy(tmp_path, SHARE_AND_BAN)
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "partner", "purpose": "marketing"})
    assert decision.effect == "deny"
    [forbid] = reasons_of(decision, "forbids")
    assert forbid.clause == "no-promotion"
    assert forbid.missing == ("consent",)
    assert "consent" in forbid.needs


def test_exception_known_to_hold_lifts_the_prohibition(tmp_path: Path) -> None:
    engine = policy(tmp_path, SHARE_AND_BAN)
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "partner", "purpose": "marketing",
                             "context": {"consent": True}})
    assert decision.effect == "allow"


def test_missing_trigger_fact_is_only_an_assumption(tmp_path: Path) -> None:
    engine = policy(tmp_path, SHARE_AND_BAN)
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "partner", "purpose": "essential.service"})
    assert decision.effect == "allow"
    [note] = reasons_of(decision, "assumes")
    assert (note.clause, note.missing) == ("no-children", ("subject_age",))


def test_unstated_dimension_does_not_escape_a_prohibition(tmp_path: Path) -> None:
    engine = policy(tmp_path, SHARE_AND_BAN)
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "partner"})
    assert decision.effect == "deny"
    [forbid] = reasons_of(decision, "forbids")
    assert forbid.clause == "no-promotion"
    assert "purpose other than marketing" in forbid.needs
    stated = engine.check({"action": "share", "data": ["user.contact.email"],
                           "recipient": "partner", "purpose": "essential.service"})
    assert stated.effect == "allow"


def test_forbid_needs_are_alternatives_in_the_explanation(tmp_path: Path) -> None:
    engine = policy(tmp_path, SHARE_AND_BAN)
    decision = engine.check({"action": "share", "data": ["user.contact.email"],
                             "recipient": "partner"})
    [unmet] = [u for u in engine.explain(decision)["unmet"] if u["clause"] == "no-promotion"]
    assert unmet["needs"] == "consent or purpose other than marketing"


def test_unless_in_a_prohibition_is_kept_as_its_exception(tmp_path: Path) -> None:
    engine = policy(tmp_path, SHARE_AND_BAN)
    clause = engine.model.clause("no-promotion")
    assert isinstance(clause, m.Prohibition)
    assert clause.condition is None
    assert clause.exception == m.FactIsTrue(fact="consent")
