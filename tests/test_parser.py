"""The parser builds the model right: nodes, spans, comments, strings, includes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clausewise import model as m
from clausewise.errors import PolicyError
from clausewise.grammar.build import MAX_DEPTH
from clausewise.grammar.parser import _parser, parse
from clausewise.loader import load, read_source


def one_clause(text: str) -> m.AnyClause:
    [clause] = parse(text, "t.policy").clauses
    return clause


# ------------------------------------------------------------------------ spans


def test_clause_span_runs_from_its_kind_to_its_end() -> None:
    doc = parse('# leading comment\n\nuse newsletter\n  use user.contact.email\nend\n',
                "spans.policy")
    [clause] = doc.clauses
    assert clause.span == m.Span(file="spans.policy", line=3, column=1, end_line=5,
                                 end_column=4)
    assert str(clause.span) == "spans.policy:3:1"


def test_condition_nodes_carry_their_own_spans() -> None:
    clause = one_clause("sharing partners\n  share user.name\n  with partner\n"
                        "  if consent and not opted_out\nend\n")
    cond = clause.condition
    assert isinstance(cond, m.All)
    consent, negation = cond.operands
    assert isinstance(consent, m.FactIsTrue) and isinstance(negation, m.Not)
    assert (cond.span.line, cond.span.column, cond.span.end_column) == (4, 6, 31)
    assert (consent.span.line, consent.span.column, consent.span.end_column) == (4, 6, 13)
    assert (negation.span.column, negation.span.end_column) == (18, 31)
    assert (negation.operand.span.column, negation.operand.span.end_column) == (22, 31)


def test_comparison_span_covers_fact_operator_and_value() -> None:
    clause = one_clause("prohibition no-children\n  never collect user\n"
                        "  if subject_age < 13\nend\n")
    cond = clause.condition
    assert cond == m.Comparison(fact="subject_age", op="<", value=13)
    assert (cond.span.line, cond.span.column, cond.span.end_column) == (3, 6, 22)


def test_references_point_at_each_named_term() -> None:
    doc = parse("sharing partners\n  share user.name, user.contact.email\n  with partner\nend\n",
                "refs.policy")
    found = [(r.vocab, r.key, r.span.line, r.span.column) for r in doc.references]
    assert found == [
        (m.Vocab.category, "user.name", 2, 9),
        (m.Vocab.category, "user.contact.email", 2, 20),
        (m.Vocab.recipient, "partner", 3, 8),
    ]


# --------------------------------------------------------------------- equality


COMPACT = '''policy "P" updated 2010-05-25 end
sharing partners share user.name, user.contact.email with partner for marketing
  consent opt-in unless opted_out end
'''
SPREAD = '''# The same policy, laid out differently and commented.
policy "P"
  updated 2010-05-25   # the date
end


sharing partners
  # who gets what
  share user.name,
        user.contact.email
  with partner
  for marketing
  consent opt-in
  unless opted_out
end
'''


def test_equality_ignores_layout_comments_and_spans() -> None:
    compact, spread = parse(COMPACT, "a.policy"), parse(SPREAD, "b.policy")
    assert compact.clauses[0].span != spread.clauses[0].span  # the spans do differ
    assert compact.comments == () and len(spread.comments) == 3
    assert compact.header == spread.header
    assert compact.clauses == spread.clauses
    assert hash(compact.clauses[0]) == hash(spread.clauses[0])
    assert compact.references == spread.references


def test_equality_still_sees_a_change_of_meaning() -> None:
    changed = parse(SPREAD.replace("consent opt-in", "consent opt-out"), "c.policy")
    assert parse(SPREAD, "b.policy").clauses != changed.clauses


# --------------------------------------------------------------------- comments


def test_comments_are_kept_with_text_and_position() -> None:
    doc = parse(SPREAD, "b.policy")
    assert [(c.text, c.span.line, c.span.column) for c in doc.comments] == [
        ("The same policy, laid out differently and commented.", 1, 1),
        ("the date", 3, 24),
        ("who gets what", 8, 3),
    ]


def test_a_hash_inside_a_text_is_not_a_comment() -> None:
    doc = parse('disclaimer d\n  text "item #1" # real\nend\n', "t.policy")
    assert doc.clauses[0].text == "item #1"
    assert [c.text for c in doc.comments] == ["real"]


# ------------------------------------------------------------------- conditions


def test_if_a_unless_b_becomes_all_of_a_and_not_b() -> None:
    clause = one_clause("use newsletter\n  use user.contact.email\n  if consent\n"
                        "  unless opted_out\nend\n")
    assert clause.condition == m.All(operands=(m.FactIsTrue(fact="consent"),
                                               m.Not(operand=m.FactIsTrue(fact="opted_out"))))


def test_unless_before_if_keeps_the_written_order() -> None:
    clause = one_clause("use newsletter\n  use user.contact.email\n  unless opted_out\n"
                        "  if consent\nend\n")
    assert clause.condition == m.All(operands=(m.Not(operand=m.FactIsTrue(fact="opted_out")),
                                               m.FactIsTrue(fact="consent")))


def test_unless_alone_is_a_negation() -> None:
    clause = one_clause("retention ip\n  keep user.device.ip_address\n  indefinitely\n"
                        "  unless linked\nend\n")
    assert clause.condition == m.Not(operand=m.FactIsTrue(fact="linked"))


def test_and_binds_tighter_than_or_and_parentheses_regroup() -> None:
    plain = one_clause("use u\n  use user\n  if consent or aggregated and not linked\nend\n")
    assert plain.condition == m.Any_(operands=(
        m.FactIsTrue(fact="consent"),
        m.All(operands=(m.FactIsTrue(fact="aggregated"),
                        m.Not(operand=m.FactIsTrue(fact="linked"))))))
    grouped = one_clause("use u\n  use user\n  if (consent or aggregated) and not linked\nend\n")
    assert grouped.condition == m.All(operands=(
        m.Any_(operands=(m.FactIsTrue(fact="consent"), m.FactIsTrue(fact="aggregated"))),
        m.Not(operand=m.FactIsTrue(fact="linked"))))


@pytest.mark.parametrize("written, value", [("13", 13), ("true", True), ("false", False)])
def test_comparison_values_are_typed(written: str, value: int | bool) -> None:
    clause = one_clause(f"use u\n  use user\n  if consent == {written}\nend\n")
    assert clause.condition.value == value
    assert type(clause.condition.value) is type(value)


# ---------------------------------------------------------------------- strings


def test_adjacent_strings_are_joined() -> None:
    clause = one_clause('disclaimer d\n  text "one, "\n       "two, "   "three"\nend\n')
    assert clause.text == "one, two, three"


@pytest.mark.parametrize("written, meant", [
    (r'"say \"hi\""', 'say "hi"'),
    (r'"back\\slash"', "back\\slash"),
    (r'"two\nlines"', "two\nlines"),
    (r'"a\tb"', "a\tb"),
    (r'"plain"', "plain"),
    (r'""', ""),
])
def test_escapes_in_strings(written: str, meant: str) -> None:
    clause = one_clause(f"disclaimer d\n  text {written}\nend\n")
    assert clause.text == meant


def test_non_ascii_text_is_kept() -> None:
    clause = one_clause('disclaimer d\n  text "Café – 100 % sûr"\nend\n')
    assert clause.text == "Café – 100 % sûr"


# ----------------------------------------------------------------------- header


def test_header_fields() -> None:
    doc = parse('''policy "Kareo Privacy Policy"
  organization "Kareo"
  version "2010-05-25"
  updated 2010-05-25
  effective 2010-06-01
  scope "the web site"
  contact email "privacy@kareo.com"
  contact phone "888-775-2736"
  certification "TRUSTe Privacy Program"
  complaints "TRUSTe" at "http://watchdog.truste.com/"
  text "First paragraph."
  text "Second " "paragraph."
end
''', "h.policy")
    header = doc.header
    assert header.name == "Kareo Privacy Policy"
    assert header.organization == "Kareo"
    assert header.version == "2010-05-25"
    assert header.updated == date(2010, 5, 25)
    assert header.effective == date(2010, 6, 1)
    assert header.scope == "the web site"
    assert header.contacts == (m.Contact(channel="email", value="privacy@kareo.com"),
                               m.Contact(channel="phone", value="888-775-2736"))
    assert header.certifications == ("TRUSTe Privacy Program",)
    assert header.complaints == (m.Complaints(name="TRUSTe", url="http://watchdog.truste.com/"),)
    assert header.texts == ("First paragraph.", "Second paragraph.")
    assert (header.span.line, header.span.end_line) == (1, 13)
    assert [r.key for r in doc.references] == ["email", "phone"]  # contact channels


def test_repeated_header_fields_interleaved_each_keep_their_order() -> None:
    header = parse('policy "P"\n  text "one"\n  contact email "a@x.org"\n  text "two"\n'
                   '  certification "C1"\n  contact phone "1"\n  text "three"\n'
                   '  certification "C2"\nend\n', "h.policy").header
    assert header.texts == ("one", "two", "three")
    assert [c.value for c in header.contacts] == ["a@x.org", "1"]
    assert header.certifications == ("C1", "C2")


def test_a_state_given_twice_is_reported_at_its_second_line() -> None:
    with pytest.raises(PolicyError) as caught:
        parse("security s\n  encrypt user\n  in transit\n  at rest\n  in transit\nend\n",
              "s.policy")
    assert caught.value.codes == ("duplicate-field",)
    assert caught.value.diagnostics[0].message == "`in transit` is given twice"
    assert caught.value.diagnostics[0].span.line == 5


def test_two_headers_in_one_file_are_refused() -> None:
    with pytest.raises(PolicyError) as caught:
        parse('policy "A" end\npolicy "B" end\n', "h.policy")
    assert caught.value.codes == ("duplicate-header",)
    assert caught.value.diagnostics[0].span.line == 2


# ------------------------------------------------------------------ clause kinds


def test_collection() -> None:
    clause = one_clause("collection sign-up\n  collect user.name, user.contact.email\n"
                        "  from customer\n  on sign_up\n  method provided, cookies\n"
                        "  for essential.service\n  required\n  consent none\n"
                        '  text "We ask."\nend\n')
    assert isinstance(clause, m.Collection)
    assert clause.id == "sign-up"
    assert clause.data == ("user.name", "user.contact.email")
    assert clause.subjects == ("customer",)
    assert clause.events == ("sign_up",)
    assert clause.methods == (m.Method.provided, m.Method.cookies)
    assert clause.purposes == ("essential.service",)
    assert clause.required is True
    assert clause.choice is m.Choice.none
    assert clause.text == "We ask."


def test_collection_optional() -> None:
    assert one_clause("collection c\n  collect user\n  optional\nend\n").required is False


def test_use() -> None:
    clause = one_clause("use newsletter\n  use user.contact.email\n  of customer\n"
                        "  for marketing.communications.email\n  consent opt-in\nend\n")
    assert isinstance(clause, m.Use)
    assert clause.data == ("user.contact.email",)
    assert clause.subjects == ("customer",)
    assert clause.choice is m.Choice.opt_in


@pytest.mark.parametrize("keyword", ["with", "to"])
def test_sharing(keyword: str) -> None:
    clause = one_clause(f"sharing partners\n  share user.name\n  {keyword} partner, advertiser\n"
                        "  consent opt-out\nend\n")
    assert isinstance(clause, m.Sharing)
    assert clause.recipients == ("partner", "advertiser")
    assert clause.choice is m.Choice.opt_out


@pytest.mark.parametrize("period, days, until, forever", [
    ("for 30 days", 30, None, False),
    ("until session_end", None, "session_end", False),
    ("indefinitely", None, None, True),
])
def test_retention(period: str, days: int | None, until: str | None, forever: bool) -> None:
    clause = one_clause(f"retention r\n  keep user.device.cookie\n  {period}\nend\n")
    assert isinstance(clause, m.Retention)
    assert (clause.period.days, clause.period.until, clause.period.forever) == \
        (days, until, forever)


@pytest.mark.parametrize("timing, expected", [
    ("before", m.Timing(when="before")),
    ("after", m.Timing(when="after")),
    ("within 30 days", m.Timing(when="within", days=30)),
])
def test_notification(timing: str, expected: m.Timing) -> None:
    clause = one_clause(f"notification merger-notice\n  on merger\n  notify customer\n"
                        f"  via email, web_notice\n  {timing}\nend\n")
    assert isinstance(clause, m.Notification)
    assert clause.events == ("merger",)
    assert clause.subjects == ("customer",)
    assert clause.channels == ("email", "web_notice")
    assert clause.timing == expected


def test_right() -> None:
    clause = one_clause("right correction\n  grants correction, access\n  via phone, postal_mail\nend\n")
    assert isinstance(clause, m.Right)
    assert clause.rights == ("correction", "access")
    assert clause.channels == ("phone", "postal_mail")


def test_prohibition_maps_verbs_to_actions() -> None:
    clause = one_clause("prohibition no-phi\n  never collect, use, share, keep, notify "
                        "user.health_and_medical\n  with partner\n  for marketing\n"
                        "  on sign_up\n  if consent\nend\n")
    assert isinstance(clause, m.Prohibition)
    assert clause.actions == ("collect", "use", "share", "retain", "notify")
    assert clause.data == ("user.health_and_medical",)
    assert clause.recipients == ("partner",)
    assert clause.purposes == ("marketing",)
    assert clause.events == ("sign_up",)
    assert clause.condition == m.FactIsTrue(fact="consent")


@pytest.mark.parametrize("verb", ["encrypt", "protect"])
def test_security(verb: str) -> None:
    clause = one_clause(f'security s\n  {verb} user.financial\n  in transit\n  at rest\n'
                        f'  using "SSL"\nend\n')
    assert isinstance(clause, m.Security)
    assert clause.measure == verb
    assert clause.data == ("user.financial",)
    assert clause.states == (m.State.in_transit, m.State.at_rest)
    assert clause.means == "SSL"


def test_disclaimer() -> None:
    clause = one_clause('disclaimer forums\n  about public\n  text "Forums are public."\nend\n')
    assert isinstance(clause, m.Disclaimer)
    assert clause.recipients == ("public",)
    assert clause.text == "Forums are public."


#: the least each kind needs; a kind added to the model and not here fails below
MINIMAL_BODY = {
    "collection": "collect user", "use": "use user", "sharing": "share user",
    "retention": "keep user", "notification": "on merger", "right": "grants access",
    "prohibition": "never use user", "security": "protect user at rest", "disclaimer": 'text "x"',
    "choice": "consent opt-out\n  controls use user",
}


@pytest.mark.parametrize("kind", sorted(m.CLAUSE_KINDS))
def test_every_clause_kind_parses_into_its_model_class(kind: str) -> None:
    clause = one_clause(f"{kind} k\n  {MINIMAL_BODY[kind]}\nend\n")
    assert type(clause) is m.CLAUSE_KINDS[kind]
    assert clause.kind == kind and clause.id == "k"


def test_obligations() -> None:
    clause = one_clause('notification n\n  on newsletter_subscription\n  notify customer\n'
                        '  via email\n  must encrypt in transit\n'
                        '  must notify before via email\n'
                        '  must offer unsubscribe via email_link\n'
                        '  must "keep a record"\nend\n')
    assert clause.obligations == (
        m.EncryptDuty(state=m.State.in_transit),
        m.NotifyDuty(timing=m.Timing(when="before"), channels=("email",)),
        m.OfferDuty(right="unsubscribe", channels=("email_link",)),
        m.FreeDuty(text="keep a record"),
    )


def test_vocabulary_and_fact_definitions() -> None:
    doc = parse('define recipient broker "data brokers" under advertiser\n'
                'define category user.fax "fax number"\n'
                'define fact premium bool "the customer pays"\n', "v.policy")
    assert doc.terms == (
        m.TermDef(vocab=m.Vocab.recipient, key="broker", label="data brokers",
                  parent="advertiser"),
        m.TermDef(vocab=m.Vocab.category, key="user.fax", label="fax number"),
    )
    assert doc.facts == (m.FactDef(name="premium", type=m.FactType.bool,
                                   label="the customer pays"),)


def test_clauses_keep_source_order() -> None:
    doc = parse("use b\n  use user\nend\nuse a\n  use user\nend\nsharing c\n  share user\nend\n",
                "o.policy")
    assert [c.id for c in doc.clauses] == ["b", "a", "c"]


# ------------------------------------------------------------ reading, includes


def test_crlf_and_byte_order_mark_read_like_plain_text() -> None:
    text = 'policy "P"\n  updated 2010-05-25\nend\nuse a\n  use user\nend\n'
    weird = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    read = read_source("w.policy", weird)
    assert read == text
    assert parse(read, "w.policy") == parse(text, "w.policy")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_includes_are_merged_root_first_then_depth_first_in_written_order(tmp_path: Path) -> None:
    root = write(tmp_path, "root.policy", 'include "a.policy"\ninclude "b.policy"\n'
                 'policy "Root" end\nuse root-clause\n  use user\nend\n')
    write(tmp_path, "a.policy", 'include "sub/c.policy"\nuse a-clause\n  use user\nend\n')
    write(tmp_path, "b.policy", "use b-clause\n  use user\nend\n")
    write(tmp_path, "sub/c.policy", "use c-clause\n  use user\nend\n")
    policy = load(root).policy
    assert [Path(d.path).name for d in policy.documents] == \
        ["root.policy", "a.policy", "c.policy", "b.policy"]
    assert [c.id for c in policy.clauses] == ["root-clause", "a-clause", "c-clause", "b-clause"]
    assert policy.header.name == "Root"


def test_a_file_included_twice_is_read_once(tmp_path: Path) -> None:
    root = write(tmp_path, "root.policy", 'include "a.policy"\ninclude "b.policy"\n')
    write(tmp_path, "a.policy", 'include "shared.policy"\n')
    write(tmp_path, "b.policy", 'include "shared.policy"\n')
    write(tmp_path, "shared.policy", "use shared\n  use user\nend\n")
    policy = load(root).policy
    assert [c.id for c in policy.clauses] == ["shared"]


def test_included_file_defines_vocabulary_the_root_uses(tmp_path: Path) -> None:
    root = write(tmp_path, "root.policy", 'include "vocab.policy"\n'
                 "sharing brokers\n  share user.fax\n  with broker\n  if premium\nend\n")
    write(tmp_path, "vocab.policy", 'define recipient broker "data brokers" under advertiser\n'
                  'define category user.fax "fax number"\n'
                  'define fact premium bool "the customer pays"\n')
    loaded = load(root)
    assert loaded.vocabulary.ancestors(m.Vocab.recipient, "broker") == \
        ("broker", "advertiser")
    assert loaded.vocabulary.knows(m.Vocab.category, "user.fax")
    assert loaded.vocabulary.facts["premium"].type is m.FactType.bool
    assert loaded.policy.clause("brokers").recipients == ("broker",)
    assert [t.key for t in loaded.policy.terms] == ["broker", "user.fax"]


def test_without_the_include_the_same_terms_are_unknown(tmp_path: Path) -> None:
    root = write(tmp_path, "root.policy",
                 "sharing brokers\n  share user.fax\n  with broker\n  if premium\nend\n")
    with pytest.raises(PolicyError) as caught:
        load(root)
    assert caught.value.codes == ("unknown-term", "unknown-term", "unknown-fact")


def test_parser_propagates_positions_for_the_transformer() -> None:
    # every model node takes its span from the Lark node's meta
    assert _parser().options.propagate_positions is True


def test_conditions_nested_past_the_limit_are_refused_with_a_location() -> None:
    deep = "not " * (MAX_DEPTH + 5) + "consent"
    with pytest.raises(PolicyError) as caught:
        parse(f"use u\n  use user.name\n  if {deep}\nend\n", "deep.policy")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "too-deep"
    assert diagnostic.span.line == 3




def test_old_mac_line_endings_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "mac.policy"
    path.write_bytes(b"use a\r  use user.name\r  for nothing.here\rend\r")
    with pytest.raises(PolicyError) as caught:
        load(path)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == \
        ("unknown-term", 3, 7)
