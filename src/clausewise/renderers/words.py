"""Small English helpers: lists, labels, conditions and duties in words.

Templates hold layout only; every piece of language the renderers print is
built here (and in sentences.py), so all three formats say the same thing.
"""

from __future__ import annotations

from datetime import date

from .. import model as m
from .. import phrases as p
from ..vocabulary import Vocabulary

#: facts with a fixed wording; other facts fall back to their vocabulary label
_FACT_TRUE = {
    "consent": "only with your consent",
    "aggregated": "only in aggregate",
    "legal_requirement": "when the law requires it",
    "opted_out": "only if you opted out",
    "notice_given": "only after we have notified you as this policy promises",
    "encrypted": "only when it is encrypted",
    "linked": "only when it is linked to your identity",
}
_FACT_FALSE = {
    "consent": "without your consent",
    "opted_out": "until you opt out",
    "aggregated": "unless it is in aggregate",
    "linked": "only when it is not linked to your identity",
    "encrypted": "unless it is encrypted",
}
_OPS = {"<": "is less than", "<=": "is at most", ">": "is more than", ">=": "is at least",
        "==": "is", "!=": "is not"}
_CHOICE = {
    m.Choice.opt_in: "only with your consent",
    m.Choice.opt_out: "unless you opt out",
    m.Choice.none: "and you cannot opt out of this",
}
_STATE = {m.State.in_transit: "in transit", m.State.at_rest: "while it is stored"}
_ACTION_VERB = {"collect": "collect", "use": "use", "share": "share", "sell": "sell",
                "retain": "keep",
                "notify": "notify you about"}


def join(items: list[str] | tuple[str, ...], word: str = "and") -> str:
    """`a`, `a and b`, `a, b and c` (no serial comma, like the policies we render)."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """Capitalized, single-spaced, with a full stop."""
    text = " ".join(text.split())
    text = capitalize(text)
    return text if text.endswith((".", "!", "?")) else text + "."


def label(vocab: Vocabulary, kind: m.Vocab, key: str) -> str:
    """A term as a noun phrase inside a sentence: its phrase, or its label as words.

    An event's phrase is a whole clause ("when you sign up"), so an event is said
    here by its label ("signing up for the service"), after "until" or "within".
    """
    if kind == m.Vocab.event:
        return p.event_noun(vocab, key)
    return p.noun(vocab, kind, key)


def data_label(vocab: Vocabulary, key: str) -> str:
    """A data category as the person's own: "your email address", "the pages you request"."""
    return p.data(vocab, key)


def labels(vocab: Vocabulary, kind: m.Vocab, keys: tuple[str, ...], word: str = "and") -> str:
    return join([label(vocab, kind, key) for key in keys], word)


def fact_label(vocab: Vocabulary, name: str) -> str:
    fact = vocab.facts.get(name)
    return fact.label if fact is not None else name.replace("_", " ")


_WH = ("where ", "when ", "what ", "who ", "how ", "which ", "whether ")


def _value(vocab: Vocabulary, value: object) -> str:
    """A compared value in words: a term's phrase when it names one ("eea")."""
    if isinstance(value, str):
        for kind in (m.Vocab.place, m.Vocab.subject, m.Vocab.recipient):
            if value in vocab.terms[kind]:
                return p.noun(vocab, kind, value)
        return value.replace("_", " ")
    return str(value)


def age_phrase(node: m.Comparison) -> str | None:
    """`subject_age < 13` -> "children under 13"; None for other comparisons."""
    if node.fact != "subject_age" or isinstance(node.value, bool):
        return None
    value = node.value
    return {"<": f"children under {value}", "<=": f"children aged {value} or younger",
            ">": f"people older than {value}", ">=": f"people aged {value} or older",
            "==": f"people aged {value}", "!=": f"people not aged {value}"}[node.op]


def condition(vocab: Vocabulary, node: m.Condition) -> str:
    """A condition as a restriction that follows a verb phrase."""
    if isinstance(node, m.FactIsTrue):
        return _FACT_TRUE.get(node.fact) or f"when {fact_label(vocab, node.fact)}"
    if isinstance(node, m.Comparison):
        who = age_phrase(node)
        if who is not None:
            return f"for {who}"
        if isinstance(node.value, bool):
            flipped = node.value if node.op == "==" else not node.value
            return condition(vocab, m.FactIsTrue(fact=node.fact) if flipped
                             else m.Not(operand=m.FactIsTrue(fact=node.fact)))
        label, value = fact_label(vocab, node.fact), _value(vocab, node.value)
        if label.startswith(_WH) and node.op in ("==", "!="):
            # "when the European Economic Area is where you live", not "when where you live is"
            return f"when {value} {_OPS[node.op]} {label}"
        return f"when {label} {_OPS[node.op]} {value}"
    if isinstance(node, m.Not):
        inner = node.operand
        if isinstance(inner, m.FactIsTrue):
            return _FACT_FALSE.get(inner.fact) or f"unless {fact_label(vocab, inner.fact)}"
        return f"except {condition(vocab, inner)}"
    word = "and" if isinstance(node, m.All) else "or"
    return join([condition(vocab, operand) for operand in node.operands], word)


