"""The typed rule model: the one source of truth that every stage reads.

The parser builds it; the engine, renderers and diff only read it. Nodes are
frozen pydantic models holding tuples, and each carries the `Span` it came from.
Spans stay out of equality and hashing, so two policies that differ only in
layout or location compare equal (the diff and the formatter rely on this).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from collections.abc import Iterator
from typing import Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field


class Span(BaseModel):
    """Where a node stands in its source file (1-based lines and columns)."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Node(BaseModel):
    """Base of every model node: frozen, and compared without its span."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    span: Span | None = Field(default=None, repr=False)

    def _semantic_key(self) -> tuple[Any, ...]:
        return (type(self),) + tuple(
            getattr(self, name) for name in type(self).model_fields if name != "span"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return self._semantic_key() == other._semantic_key()

    def __hash__(self) -> int:
        return hash(self._semantic_key())


# ------------------------------------------------------------------ vocabulary


class Vocab(str, Enum):
    """The vocabularies a term can belong to."""

    category = "category"
    purpose = "purpose"
    subject = "subject"
    recipient = "recipient"
    event = "event"
    channel = "channel"
    right = "right"
    method = "method"
    actor = "actor"
    source = "source"
    place = "place"
    mechanism = "mechanism"
    basis = "basis"
    safeguard = "safeguard"


class FactType(str, Enum):
    bool = "bool"
    int = "int"
    enum = "enum"  # one of a declared list of names: `define fact plan enum free, pro`
    date = "date"  # a calendar day, YYYY-MM-DD: the standard fact `date` of an action


class TermDef(Node):
    """A vocabulary term declared by a policy (or by the built-in defaults)."""

    vocab: Vocab
    key: str
    label: str
    parent: str | None = None
    #: how the published policy says it ("your email address"); None: from the label
    phrase: str | None = None
    #: other words a clause's `text` may use for it, for the drift check
    aka: tuple[str, ...] = ()


class Wording(Node):
    """`phrase VOCAB TERM "..." aka "..."`: the words for a term the policy did not define."""

    vocab: Vocab
    key: str
    phrase: str
    aka: tuple[str, ...] = ()


class Section(Node):
    """A heading of the published policy and the clauses under it, in the author's order."""

    title: str
    texts: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()  # clause ids


class FactDef(Node):
    """A typed fact that conditions may test."""

    name: str
    type: FactType
    label: str
    values: tuple[str, ...] = ()  # an enum fact's names, in declared order


# ------------------------------------------------------------------ conditions


class FactIsTrue(Node):
    fact: str


class Comparison(Node):
    fact: str
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    value: bool | int | date | str  # str: one of an enum fact's names


class Not(Node):
    operand: Condition


class All(Node):
    operands: tuple[Condition, ...]


class Any_(Node):
    operands: tuple[Condition, ...]


Condition = Union[FactIsTrue, Comparison, Not, All, Any_]
Not.model_rebuild()
All.model_rebuild()
Any_.model_rebuild()


def condition_atoms(condition: Condition | None) -> Iterator[FactIsTrue | Comparison]:
    """The fact tests of a condition, left to right."""
    if isinstance(condition, (FactIsTrue, Comparison)):
        yield condition
    elif isinstance(condition, Not):
        yield from condition_atoms(condition.operand)
    elif condition is not None:
        for operand in condition.operands:
            yield from condition_atoms(operand)


def condition_facts(condition: Condition | None) -> tuple[str, ...]:
    """The facts a condition mentions, in order of first appearance."""
    return tuple(dict.fromkeys(atom.fact for atom in condition_atoms(condition)))


def condition_text(node: Condition, parent: str | None = None) -> str:
    """The condition as the language writes it, with parentheses only where needed."""
    if isinstance(node, FactIsTrue):
        return node.fact
    if isinstance(node, Comparison):
        value = str(node.value).lower() if isinstance(node.value, bool) else str(node.value)
        return f"{node.fact} {node.op} {value}"
    if isinstance(node, Not):
        return f"not {condition_text(node.operand, 'not')}"
    word = "and" if isinstance(node, All) else "or"
    text = f" {word} ".join(condition_text(op, word) for op in node.operands)
    return f"({text})" if parent is not None and parent != word else text


# ---------------------------------------------------------------- obligations


class State(str, Enum):
    """Where data is protected: while it moves, or where it is kept."""

    in_transit = "in transit"
    at_rest = "at rest"


class Timing(Node):
    """When a notice is given relative to its event."""

    when: Literal["before", "after", "within"]
    days: int | None = None


