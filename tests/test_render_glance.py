"""Every clause's rules are published in words (issue 12, point 2).

Each section carries its clauses at a glance and the policy opens with a summary
label; both come from the clauses' structure only, never from their `text`.
"""

from __future__ import annotations

import re

from clausewise.renderers import render
from clausewise.renderers.glance import COLUMNS, glance, summary
from clausewise.renderers.outline import build


def test_a_glance_row_per_deciding_clause_of_the_section(kareo) -> None:
    outline = build(kareo.policy, kareo.vocabulary)
    for section, authored in zip(outline.sections, kareo.policy.sections):
        deciding = [cid for cid in authored.clauses
                    if kareo.policy.clause(cid).kind != "disclaimer"]
        assert [row.clause for row in section.glance.rows] == deciding, section.title


def test_the_glance_never_reads_text(kareo) -> None:
    quiet = tuple(c.model_copy(update={"text": "Anything at all, with your consent."})
                  for c in kareo.policy.clauses)
    assert glance(quiet, kareo.vocabulary) == glance(kareo.policy.clauses, kareo.vocabulary)
    policy = kareo.policy.model_copy(update={"clauses": quiet})
    assert summary(policy, kareo.vocabulary) == summary(kareo.policy, kareo.vocabulary)


def test_a_row_says_data_recipients_purposes_conditions_and_choice(kareo) -> None:
    rows = {r.clause: r for r in glance(kareo.policy.clauses, kareo.vocabulary).rows}
    partners = rows["partners"]
    assert (partners.action, partners.data, partners.recipients, partners.purposes) == (
        "Share", "your name and your email address", "business partners",
        "for promotional purposes")
    assert partners.condition == "until you opt out"
    assert partners.choice == "only with your consent (opt-in)"
    assert rows["session-cookie-lifetime"].kept == "until the end of the browser session"
    assert rows["no-phi"].action == "Never collect, use, share or keep"
    assert rows["partner-sharing-opt-out"].line()[0].startswith("You may opt out")


def test_the_summary_label(kareo) -> None:
    facts = {f.key: f for f in summary(kareo.policy, kareo.vocabulary)}
    assert [f.heading for f in facts.values()] == [
        "Data collected", "Linked to you", "Used for tracking", "Shared", "Sold",
        "How long kept", "Your choices"]
    collected = [e.text for e in facts["collected"].entries]
    assert "your IP address" in collected and "your credit card details" in collected
    assert "your health and medical information" not in collected  # never collected
    # the IP address is kept only unlinked (retention `unless linked`)
    linked = [e.text for e in facts["linked"].entries]
    assert "your IP address" not in linked and linked[-1] == "Not linked to you: your IP address"
    tracking = {c for e in facts["tracking"].entries for c in e.clauses}
    assert tracking == {"ad-vendor-cookies", "ad-vendors"}
    assert [e.text for e in facts["sold"].entries] == [
        "Not sold: no rule allows selling your information."]
    kept = [e.clauses for e in facts["kept"].entries]
    assert kept == [("ip-not-linked",), ("session-cookie-lifetime",), ()]
    choices = {c for e in facts["choices"].entries for c in e.clauses}
    assert {"partner-sharing-opt-out", "google-ads-opt-out", "correction", "partners"} <= choices


def test_html_glance_is_a_compact_table_and_markdown_a_short_list(kareo) -> None:
    html = render(kareo, "html")
    tables = re.findall(r'<table aria-label="([^"]+) at a glance">(.*?)</table>', html, re.S)
    outline = build(kareo.policy, kareo.vocabulary)
    assert [t for t, _ in tables] == [s.title.replace("'", "&#39;") for s in outline.sections
                                      if s.glance]
    heads = re.findall(r'<th scope="col">([^<]+)</th>', tables[0][1])
    assert heads[0] == "What we do" and set(heads[1:]) <= set(COLUMNS)
    assert len(heads) - 1 < len(COLUMNS), "columns no row fills are left out"
    md = render(kareo, "markdown")
    assert md.count("**At a glance**") == len(tables)
    assert "- **Share your name and your email address**: with business partners" in md
    text = render(kareo, "text")
    assert text.count("At a glance:") == len(tables)
