"""The model laid out as a privacy policy: sections, groups and paragraphs.

A policy written with `section` lines is published in the author's structure:
their sections, in their order, each clause where the author put it, so a
sentence stays beside what it refers to ("these partners"). The header's scope
and texts open the first section (clauses before the first section follow
them); its contacts and dates go to the sections at the end that hold no
clause (the author's "Questions" and "Last updated"), or to sections of their
own. A policy without sections gets the standard layout (`layout="standard"`),
the order published policies use: scope and audience, collection, use,
communications, choices, sharing, retention, security, access, other sites,
changes, contact, last updated.

Either way every clause lands in exactly one section, each section carries its
rules at a glance (glance.py) and the outline opens with the policy's summary
label. Templates only lay this structure out, so every format says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import re

from .. import model as m
from ..errors import UsageError
from ..vocabulary import Vocabulary
from . import words as w
from .glance import Fact, Glance, glance, summary
from .sentences import generate

#: the layouts `build` knows: the author's sections, or the standard one
LAYOUTS = ("sections", "standard")

#: (key, title) in the order a reader expects them
SECTIONS: tuple[tuple[str, str], ...] = (
    ("scope", "What this privacy policy covers"),
    ("collection", "Information we collect"),
    ("use", "How we use information"),
    ("communications", "Communications from us"),
    ("choices", "Your choices"),
    ("sharing", "Sharing and disclosure"),
    ("retention", "How long we keep information"),
    ("security", "Security"),
    ("access", "Accessing and correcting your information"),
    ("other-sites", "Other sites and public forums"),
    ("changes", "Changes to this policy"),
    ("contact", "Contact us"),
    ("updated", "Last updated"),
)
#: purposes whose uses are messages to the person, not processing
COMMUNICATION_PURPOSES = frozenset({"marketing.communications", "essential.service.notifications"})
#: rights that belong under "access and correction" rather than "your choices"
ACCESS_RIGHTS = frozenset({"access", "correction", "deletion"})
#: how collection groups are ordered after the event groups
_METHOD_GROUPS = ((m.Method.automatic, "Collected automatically"),
                  (m.Method.cookies, "Cookies"),
                  (m.Method.third_party, "From third parties"),
                  (m.Method.provided, "Information you give us"))


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: a clause's prose (or generated sentence), or a header statement."""

    text: str
    clause: str | None = None
    source: str = ""
    generated: bool = False
    kind: str = "paragraph"
    #: the sentence generated from the clause's rules (the review view shows it beside `text`)
    sentence: str = ""

    @property
    def anchor(self) -> str | None:
        return f"clause-{self.clause}" if self.clause else None

    @property
    def ref(self) -> str:
        return self.clause or "header"


@dataclass(frozen=True)
class Entry:
    """One line of a list, such as a contact: `Email: privacy@example.com`."""

    name: str
    value: str
    href: str | None = None


