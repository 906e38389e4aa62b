"""How the published policy says a term, and the other words its prose may use for it.

A term's taxonomy label names it for a reviewer ("User Contact Email",
"Essential for Service"); its phrase says it inside a sentence a lawyer would
sign ("your email address", "to provide the service"). Phrases come from
`phrase` lines and `define ... phrase` (builtin.policy gives fideslang's common
terms theirs); a term without one is said from its label by a fixed rule, and
never by its raw key. The renderers build sentences from these, and the drift
check (fidelity.py) matches a clause's `text` against `words`.
"""

from __future__ import annotations

import re

from . import model as m
from .vocabulary import Vocabulary

#: how a purpose phrase may begin and still follow a verb phrase ("we use it to ...")
_ADVERBIAL = ("to ", "for ", "in order ", "so ", "as ", "when ", "while ")
#: how an event phrase may begin and still lead or end a sentence ("when you sign up")
_SUBORDINATE = ("when ", "if ", "once ", "after ", "before ", "while ", "on ", "at ")
_CAPITALIZED = re.compile(r"^[A-Z][a-z']+$")
_DETERMINERS = ("your ", "the ", "our ", "a ", "an ")


def lowered(label: str) -> str:
    """A Title Case label as words in a sentence, acronyms kept ("IP Address": "IP address")."""
    return " ".join(word.lower() if _CAPITALIZED.match(word) else word for word in label.split())


def _term(vocab: Vocabulary, kind: m.Vocab, key: str):
    return vocab.terms[kind].get(key)


def _from_key(key: str) -> str:
    """The words of a key, for a term the vocabulary does not know (validation stops those)."""
    return key.rsplit(".", 1)[-1].replace("_", " ")


def label(vocab: Vocabulary, kind: m.Vocab, key: str) -> str:
    """A term's label as it reads inside a sentence (fideslang's lowered word by word)."""
    term = _term(vocab, kind, key)
    if term is None:
        return _from_key(key)
    return lowered(term.label) if term.origin == "fideslang" else term.label


def declared(vocab: Vocabulary, kind: m.Vocab, key: str) -> str | None:
    term = _term(vocab, kind, key)
    return term.phrase if term is not None else None


def noun(vocab: Vocabulary, kind: m.Vocab, key: str) -> str:
    """The term as a noun phrase: its phrase, or its label said as words."""
    return declared(vocab, kind, key) or label(vocab, kind, key)


def data(vocab: Vocabulary, key: str) -> str:
    """A data category as the person's own: "your email address", "the pages you request"."""
    phrase = declared(vocab, m.Vocab.category, key)
    if phrase:
        return phrase
    term = _term(vocab, m.Vocab.category, key)
    text = label(vocab, m.Vocab.category, key)
    if term is None or term.origin != "fideslang":
        return text
    for prefix in ("user ", "user's "):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
    return f"your {text}"


def purpose(vocab: Vocabulary, key: str) -> str:
    """A purpose as the end of a sentence: "to provide the service", "for research"."""
    phrase = declared(vocab, m.Vocab.purpose, key)
    if phrase:
        return phrase if phrase.lower().startswith(_ADVERBIAL) else f"for {phrase}"
    text = label(vocab, m.Vocab.purpose, key)
    term = _term(vocab, m.Vocab.purpose, key)
    if term is not None and term.origin == "fideslang" and " for " in text:
        text = text.rsplit(" for ", 1)[1]  # "essential for payment processing"
    elif term is not None and term.origin == "fideslang" and text.startswith("essential "):
        text = text[len("essential "):]
    return text if text.lower().startswith(_ADVERBIAL) else f"for {text}"


def event(vocab: Vocabulary, key: str) -> str:
    """An event as a subordinate clause: "when you sign up for the service"."""
    phrase = declared(vocab, m.Vocab.event, key)
    if phrase:
        return phrase if phrase.lower().startswith(_SUBORDINATE) else f"on {phrase}"
    return f"on {label(vocab, m.Vocab.event, key)}"


def event_noun(vocab: Vocabulary, key: str) -> str:
    """An event as a noun phrase, after "until", "after", "within 30 days of"."""
    return label(vocab, m.Vocab.event, key)


def heading(vocab: Vocabulary, kind: m.Vocab, key: str) -> str:
    """A term as a table heading: its phrase without "your"/"to", capitalized."""
    if kind == m.Vocab.category:
        text = data(vocab, key)
    elif kind == m.Vocab.purpose:
        text = purpose(vocab, key)
        for lead in ("to ", "for "):
            if text.startswith(lead):
                text = text[len(lead):]
                break
    else:
        text = noun(vocab, kind, key)
    if text.startswith(_DETERMINERS) and kind in (m.Vocab.category, m.Vocab.recipient):
        text = text.split(" ", 1)[1]
    return text[:1].upper() + text[1:]


def words(vocab: Vocabulary, kind: m.Vocab, key: str) -> tuple[str, ...]:
    """Every way a clause's prose may say the term: phrase, label, `aka` synonyms."""
    found: dict[str, None] = {}
    term = _term(vocab, kind, key)
    candidates = [_from_key(key)]
    if term is not None:
        candidates += [term.phrase or "", term.label, lowered(term.label), *term.aka]
    for text in candidates:
        text = " ".join(text.split())
        if text:
            found.setdefault(text, None)
    return tuple(found)


def join(items, word: str = "and") -> str:
    """`a`, `a and b`, `a, b and c` (no serial comma, like the policies we render)."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def purposes(vocab: Vocabulary, keys: tuple[str, ...], word: str = "and") -> str:
    """Several purposes after one verb: "to provide the service and to process your payments".

    A run of phrases that share a first word keeps it once only when they all start
    with "for" ("for marketing and research" would change the sense), so no "for ...
    for ..." is ever said: the second "for" is dropped.
    """
    said = [purpose(vocab, key) for key in keys]
    if len(said) > 1 and all(s.startswith("for ") for s in said):
        said = [said[0]] + [s[4:] for s in said[1:]]
    return join(said, word)
