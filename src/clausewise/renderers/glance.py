"""What the rules say at a glance: per section a row per clause, and a summary label.

Both are built from the clauses' structure only, never from their `text`, so
the published policy always says what the engine enforces: remove `consent
opt-in` from a clause and its row loses "only with your consent" whatever its
prose still promises (fidelity.py reports that prose as drift). The summary
follows the privacy nutrition labels (Apple's App Privacy, Kelley et al.):
data collected, linked to you, used for tracking, shared, sold, how long kept,
and your choices. Every entry names the clauses it comes from.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field

from .. import model as m
from .. import phrases as p
from ..vocabulary import Vocabulary
from . import words as w

#: a clause's action in a row, by kind (a kind not listed is said by its name)
_ACTION = {"collection": "Collect", "use": "Use", "sharing": "Share", "retention": "Keep",
           "notification": "Contact you", "right": "Your right", "prohibition": "Never",
           "security": "Protect"}
#: dimensions a row says in its own columns; the others go to "where and how"
_OWN = {"purpose", "recipient", "event", "channel", "right"}
#: the purposes and recipients whose data is "used for tracking" (App Privacy's sense:
#: targeted advertising, or handing it to advertisers)
TRACKING_PURPOSES = ("marketing.advertising.third_party",)
TRACKING_RECIPIENTS = ("advertiser",)


@dataclass(frozen=True)
class Row:
    """One clause at a glance; an empty field is a dimension the clause leaves open."""

    clause: str
    action: str
    data: str = ""
    purposes: str = ""
    recipients: str = ""
    condition: str = ""
    kept: str = ""
    choice: str = ""
    more: str = ""
    #: where a choice is made (a page, a mailto: address), when it is a safe link
    address: str = ""

    @property
    def anchor(self) -> str:
        return f"clause-{self.clause}"

    def items(self) -> tuple[tuple[str, str], ...]:
        """(heading, words) of the fields that are set, in the table's column order."""
        return tuple((name, value) for name, value in zip(COLUMNS, self.values()) if value)

    def values(self) -> tuple[str, ...]:
        return (self.data, self.recipients, self.purposes, self.condition, self.kept,
                self.choice, self.more)

    def line(self) -> tuple[str, str]:
        """The row as a list item: a lead ("Share your name") and the rest, `;`-separated."""
        if self.action in ("Your right", "Your choice"):
            recipients = f"with {self.recipients}" if self.recipients else ""
            return f"You may {self.choice}", "; ".join(filter(None, [
                self.data, recipients, self.purposes, self.more, self.condition]))
        lead = f"{self.action} {self.data}" if self.data else self.action
        choice = f"your choice: {self.choice}" if self.choice else ""
        kept = f"kept {self.kept}" if self.kept else ""
        recipients = f"with {self.recipients}" if self.recipients else ""
        rest = [recipients, self.purposes, self.condition, kept, choice, self.more]
        return lead, "; ".join(part for part in rest if part)


#: the column headings of a row's fields (after the action)
COLUMNS = ("Information", "Shared with", "Purposes", "Condition", "Kept", "Your choice",
           "Where and how")