@dataclass(frozen=True)
class Listing:
    entries: tuple[Entry, ...]
    source: str = ""
    generated: bool = True
    kind: str = "list"
    ref: str = "header"
    clause: None = None


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    blocks: tuple[Paragraph | Listing, ...]

    @property
    def anchor(self) -> str:
        return f"group-{self.key}"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Paragraph | Listing, ...] = ()
    groups: tuple[Group, ...] = ()
    glance: Glance = Glance(())
    source: str = ""

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass(frozen=True)
class Outline:
    title: str
    organization: str
    updated: str | None
    sections: tuple[Section, ...]
    clause_ids: tuple[str, ...] = field(default=())
    summary: tuple[Fact, ...] = ()
    layout: str = "standard"

    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Every clause paragraph, in the order printed."""
        return tuple(block for section in self.sections
                     for block in section.blocks + tuple(b for g in section.groups
                                                         for b in g.blocks)
                     if isinstance(block, Paragraph) and block.clause)


def where(node: m.Node | None) -> str:
    """`file:line` of a node, for a legal reviewer; empty when it has no span."""
    span = node.span if node is not None else None
    return f"{span.file}:{span.line}" if span is not None else ""


def build(policy: m.Policy, vocab: Vocabulary, layout: str | None = None) -> Outline:
    """Lay out `policy` as a privacy policy: its own sections, or the standard layout.

    `layout` None takes the author's sections when the policy has any; "sections"
    for a policy without them is a `UsageError`.
    """
    if layout is None:
        layout = "sections" if policy.sections else "standard"
    if layout not in LAYOUTS:
        raise UsageError.single("unknown-layout", f"unknown layout `{layout}`; use "
                                "`sections` or `standard`")
    if layout == "sections":
        if not policy.sections:
            raise UsageError.single(
                "no-sections", "the policy has no sections to lay out",
                help="add `section \"Title\"` lines, or use `--layout standard`")
        return _authored(policy, vocab)
    return _standard(policy, vocab)


def paragraph(clause: m.AnyClause, policy: m.Policy, vocab: Vocabulary) -> Paragraph:
    """A clause's paragraph: its own text, else the generated sentence."""
    sentence = generate(clause, policy, vocab)
    if clause.text:
        return Paragraph(clause.text, clause.id, where(clause), sentence=sentence)
    return Paragraph(sentence, clause.id, where(clause), True, sentence=sentence)


def slug(title: str) -> str:
    """A heading's anchor as CommonMark renderers make it (GitHub's rule: lowercase,
    punctuation dropped, spaces to hyphens)."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-") or "section"


def _authored(policy: m.Policy, vocab: Vocabulary) -> Outline:
    """The author's sections, in their order, with their clauses in theirs."""
    header = policy.header
    organization = (header.organization if header else None) or "We"
    by_id = {clause.id: clause for clause in policy.clauses}
    placed = {cid for section in policy.sections for cid in section.clauses}
    order = {clause.id: i for i, clause in enumerate(policy.clauses)}
    first = min((order[cid] for cid in placed if cid in order), default=len(policy.clauses))
    loose = [c for c in policy.clauses if c.id not in placed]
    leading = [c for c in loose if order[c.id] < first]
    trailing = [c for c in loose if order[c.id] >= first]
    # the header's contacts and dates go to the author's closing sections without clauses
    closing = 0
    for section in reversed(policy.sections):
        if section.clauses:
            break
        closing += 1
    contact_at = len(policy.sections) - closing if closing else None
    updated_at = len(policy.sections) - 1 if closing else None
    contact = _contact_blocks(header, organization, vocab)
    updated = _updated_blocks(header)
    sections: list[Section] = []
    keys: dict[str, int] = {}
    for index, authored in enumerate(policy.sections):
        clauses = [by_id[cid] for cid in authored.clauses if cid in by_id]
        if index == 0:
            clauses = leading + clauses
        blocks: list[Paragraph | Listing] = []
        if index == 0:
            blocks += _scope_blocks(header)
        blocks += [Paragraph(text, source=where(authored)) for text in authored.texts]
        blocks += [paragraph(clause, policy, vocab) for clause in clauses]
        if index == contact_at:
            blocks += contact
        if index == updated_at:
            blocks += updated
        key = slug(authored.title)
        keys[key] = keys.get(key, 0) + 1
        if keys[key] > 1:
            key = f"{key}-{keys[key] - 1}"
        sections.append(Section(key, authored.title, tuple(blocks), (), glance(clauses, vocab),
                                where(authored)))
    if trailing:
        sections.append(Section("other-provisions", "Other provisions",
                                tuple(paragraph(c, policy, vocab) for c in trailing), (),
                                glance(trailing, vocab)))
    if contact_at is None:
        for key, title, blocks in (("contact-us", "Contact us", contact),
                                   ("last-updated", "Last updated", updated)):
            if blocks:
                sections.append(Section(key, title, tuple(blocks)))
    return Outline(
        title=header.name if header else "Privacy policy", organization=organization,
        updated=w.long_date(header.updated) if header and header.updated else None,
        sections=tuple(sections), clause_ids=tuple(c.id for c in policy.clauses),
        summary=summary(policy, vocab), layout="sections")