_FACT_HOLDS = {
    "consent": "you consent",
    "aggregated": "the data is in aggregate",
    "legal_requirement": "the law requires it",
    "opted_out": "you opted out",
    "notice_given": "we have notified you as this policy promises",
    "encrypted": "the data is encrypted",
    "linked": "the data is linked to your identity",
}


def exception(vocab: Vocabulary, node: m.Condition) -> str:
    """A prohibition's exception: `unless you consent or the data is in aggregate`."""
    def holds(part: m.Condition) -> str:
        if isinstance(part, m.FactIsTrue):
            return _FACT_HOLDS.get(part.fact) or fact_label(vocab, part.fact)
        if isinstance(part, (m.All, m.Any_)):
            word = "and" if isinstance(part, m.All) else "or"
            return join([holds(op) for op in part.operands], word)
        return condition(vocab, part)
    return f"unless {holds(node)}"


def choice(value: m.Choice | None) -> str:
    return _CHOICE[value] if value is not None else ""


def conditions(vocab: Vocabulary, clause: m.Clause) -> str:
    """The choice and the condition of a clause, as one restriction (may be empty)."""
    parts = [choice(getattr(clause, "choice", None))]
    cond = getattr(clause, "condition", None)
    if cond is not None:
        text = condition(vocab, cond)
        if text not in parts:
            parts.append(text)
    return join(parts)


def channels(vocab: Vocabulary, keys: tuple[str, ...], word: str = "or") -> str:
    """`by email or by a prominent notice on our web site`."""
    return join([f"by {label(vocab, m.Vocab.channel, key)}" for key in keys], word)


def timing(value: m.Timing | None) -> str:
    if value is None:
        return ""
    if value.when == "within":
        return f"within {value.days} days"
    return {"before": "beforehand", "after": "afterwards"}.get(value.when, value.when)


def obligation(vocab: Vocabulary, duty: m.Obligation) -> str:
    """A duty as a verb phrase that follows "we will"."""
    if isinstance(duty, m.EncryptDuty):
        return f"encrypt it {_STATE[duty.state]}"
    if isinstance(duty, m.NotifyDuty):
        return " ".join(filter(None, ["notify you", channels(vocab, duty.channels),
                                      timing(duty.timing)]))
    if isinstance(duty, m.OfferDuty):
        via = join([label(vocab, m.Vocab.channel, c) for c in duty.channels], "or")
        right = label(vocab, m.Vocab.right, duty.right)
        return f"offer you a way to {right}" + (f" through {via}" if via else "")
    if isinstance(duty, m.SafeguardDuty):
        return f"apply {label(vocab, m.Vocab.safeguard, duty.safeguard)}"
    if isinstance(duty, m.EndDuty):
        how = "anonymize" if duty.how == "anonymized" else "delete"
        return f"{how} it at the end of the period" if duty.when == "period" \
            else f"{how} it once we no longer need it"
    return duty.text


def obligations(vocab: Vocabulary, duties: tuple[m.Obligation, ...]) -> str:
    """"We will ... and ..." or the empty string."""
    if not duties:
        return ""
    return sentence("we will " + join([obligation(vocab, duty) for duty in duties]))


def states(values: tuple[m.State, ...]) -> str:
    return join([_STATE[state] for state in values])


def actions(verbs: tuple[str, ...], word: str = "or") -> str:
    return join([_ACTION_VERB.get(verb, verb) for verb in verbs], word)


def period(value: m.Period, vocab: Vocabulary) -> str:
    if value.days is not None:
        per = {"days": 1, "months": 30, "years": 365}[value.unit]
        count = value.days // per
        unit = value.unit if count != 1 else value.unit[:-1]
        amount = f"for {count} {unit}"
        if value.until is not None:
            return f"{amount} after {label(vocab, m.Vocab.event, value.until)}"
        return amount
    if value.until is not None:
        return f"until {label(vocab, m.Vocab.event, value.until)}"
    if value.needed:
        return "as long as we need it for these purposes"
    return "indefinitely"


def long_date(value: date) -> str:
    """`May 25, 2010`, the way the policies we render write dates."""
    return f"{value:%B} {value.day}, {value.year}"
