"""rules/kareo.policy says what Kareo's privacy policy of 25 May 2010 says.

The checklist below walks the published policy statement by statement: a short
summary in our words, the clauses that carry it, and a check on their structure
(kind, data, recipients, condition, channels, ...), so that a clause that loses
its meaning fails here even if its id stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from clausewise import model as m
from clausewise.cli import main
from clausewise.loader import Loaded
from clausewise.vocabulary import Vocabulary

KAREO = Path(__file__).resolve().parent.parent / "rules" / "kareo.policy"

ALL_ACTIONS = {"collect", "use", "share", "retain"}


@dataclass(frozen=True)
class Statement:
    says: str
    clauses: tuple[str, ...]
    holds: Callable[[m.Policy, Vocabulary], bool]


def facts(clause: m.AnyClause) -> set[str]:
    return set(m.condition_facts(clause.condition))


def unless(fact: str) -> m.Condition:
    return m.Not(operand=m.FactIsTrue(fact=fact))


def offers(clause: m.AnyClause, right: str, channel: str) -> bool:
    return any(isinstance(o, m.OfferDuty) and o.right == right and channel in o.channels
               for o in clause.obligations)


CHECKLIST = [
    # ------------------------------------------------------------ scope, audience
    Statement(
        "the policy covers the Kareo web site and what Kareo collects and receives",
        (), lambda p, v: "www.kareo.com" in p.header.scope
        and p.header.organization == "Kareo"),
    Statement(
        "children under 13 may not use the service: nothing is collected, used, shared or kept",
        ("no-children",),
        lambda p, v: isinstance(c := p.clause("no-children"), m.Prohibition)
        and set(c.actions) == ALL_ACTIONS and c.data == ("user",)
        and c.condition == m.Comparison(fact="subject_age", op="<", value=13)),
    # ------------------------------------------------------------------- TRUSTe
    Statement(
        "Kareo is a licensee of the TRUSTe Privacy Program",
        (), lambda p, v: p.header.certifications == ("TRUSTe Privacy Program",)),
    Statement(
        "unresolved complaints go to TRUSTe's watchdog page, after contacting Kareo first",
        (), lambda p, v: [(c.name, "watchdog.truste.com" in c.url) for c in p.header.complaints]
        == [("TRUSTe", True)]
        and any("first contact Kareo" in t for t in p.header.texts)),
    Statement(
        "TRUSTe covers only information collected through the web site, not downloaded software",
        ("truste-scope",),
        lambda p, v: isinstance(c := p.clause("truste-scope"), m.Disclaimer)
        and "software downloaded" in c.text),
    # --------------------------------------------------------------- collection
    Statement(
        "no personal information is needed to visit the site; none is collected without choice",
        ("no-identifying-data-on-visit",),
        lambda p, v: isinstance(c := p.clause("no-identifying-data-on-visit"), m.Prohibition)
        and c.actions == ("collect",) and c.events == ("site_visit",)
        and {"user.name", "user.contact", "user.government_id"} <= set(c.data)
        and c.condition is None and c.exception == m.FactIsTrue(fact="consent")),
    Statement(
        "sign-up asks for name, email, phone and the company's demographics and financials",
        ("sign-up",),
        lambda p, v: isinstance(c := p.clause("sign-up"), m.Collection)
        and set(c.data) == {"user.name", "user.contact.email", "user.contact.phone_number",
                            "user.workplace.demographics", "user.workplace.financials"}
        and c.events == ("sign_up",) and c.methods == (m.Method.provided,)
        and c.required is True),
    Statement(
        "a paid subscription asks for credit card or ACH details, for billing",
        ("payment-details",),
        lambda p, v: isinstance(c := p.clause("payment-details"), m.Collection)
        and set(c.data) == {"user.financial.credit_card", "user.financial.bank_account"}
        and c.events == ("paid_subscription",)
        and c.purposes == ("essential.service.payment_processing",)),
    Statement(
        "card and ACH details are stored encrypted in a locked cage at a co-location facility",
        ("payment-storage",),
        lambda p, v: isinstance(c := p.clause("payment-storage"), m.Security)
        and c.measure == "encrypt" and c.states == (m.State.at_rest,)
        and set(c.data) == set(p.clause("payment-details").data)
        and "locked cage" in c.means),
    Statement(
        "server logs automatically record the IP address and the pages requested",
        ("server-logs",),
        lambda p, v: isinstance(c := p.clause("server-logs"), m.Collection)
        and c.methods == (m.Method.automatic,)
        and set(c.data) == {"user.device.ip_address", "user.behavior.page_requests"}),
    # ---------------------------------------------------------------------- use
    Statement(
        "information is used to provide, bill, authenticate, improve, contact and research",
        ("general-purposes",),
        lambda p, v: isinstance(c := p.clause("general-purposes"), m.Use) and c.data == ("user",)
        and {"essential.service", "essential.service.payment_processing",
             "essential.service.authentication", "functional.service.improve",
             "essential.service.contact", "analytics.research"} <= set(c.purposes)
        and c.condition is None),
    Statement(
        "anonymous reporting uses only aggregate data",
        ("anonymous-reporting",),
        lambda p, v: isinstance(c := p.clause("anonymous-reporting"), m.Use)
        and c.purposes == ("analytics.reporting",)
        and c.condition == m.FactIsTrue(fact="aggregated")),
    # ------------------------------------------------------------ communications
    Statement(
        "service announcements are emailed when necessary and cannot be opted out of",
        ("service-announcements",),
        lambda p, v: isinstance(c := p.clause("service-announcements"), m.Notification)
        and c.events == ("service_announcement",) and c.channels == ("email",)
        and c.choice is m.Choice.none),
    Statement(
        "whoever does not want them can deactivate the account",
        ("deactivate-account",),
        lambda p, v: isinstance(c := p.clause("deactivate-account"), m.Right)
        and c.rights == ("deactivation",)),
    Statement(
        "the newsletter uses name and email only for those who subscribe (opt-in)",
        ("newsletter", "newsletter-delivery"),
        lambda p, v: isinstance(c := p.clause("newsletter"), m.Use)
        and set(c.data) == {"user.name", "user.contact.email"}
        and c.choice is m.Choice.opt_in and "opted_out" in facts(c)
        and isinstance(d := p.clause("newsletter-delivery"), m.Notification)
        and d.events == ("newsletter_subscription",) and d.choice is m.Choice.opt_in),
    Statement(
        "every newsletter carries an unsubscribe link",
        ("newsletter-delivery", "newsletter-unsubscribe"),
        lambda p, v: offers(p.clause("newsletter-delivery"), "unsubscribe", "email_link")
        and isinstance(c := p.clause("newsletter-unsubscribe"), m.ChoiceClause)
        and c.choice is m.Choice.opt_out and set(c.actions) == {"use", "notify"}
        and c.rights == ("unsubscribe",) and c.channels == ("email_link",)),
    # ------------------------------------------------------------- IP addresses
    Statement(
        "browsers report IP addresses automatically on every page view",
        ("ip-addresses",),
        lambda p, v: isinstance(c := p.clause("ip-addresses"), m.Collection)
        and c.data == ("user.device.ip_address",) and c.methods == (m.Method.automatic,)),
    Statement(
        "IP addresses are not stored linked to personal identity",
        ("ip-not-linked",),
        lambda p, v: isinstance(c := p.clause("ip-not-linked"), m.Retention)
        and c.data == ("user.device.ip_address",) and c.condition == unless("linked")),
    Statement(
        "IP addresses help diagnose technical problems",
        ("ip-diagnostics",),
        lambda p, v: isinstance(c := p.clause("ip-diagnostics"), m.Use)
        and c.purposes == ("essential.service.operations.support",)),
    Statement(
        "IP addresses estimate visitors per region, in aggregate only",
        ("ip-regions",),
        lambda p, v: isinstance(c := p.clause("ip-regions"), m.Use)
        and c.purposes == ("analytics.reporting.visitor_regions",)
        and facts(c) == {"aggregated"}),
    # ------------------------------------------------------------------ cookies
    Statement(
        "a session cookie is set for the service",
        ("session-cookie",),
        lambda p, v: isinstance(c := p.clause("session-cookie"), m.Collection)
        and c.data == ("user.device.cookie",) and c.methods == (m.Method.cookies,)),
    Statement(
        "the session cookie is removed when the browser closes",
        ("session-cookie-lifetime",),
        lambda p, v: isinstance(c := p.clause("session-cookie-lifetime"), m.Retention)
        and c.data == ("user.device.cookie",) and c.period.until == "session_end"
        and c.period.days is None),
    Statement(
        "other site cookies collect data only in the aggregate",
        ("aggregate-cookies",),
        lambda p, v: isinstance(c := p.clause("aggregate-cookies"), m.Collection)
        and c.methods == (m.Method.cookies,) and c.condition == m.FactIsTrue(fact="aggregated")),
    Statement(
        "a third-party tracking service tracks non-identifying data in the aggregate",
        ("third-party-tracking", "tracking-service"),
        lambda p, v: p.clause("third-party-tracking").methods == (m.Method.third_party,)
        and facts(p.clause("third-party-tracking")) == {"aggregated"}
        and isinstance(s := p.clause("tracking-service"), m.Sharing)
        and s.recipients == ("tracking_service",) and facts(s) == {"aggregated"}
        and "service_provider" in v.ancestors(m.Vocab.recipient, "tracking_service")),
    Statement(
        "third parties place Flash cookies (local shared objects)",
        ("flash-cookies",),
        lambda p, v: isinstance(c := p.clause("flash-cookies"), m.Collection)
        and c.methods == (m.Method.third_party,) and c.data == ("user.device.cookie_id",)
        and "Flash" in c.text),
    Statement(
        "Flash cookies can be prevented in Macromedia's privacy settings panel",
        ("flash-cookie-opt-out",),
        lambda p, v: isinstance(c := p.clause("flash-cookie-opt-out"), m.ChoiceClause)
        and c.choice is m.Choice.opt_out and c.actions == ("collect",)
        and c.rights == ("opt_out",) and c.channels == ("flash_settings",)
        and c.address == "http://www.macromedia.com/"
        and "macromedia.com" in v.label(m.Vocab.channel, "flash_settings")),
    # ---------------------------------------------------------------------- PHI
    Statement(
        "no protected health information is ever provided or shown",
        ("no-phi",),
        lambda p, v: isinstance(c := p.clause("no-phi"), m.Prohibition)
        and set(c.actions) == ALL_ACTIONS and c.data == ("user.health_and_medical",)
        and c.condition is None),
    # ------------------------------------------------------ sharing, disclosure
    Statement(
        "disclosure when required: a subpoena or a violation of the terms of service",
        ("required-disclosure",),
        lambda p, v: isinstance(c := p.clause("required-disclosure"), m.Sharing)
        and c.recipients == ("authority",) and isinstance(c.condition, m.Any_)
        and facts(c) == {"legal_requirement", "terms_violation"}
        and v.facts["terms_violation"].type is m.FactType.bool),
    Statement(
        "aggregate demographic information may go to business partners",
        ("aggregate-demographics",),
        lambda p, v: isinstance(c := p.clause("aggregate-demographics"), m.Sharing)
        and c.recipients == ("partner",) and "user.demographic" in c.data
        and c.condition == m.FactIsTrue(fact="aggregated")),
    Statement(
        "no identifying information (quotes, testimonials) is used without permission",
        ("no-identifying-use-without-permission",),
        lambda p, v: isinstance(c := p.clause("no-identifying-use-without-permission"),
                                m.Prohibition)
        and set(c.actions) == {"use", "share"} and "user.content.testimonial" in c.data
        and c.condition is None and c.exception == m.FactIsTrue(fact="consent")),
    Statement(
        "third-party ad vendors, Google among them, use cookies to target our ads",
        ("ad-vendor-cookies", "ad-vendors"),
        lambda p, v: p.clause("ad-vendor-cookies").methods == (m.Method.third_party,)
        and isinstance(s := p.clause("ad-vendors"), m.Sharing)
        and s.recipients == ("ad_vendor",)
        and "Google" in v.label(m.Vocab.recipient, "ad_vendor")
        and "advertiser" in v.ancestors(m.Vocab.recipient, "ad_vendor")
        and all(p.clause(i).purposes == ("marketing.advertising.third_party.targeted",)
                for i in ("ad-vendor-cookies", "ad-vendors"))),
    Statement(
        "ad targeting stops for whoever opts out on Google's opt-out page",
        ("ad-vendor-cookies", "ad-vendors", "google-ads-opt-out"),
        lambda p, v: p.clause("ad-vendor-cookies").choice is m.Choice.opt_out
        and p.clause("ad-vendors").choice is m.Choice.opt_out
        and p.clause("google-ads-opt-out").rights == ("opt_out",)
        and p.clause("google-ads-opt-out").address == "http://www.google.com/privacy_ads.html"
        and p.clause("google-ads-opt-out").channels == ("google_opt_out_page",)),
    Statement(
        "no renting, selling or sharing for promotion without permission",
        ("no-promotional-sharing",),
        lambda p, v: isinstance(c := p.clause("no-promotional-sharing"), m.Prohibition)
        and c.actions == ("share",) and c.purposes == ("marketing",)
        and {"partner", "advertiser"} <= set(c.recipients)
        # aggregate figures are not personal information, so they are excepted too
        and c.condition is None and c.exception == m.Any_(operands=(
            m.FactIsTrue(fact="consent"), m.FactIsTrue(fact="aggregated")))),
    Statement(
        "with consent, name and email go to selected partners",
        ("partners",),
        lambda p, v: isinstance(c := p.clause("partners"), m.Sharing)
        and c.recipients == ("partner",) and set(c.data) == {"user.name", "user.contact.email"}
        and c.choice is m.Choice.opt_in and "opted_out" in facts(c)),
    Statement(
        "partner sharing can be refused with the sign-up box or by writing to privacy@kareo.com",
        ("partner-sharing-opt-out",),
        lambda p, v: isinstance(c := p.clause("partner-sharing-opt-out"), m.ChoiceClause)
        and c.data == ("user.name", "user.contact.email") and c.recipients == ("partner",)
        and c.rights == ("opt_out",) and set(c.channels) == {"consent_form", "privacy_email"}
        and v.label(m.Vocab.channel, "privacy_email") == "privacy@kareo.com"),
    Statement(
        "information is shared to fight fraud and illegal acts, protect safety, follow the law",
        ("fraud-safety-law", "required-disclosure"),
        lambda p, v: isinstance(c := p.clause("fraud-safety-law"), m.Sharing)
        and {"essential.investigation", "essential.fraud_detection", "essential.safety"}
        <= set(c.purposes) and "authority" in c.recipients
        # "as otherwise required by law" only when the law does require it
        and "essential.legal_obligation" not in c.purposes
        and "essential.legal_obligation" in p.clause("required-disclosure").purposes
        and "legal_requirement" in m.condition_facts(p.clause("required-disclosure").condition)),
    Statement(
        "information is transferred in a merger or acquisition",
        ("merger-transfer",),
        lambda p, v: isinstance(c := p.clause("merger-transfer"), m.Sharing)
        and c.recipients == ("acquirer",) and c.events == ("merger",)),
    Statement(
        "users are told by email or a site notice before the transfer",
        ("merger-notice",),
        lambda p, v: isinstance(c := p.clause("merger-notice"), m.Notification)
        and c.events == ("merger",) and c.timing == m.Timing(when="before")
        and set(c.channels) == {"email", "web_notice"}),
    Statement(
        "a chat provider, a card processor and an email provider get only what they need",
        ("chat-provider", "card-processing", "email-provider"),
        lambda p, v: p.clause("chat-provider").recipients == ("chat_provider",)
        and p.clause("card-processing").recipients == ("service_provider",)
        and "user.financial.credit_card" in p.clause("card-processing").data
        and p.clause("email-provider").recipients == ("email_provider",)
        and all(isinstance(p.clause(i), m.Sharing)
                and any(isinstance(o, m.FreeDuty) and "as necessary" in o.text
                        for o in p.clause(i).obligations)
                for i in ("chat-provider", "card-processing", "email-provider"))),
    # ------------------------------------------------------------- testimonials
    Statement(
        "testimonials with names are posted only with the customer's consent",
        ("testimonials", "testimonial-posting"),
        lambda p, v: isinstance(p.clause("testimonials"), m.Collection)
        and isinstance(c := p.clause("testimonial-posting"), m.Sharing)
        and c.recipients == ("public",) and c.choice is m.Choice.opt_in
        and set(c.data) == {"user.name", "user.content.testimonial"}),
    # ------------------------------------------------------ access, correction
    Statement(
        "personal information can be corrected by telephone or postal mail",
        ("correction",),
        lambda p, v: isinstance(c := p.clause("correction"), m.Right)
        and "correction" in c.rights and set(c.channels) == {"phone", "postal_mail"}),
    # ----------------------------------------------------------------- security
    Statement(
        "card numbers entered on forms are encrypted in transit with SSL",
        ("ssl",),
        lambda p, v: isinstance(c := p.clause("ssl"), m.Security) and c.measure == "encrypt"
        and c.states == (m.State.in_transit,) and c.data == ("user.financial.credit_card",)
        and "SSL" in c.means),
    Statement(
        "industry standards protect all information in transit and at rest, without guarantee",
        ("industry-standards",),
        lambda p, v: isinstance(c := p.clause("industry-standards"), m.Security)
        and c.measure == "protect" and c.data == ("user",)
        and set(c.states) == {m.State.in_transit, m.State.at_rest}
        and "cannot guarantee" in c.text),
    # -------------------------------------------------------- forums, links
    Statement(
        "what is posted in blogs and forums can be read and used by others",
        ("public-forums",),
        lambda p, v: isinstance(c := p.clause("public-forums"), m.Disclaimer)
        and c.recipients == ("forum_users",)
        and "public" in v.ancestors(m.Vocab.recipient, "forum_users")),
    Statement(
        "Kareo is not responsible for third-party sites linked from its own",
        ("third-party-links",),
        lambda p, v: isinstance(c := p.clause("third-party-links"), m.Disclaimer)
        and c.recipients == ("third_party_site",)),
    # ------------------------------------------------------------ changes
    Statement(
        "significant changes are announced to the account's email or on the home page",
        ("policy-changes",),
        lambda p, v: isinstance(c := p.clause("policy-changes"), m.Notification)
        and c.events == ("policy_change",)
        and set(c.channels) == {"account_email", "home_page_notice"}
        and "email" in v.ancestors(m.Vocab.channel, "account_email")
        and "web_notice" in v.ancestors(m.Vocab.channel, "home_page_notice")),
    # ------------------------------------------------------------ contact
    Statement(
        "contact: privacy@kareo.com, 888-775-2736, and the Irvine postal address",
        (), lambda p, v: {c.channel: c.value for c in p.header.contacts} == {
            "email": "privacy@kareo.com", "phone": "888-775-2736",
            "postal_mail": "Kareo Support - Privacy Policy, 111 Academy Drive, Suite 150, "
                           "Irvine, CA 92617"}),
    Statement(
        "last updated 25 May 2010",
        (), lambda p, v: p.header.updated == date(2010, 5, 25) and p.header.version == "2010-05-25"),
]


def test_kareo_policy_validates_from_the_command_line() -> None:
    result = CliRunner().invoke(main, ["validate", str(KAREO)])
    assert result.exit_code == 0, result.output
    assert "ok: 'Kareo Privacy Policy', 49 clauses in 2 file(s)" in result.output


def test_kareo_policy_loads_with_its_vocabulary(kareo: Loaded) -> None:
    assert kareo.policy.header.name == "Kareo Privacy Policy"
    assert [d.path for d in kareo.policy.documents] == \
        [str(KAREO), str(KAREO.parent / "kareo-vocabulary.policy")]
    assert kareo.vocabulary.knows(m.Vocab.recipient, "ad_vendor")


@pytest.mark.parametrize("statement", CHECKLIST, ids=[s.says for s in CHECKLIST])
def test_statement_is_carried_by_its_clauses(statement: Statement, kareo: Loaded) -> None:
    policy = kareo.policy
    for clause_id in statement.clauses:
        policy.clause(clause_id)  # KeyError if the clause is gone
    assert statement.holds(policy, kareo.vocabulary), statement.says


def test_every_clause_carries_some_statement(kareo: Loaded) -> None:
    claimed = {clause_id for s in CHECKLIST for clause_id in s.clauses}
    assert claimed == {c.id for c in kareo.policy.clauses}


def test_only_structural_clauses_lack_the_policy_wording(kareo: Loaded) -> None:
    # clauses added only for structure (lifetimes, sharing behind a collection) may
    # have no text; the others quote the policy, which renderers print
    without_text = {c.id for c in kareo.policy.clauses if not c.text}
    assert without_text == {"anonymous-reporting", "newsletter-delivery",
                            "session-cookie-lifetime", "tracking-service", "ad-vendors"}
