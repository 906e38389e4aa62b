"""Choices, rights and audiences that change decisions (issue 10).

Each test writes a small policy as an editor would and decides actions on both sides
of what the construct says: a choice scopes the fact it sets, an opt-out stops what it
covers from its day on, an exercised right stops what it says, a rule for residents of
a region applies only to them, Do Not Track is honored when the header says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import clausewise
from clausewise import model as m
from clausewise.errors import ActionError, PolicyError
from clausewise.lowering import rules

POLICY = '''policy "Example"
  do-not-track honored
end

sharing partners
  share user.name, user.contact.email, user.contact.phone_number
  with partner
  for marketing
  consent opt-in
end

choice partner-box
  consent opt-in
  controls share user.name, user.contact.email
  with partner
  via consent_form
  at "https://example.com/consent"
end

use newsletter
  use user.contact.email
  for marketing.communications
end

choice unsubscribe
  consent opt-out
  controls use user.contact.email
  for marketing.communications
  via email_link
end

right delete-account
  grants deletion
  over user
  via email
  by data_subject, parent
  within 30 days
  then never keep, use
  sets deleted
  except for residual_backup
end

right deactivate
  grants deactivation
  via web_notice
  then never notify
  sets deactivated
end

notification announcements
  on service_announcement
  notify customer
  via email
end

retention keep-all
  keep user
  indefinitely
end

collection tracking
  collect user.device
  through other_sites
end

choice continued-use
  consent opt-in
  controls use user
  on policy_change
  by "continuing to use the service after the change"
end

use under-new-policy
  use user
  for essential
  on policy_change
end

right ccpa-opt-out
  grants opt_out_of_sale
  residents california
  via web_form
end
'''


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> clausewise.Engine:
    path = tmp_path_factory.mktemp("choices") / "p.policy"
    path.write_text(POLICY, encoding="utf-8")
    return clausewise.load(path)


def effect(e: clausewise.Engine, **action) -> str:
    return e.check(action).effect


PARTNER = dict(action="share", recipient="partner", purpose="marketing")


# ------------------------------------------------------------------ choices
def test_consent_through_a_choice_is_consent_to_what_it_covers_only(engine) -> None:
    assert effect(engine, **PARTNER, data=["user.name", "user.contact.email"],
                  choices={"partner-box": "in"}) == "allow"
    assert effect(engine, **PARTNER, data=["user.contact.phone_number"],
                  choices={"partner-box": "in"}) == "deny"
    assert effect(engine, **PARTNER, data=["user.name", "user.contact.phone_number"],
                  choices={"partner-box": "in"}) == "deny"


def test_an_opt_in_choice_denies_what_it_covers_until_the_person_opts_in(engine) -> None:
    assert effect(engine, **PARTNER, data=["user.name"]) == "deny"
    assert effect(engine, **PARTNER, data=["user.name"], choices={"partner-box": "out"}) == "deny"
    decision = engine.check({**PARTNER, "data": ["user.name"]})
    assert "partner-box" in decision.clause_ids


def test_an_opt_out_stops_what_it_covers_from_its_day_on(engine) -> None:
    use = dict(action="use", data=["user.contact.email"], purpose="marketing.communications")
    out = {"unsubscribe": {"made": "out", "date": "2026-03-01"}}
    assert effect(engine, **use) == "allow"
    assert effect(engine, **use, choices=out, context={"date": "2026-04-01"}) == "deny"
    assert effect(engine, **use, choices=out, context={"date": "2026-02-01"}) == "allow"
    assert effect(engine, **use, choices={"unsubscribe": "in"}) == "allow"
    # the opt-out covers the newsletter's purpose, not another use of the address
    assert effect(engine, action="use", data=["user.contact.email"], purpose="essential",
                  choices=out) == "deny"  # no permission for it either way
    assert "unsubscribe" in engine.check({**use, "choices": out}).clause_ids


def test_a_choice_made_by_conduct_denies_only_a_known_refusal(engine) -> None:
    use = dict(action="use", data=["user.name"], purpose="essential", event="policy_change")
    assert effect(engine, **use) == "allow"
    assert effect(engine, **use, context={"consent": False}) == "deny"
    decision = engine.check(use)
    assert "continued-use" in {r.clause for r in decision.reasons}


def test_a_record_naming_no_such_clause_is_a_located_error(engine) -> None:
    with pytest.raises(ActionError) as caught:
        engine.check({**PARTNER, "data": ["user.name"], "choices": {"partner-bx": "in"}})
    [d] = caught.value.diagnostics
    assert d.code == "unknown-clause" and "did you mean `partner-box`" in (d.help or "")
    with pytest.raises(ActionError):
        engine.check({**PARTNER, "data": ["user.name"], "exercised": {"partners": True}})
    with pytest.raises(ActionError):
        engine.check({**PARTNER, "data": ["user.name"], "choices": {"partner-box": "maybe"}})


# ------------------------------------------------------------------- rights
def test_after_deletion_keeping_the_data_is_denied_but_residual_backups(engine) -> None:
    keep = dict(action="retain", data=["user.name"])
    assert effect(engine, **keep) == "allow"
    assert effect(engine, **keep, exercised={"delete-account": True}) == "deny"
    assert effect(engine, **keep, exercised={"delete-account": "2026-03-01"},
                  context={"date": "2026-01-01"}) == "allow"
    assert effect(engine, **keep, purpose="residual_backup",
                  exercised={"delete-account": True}) == "allow"
    assert "delete-account.after" in engine.check(
        {**keep, "exercised": {"delete-account": True}}).clause_ids


def test_after_deactivation_announcements_stop(engine) -> None:
    notice = dict(action="notify", event="service_announcement", subject="customer",
                  channel="email")
    assert effect(engine, **notice) == "allow"
    assert effect(engine, **notice, exercised={"deactivate": True}) == "deny"


def test_a_right_answered_within_days_carries_the_duty(engine) -> None:
    decision = engine.check(dict(action="exercise", right="deletion", channel="email",
                                 actor="data_subject"))
    assert decision.effect == "allow"
    [duty] = [d.obligation for d in decision.obligations]
    assert isinstance(duty, m.NotifyDuty) and duty.timing.days == 30
    assert effect(engine, action="exercise", right="deletion", channel="phone",
                  actor="data_subject") == "deny"


def test_a_right_names_its_data_and_who_may_exercise_it(engine) -> None:
    ask = dict(action="exercise", right="deletion", channel="email")
    assert effect(engine, **ask, actor="data_subject", data=["user.contact.email"]) == "allow"
    assert effect(engine, **ask) == "deny"  # who asks is not known: fail closed
    assert effect(engine, **ask, actor="parent") == "allow"
    assert effect(engine, **ask, actor="team_admin") == "deny"


# ---------------------------------------------------------------- audiences
def test_a_rule_for_residents_of_a_region_applies_only_to_them(engine) -> None:
    ask = dict(action="exercise", right="opt_out_of_sale", channel="web_form")
    assert effect(engine, **ask, residence="california") == "allow"
    assert effect(engine, **ask, residence="canada") == "deny"
    assert effect(engine, **ask) == "deny"  # not known to live there: fail closed


# ------------------------------------------------------------ do not track
def test_do_not_track_honored_denies_tracking_to_a_person_who_sends_it(engine) -> None:
    track = dict(action="collect", data=["user.device.cookie_id"], source="other_sites")
    assert effect(engine, **track) == "allow"
    assert effect(engine, **track, context={"dnt": False}) == "allow"
    decision = engine.check({**track, "context": {"dnt": True}})
    assert decision.effect == "deny" and "do-not-track" in decision.clause_ids


def test_do_not_track_ignored_or_unsaid_decides_nothing(tmp_path: Path) -> None:
    for header in ('policy "E"\n  do-not-track ignored\nend\n', 'policy "E"\nend\n'):
        path = tmp_path / "p.policy"
        path.write_text(header + "collection t\n  collect user.device\n  through other_sites\n"
                        "end\n", encoding="utf-8")
        e = clausewise.load(path)
        assert e.check(dict(action="collect", data=["user.device.cookie_id"],
                            source="other_sites", context={"dnt": True})).effect == "allow"


# ----------------------------------------------------------- derived rules
def test_choices_rights_and_dnt_are_derived_prohibitions_pointing_at_their_clause(engine) -> None:
    derived = {c.id: c for c in rules(engine.model) if isinstance(c, m.Prohibition)}
    assert derived["partner-box"].origin == "choice"
    assert derived["partner-box"].exception == m.FactIsTrue(fact="consent")
    assert "channel" not in dict(derived["partner-box"].terms)  # how it is made, not scope
    assert derived["unsubscribe"].condition == m.FactIsTrue(fact="opted_out")
    assert derived["continued-use"].condition == m.Not(operand=m.FactIsTrue(fact="consent"))
    assert derived["delete-account.after"].actions == ("retain", "use")
    assert derived["delete-account.after"].source_clause == "delete-account"
    assert derived["do-not-track"].origin == "do-not-track"
    assert [c.id for c in engine.model.clauses if c.id in derived] == \
        ["partner-box", "unsubscribe", "continued-use"]  # the author's clauses stay as written


@pytest.mark.parametrize("text, code, line", [
    ("choice c\n  controls use user\nend\n", "missing-field", 3),
    ("choice c\n  consent none\n  controls use user\nend\n", "bad-value", 3),
    ("choice c\n  consent opt-out\nend\n", "missing-field", 3),
    ("choice c\n  consent opt-out\n  controls use user\n  by \"silence\"\nend\n", "bad-value", 3),
    ("right r\n  grants deletion\n  then never keep\nend\n", "missing-field", 3),
    ("choice c\n  consent opt-out\n  controls use user\n  sets opted_otu\nend\n",
     "unknown-fact", 3),
    ("use u\n  use user\n  controls use user\nend\n", "field-not-allowed", 5),
])
def test_mistakes_in_choices_and_rights_are_located(tmp_path: Path, text: str, code: str,
                                                   line: int) -> None:
    path = tmp_path / "p.policy"
    path.write_text('policy "E"\nend\n' + text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        clausewise.load(path)
    assert [(d.code, d.span.line) for d in caught.value.diagnostics][:1] == [(code, line)]


# ------------------------------------------------------- duties passed on
PASSED = '''policy "Example"
end

sharing providers
  share user.contact.email
  with service_provider
  for essential
  recipients never use, share for marketing
end

use our-marketing
  use user.contact.email
  for marketing
end
'''


def test_a_duty_passed_to_recipients_rides_with_the_share_and_decides_their_use(
        tmp_path: Path) -> None:
    path = tmp_path / "p.policy"
    path.write_text(PASSED, encoding="utf-8")
    e = clausewise.load(path)
    share = e.check(dict(action="share", data=["user.contact.email"],
                         recipient="service_provider", purpose="essential"))
    assert share.effect == "allow"
    assert [d.clause for d in share.obligations] == ["providers"]
    own = dict(action="use", data=["user.contact.email"], purpose="marketing")
    assert effect(e, **own, recipient="first_party") == "allow"  # our own use
    assert effect(e, **own) == "allow"  # a use that names no recipient is our own
    theirs = e.check({**own, "recipient": "service_provider"})
    assert theirs.effect == "deny" and theirs.clause_ids == ("providers.duty",)
    assert effect(e, **own, recipient="partner") == "allow"  # not bound by this share


def test_a_choice_is_published_with_its_channel_and_its_address_as_a_link() -> None:
    from clausewise.loader import load
    from clausewise.renderers import render

    kareo = load(str(Path(__file__).parent.parent / "rules" / "kareo.policy"))
    markdown = render(kareo, "markdown")
    html = render(kareo, "html")
    assert "by the Google advertising opt-out page (<http://www.google.com/privacy_ads.html>)" \
        in markdown
    assert '<a href="http://www.google.com/privacy_ads.html">' in html
    assert "(<mailto:privacy@kareo.com>)" in markdown
    # an address that could break out of a link is said as text, never linked
    from clausewise.renderers.glance import link
    assert link("javascript:alert(1)") == "" and link("http://x/a) [b](c") == ""


# ------------------------------------------- records that must not open a door
TWO_CHOICES = '''policy "Example"
end

sharing s
  share user
  with partner, advertiser
  for marketing
end

sharing sold
  sell user.contact
  with partner
  for marketing
  consent opt-in
end

choice a
  consent opt-in
  controls share user
end

choice b
  consent opt-in
  controls share user.contact.email
  with advertiser
end

use ours
  use user
  for marketing
end

choice conduct
  consent opt-in
  controls use user
  for marketing
  by "continuing"
end

choice other
  consent opt-in
  controls use user.financial
end
'''


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> clausewise.Engine:
    path = tmp_path_factory.mktemp("two") / "p.policy"
    path.write_text(TWO_CHOICES, encoding="utf-8")
    return clausewise.load(path)


def test_every_opt_in_that_reaches_an_action_must_be_made(two) -> None:
    email = dict(action="share", data=["user.contact.email"], recipient="advertiser",
                 purpose="marketing")
    assert effect(two, **email, choices={"a": "in", "b": "out"}) == "deny"
    assert effect(two, **email, choices={"a": "in"}) == "deny"  # b, which governs it, not made
    assert effect(two, **email, choices={"a": "in", "b": "in"}) == "allow"
    name = dict(action="share", data=["user.name"], recipient="partner", purpose="marketing")
    assert effect(two, **name, choices={"a": "in"}) == "allow"  # b does not reach it


def test_an_opt_in_to_sharing_is_no_consent_to_selling(two) -> None:
    # `sold` needs consent: an opt-in recorded for sharing (choice a) does not give it
    sell = dict(action="sell", data=["user.contact.email"], recipient="partner",
                purpose="marketing")
    assert effect(two, **sell, choices={"a": "in"}) == "deny"
    assert effect(two, **sell, context={"consent": True}) == "allow"


def test_a_dated_opt_in_needs_an_action_known_to_come_after_it(two) -> None:
    name = dict(action="share", data=["user.name"], recipient="partner", purpose="marketing")
    dated = {"a": {"made": "in", "date": "2026-03-01"}}
    assert effect(two, **name, choices=dated) == "deny"  # undated: may come before
    assert effect(two, **name, choices=dated, context={"date": "2026-03-02"}) == "allow"
    assert effect(two, **name, choices=dated, context={"date": "2026-02-28"}) == "deny"


def test_an_unrelated_record_is_no_refusal_of_a_choice_made_by_conduct(two) -> None:
    use = dict(action="use", data=["user.contact.email"], purpose="marketing")
    assert effect(two, **use) == "allow"
    assert effect(two, **use, choices={"other": "in"}) == "allow"
    assert effect(two, **use, choices={"conduct": "out"}) == "deny"


@pytest.mark.parametrize("record", [
    {"choices": {"partner-box": {"made": "in", "date": "2026-02-30"}}},
    {"exercised": {"delete-account": "2026-99-99"}},
])
def test_a_record_day_that_is_no_calendar_day_is_an_error(engine, record) -> None:
    with pytest.raises(ActionError) as caught:
        engine.check({**PARTNER, "data": ["user.name"], **record})
    assert caught.value.diagnostics[0].code == "fact-type"


# ------------------------------------------------------ in a developer's words
def test_a_decision_says_which_choice_or_right_it_turned_on(engine) -> None:
    use = dict(action="use", data=["user.contact.email"], purpose="marketing.communications")
    out = engine.explain_text(engine.check({**use, "choices": {
        "unsubscribe": {"made": "out", "date": "2026-03-01"}}}))
    assert "the person opted out of using `user.contact.email` for `marketing.communications`" \
        " through a link within the email on 2026-03-01" in out
    assert "choice `unsubscribe`" in out
    share = engine.explain_text(engine.check({**PARTNER, "data": ["user.name"]}))
    assert "to allow it, the person must opt in through the choice offered when you sign up " \
        "(https://example.com/consent)" in share
    kept = engine.explain_text(engine.check(dict(action="retain", data=["user.name"],
                                                 exercised={"delete-account": "2026-01-05"})))
    assert "the person exercised `deletion` (right `delete-account`) on 2026-01-05, which " \
        "stops keeping and using" in kept


def test_why_a_choice_applied_reads_its_derived_rule(engine) -> None:
    from clausewise.engine.action import parse_action
    from clausewise.engine.why import why_clause

    action = parse_action({**PARTNER, "data": ["user.name"]}, engine.vocabulary)
    lines = why_clause(engine.compiled, action, engine.check(action), "partner-box")
    assert lines[0].startswith("choice `partner-box`")
    assert any("it forbids this action" in line for line in lines)


def test_a_request_answered_later_than_the_right_promises_is_denied(engine) -> None:
    ask = dict(action="exercise", right="deletion", channel="email", actor="data_subject")
    assert effect(engine, **ask, days=30) == "allow"
    late = engine.check({**ask, "days": 45})
    assert late.effect == "deny"
    assert "answer within 30 days (`delete-account` promises that)" in engine.explain_text(late)
