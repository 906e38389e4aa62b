"""Every OPP-115 data practice as structure (issue 9).

The OPP-115 annotation scheme (Wilson et al., ACL 2016) is the public checklist of what
privacy policies say: 10 categories of data practice, each with attributes and their
values. For each value this test writes a clause that states it, and decides an action
it allows and one it denies (or, for values that decide no action, checks the structure
the model keeps). The list is the scheme's own, written out here so that the test
depends on nothing outside the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import clausewise
from clausewise import model as m

HEADER = 'policy "OPP-115"\nend\n'
A = dict  # an action

# (category, attribute, value, policy text, an action it allows, an action it denies)
WALK: list[tuple[str, str, str, str, dict | None, dict | None]] = []


def row(category: str, attribute: str, value: str, text: str, allows: dict | None,
        denies: dict | None) -> None:
    WALK.append((category, attribute, value, text, allows, denies))


COLLECT = "collection c\n  collect user\n{}\nend\n"
# ------------------------------------------------- 1. First Party Collection/Use
for value, line, source, other in [
        ("Collect on website", "through web_site", "web_site", "mobile_app"),
        ("Collect in mobile app", "through mobile_app", "mobile_app", "web_site"),
        ("Collect on mobile website", "through mobile_site", "mobile_site", "mobile_app"),
        ("Collect from user on other websites", "through other_sites\n  method provided",
         "other_sites", "web_site"),
        ("Receive from other parts of company/affiliates", "through affiliates", "affiliates",
         "third_parties"),
        ("Receive from other service/third-party (unnamed)", "through third_parties",
         "third_parties", "affiliates"),
        ("Receive from other service/third-party (named)", "through google_analytics",
         "google_analytics", "third_parties")]:
    named = 'define source google_analytics "Google Analytics" under third_parties\n'
    row("First Party Collection/Use", "Action First-Party", value, named + COLLECT.format(
        "  " + line), A(action="collect", data=["user.name"], source=source,
                        method="provided" if "provided" in line else None),
        A(action="collect", data=["user.name"], source=other))
row("First Party Collection/Use", "Action First-Party", "Track user on other websites",
    COLLECT.format("  through other_sites\n  method cookies"),
    A(action="collect", data=["user.device.cookie_id"], source="other_sites", method="cookies"),
    A(action="collect", data=["user.device.cookie_id"], source="other_sites", method="provided"))
for value, key in [("Financial", "user.financial"), ("Health", "user.health_and_medical"),
                   ("Contact", "user.contact"), ("Location", "user.location"),
                   ("Demographic", "user.demographic"), ("Personal identifier", "user.unique_id"),
                   ("User online activities", "user.behavior"),
                   ("User profile", "user.demographic.profile"),
                   ("Social media data", "user.social"),
                   ("IP address and device IDs", "user.device.ip_address"),
                   ("Cookies and tracking elements", "user.device.cookie_id"),
                   ("Computer information", "user.device"), ("Survey data", "user.content.private"),
                   ("Generic personal information", "user")]:
    row("First Party Collection/Use", "Personal Information Type", value,
        f"collection c\n  collect {key}\nend\n", A(action="collect", data=[key]),
        A(action="collect", data=["system.operations" if key == "user" else "user.biometric"]))
for value, key in [("Basic service/feature", "essential.service"),
                   ("Additional service/feature", "functional.service"),
                   ("Advertising", "marketing.advertising"), ("Marketing", "marketing"),
                   ("Analytics/Research", "analytics"),
                   ("Personalization/Customization", "personalize"),
                   ("Service operation and security", "essential.service.security"),
                   ("Legal requirement", "essential.legal_obligation"),
                   ("Merger/Acquisition", "merger_acquisition")]:
    other = "sales" if key != "sales" else "analytics"
    row("First Party Collection/Use", "Purpose", value,
        f"use u\n  use user\n  for {key}\nend\n", A(action="use", data=["user.name"], purpose=key),
        A(action="use", data=["user.name"], purpose=other))
row("First Party Collection/Use", "Does/Does Not", "Does", "use u\n  use user.location\nend\n",
    A(action="use", data=["user.location"]), A(action="use", data=["user.financial"]))
row("First Party Collection/Use", "Does/Does Not", "Does Not",
    "use u\n  use user\nend\nprohibition p\n  never use user.location\nend\n",
    A(action="use", data=["user.name"]), A(action="use", data=["user.location"]))
row("First Party Collection/Use", "Collection Mode", "Explicit", COLLECT.format("  method provided"),
    A(action="collect", data=["user.name"], method="provided"),
    A(action="collect", data=["user.name"], method="automatic"))
row("First Party Collection/Use", "Collection Mode", "Implicit", COLLECT.format("  method automatic"),
    A(action="collect", data=["user.device"], method="automatic"),
    A(action="collect", data=["user.device"], method="provided"))
row("First Party Collection/Use", "Identifiability", "Identifiable",
    "use u\n  use user\n  if linked\nend\n",
    A(action="use", data=["user.name"], context={"linked": True}),
    A(action="use", data=["user.name"], context={"linked": False}))
row("First Party Collection/Use", "Identifiability", "Aggregated or anonymized",
    "use u\n  use user\n  if aggregated\nend\n",
    A(action="use", data=["user.name"], context={"aggregated": True}),
    A(action="use", data=["user.name"], context={"aggregated": False}))
row("First Party Collection/Use", "User Type", "User without account",
    "use u\n  use user\n  of anonymous_user\nend\n",
    A(action="use", data=["user.device"], subject="anonymous_user"),
    A(action="use", data=["user.device"], subject="customer"))
row("First Party Collection/Use", "User Type", "User with account",
    "use u\n  use user\n  of customer\nend\n",
    A(action="use", data=["user.device"], subject="customer"),
    A(action="use", data=["user.device"], subject="anonymous_user"))

# ----------------------------------------------- 2. Third Party Sharing/Collection
SHARE = "sharing s\n  share user\n  with {}\nend\n"
for value, text, recipient, other in [
        ("Unnamed third party", SHARE.format("service_provider"), "service_provider", "public"),
        ("Named third party",
         'define recipient acme_mail "Acme Mail Inc." under service_provider\n'
         + SHARE.format("acme_mail"), "acme_mail", "service_provider"),
        ("Other part of company/affiliate", SHARE.format("affiliate"), "affiliate", "partner"),
        ("Other users", SHARE.format("other_users"), "other_users", "public"),
        ("Public", SHARE.format("public"), "public", "other_users")]:
    row("Third Party Sharing/Collection", "Third Party Entity", value, text,
        A(action="share", data=["user.name"], recipient=recipient),
        A(action="share", data=["user.name"], recipient=other))
row("Third Party Sharing/Collection", "Action Third Party", "Receive/Shared with",
    SHARE.format("partner"), A(action="share", data=["user.name"], recipient="partner"),
    A(action="sell", data=["user.name"], recipient="partner"))
row("Third Party Sharing/Collection", "Action Third Party", "Collect on first party website/app",
    COLLECT.format("  method third_party\n  through web_site"),
    A(action="collect", data=["user.device"], method="third_party", source="web_site"),
    A(action="collect", data=["user.device"], method="third_party", source="other_sites"))
row("Third Party Sharing/Collection", "Action Third Party", "Track on first party website/app",
    'define method third_party_cookies "cookies of third parties" under third_party\n'
    + COLLECT.format("  method third_party_cookies\n  through web_site"),
    A(action="collect", data=["user.device.cookie_id"], method="third_party_cookies",
      source="web_site"),
    A(action="collect", data=["user.device.cookie_id"], method="third_party", source="web_site"))
row("Third Party Sharing/Collection", "Action Third Party", "See",
    "use u\n  use user.content.public\n  by other_users\nend\n",
    A(action="use", data=["user.content.public"], actor="other_users"),
    A(action="use", data=["user.content.private"], actor="other_users"))

# -------------------------------------------------------- 3. User Choice/Control
SCOPED_USE = "use u\n  use user.contact\n  for marketing\nend\n"
for value, channel in [("Dont use service/feature", "not_using"), ("Opt-out link", "opt_out_link"),
                       ("Opt-out via contacting company", "email"),
                       ("First-party privacy controls", "privacy_settings"),
                       ("Third-party privacy controls", "third_party_page"),
                       ("Browser/device privacy controls", "browser_settings")]:
    row("User Choice/Control", "Choice Type", value, SCOPED_USE
        + f"choice c\n  consent opt-out\n  controls use user.contact\n  for marketing\n"
          f"  via {channel}\nend\n",
        A(action="use", data=["user.contact.email"], purpose="marketing", choices={"c": "in"}),
        A(action="use", data=["user.contact.email"], purpose="marketing", choices={"c": "out"}))
row("User Choice/Control", "Choice Type", "Opt-in", SCOPED_USE
    + "choice c\n  consent opt-in\n  controls use user.contact\n  for marketing\n"
      "  via consent_form\nend\n",
    A(action="use", data=["user.contact.email"], purpose="marketing", choices={"c": "in"}),
    A(action="use", data=["user.contact.email"], purpose="marketing"))
for value, verbs, action in [("First party collection", "collect", "collect"),
                             ("First party use", "use", "use"),
                             ("Third party sharing/collection", "share", "share"),
                             ("Third party use", "use", "use")]:
    third = "\n  with partner" if value.startswith("Third") else ""
    permit = {"collect": "collection p\n  collect user\nend\n",
              "use": "use p\n  use user\nend\n",
              "share": "sharing p\n  share user\n  with partner\nend\n"}[action]
    if value == "Third party use":
        permit = "use p\n  use user\n  with partner\nend\n"
    row("User Choice/Control", "Choice Scope", value,
        permit + f"choice c\n  consent opt-out\n  controls {verbs} user{third}\n"
                 "  via opt_out_link\nend\n",
        A(action=action, data=["user.name"], **({"recipient": "partner"} if third else {})),
        A(action=action, data=["user.name"], context={"opted_out": True},
          **({"recipient": "partner"} if third else {})))

# ---------------------------------------------- 4. User Access, Edit and Deletion
for value, right, over in [("View", "access", "user"), ("Export", "portability", "user"),
                           ("Edit information", "correction", "user"),
                           ("Deactivate account", "deactivation", "user.account"),
                           ("Delete account (partial)", "deletion", "user.content"),
                           ("Delete account (full)", "deletion", "user")]:
    row("User Access, Edit and Deletion", "Access Type", value,
        f"right r\n  grants {right}\n  over {over}\n  via web_form\nend\n",
        A(action="exercise", right=right, channel="web_form", data=[over]),
        A(action="exercise", right=right, channel="web_form",
          data=["system.operations" if over == "user" else "user.financial"]))
row("User Access, Edit and Deletion", "Access Type", "None", "right r\n  grants correction\n"
    "  via phone\nend\n", A(action="exercise", right="correction", channel="phone"),
    A(action="exercise", right="deletion", channel="phone"))
for value, over in [("User account data", "user.account"),
                    ("Transactional data", "user.behavior.purchase_history"),
                    ("Profile data", "user.demographic.profile"), ("Other data about user", "user")]:
    row("User Access, Edit and Deletion", "Access Scope", value,
        f"right r\n  grants access\n  over {over}\n  via email\nend\n",
        A(action="exercise", right="access", channel="email", data=[over]),
        A(action="exercise", right="access", channel="email", data=["system.operations"]))

# --------------------------------------------------------------- 5. Data Retention
for value, period, kept, longer in [
        ("Indefinitely", "indefinitely", {"days": 100000}, None),
        ("Limited", "as long as needed for essential.service", {"purpose": "essential.service"},
         {"purpose": "marketing"}),
        ("Stated Period", "for 90 days", {"days": 90}, {"days": 91})]:
    row("Data Retention", "Retention Period", value, f"retention r\n  keep user\n  {period}\nend\n",
        A(action="retain", data=["user.name"], **kept),
        A(action="retain", data=["user.financial"], **(longer or kept))
        if longer else A(action="retain", data=["system.operations"], **kept))
for value, purpose in [("Perform service", "essential.service"),
                       ("Legal requirement", "essential.legal_obligation"),
                       ("Analytics/Research", "analytics"),
                       ("Service operation and security", "essential.service.security"),
                       ("Advertising", "marketing.advertising"), ("Marketing", "marketing")]:
    other = "personalize"
    row("Data Retention", "Retention Purpose", value,
        f"retention r\n  keep user\n  as long as needed for {purpose}\nend\n",
        A(action="retain", data=["user.name"], purpose=purpose),
        A(action="retain", data=["user.name"], purpose=other))

# ---------------------------------------------------------------- 6. Data Security
for value, safeguard in [("Secure data transfer", "secure_transfer"),
                         ("Secure user authentication", "secure_authentication"),
                         ("Secure data storage", "secure_storage"),
                         ("Data access limitation", "access_limitation"),
                         ("Privacy training", "privacy_training"),
                         ("Privacy review/audit", "audits"),
                         ("Privacy/Security program", "security_program")]:
    row("Data Security", "Security Measure", value,
        f"collection c\n  collect user\nend\nsecurity s\n  protect user\n  safeguard {safeguard}\nend\n",
        A(action="collect", data=["user.name"]), None)
row("Data Security", "Security Measure", "Generic",
    "collection c\n  collect user\nend\nsecurity s\n  encrypt user\n  in transit\nend\n",
    A(action="collect", data=["user.name"], context={"encrypted": True}),
    A(action="collect", data=["user.name"], context={"encrypted": False}))

# ----------------------------------------------------------------- 7. Policy Change
NOTICE = "notification n\n  on {event}\n  notify customer\n  via {channel}\n  before\nend\n" \
         "use u\n  use user\n  on {event}\nend\n"
for value, event in [("Non-privacy relevant change", "minor_policy_change"),
                     ("Privacy relevant change", "policy_change"),
                     ("In case of merger or acquisition", "merger")]:
    row("Policy Change", "Change Type", value, NOTICE.format(event=event, channel="email"),
        A(action="use", data=["user.name"], event=event, context={"notice_given": True}),
        A(action="use", data=["user.name"], event=event, context={"notice_given": False}))
for value, channel in [("General notice in privacy policy", "policy_page"),
                       ("General notice on website", "web_notice"), ("Personal notice", "email")]:
    row("Policy Change", "Notification Type", value,
        NOTICE.format(event="policy_change", channel=channel),
        A(action="notify", event="policy_change", subject="customer", channel=channel),
        A(action="notify", event="policy_change", subject="customer", channel="phone"))
row("Policy Change", "Notification Type", "No notification",
    "use u\n  use user\n  on policy_change\nend\n",
    A(action="use", data=["user.name"], event="policy_change"),
    A(action="notify", event="policy_change", subject="customer", channel="email"))
CHANGE_USE = "use u\n  use user\n  on policy_change\nend\n"
row("Policy Change", "User Choice", "None", CHANGE_USE,
    A(action="use", data=["user.name"], event="policy_change", context={"consent": False}),
    A(action="use", data=["user.name"], event="merger"))
row("Policy Change", "User Choice", "Opt-out", CHANGE_USE
    + "choice c\n  consent opt-out\n  controls use user\n  on policy_change\n  via email\nend\n",
    A(action="use", data=["user.name"], event="policy_change", context={"opted_out": False}),
    A(action="use", data=["user.name"], event="policy_change", context={"opted_out": True}))
row("Policy Change", "User Choice", "Opt-in", CHANGE_USE
    + "choice c\n  consent opt-in\n  controls use user\n  on policy_change\n  via email\nend\n",
    A(action="use", data=["user.name"], event="policy_change", context={"consent": True}),
    A(action="use", data=["user.name"], event="policy_change"))
row("Policy Change", "User Choice", "User participation",
    "right r\n  grants participation\n  on policy_change\n  via web_form\nend\n",
    A(action="exercise", right="participation", event="policy_change", channel="web_form"),
    A(action="exercise", right="participation", event="policy_change", channel="phone"))

# ------------------------------------------------------------------ 8. Do Not Track
TRACK = "collection t\n  collect user.device\n  through other_sites\nend\n"
TRACKED = A(action="collect", data=["user.device.cookie_id"], source="other_sites",
            context={"dnt": True})
row("Do Not Track", "Do Not Track policy", "Honored",
    'policy "OPP-115"\n  do-not-track honored\nend\n' + TRACK,
    {**TRACKED, "context": {"dnt": False}}, TRACKED)
for value, answer in [("Not honored", "ignored"), ("Mentioned, but unclear if honored", "unclear"),
                      ("Not mentioned", None)]:
    header = f'policy "OPP-115"\n  do-not-track {answer}\nend\n' if answer else HEADER
    row("Do Not Track", "Do Not Track policy", value, header + TRACK, TRACKED,
        A(action="collect", data=["user.device.cookie_id"], source="web_site"))

# ------------------------------------------------ 9. International and Specific Audiences
for value, place, other in [("Californians", "california", "canada"),
                            ("Europeans", "eea", "united_states"),
                            ("Citizens from other countries", "canada", "eu")]:
    row("International and Specific Audiences", "Audience Type", value,
        f"right r\n  grants deletion\n  residents {place}\n  via email\nend\n",
        A(action="exercise", right="deletion", channel="email",
          residence="eu" if place == "eea" else place),
        A(action="exercise", right="deletion", channel="email", residence=other))
row("International and Specific Audiences", "Audience Type", "Children",
    "use u\n  use user\nend\nprohibition kids\n  never collect, use, share user\n"
    "  if subject_age < 13 and not parental_consent\n  must \"promptly delete it\"\nend\n",
    A(action="use", data=["user.name"], context={"subject_age": 12, "parental_consent": True}),
    A(action="use", data=["user.name"], context={"subject_age": 12, "parental_consent": False}))

# --------------------------------------------------------------------- 10. Other
OTHER = {
    "Introductory/Generic": ('policy "OPP-115"\n  text "This policy explains what we do."\nend\n',
                             lambda p: p.header.texts == ("This policy explains what we do.",)),
    "Practice not covered": ("disclaimer links\n  about public\nend\n",
                             lambda p: isinstance(p.clause("links"), m.Disclaimer)),
    "Privacy contact information": ('policy "OPP-115"\n  contact email "privacy@example.com"\nend\n',
                                    lambda p: p.header.contacts[0].value == "privacy@example.com"),
    "Other": ('section "Anything else"\n  text "We may say more here."\n',
              lambda p: p.sections[0].texts == ("We may say more here.",)),
}

CATEGORIES = {"First Party Collection/Use", "Third Party Sharing/Collection", "User Choice/Control",
              "User Access, Edit and Deletion", "Data Retention", "Data Security", "Policy Change",
              "Do Not Track", "International and Specific Audiences"}


def _load(tmp_path: Path, text: str) -> clausewise.Engine:
    path = tmp_path / "p.policy"
    path.write_text(text if text.startswith("policy") else HEADER + text, encoding="utf-8")
    return clausewise.load(path)


@pytest.mark.parametrize("category, attribute, value, text, allows, denies",
                         WALK, ids=[f"{r[1]}: {r[2]}" for r in WALK])
def test_each_value_is_a_clause_that_decides_an_action(tmp_path: Path, category, attribute, value,
                                                       text, allows, denies) -> None:
    engine = _load(tmp_path, text)
    if allows is not None:
        allowed = {k: v for k, v in allows.items() if v is not None}
        assert engine.check(allowed).effect == "allow", engine.explain_text(engine.check(allowed))
    if denies is not None:
        assert engine.check(denies).effect == "deny"
    if allows is None:  # a security measure: it rides along as an obligation of every allow
        decision = engine.check(dict(action="collect", data=["user.name"]))
        assert any(isinstance(d.obligation, m.SafeguardDuty) for d in decision.obligations)


@pytest.mark.parametrize("value", OTHER)
def test_other_practices_are_kept_as_structure(tmp_path: Path, value: str) -> None:
    text, holds = OTHER[value]
    assert holds(_load(tmp_path, text).model)


def test_the_walk_covers_every_category_and_attribute_value_of_the_scheme() -> None:
    seen = {(r[0], r[1], r[2]) for r in WALK}
    assert {r[0] for r in WALK} == CATEGORIES
    expected = {
        "Action First-Party": 8, "Personal Information Type": 14, "Purpose": 9,
        "Does/Does Not": 2, "Collection Mode": 2, "Identifiability": 2, "User Type": 2,
        "Third Party Entity": 5, "Action Third Party": 4, "Choice Type": 7, "Choice Scope": 4,
        "Access Type": 7, "Access Scope": 4, "Retention Period": 3, "Retention Purpose": 6,
        "Security Measure": 8, "Change Type": 3, "Notification Type": 4, "User Choice": 4,
        "Do Not Track policy": 4, "Audience Type": 4,
    }
    counts: dict[str, int] = {}
    for _category, attribute, _value in seen:
        counts[attribute] = counts.get(attribute, 0) + 1
    assert counts == expected
    assert len(OTHER) == 4