@dataclass(frozen=True)
class Glance:
    rows: tuple[Row, ...]
    #: the positions of the fields some row sets (a compact table shows only these)
    columns: tuple[int, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        filled = [False] * len(COLUMNS)
        for row in self.rows:
            for i, value in enumerate(row.values()):
                filled[i] = filled[i] or bool(value)
        object.__setattr__(self, "columns", tuple(i for i, f in enumerate(filled) if f))

    def __bool__(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True)
class Entry:
    text: str
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """One line of the summary label: a heading and what the rules say under it."""

    key: str
    heading: str
    entries: tuple[Entry, ...]
    #: short noun phrases, said on one line ("your name, your email address")
    inline: bool = False


def _data(vocab: Vocabulary, keys: tuple[str, ...], word: str = "and") -> str:
    return p.join([p.data(vocab, key) for key in keys], word)


def _recipients(vocab: Vocabulary, keys: tuple[str, ...], word: str = "and") -> str:
    return p.join([p.noun(vocab, m.Vocab.recipient, key) for key in keys], word)


def _choice(clause: m.AnyClause) -> str:
    choice = getattr(clause, "choice", None)
    return {m.Choice.opt_in: "only with your consent (opt-in)",
            m.Choice.opt_out: "you can opt out", m.Choice.none: "not optional"
            }.get(choice, "") if choice is not None else ""


def _condition(clause: m.AnyClause, vocab: Vocabulary) -> str:
    parts = [p.join([p.event(vocab, key) for key in clause.events], "or")]
    condition = getattr(clause, "condition", None)
    if condition is not None:
        parts.append(w.condition(vocab, condition))
    exception = getattr(clause, "exception", None)
    if exception is not None:
        parts.append(w.exception(vocab, exception))
    if getattr(clause, "timing", None) is not None and clause.timing.when == "before":
        parts.append("beforehand")
    return "; ".join(part for part in parts if part)


def _more(clause: m.AnyClause, vocab: Vocabulary) -> str:
    said = [m.DIMENSION[name].phrase.format(w.labels(vocab, m.DIMENSION[name].vocab, keys,
                                                      "or"))
            for name, keys in clause.terms if name not in _OWN and keys
            and not (name == "subject" and clause.kind == "notification")]  # "you"
    if clause.channels:
        said.append(w.channels(vocab, clause.channels))
    if isinstance(clause, m.Security):
        said += [w.states(clause.states), clause.means or "",
                 w.labels(vocab, m.Vocab.safeguard, clause.safeguards)]
    return "; ".join(s for s in said if s)


def row(clause: m.AnyClause, vocab: Vocabulary) -> Row | None:
    """`clause` at a glance; None for a clause that decides nothing (a disclaimer)."""
    if isinstance(clause, m.Disclaimer):
        return None
    action = _ACTION.get(clause.kind, clause.kind.capitalize())
    if isinstance(clause, m.Sharing) and clause.sells:
        action = "Sell"
    if isinstance(clause, m.Prohibition):
        action = "Never " + (w.actions(clause.actions) or "collect, use or share")
    if isinstance(clause, m.Security):
        action = "Encrypt" if clause.measure == "encrypt" else "Protect"
    data = getattr(clause, "data", ())
    choice = _choice(clause)
    if isinstance(clause, m.Right):
        choice = p.join([p.noun(vocab, m.Vocab.right, key) for key in clause.rights], "or")
        if getattr(clause, "stops", ()):
            stops = [a for a in clause.stops if a != "notify"]
            said = p.join(([w.actions(tuple(stops)) + " it"] if stops else [])
                          + (["contact you"] if "notify" in clause.stops else []), "or")
            choice += "; then we no longer " + said
    if clause.kind == "choice":
        action = "Your choice"
        rights = p.join([p.noun(vocab, m.Vocab.right, key) for key in clause.rights], "or")
        verb = "opt in" if getattr(clause, "choice", None) == m.Choice.opt_in else "opt out"
        what = w.actions(getattr(clause, "actions", ()) or ("use",))
        choice = f"{rights or verb} of what we {what}" if verb == "opt out" \
            else f"{verb} before we {what}"
        if getattr(clause, "conduct", None):
            choice += f", by {clause.conduct}"
    kept = ""
    if isinstance(clause, m.Retention):
        kept = w.period(clause.period, vocab)
        if clause.ending is not None:
            kept += ", then " + ("anonymized" if clause.ending == "anonymized" else "deleted")
    word = "or" if isinstance(clause, m.Prohibition) else "and"
    return Row(clause.id, action, data=_data(vocab, data, word),
               purposes=p.join([p.purpose(vocab, key) for key in clause.purposes], word),
               recipients=_recipients(vocab, clause.recipients, word),
               condition=_condition(clause, vocab), kept=kept, choice=choice,
               more=_more(clause, vocab), address=link(getattr(clause, "address", None)))


#: what a published link may be: a web page or a mail address, with nothing in it
#: that could end the link early in Markdown or an HTML attribute
_SAFE_LINK = re.compile(r"(?:https?://|mailto:)[^\s<>\"'()\\`\[\]]+")


def link(address: str | None) -> str:
    """`address` if it is safe to publish as a link, else "" (it is then said as text)."""
    return address if address and _SAFE_LINK.fullmatch(address) else ""


def glance(clauses: list[m.AnyClause] | tuple[m.AnyClause, ...], vocab: Vocabulary) -> Glance:
    return Glance(tuple(r for r in (row(c, vocab) for c in clauses) if r is not None))


# ------------------------------------------------------------------ the summary


def _under(vocab: Vocabulary, kind: m.Vocab, keys: tuple[str, ...], tops: tuple[str, ...]) -> bool:
    return any(set(vocab.ancestors(kind, key)) & set(tops) for key in keys)


def _needs(condition: m.Condition | None, fact: str, value: bool) -> bool:
    """True when `condition` can hold only if `fact` is `value` (an `and` of it counts)."""
    if isinstance(condition, m.FactIsTrue):
        return value and condition.fact == fact
    if isinstance(condition, m.Not):
        return _needs(condition.operand, fact, not value) if isinstance(
            condition.operand, m.FactIsTrue) else False
    if isinstance(condition, m.All):
        return any(_needs(op, fact, value) for op in condition.operands)
    if isinstance(condition, m.Any_):
        return bool(condition.operands) and all(_needs(op, fact, value)
                                                for op in condition.operands)
    return False


def _order(keys) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))


