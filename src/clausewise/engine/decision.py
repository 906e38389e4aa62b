"""A decision is a value: the effect and the clauses that determined it.

Like Cedar's `Response`, it holds ids and structured facts, never prose; the JSON
and text explanations (explain.py) are derived from it and the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .. import model as m

Effect = Literal["allow", "deny"]
#: what a clause did in a decision
Role = Literal[
    "permits",      # a permission that matched and whose condition holds
    "forbids",      # a prohibition that applies
    "requires",     # a duty (notice, encryption) that is not met
    "unmet",        # a permission that matched but whose condition does not hold
    "near",         # a permission for this kind and data that differs in some dimension
    "no-clause",    # nothing of this kind covers the data at all
    "assumes",      # a prohibition that would apply if a missing fact were so
    "outside",      # the action comes through a source the policy does not cover
]


@dataclass(frozen=True, slots=True)
class Reason:
    role: Role
    clause: str | None
    category: str | None = None
    needs: tuple[str, ...] = ()       # condition parts or dimensions that would have to change
    missing: tuple[str, ...] = ()     # facts the context did not give
    given: tuple[tuple[str, bool | int], ...] = ()  # facts whose given value made a part fail


@dataclass(frozen=True, slots=True)
class Duty:
    """An obligation that comes with an allow, and the clause it comes from."""

    clause: str
    obligation: m.Obligation


@dataclass(frozen=True, slots=True)
class Decision:
    effect: Effect
    reasons: tuple[Reason, ...]
    obligations: tuple[Duty, ...] = ()
    #: a denial's remedies: what the deciding prohibitions promise if it happens anyway
    remedies: tuple[Duty, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.effect == "allow"

    @property
    def clause_ids(self) -> tuple[str, ...]:
        """The determining clauses: permits for an allow, the blockers for a deny."""
        wanted = ("permits",) if self.allowed else ("forbids", "requires", "unmet", "outside")
        seen: dict[str, None] = {}
        for reason in self.reasons:
            if reason.role in wanted and reason.clause is not None:
                seen.setdefault(reason.clause, None)
        return tuple(seen)

    @property
    def unmet(self) -> tuple[Reason, ...]:
        """What would have to change for a deny to become an allow.

        Empty for an allow, and for a deny that an unconditional prohibition decides:
        no change of facts or dimensions can lift that one.
        """
        if self.allowed or any(r.role == "forbids" and not r.needs for r in self.reasons):
            return ()
        return tuple(r for r in self.reasons
                     if r.role in ("forbids", "unmet", "requires", "near", "outside") and r.needs)