class EncryptDuty(Node):
    kind: Literal["encrypt"] = "encrypt"
    state: State


class NotifyDuty(Node):
    """Tell the person, by these channels; `timing` None when the policy says no time."""

    kind: Literal["notify"] = "notify"
    timing: Timing | None
    channels: tuple[str, ...]


class OfferDuty(Node):
    kind: Literal["offer"] = "offer"
    right: str
    channels: tuple[str, ...]


class FreeDuty(Node):
    kind: Literal["duty"] = "duty"
    text: str


class SafeguardDuty(Node):
    """A security measure (OPP-115: secure transfer, access limitation, audits, ...)."""

    kind: Literal["safeguard"] = "safeguard"
    safeguard: str
    means: str | None = None


class EndDuty(Node):
    """What happens to kept data at the end: deleted or anonymized, at the end of the
    period or once it is no longer needed for the clause's purposes."""

    kind: Literal["end"] = "end"
    how: Literal["deleted", "anonymized"] = "deleted"
    when: Literal["period", "unneeded"] = "period"


Obligation = Union[EncryptDuty, NotifyDuty, OfferDuty, FreeDuty, EndDuty, SafeguardDuty]


# -------------------------------------------------------------------- clauses


class Choice(str, Enum):
    """The person's say: opt-in needs consent, opt-out yields to an opt-out, none ignores both."""

    opt_in = "opt-in"
    opt_out = "opt-out"
    none = "none"


class Method(str, Enum):
    """The built-in collection methods (the `method` vocabulary, which `define` extends)."""

    provided = "provided"
    automatic = "automatic"
    cookies = "cookies"
    third_party = "third_party"


class Period(Node):
    """How long data is kept: for a number of days, until an event, for a number of
    days after an event (both set), as long as needed for the clause's purposes, or
    indefinitely.

    `days` counts days whatever the unit written: a month is 30 days, a year 365;
    `unit` keeps the unit for the published policy.
    """

    days: int | None = None
    until: str | None = None
    unit: Literal["days", "months", "years"] = "days"
    needed: bool = False  # "as long as needed for" the clause's purposes

    @property
    def forever(self) -> bool:
        """No bound of time: indefinitely, or as long as the purposes need it."""
        return self.days is None and self.until is None


# ----------------------------------------------------------------- dimensions

#: the clause kinds that decide actions on their dimensions
PERMISSION_KINDS = ("collection", "use", "sharing", "retention", "notification", "right")
RULE_KINDS = PERMISSION_KINDS + ("prohibition",)
#: every action kind
ACTION_KINDS = ("collect", "use", "share", "sell", "retain", "notify", "exercise")


@dataclass(frozen=True)
class Dimension:
    """One dimension of an action, as every stage reads it.

    The parser takes `keywords` followed by terms of `vocab` on the clause `kinds`;
    the action carries one term in the field `name`; the engine matches it by
    hierarchy (the action's term at or under one of the clause's); the diff enumerates
    it on `actions`; renderers say it with `phrase`. A new dimension is one entry here.
    """

    name: str                   # the action field: "recipient"
    attr: str                   # the clause attribute: "recipients"
    vocab: Vocab
    keywords: tuple[str, ...]   # how a clause introduces it: ("with", "to")
    kinds: tuple[str, ...]      # the clause kinds that take it
    actions: tuple[str, ...]    # the action kinds it is decided on
    phrase: str                 # how a sentence says it: "with {}"
    help: str                   # what it means, for the schema and the docs


