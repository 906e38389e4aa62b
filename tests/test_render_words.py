"""The English the renderers speak: lists, labels, conditions, duties, sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clausewise import model as m
from clausewise.loader import load
from clausewise.renderers import render, words as w
from clausewise.renderers.sentences import generate


def test_join_lists_with_commas_and_a_last_word() -> None:
    assert w.join([]) == "" and w.join(["a"]) == "a"
    assert w.join(["a", "b"]) == "a and b"
    assert w.join(["a", "b", "c"], "or") == "a, b or c"


def test_labels_come_from_the_vocabulary(kareo) -> None:
    vocab = kareo.vocabulary
    # a term is said by its phrase ("your IP address"), never by its key or Title Case label
    assert w.label(vocab, m.Vocab.category, "user.device.ip_address") == "your IP address"
    assert w.label(vocab, m.Vocab.recipient, "partner") == "business partners"
    assert w.data_label(vocab, "user.contact.email") == "your email address"
    assert w.data_label(vocab, "user.behavior.page_requests") == "the pages you request"
    assert w.label(vocab, m.Vocab.category, "not.a.term") == "term"
    # an event is said by its label after "until", by its phrase as a clause
    assert w.label(vocab, m.Vocab.event, "session_end") == "the end of the browser session"


@pytest.mark.parametrize("condition, words", [
    (m.FactIsTrue(fact="consent"), "only with your consent"),
    (m.FactIsTrue(fact="aggregated"), "only in aggregate"),
    (m.FactIsTrue(fact="legal_requirement"), "when the law requires it"),
    (m.Not(operand=m.FactIsTrue(fact="opted_out")), "until you opt out"),
    (m.Not(operand=m.FactIsTrue(fact="consent")), "without your consent"),
    (m.Comparison(fact="subject_age", op="<", value=13), "for children under 13"),
    (m.FactIsTrue(fact="terms_violation"),
     "when your actions violate the Kareo Terms of Service"),  # the fact's label
    (m.Any_(operands=(m.FactIsTrue(fact="legal_requirement"),
                      m.FactIsTrue(fact="aggregated"))),
     "when the law requires it or only in aggregate"),
    (m.Comparison(fact="consent", op="==", value=False), "without your consent"),
    (m.Not(operand=m.All(operands=(m.FactIsTrue(fact="consent"),
                                   m.FactIsTrue(fact="aggregated")))),
     "except only with your consent and only in aggregate"),
])
def test_conditions_in_words(kareo, condition, words: str) -> None:
    assert w.condition(kareo.vocabulary, condition) == words


def test_choices_and_duties_in_words(kareo) -> None:
    vocab = kareo.vocabulary
    assert w.choice(m.Choice.opt_in) == "only with your consent"
    assert w.choice(m.Choice.opt_out) == "unless you opt out"
    assert w.obligation(vocab, m.EncryptDuty(state=m.State.in_transit)) == "encrypt it in transit"
    assert w.obligation(vocab, m.NotifyDuty(timing=m.Timing(when="within", days=3),
                                            channels=("email",))) \
        == "notify you by email within 3 days"
    assert w.obligations(vocab, (m.OfferDuty(right="unsubscribe", channels=("email_link",)),)) \
        == "We will offer you a way to unsubscribe from messages through a link within the email."


def test_a_notice_before_a_transfer_says_so(kareo) -> None:
    clause = kareo.policy.clause("merger-notice").model_copy(update={"text": None})
    assert generate(clause, kareo.policy, kareo.vocabulary) == (
        "If we merge with or are acquired by another company, we will notify you by email or "
        "by a prominent notice on our web site before your information is transferred.")


def test_kareo_clauses_without_text_get_generated_sentences(kareo) -> None:
    said = {c.id: generate(c, kareo.policy, kareo.vocabulary)
            for c in kareo.policy.clauses if not c.text}
    assert said["anonymous-reporting"] == \
        "We use your personal information to produce anonymous reports, only in aggregate."
    assert said["session-cookie-lifetime"] == \
        "We keep the session cookie until the end of the browser session."
    assert said["ad-vendors"] == (
        "We share cookie identifiers and the pages you request with third-party ad vendors "
        "such as Google to show you ads based on your prior visits to our web site, unless "
        "you opt out.")
    assert "only with your consent and until you opt out" in said["newsletter-delivery"]


PLAIN = '''policy "Acme"
  organization "Acme"
  scope "the Acme app"
  contact email "privacy@acme.test"
  complaints "Ombudsman" at "https://ombuds.test/complain"
  certification "Example Seal"
  effective 2024-02-01
end
prohibition kids
  never collect, use, share, keep user
  if subject_age < 13
end
collection signup
  collect user.name
  on sign_up
  method provided
  required
end
collection logs
  collect user.device.ip_address
  method automatic
  must encrypt at rest
end
security logs-enc
  encrypt user.device.ip_address
  at rest
  using "AES"
end
sharing vendor
  share user.device.ip_address
  with service_provider
  consent opt-out
  must notify within 30 days via email
end
prohibition no-sell
  never share user.contact
  with advertiser
end
retention keep
  keep user.contact.email
  for 30 days
end
right access
  grants access, deletion
  via email
end
notification changes
  on policy_change
  notify customer
  via email
end
disclaimer links
  about public
end
disclaimer misc
end
'''


def test_every_kind_renders_without_prose(tmp_path: Path) -> None:
    path = tmp_path / "plain.policy"
    path.write_text(PLAIN, encoding="utf-8")
    text = " ".join(render(load(path), "text", trace=True).split())
    text = re.sub(r" \[([a-z-]+), [^\]]+\]", r" [\1]", text)  # keep the id of each trace mark
    for said in [
        "This privacy policy covers the Acme app.",
        "We never collect, use, share or keep personal information about children under 13. "
        "[kids]",
        "We collect your name that you give us when you sign up for the service. "
        "Giving it is required. [signup]",
        "We collect your IP address automatically. We will encrypt it while it is stored.",
        "We encrypt your IP address while it is stored, using AES. [logs-enc]",
        "We share your IP address with service providers who work on our behalf, unless you "
        "opt out. We will notify you by email within 30 days. [vendor]",
        "We never share your contact details with advertising companies. [no-sell]",
        "We keep your email address for 30 days. [keep]",
        "You may see the personal information we hold about you or have your personal "
        "information deleted via email. [access]",
        "When this policy changes significantly, we will contact you by email. [changes]",
        "This policy does not cover the public; we are not responsible for how they use "
        "information you give them. [links]",
        "This policy makes no further promise here. [misc]",
        "Email: privacy@acme.test",
        "Acme's privacy practices are reviewed under the Example Seal.",
        "you may take your complaint to Ombudsman at https://ombuds.test/complain.",
        "It takes effect on February 1, 2024.",
    ]:
        assert said in text, said
    assert text.index("[logs]") < text.index("[logs-enc]"), "a duty follows its collection"


def test_prohibition_exception_is_said_with_unless(kareo) -> None:
    from clausewise import model as m
    from clausewise.renderers import words as w

    either = m.Any_(operands=(m.FactIsTrue(fact="consent"), m.FactIsTrue(fact="aggregated")))
    assert w.exception(kareo.vocabulary, either) == \
        "unless you consent or the data is in aggregate"


def test_define_and_phrase_give_a_term_its_words(tmp_path: Path) -> None:
    path = tmp_path / "p.policy"
    path.write_text('''policy "P"
end
define purpose essential.service.sync "Sync" phrase "to keep your notes in sync" aka "sync"
phrase recipient partner "our two resellers" aka "resellers"
sharing s
  share user.contact.email
  with partner
  for essential.service.sync
end
''', encoding="utf-8")
    loaded = load(path)
    said = generate(loaded.policy.clause("s"), loaded.policy, loaded.vocabulary)
    assert said == ("We share your email address with our two resellers to keep your notes "
                    "in sync.")


def test_a_purpose_label_with_for_is_not_doubled(kareo) -> None:
    from clausewise import phrases as p
    # a fideslang purpose without a phrase is said from its label, without "for ... for"
    assert p.purpose(kareo.vocabulary, "essential.service.operations.support") \
        == "to support you and maintain the service"
    assert p.purposes(kareo.vocabulary, ("analytics.research", "marketing")) \
        == "for research and promotional purposes"
