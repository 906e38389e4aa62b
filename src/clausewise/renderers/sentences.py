"""One generated English sentence per clause, for clauses that carry no prose.

A clause's own `text` always wins (see outline.py); these sentences say what
the structured fields say, so a policy written without prose still renders.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import model as m
from .. import phrases as p
from ..vocabulary import Vocabulary
from . import words as w

_METHOD = {m.Method.provided: "that you give us", m.Method.automatic: "automatically",
           m.Method.cookies: "through cookies", m.Method.third_party: "through third parties"}


def generate(clause: m.AnyClause, policy: m.Policy, vocab: Vocabulary) -> str:
    """The sentence(s) that say what `clause` decides."""
    builder = _BUILDERS.get(clause.kind)
    if builder is None:  # a kind newer than these builders: say its data and dimensions
        return _say(f"this policy has a {clause.kind} rule about",
                    _data(vocab, getattr(clause, "data", ())), _purposes(vocab, clause.purposes),
                    _events(vocab, clause.events), _more(clause, vocab), vocab=vocab)
    return builder(clause, policy, vocab)


def _data(vocab: Vocabulary, keys: tuple[str, ...]) -> str:
    return w.join([w.data_label(vocab, key) for key in keys]) or "information"


def _purposes(vocab: Vocabulary, keys: tuple[str, ...]) -> str:
    return p.purposes(vocab, keys)


def _events(vocab: Vocabulary, keys: tuple[str, ...]) -> str:
    return p.join([p.event(vocab, key) for key in keys], "or")


def _recipients(vocab: Vocabulary, keys: tuple[str, ...], word: str = "and",
                preposition: str = "with") -> str:
    return f"{preposition} {w.labels(vocab, m.Vocab.recipient, keys, word)}" if keys else ""


#: the dimensions each builder below says in its own words; the rest are said by
#: their phrase in the model's table, so a new dimension renders without a change here
_SAID = {"subject", "recipient", "purpose", "event", "method", "channel", "right"}


def _more(clause: m.AnyClause, vocab: Vocabulary) -> str:
    """The clause's other dimensions, each by its phrase: "by our employees", "in the EEA"."""
    phrases = [m.DIMENSION[name].phrase.format(w.labels(vocab, m.DIMENSION[name].vocab,
                                                        keys, "or"))
               for name, keys in clause.terms if name not in _SAID and keys]
    at_most = getattr(clause, "at_most", None)
    if at_most is not None:
        phrases.append("at most once" if at_most == 1 else f"at most {at_most} times")
    if getattr(clause, "effective", None) is not None:
        phrases.append(f"from {w.long_date(clause.effective)}")
    if getattr(clause, "expires", None) is not None:
        phrases.append(f"before {w.long_date(clause.expires)}")
    for name, keys in getattr(clause, "exempt", ()):
        dimension = m.DIMENSION[name]
        phrases.append("except " + dimension.phrase.format(
            w.labels(vocab, dimension.vocab, keys, "or")))
    return " ".join(phrases)


def _say(*parts: str, restriction: str = "", duties: tuple[m.Obligation, ...] = (),
         vocab: Vocabulary) -> str:
    """Parts joined into a sentence; the restriction after a comma, then the duties."""
    text = " ".join(part for part in parts if part)
    main = w.sentence(f"{text}, {restriction}" if restriction else text)
    extra = w.obligations(vocab, duties)
    return f"{main} {extra}" if extra else main


def _method(vocab: Vocabulary, key: str) -> str:
    """A defined method after "we collect ...": "through crash reports the app sends"."""
    said = w.label(vocab, m.Vocab.method, key)
    first = said.split(" ", 1)[0].lower()
    if first in ("from", "through", "by", "via", "in", "when", "automatically") \
            or first.endswith("ed"):
        return said
    return f"through {said}"