#: the clause kinds that state a scope of actions (who may do what): permissions, the
#: prohibitions that forbid them, and the choices people make about them
SCOPE_KINDS = RULE_KINDS + ("choice",)
_PLACED = ("collection", "use", "sharing", "retention", "prohibition", "choice")
_TRANSFERRED = ("sharing", "retention", "prohibition", "choice")

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("subject", "subjects", Vocab.subject, ("of", "from", "notify"), SCOPE_KINDS,
              ACTION_KINDS, "of {}", "whose data: a data subject (customer, employee, ...)"),
    Dimension("recipient", "recipients", Vocab.recipient, ("with", "to"), _TRANSFERRED + ("use",),
              ("share", "sell", "retain", "use"), "with {}",
              "who receives the data (for retain and use: who keeps or uses it; left out, "
              "it is us, first_party)"),
    Dimension("purpose", "purposes", Vocab.purpose, ("for",), SCOPE_KINDS, ACTION_KINDS,
              "for {}", "why: a purpose (data use)"),
    Dimension("event", "events", Vocab.event, ("on",), SCOPE_KINDS, ACTION_KINDS, "on {}",
              "the event the action happens on"),
    Dimension("method", "methods", Vocab.method, ("method",),
              ("collection", "prohibition", "choice"),
              ("collect",), "{}", "how data is collected (provided, automatic, cookies, ...)"),
    Dimension("source", "sources", Vocab.source, ("through",), _PLACED,
              ("collect", "use", "share", "sell", "retain"), "through {}",
              "where or through what the data is collected or processed: the web site, "
              "the mobile app, other web sites, a named third party"),
    Dimension("actor", "actors", Vocab.actor, ("by",), SCOPE_KINDS, ACTION_KINDS, "by {}",
              "who performs or sees the processing (for exercise: who asks, the person or "
              "someone on their behalf): our staff, automated systems, other users, the "
              "person themselves, a parent"),
    Dimension("place", "places", Vocab.place, ("in",), _PLACED,
              ("collect", "use", "share", "sell", "retain"), "in {}",
              "where the data is stored or transferred to (a country or region)"),
    Dimension("mechanism", "mechanisms", Vocab.mechanism, ("under",), _TRANSFERRED,
              ("share", "sell", "retain"),
              "under {}", "the transfer mechanism: standard contractual clauses, an adequacy "
              "decision, a certification framework"),
    Dimension("basis", "bases", Vocab.basis, ("basis",), SCOPE_KINDS, ACTION_KINDS,
              "on the legal basis of {}", "the legal basis (GDPR Art. 6): consent, "
              "contract, legal obligation, vital interests, public task, legitimate "
              "interests"),
    Dimension("residence", "residences", Vocab.place, ("residents",), SCOPE_KINDS,
              ACTION_KINDS, "for residents of {}", "where the person lives (a rule for "
              "residents of California or the EEA applies only to them)"),
    Dimension("channel", "channels", Vocab.channel, ("via",), ("notification", "right", "choice"),
              ("notify", "exercise"), "via {}", "the channel a notice or request goes "
              "through (for a choice: how the person makes it)"),
    Dimension("right", "rights", Vocab.right, ("grants",), ("right", "choice"), ("exercise",),
              "{}", "the right exercised (a choice that grants one may be made as a request "
              "through its channels)"),
)
#: the dimensions of a choice that say how it is made, not which actions it governs
CHOICE_MEANS = ("channel", "right")
DIMENSION: dict[str, Dimension] = {d.name: d for d in DIMENSIONS}
#: a clause's terms per dimension: (dimension name, terms), in the table's order
Terms = tuple[tuple[str, tuple[str, ...]], ...]


class Clause(Node):
    """Common part of every clause: a stable id, an optional prose text, and its terms
    on each dimension it states (see `DIMENSIONS`; read them as `clause.recipients`)."""

    kind: ClassVar[str]
    #: the verb that names the data field of this kind (`collect ...`), if any
    data_verbs: ClassVar[tuple[str, ...]] = ()

    id: str
    text: str | None = None
    terms: Terms = ()

    def terms_of(self, dimension: str) -> tuple[str, ...]:
        """The clause's terms on one dimension (empty: it does not constrain it)."""
        for name, keys in self.terms:
            if name == dimension:
                return keys
        return ()


def _accessor(dimension: str) -> property:
    return property(lambda self: self.terms_of(dimension),
                    doc=f"the clause's terms on `{dimension}`")


for _dimension in DIMENSIONS:
    setattr(Clause, _dimension.attr, _accessor(_dimension.name))


class Permission(Clause):
    """A clause that allows actions when its dimensions match and its condition holds."""

    data: tuple[str, ...] = ()
    condition: Condition | None = None
    choice: Choice | None = None
    #: `at most N`: covers an action only while fewer than N were done before
    #: (the standard fact `previous`)
    at_most: int | None = None
    #: `effective DATE` / `expires DATE`: the practice starts on, and stops on, these
    #: days (conditions on the standard fact `date`)
    effective: date | None = None
    expires: date | None = None
    obligations: tuple[Obligation, ...] = ()


class Collection(Permission):
    kind: ClassVar[str] = "collection"
    data_verbs: ClassVar[tuple[str, ...]] = ("collect",)
    required: bool | None = None


class Use(Permission):
    kind: ClassVar[str] = "use"
    data_verbs: ClassVar[tuple[str, ...]] = ("use",)