def _standard(policy: m.Policy, vocab: Vocabulary) -> Outline:
    """The fixed layout of a published policy, for a policy written without sections."""
    header = policy.header
    organization = (header.organization if header else None) or "We"
    buckets: dict[str, list[m.AnyClause]] = {key: [] for key, _ in SECTIONS}
    by_id = {clause.id: clause for clause in policy.clauses}
    attached = _attached_security(policy)
    for clause in policy.clauses:
        if clause.id not in attached.values():
            buckets[section_of(clause, vocab)].append(clause)

    def para(clause: m.AnyClause) -> Paragraph:
        return paragraph(clause, policy, vocab)

    sections = []
    for key, title in SECTIONS:
        blocks: list[Paragraph | Listing] = []
        groups: tuple[Group, ...] = ()
        if key == "collection":
            groups = _collection_groups(buckets[key], policy, attached, para, vocab)
        else:
            blocks = [para(clause) for clause in buckets[key]]
        if key == "scope":
            blocks = _scope_blocks(header) + blocks
        elif key == "contact":
            blocks = _contact_blocks(header, organization, vocab)
        elif key == "updated":
            blocks = _updated_blocks(header)
        if blocks or groups:
            members = [block.clause for block in blocks] + [
                block.clause for group in groups for block in group.blocks]
            sections.append(Section(key, title, tuple(blocks), groups, glance(
                [by_id[cid] for cid in members if cid], vocab)))
    return Outline(
        title=header.name if header else "Privacy policy", organization=organization,
        updated=w.long_date(header.updated) if header and header.updated else None,
        sections=tuple(sections), clause_ids=tuple(c.id for c in policy.clauses),
        summary=summary(policy, vocab), layout="standard")


def section_of(clause: m.AnyClause, vocab: Vocabulary) -> str:
    """The section a clause is printed in (collection groups come later)."""
    if isinstance(clause, m.Prohibition):
        return _prohibition_section(clause)
    if isinstance(clause, m.Disclaimer):
        return "other-sites" if clause.recipients else "scope"
    if isinstance(clause, m.Right):
        return "access" if set(clause.rights) & ACCESS_RIGHTS else "choices"
    if clause.kind == "choice":
        return "choices"
    if isinstance(clause, m.Notification):
        if "policy_change" in clause.events:
            return "changes"
        if clause.timing is not None and clause.timing.when == "before":
            return "sharing"
        return "communications"
    if isinstance(clause, m.Use):
        communication = any(set(vocab.ancestors(m.Vocab.purpose, p)) & COMMUNICATION_PURPOSES
                            for p in clause.purposes)
        return "communications" if communication else "use"
    return {"collection": "collection", "sharing": "sharing", "retention": "retention",
            "security": "security"}.get(clause.kind, "other-sites")


def _prohibition_section(clause: m.Prohibition) -> str:
    if "subject_age" in m.condition_facts(clause.condition):
        return "scope"  # who may use the service at all
    for action, section in (("collect", "collection"), ("share", "sharing"), ("use", "use"),
                            ("retain", "retention"), ("notify", "communications")):
        if action in clause.actions:
            return section
    return "scope"


def _attached_security(policy: m.Policy) -> dict[str, str]:
    """Collection id -> the security clause that protects exactly what it collects.

    Such a duty reads best right after the collection ("this information is
    encrypted ..."), as published policies put it.
    """
    attached: dict[str, str] = {}
    collections = [c for c in policy.clauses if isinstance(c, m.Collection)]
    for clause in policy.clauses:
        if not isinstance(clause, m.Security) or not clause.data:
            continue
        for collection in collections:
            if set(collection.data) == set(clause.data) and collection.id not in attached:
                attached[collection.id] = clause.id
                break
    return attached