def _collection(c: m.Collection, policy: m.Policy, vocab: Vocabulary) -> str:
    methods = w.join([_METHOD.get(method) or _method(vocab, method) for method in c.methods],
                     "or")
    text = _say("we collect", _data(vocab, c.data), methods, _events(vocab, c.events),
                _purposes(vocab, c.purposes), _more(c, vocab),
                restriction=w.conditions(vocab, c),
                duties=c.obligations, vocab=vocab)
    if c.required is not None:
        text += " Giving it is required." if c.required else " Giving it is optional."
    return text


def _use(c: m.Use, policy: m.Policy, vocab: Vocabulary) -> str:
    return _say("we use", _data(vocab, c.data), _purposes(vocab, c.purposes),
                _events(vocab, c.events), _more(c, vocab),
                restriction=w.conditions(vocab, c),
                duties=c.obligations, vocab=vocab)


def _sharing(c: m.Sharing, policy: m.Policy, vocab: Vocabulary) -> str:
    return _say("we sell" if c.sells else "we share", _data(vocab, c.data),
                _recipients(vocab, c.recipients, preposition="to" if c.sells else "with"),
                _purposes(vocab, c.purposes),
                _events(vocab, c.events), _more(c, vocab),
                restriction=w.conditions(vocab, c), duties=c.obligations, vocab=vocab)


def _retention(c: m.Retention, policy: m.Policy, vocab: Vocabulary) -> str:
    period = f"as long as we need it {_purposes(vocab, c.purposes)}" if c.period.needed \
        else " ".join(filter(None, [w.period(c.period, vocab), _purposes(vocab, c.purposes)]))
    if c.ending is not None:
        period += ", then " + ("anonymize it" if c.ending == "anonymized" else "delete it")
    return _say("we keep", _data(vocab, c.data), _recipients(vocab, c.recipients), period,
                _more(c, vocab),
                restriction=w.conditions(vocab, c), duties=c.obligations, vocab=vocab)


def before_what(policy: m.Policy, events: tuple[str, ...], vocab: Vocabulary) -> str:
    """What a notice due `before` its event comes before, in words."""
    for clause in policy.clauses:
        if set(getattr(clause, "events", ())) & set(events):
            if isinstance(clause, m.Sharing):
                return "your information is transferred"
            if isinstance(clause, m.Collection):
                return "your information is collected"
    return "it happens"


def _notification(c: m.Notification, policy: m.Policy, vocab: Vocabulary) -> str:
    how = w.channels(vocab, c.channels)
    timing = c.timing
    lead = f"{_events(vocab, c.events)}," if c.events else ""
    when = ""
    if timing is not None and timing.when == "before":
        when = f"before {before_what(policy, c.events, vocab)}"
    elif timing is not None and timing.when == "within":
        when = f"within {timing.days} days"
    verb = "we will notify you" if timing is not None else "we will contact you"
    return _say(lead, verb, how, when, _purposes(vocab, c.purposes),
                _more(c, vocab),
                restriction=w.conditions(vocab, c), duties=c.obligations, vocab=vocab)


def _right(c: m.Right, policy: m.Policy, vocab: Vocabulary) -> str:
    rights = w.labels(vocab, m.Vocab.right, c.rights, "or") or "exercise your rights"
    via = w.labels(vocab, m.Vocab.channel, c.channels, "or")
    over = f"over {_data(vocab, c.data)}" if getattr(c, "data", ()) else ""
    text = _say("you may", rights, over, f"via {via}" if via else "",
                _more(c, vocab),
                restriction=w.conditions(vocab, c), duties=c.obligations, vocab=vocab)
    timing = getattr(c, "timing", None)
    if timing is not None and timing.days is not None:
        text += " " + w.sentence(f"we answer your request within {timing.days} days")
    stops = getattr(c, "stops", ())
    if stops:
        what = _data(vocab, c.data) if getattr(c, "data", ()) else "your information"
        text += " " + w.sentence(f"once you do, we no longer {w.actions(stops)} {what}"
                                 if "notify" not in stops or len(stops) > 1 else
                                 "once you do, we no longer send you these messages")
    return text