class Sharing(Permission):
    """Sharing with recipients; written with `sell`, it permits selling (CCPA), which
    a plain `share` does not."""

    kind: ClassVar[str] = "sharing"
    data_verbs: ClassVar[tuple[str, ...]] = ("share", "sell")
    sells: bool = False
    #: duties passed to the recipients (`recipients never use for marketing`)
    passes: tuple[PassedDuty, ...] = ()


class Retention(Permission):
    kind: ClassVar[str] = "retention"
    data_verbs: ClassVar[tuple[str, ...]] = ("keep",)
    period: Period = Period()
    ending: Literal["deleted", "anonymized"] | None = None  # `then deleted`

    @property
    def end_duty(self) -> EndDuty | None:
        """The duty the period implies: delete (or anonymize) at its end, or once the
        purposes no longer need the data."""
        if self.period.needed:
            return EndDuty(how=self.ending or "deleted", when="unneeded")
        if self.ending is not None:
            return EndDuty(how=self.ending, when="period")
        return None


class Notification(Permission):
    """Who is told, by which channels, when an event happens.

    It permits `notify` actions, and a notice due `before` its event is a
    condition of every other action on that event.
    """

    kind: ClassVar[str] = "notification"
    timing: Timing | None = None


class Right(Permission):
    """A right the person may exercise, through which channels, over which data
    (`over`), answered within a time (`within N days`), and what exercising it
    changes: `then never keep, use` denies those actions on its data once the fact
    it `sets` holds (the person's request is recorded in the action's `exercised`)."""

    kind: ClassVar[str] = "right"
    data_verbs: ClassVar[tuple[str, ...]] = ("over",)
    timing: Timing | None = None
    #: the bool fact that records that the person exercised it (`sets deleted`)
    fact: str | None = None
    #: what exercising it stops (`then never keep, use`), on its data
    stops: tuple[str, ...] = ()
    #: what the stop leaves out (`except for residual_backup`)
    exempt: Terms = ()


class ChoiceClause(Clause):
    """A choice the person can make (OPP-115 "User Choice/Control"): opt in or out of
    the actions it `controls`, through a channel (`via`), at an address (`at`).

    It sets a bool fact (`sets`; by default `consent` for an opt-in, `opted_out` for an
    opt-out) and decides what it covers: after an opt-out, those actions are denied;
    without an opt-in, they are denied, unless the choice is made by conduct (`by
    "continuing to use the service"`), when only a refusal denies them.
    """

    kind: ClassVar[str] = "choice"
    choice: Choice | None = None
    actions: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    fact: str | None = None
    address: str | None = None
    conduct: str | None = None

    @property
    def sets(self) -> str:
        """The fact the choice sets."""
        if self.fact is not None:
            return self.fact
        return "consent" if self.choice is Choice.opt_in else "opted_out"


class Prohibition(Clause):
    """Never do these actions; prohibitions win over every permission.

    `condition` (written `if`) is what triggers it and must be known to hold;
    `exception` (written `unless`) lifts it and must be known to hold: a missing
    consent does not lift "never share ... unless consent" (fail closed).
    """

    kind: ClassVar[str] = "prohibition"
    actions: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    #: what the prohibition leaves out, per dimension (`except for billing`): an action
    #: known to be at or under these terms is not forbidden ("used only for billing")
    exempt: Terms = ()
    condition: Condition | None = None
    exception: Condition | None = None
    #: remedies (`must "promptly delete it"`): what is done when it happens anyway;
    #: a denial it decides carries them
    obligations: tuple[Obligation, ...] = ()
    #: `beyond 30 days` / `beyond transaction_complete`: it forbids keeping the data
    #: longer than this, not keeping it at all
    beyond: Period | None = None
    #: a prohibition the engine derives (see lowering.py): what it comes from
    #: ("choice", "right", "duty" or "do-not-track") and that clause's id
    origin: str | None = None
    source_clause: str | None = None


class PassedDuty(Node):
    """`recipients never use for marketing`: a duty a sharing passes to its recipients,
    which rides along with the share and decides the recipients' own later actions."""

    kind: Literal["passed"] = "passed"
    actions: tuple[str, ...]
    purposes: tuple[str, ...]


class Security(Clause):
    """A duty to protect data; it rides along as an obligation on every allow."""

    kind: ClassVar[str] = "security"
    data_verbs: ClassVar[tuple[str, ...]] = ("encrypt", "protect")
    measure: Literal["encrypt", "protect"] = "protect"
    data: tuple[str, ...] = ()
    states: tuple[State, ...] = ()
    #: the security measures it takes (`safeguard access_limitation, audits`), which
    #: ride along with every collection, sharing and retention of its data
    safeguards: tuple[str, ...] = ()
    means: str | None = None
    #: further duties (`must "regularly review our measures"`), riding along as its others
    obligations: tuple[Obligation, ...] = ()


