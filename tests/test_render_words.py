"""The English the renderers speak: lists, labels, conditions, duties, sentences."""

from __future__ import annotations

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
    assert w.label(vocab, m.Vocab.category, "user.device.ip_address") == "IP address"
    assert w.label(vocab, m.Vocab.recipient, "partner") == "business partners"
    assert w.data_label(vocab, "user.contact.email") == "your contact email"
    assert w.data_label(vocab, "user.behavior.page_requests") == "the pages you request"
    assert w.label(vocab, m.Vocab.category, "not.a.term") == "not.a.term"


@pytest.mark.parametrize("condition, words", [
    (m.FactIsTrue(fact="consent"), "only with your consent"),
    (m.FactIsTrue(fact="aggregated"), "only in aggregate"),
    (m.FactIsTrue(fact="legal_requirement"), "when the law requires it"),
    (m.Not(operand=m.FactIsTrue(fact="opted_out")), "unless you opt out"),
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
        "Before your information is transferred, we will notify you by email or by a "
        "prominent notice on our web site.")


def test_kareo_clauses_without_text_get_generated_sentences(kareo) -> None:
    said = {c.id: generate(c, kareo.policy, kareo.vocabulary)
            for c in kareo.policy.clauses if not c.text}
    assert said["anonymous-reporting"] == \
        "We use your data for analytics for reporting, only in aggregate."
    assert said["session-cookie-lifetime"] == \
        "We keep your device cookie until the end of the browser session."
    assert said["ad-vendors"].endswith("unless you opt out.")
    assert "only with your consent and unless you opt out" in said["newsletter-delivery"]


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
    text = " ".join(render(load(path), "text").split())
    for said in [
        "This privacy policy covers the Acme app.",
        "We never collect, use, share or keep your data about children under 13. [kids]",
        "We collect your name that you give us on signing up for the service. "
        "Giving it is required. [signup]",
        "We collect your IP address automatically. We will encrypt it while it is stored.",
        "We encrypt your IP address while it is stored using AES. [logs-enc]",
        "We share your IP address with service providers who work on our behalf, unless you "
        "opt out. We will notify you by email within 30 days. [vendor]",
        "We never share your contact data with advertising companies. [no-sell]",
        "We keep your contact email for 30 days. [keep]",
        "You may see the personal information we hold about you or have your personal "
        "information deleted via email. [access]",
        "On a significant change to this policy, we will contact you by email. [changes]",
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