def _covers(vocab: Vocabulary, keys: tuple[str, ...], key: str) -> bool:
    """An empty list covers every category; a term covers the terms under it."""
    return not keys or bool(set(keys) & set(vocab.ancestors(m.Vocab.category, key)))


def summary(policy: m.Policy, vocab: Vocabulary) -> tuple[Fact, ...]:
    """The policy's privacy label, from its clauses' structure alone."""
    clauses = policy.clauses
    collections = [c for c in clauses if isinstance(c, m.Collection)]
    sharings = [c for c in clauses if isinstance(c, m.Sharing)]
    retentions = [c for c in clauses if isinstance(c, m.Retention)]
    permissions = [c for c in clauses if isinstance(c, m.Permission)
                   and getattr(c, "data", ())]
    collected = _order(k for c in collections for k in c.data)
    facts = [Fact("collected", "Data collected",
                  tuple(Entry(p.data(vocab, key), tuple(c.id for c in collections
                                                        if key in c.data))
                        for key in collected) or (Entry("We collect no information."),),
                  inline=True)]

    linked, unlinked = [], []
    for key in collected:
        takers = [c for c in collections if key in c.data]
        keepers = [c for c in retentions if _covers(vocab, c.data, key)]
        aggregate = all(_needs(c.condition, "aggregated", True) for c in takers)
        apart = bool(keepers) and all(_needs(c.condition, "linked", False) for c in keepers)
        (unlinked if aggregate or apart else linked).append(
            Entry(p.data(vocab, key), tuple(c.id for c in (takers + keepers))))
    entries = tuple(linked) or (Entry("None of it is linked to you."),)
    if unlinked and linked:
        entries += (Entry("Not linked to you: " + p.join([e.text for e in unlinked]),
                          tuple(i for e in unlinked for i in e.clauses)),)
    facts.append(Fact("linked", "Linked to you", entries, inline=True))

    tracking = [c for c in permissions
                if _under(vocab, m.Vocab.purpose, c.purposes, TRACKING_PURPOSES)
                or _under(vocab, m.Vocab.recipient, c.recipients, TRACKING_RECIPIENTS)]
    facts.append(Fact("tracking", "Used for tracking", tuple(
        Entry(_line(c, vocab), (c.id,)) for c in tracking)
        or (Entry("No rule allows using your information for tracking."),)))

    shared = [c for c in sharings if not c.sells]
    facts.append(Fact("shared", "Shared", tuple(Entry(_line(c, vocab), (c.id,)) for c in shared)
                      or (Entry("No rule allows sharing your information."),)))
    sold = [c for c in sharings if c.sells]
    facts.append(Fact("sold", "Sold", tuple(Entry(_line(c, vocab), (c.id,)) for c in sold)
                      or (Entry("Not sold: no rule allows selling your information."),)))

    kept = [Entry(_line(c, vocab), (c.id,)) for c in retentions]
    if kept:
        kept.append(Entry("No rule allows keeping other information."))
    facts.append(Fact("kept", "How long kept",
                      tuple(kept) or (Entry("No rule allows keeping your information."),)))

    choices = []
    for clause in clauses:
        if isinstance(clause, m.Right) or clause.kind == "choice":
            lead, rest = row(clause, vocab).line()
            choices.append(Entry(f"{lead}: {rest}" if rest else lead, (clause.id,)))
    choices += [Entry(_line(c, vocab), (c.id,)) for c in permissions
                if getattr(c, "choice", None) in (m.Choice.opt_in, m.Choice.opt_out)]
    facts.append(Fact("choices", "Your choices", tuple(choices)
                      or (Entry("The rules give you no choices."),)))
    return tuple(facts)


def _line(clause: m.Permission, vocab: Vocabulary) -> str:
    """A permission in a few words: "your name with business partners, for marketing, ..."."""
    verb = {"collection": "collected", "use": "used", "sharing": "shared",
            "retention": "kept", "notification": "used to contact you"}.get(clause.kind, "")
    if isinstance(clause, m.Sharing) and clause.sells:
        verb = "sold"
    parts = [_data(vocab, clause.data) or "your information"]
    if clause.kind == "sharing" and clause.recipients:
        parts.append(("to " if clause.sells else "with ") + _recipients(vocab, clause.recipients))
    elif verb and clause.kind != "retention":
        parts.append(verb)
    if isinstance(clause, m.Retention):
        parts.append(w.period(clause.period, vocab))
    if clause.purposes:
        parts.append(p.purposes(vocab, clause.purposes))
    text = " ".join(parts)
    restriction = p.join([r for r in (_choice(clause), _condition(clause, vocab)) if r], "and")
    return text[:1].upper() + text[1:] + (f", {restriction}" if restriction else "")