class Disclaimer(Clause):
    """A statement the policy makes that decides no action (links, forums, ...)."""

    kind: ClassVar[str] = "disclaimer"
    about: tuple[str, ...] = ()  # recipients it disclaims (links, forums)

    @property
    def recipients(self) -> tuple[str, ...]:  # type: ignore[override]
        """Who the disclaimer is about: it decides nothing on them."""
        return self.about


AnyClause = Union[
    Collection, Use, Sharing, Retention, Notification, Right, Prohibition, Security, Disclaimer,
    ChoiceClause,
]
CLAUSE_KINDS: dict[str, type[Clause]] = {
    cls.kind: cls
    for cls in (Collection, Use, Sharing, Retention, Notification, Right, Prohibition,
                Security, Disclaimer, ChoiceClause)
}

def action_of(clause: Clause) -> str:
    """The action kind a permission decides (a sharing clause written `sell` sells)."""
    if isinstance(clause, Sharing) and clause.sells:
        return "sell"
    return ACTION_OF_KIND[clause.kind]


#: verbs under other verbs: a prohibition of sharing also forbids selling
PARENT_ACTION: dict[str, str] = {"sell": "share"}


def actions_under(action: str) -> tuple[str, ...]:
    """`action` and every action kind beneath it (what a prohibition of it forbids)."""
    return (action,) + tuple(a for a, parent in PARENT_ACTION.items() if parent == action)


#: the action each permission kind decides, and back
ACTION_OF_KIND: dict[str, str] = {
    "collection": "collect",
    "use": "use",
    "sharing": "share",
    "retention": "retain",
    "notification": "notify",
    "right": "exercise",
}
KIND_OF_ACTION: dict[str, str] = {action: kind for kind, action in ACTION_OF_KIND.items()}
KIND_OF_ACTION["sell"] = "sharing"  # a sharing clause written `sell`
#: prohibition verbs (`never keep ...`) to action kinds
ACTION_OF_VERB: dict[str, str] = {
    "collect": "collect", "use": "use", "share": "share", "sell": "sell", "keep": "retain",
    "notify": "notify",
}


# --------------------------------------------------------------------- header


class Contact(Node):
    channel: str
    value: str


class Complaints(Node):
    """Where to take a complaint that the organization did not resolve."""

    name: str
    url: str


class Header(Node):
    """Who makes the promise, about what, and how to reach them."""

    name: str
    organization: str | None = None
    version: str | None = None
    updated: date | None = None
    effective: date | None = None
    scope: str | None = None
    #: the sources the policy covers (`covers web_site, mobile_app`); none: all
    covers: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    complaints: tuple[Complaints, ...] = ()
    certifications: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    #: how the service answers a browser's Do Not Track signal (OPP-115): honored
    #: (tracking on other sites is denied to a person who sends it), ignored, unclear
    #: (mentioned without saying), or None when the policy does not mention it
    do_not_track: Literal["honored", "ignored", "unclear"] | None = None


class Comment(Node):
    """An editor's `#` comment, kept so a formatter can put it back."""

    text: str


class Include(Node):
    path: str


class Reference(Node):
    """Where a vocabulary term is named, so that checks can point at the very word."""

    vocab: Vocab
    key: str


class Document(Node):
    """One parsed file, in source order; `references` lists every term it names."""

    path: str
    header: Header | None = None
    includes: tuple[Include, ...] = ()
    terms: tuple[TermDef, ...] = ()
    facts: tuple[FactDef, ...] = ()
    clauses: tuple[AnyClause, ...] = ()
    sections: tuple[Section, ...] = ()
    wordings: tuple[Wording, ...] = ()
    comments: tuple[Comment, ...] = ()
    references: tuple[Reference, ...] = ()


class Policy(Node):
    """A whole policy: a root file and everything it includes, merged.

    `terms` and `facts` are only what the policy declares; the vocabulary
    (see vocabulary.py) adds the built-in defaults and fideslang's taxonomy.
    """

    root: str
    header: Header | None = None
    documents: tuple[Document, ...] = ()
    terms: tuple[TermDef, ...] = ()
    facts: tuple[FactDef, ...] = ()
    clauses: tuple[AnyClause, ...] = ()
    #: the author's sections, in file order (root first, then includes); () when none
    sections: tuple[Section, ...] = ()
    wordings: tuple[Wording, ...] = ()

    def clause(self, clause_id: str) -> AnyClause:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(clause_id)
