"""What every privacy policy must state (CW401-CW405), and what the GDPR and the
CCPA add for a policy that names the people they protect (CW406-CW408).

The list follows GDPR Art. 13 and the CCPA's notice at collection, read as the
structure that says each: a retention clause, a notice on `policy_change`, a
contact, an audience (an age or children's data), a security clause, legal bases
and rights granted. A right counts when a `right` clause grants a term at or under
it, or a term whose key or label says it (a policy may define `erasure`).
"""

from __future__ import annotations

import re

from .. import model as m
from ..vocabulary import Vocabulary
from .codes import Finding, finding

#: a requirement -> words that name it in a right's key, label or ancestors
GDPR_RIGHTS = {
    "access": ("access", "know"), "correction": ("correct", "rectif"),
    "deletion": ("delet", "erase", "erasure"), "portability": ("portab",),
    "objection": ("object",), "restriction": ("restrict",),
}
CCPA_RIGHTS = {"access": ("access", "know"), "deletion": ("delet", "erase", "erasure"),
               "correction": ("correct", "rectif")}
CCPA_OPT_OUT = {"opt-out of sale or sharing": ("opt_out", "opt out", "do not sell")}
_EEA = re.compile(r"\b(european economic area|european union|gdpr|eea)\b", re.I)
_CALIFORNIA = re.compile(r"\b(california|ccpa|cpra)\b", re.I)


def completeness(policy: m.Policy, vocabulary: Vocabulary) -> list[Finding]:
    header = policy.header
    if header is None:  # a file of definitions only, linted on its own: not a policy
        return []
    span = header.span
    clauses = policy.clauses
    out: list[Finding] = []

    def missing(code: str, what: str) -> None:
        out.append(finding(code, f"the policy {what}", span))

    if not any(isinstance(c, m.Retention) or
               (isinstance(c, m.Prohibition) and "keep" in c.actions) for c in clauses):
        missing("CW401", "says nothing about how long data is kept")
    if not any(isinstance(c, m.Notification) and
               any("policy_change" in vocabulary.ancestors(m.Vocab.event, e) for e in c.events)
               for c in clauses):
        missing("CW402", "does not say how changes to it are announced")
    if not header.contacts:
        missing("CW403", "gives no way to contact the organization")
    if not _audience(policy):
        missing("CW404", "says nothing about children or the age of its users")
    if not any(isinstance(c, m.Security) for c in clauses):
        missing("CW405", "says nothing about how data is protected")
    names = _places_named(policy, vocabulary)
    if "eea" in names:
        if not any(c.bases for c in clauses if isinstance(c, m.Permission)):
            missing("CW406", "names people in the EEA but gives no legal basis (`basis`)")
        lacking = _lacking(policy, vocabulary, GDPR_RIGHTS)
        if _withdrawal_needed(clauses) and not _grants(policy, vocabulary, ("withdraw",)):
            lacking.append("withdraw consent")
        if lacking:
            missing("CW407", "names people in the EEA but grants no right to " +
                    ", ".join(lacking))
    if "california" in names:
        wanted = dict(CCPA_RIGHTS)
        if any(isinstance(c, m.Sharing) and (c.sells or _advertising(c, vocabulary))
               for c in clauses):
            wanted.update(CCPA_OPT_OUT)
        lacking = _lacking(policy, vocabulary, wanted)
        if lacking:
            missing("CW408", "names California residents but grants no right to " +
                    ", ".join(lacking))
    return out


def _audience(policy: m.Policy) -> bool:
    for clause in policy.clauses:
        for root in (getattr(clause, "condition", None), getattr(clause, "exception", None)):
            if "subject_age" in m.condition_facts(root):
                return True
        keys = tuple(getattr(clause, "data", ())) + clause.subjects
        if any("child" in key or "minor" in key for key in keys):
            return True
    return False


def _places_named(policy: m.Policy, vocabulary: Vocabulary) -> set[str]:
    """`eea` and `california` when the policy names them: a place, an enum fact's
    value, or the words in its header."""
    found: set[str] = set()
    for document in policy.documents:
        for ref in document.references:
            if ref.vocab is m.Vocab.place:
                above = vocabulary.ancestors(m.Vocab.place, ref.key)
                found |= {p for p in ("eea", "california") if p in above}
    for fact in policy.facts:
        found |= {p for p in ("eea", "california") if p in fact.values}
    header = policy.header
    words = " ".join((header.scope or "", *header.texts)) if header is not None else ""
    if _EEA.search(words):
        found.add("eea")
    if _CALIFORNIA.search(words):
        found.add("california")
    return found


def _granted(policy: m.Policy, vocabulary: Vocabulary) -> list[str]:
    """Every right granted, with its ancestors, labels and the clause's own words (a
    clause granting `opt_out` that says "withdraw your consent" grants withdrawal)."""
    texts = []
    for clause in policy.clauses:
        if clause.kind in ("right", "choice") and clause.rights:
            texts.append(f"{clause.id} {clause.text or ''}".lower())
            for key in clause.rights:
                for above in vocabulary.ancestors(m.Vocab.right, key):
                    texts.append(f"{above} {vocabulary.label(m.Vocab.right, above)}".lower())
    return texts


def _grants(policy: m.Policy, vocabulary: Vocabulary, words: tuple[str, ...]) -> bool:
    return any(word in text for text in _granted(policy, vocabulary) for word in words)


def _lacking(policy: m.Policy, vocabulary: Vocabulary,
             wanted: dict[str, tuple[str, ...]]) -> list[str]:
    return [name for name, words in wanted.items() if not _grants(policy, vocabulary, words)]


def _withdrawal_needed(clauses: tuple[m.AnyClause, ...]) -> bool:
    """Processing based on consent brings the right to withdraw it (Art. 13(2)(c))."""
    return any(isinstance(c, m.Permission) and "consent" in c.bases for c in clauses)


def _advertising(clause: m.Sharing, vocabulary: Vocabulary) -> bool:
    return any("advertiser" in vocabulary.ancestors(m.Vocab.recipient, r)
               for r in clause.recipients)