def choice_words(c: m.AnyClause, vocab: Vocabulary) -> str:
    """What a choice controls, after "we": "share your name with business partners"."""
    actions = getattr(c, "actions", ()) or ("use",)
    verbs = [a for a in actions if a != "notify"]
    data = _data(vocab, c.data) if getattr(c, "data", ()) else "your information"
    said = [f"{w.actions(tuple(verbs))} {data}"] if verbs else []
    if "notify" in actions:
        said.append("contact you")
    return " ".join(part for part in [p.join(said, "or"), _recipients(vocab, c.recipients, "or"),
                                      _purposes(vocab, c.purposes), _more(c, vocab)] if part)


def _choice(c: m.AnyClause, policy: m.Policy, vocab: Vocabulary) -> str:
    via = w.labels(vocab, m.Vocab.channel, c.channels, "or")
    address = getattr(c, "address", None)
    if address:
        shown = address[len("mailto:"):] if address.startswith("mailto:") else address
        if shown not in via:
            via = f"{via} ({shown})" if via else shown
    how = f"by {c.conduct}" if getattr(c, "conduct", None) else f"via {via}" if via else ""
    what = choice_words(c, vocab)
    if getattr(c, "choice", None) == m.Choice.opt_in:
        return w.sentence(f"we {what} only if you opt in {how}".strip())
    rights = w.labels(vocab, m.Vocab.right, c.rights, "or") or "opt out"
    return w.sentence(f"you may {rights} {how}; we then no longer {what}")


def _prohibition(c: m.Prohibition, policy: m.Policy, vocab: Vocabulary) -> str:
    verbs = w.actions(c.actions) or "collect, use or share"
    subjects = w.labels(vocab, m.Vocab.subject, c.subjects, "or")
    restriction = w.condition(vocab, c.condition) if c.condition is not None else ""
    data = p.join([w.data_label(vocab, key) for key in c.data], "or") or "information"
    lead = ""
    if restriction.startswith(("for children", "for people")):
        # "we never collect personal information about children under 13"
        lead, restriction = "about" + restriction[3:], ""
        data = data[len("your "):] if data.startswith("your ") else data
    elif restriction:
        lead, restriction = restriction, ""
    if c.exception is not None:
        restriction = w.exception(vocab, c.exception)
    return _say("we never", verbs, data, f"of {subjects}" if subjects else "",
                _recipients(vocab, c.recipients, "or"), p.purposes(vocab, c.purposes, "or"),
                _events(vocab, c.events), _more(c, vocab), lead,
                restriction=restriction, vocab=vocab) + \
        (" " + w.sentence("if it happens, " + w.obligations(vocab, c.obligations)[:-1].lower())
         if c.obligations else "")


def _security(c: m.Security, policy: m.Policy, vocab: Vocabulary) -> str:
    if not c.states:  # measures only: "To protect your data we apply audits and ..."
        measures = w.labels(vocab, m.Vocab.safeguard, c.safeguards)
        return _say(f"to protect {_data(vocab, c.data)} we apply {measures}",
                    restriction=f"using {c.means}" if c.means else "", duties=c.obligations,
                    vocab=vocab)
    text = _say(f"we {c.measure}", _data(vocab, c.data), w.states(c.states),
                restriction=f"using {c.means}" if c.means else "", duties=c.obligations,
                vocab=vocab)
    if c.safeguards:
        measures = w.labels(vocab, m.Vocab.safeguard, c.safeguards)
        text += " " + w.sentence(f"we also apply {measures}")
    return text


def _disclaimer(c: m.Disclaimer, policy: m.Policy, vocab: Vocabulary) -> str:
    if not c.recipients:
        return "This policy makes no further promise here."
    who = w.labels(vocab, m.Vocab.recipient, c.recipients)
    return w.sentence(f"this policy does not cover {who}; we are not responsible for how "
                      "they use information you give them")


_BUILDERS: dict[str, Callable[..., str]] = {
    "collection": _collection, "use": _use, "sharing": _sharing, "retention": _retention,
    "notification": _notification, "right": _right, "prohibition": _prohibition,
    "security": _security, "disclaimer": _disclaimer, "choice": _choice,
}