def _collection_groups(clauses: list[m.AnyClause], policy: m.Policy, attached: dict[str, str],
                       para, vocab: Vocabulary) -> tuple[Group, ...]:
    """Collection grouped by when (event) and how (method), as policies tell it."""
    grouped: dict[str, list[Paragraph]] = {}
    titles: dict[str, str] = {}
    for clause in clauses:
        key, title = _group_of(clause, vocab)
        titles.setdefault(key, title)
        grouped.setdefault(key, []).append(para(clause))
        if clause.id in attached:
            grouped[key].append(para(policy.clause(attached[clause.id])))
    order = [k for k in grouped if k.startswith("event-")] + \
        [f"method-{method.value}" for method, _ in _METHOD_GROUPS] + ["other", "never"]
    return tuple(Group(key, titles[key], tuple(grouped[key])) for key in order if key in grouped)


def _group_of(clause: m.AnyClause, vocab: Vocabulary) -> tuple[str, str]:
    events = getattr(clause, "events", ())
    if events:
        return f"event-{events[0]}", w.capitalize(w.label(vocab, m.Vocab.event, events[0]))
    if isinstance(clause, m.Prohibition):
        return "never", "Information we never collect"
    for method, title in _METHOD_GROUPS:
        if method in getattr(clause, "methods", ()):
            return f"method-{method.value}", title
    return "other", "Other information"


def _scope_blocks(header: m.Header | None) -> list[Paragraph | Listing]:
    if header is None:
        return []
    source = where(header)
    blocks: list[Paragraph | Listing] = []
    if header.scope:
        blocks.append(Paragraph(w.sentence(f"this privacy policy covers {header.scope}"),
                                source=source, generated=True))
    blocks.extend(Paragraph(text, source=source) for text in header.texts)
    return blocks


def _contact_blocks(header: m.Header | None, organization: str,
                    vocab: Vocabulary) -> list[Paragraph | Listing]:
    if header is None or not (header.contacts or header.complaints or header.certifications):
        return []
    source = where(header)
    blocks: list[Paragraph | Listing] = []
    if header.contacts:
        blocks.append(Paragraph(f"If you have questions or suggestions, you can contact "
                                f"{organization} at:", source=source, generated=True))
        blocks.append(Listing(tuple(_contact_entry(c, vocab) for c in header.contacts), source))
    for cert in header.certifications:
        article = "" if cert.lower().startswith("the ") else "the "
        blocks.append(Paragraph(w.sentence(f"{organization}'s privacy practices are reviewed "
                                           f"under {article}{cert}"),
                                source=source, generated=True))
    for route in header.complaints:
        blocks.append(Paragraph(
            f"If your concern is not resolved by {organization}, you may take your complaint "
            f"to {route.name} at {route.url}.", source=source, generated=True))
    return blocks


def _contact_entry(contact: m.Contact, vocab: Vocabulary) -> Entry:
    name = w.capitalize(w.label(vocab, m.Vocab.channel, contact.channel))
    href = None
    if contact.channel == "email" or vocab.ancestors(m.Vocab.channel, contact.channel)[-1:] == (
            "email",):
        href = f"mailto:{contact.value}"
    elif contact.channel == "phone":
        href = "tel:" + "".join(ch for ch in contact.value if ch.isdigit() or ch == "+")
    return Entry(name, contact.value, href)


def _updated_blocks(header: m.Header | None) -> list[Paragraph | Listing]:
    if header is None or (header.updated is None and header.effective is None):
        return []
    source = where(header)
    blocks: list[Paragraph | Listing] = []
    if header.updated is not None:
        blocks.append(Paragraph(f"This policy was last updated on {w.long_date(header.updated)}.",
                                source=source, generated=True))
    if header.effective is not None:
        blocks.append(Paragraph(f"It takes effect on {w.long_date(header.effective)}.",
                                source=source, generated=True))
    return blocks
