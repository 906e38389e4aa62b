"""A decision is a value: the effect, the rulings that determined it, its duties.

Like Cedar's `Response`, it holds ids and structured facts, never prose. A
`Ruling` is one clause's part in the decision: its role, the data items it
decided and the facts and dimensions it turned on. The detailed reasons (what
each condition part needed, the nearest permissions, the assumptions) and the
JSON and text explanations are derived from the decision on request (explain.py),
lazily, so that a caller who wants only the value pays nothing for the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .. import model as m

if TYPE_CHECKING:  # pragma: no cover
    from .action import Action
    from .compile import CompiledPolicy

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
#: the roles that decide: a ruling has one of them
DECIDING = ("permits", "forbids", "requires", "unmet", "no-clause", "outside")


@dataclass(frozen=True, slots=True)
class Ruling:
    """One clause's part in a decision (`clause` None: the default or the scope)."""

    role: Role
    clause: str | None
    data: tuple[str | None, ...] = ()     # the data items it decided
    facts: tuple[str, ...] = ()           # the facts its condition tests
    dimensions: tuple[str, ...] = ()      # the dimensions it constrains


@dataclass(frozen=True, slots=True)
class Reason:
    """A ruling in detail, for one data item: derived for explanations only."""

    role: Role
    clause: str | None
    category: str | None = None
    needs: tuple[str, ...] = ()       # condition parts or dimensions that would have to change
    missing: tuple[str, ...] = ()     # facts the context did not give
    given: tuple[tuple[str, bool | int | str], ...] = ()  # facts whose value made a part fail


@dataclass(frozen=True, slots=True)
class Duty:
    """An obligation that comes with an allow, and the clause it comes from."""

    clause: str
    obligation: m.Obligation


class Basis:
    """What a decision was made from, kept to derive its explanation on request.

    The action is rebuilt from its validated shape and its context only when asked.
    """

    __slots__ = ("policy", "_shape", "_context", "_action", "memo")

    def __init__(self, policy: CompiledPolicy, shape: Action, context: dict | None = None
                 ) -> None:
        self.policy, self._shape, self._context = policy, shape, context
        self._action: Action | None = shape if context is None else None
        self.memo: dict[str, Any] = {}

    @property
    def action(self) -> Action:
        if self._action is None:
            self._action = self._shape.model_copy(update={"context": self._context})
        return self._action


@dataclass(frozen=True, slots=True)
class Decision:
    effect: Effect
    rulings: tuple[Ruling, ...]
    obligations: tuple[Duty, ...] = ()
    #: a denial's remedies: what the deciding prohibitions promise if it happens anyway
    remedies: tuple[Duty, ...] = ()
    #: what it was decided from (not part of the value: two equal decisions may differ here)
    basis: Basis | None = field(default=None, compare=False, repr=False)

    @property
    def allowed(self) -> bool:
        return self.effect == "allow"

    @property
    def clause_ids(self) -> tuple[str, ...]:
        """The determining clauses: permits for an allow, the blockers for a deny."""
        return tuple(dict.fromkeys(r.clause for r in self.rulings if r.clause is not None))

    @property
    def by_data(self) -> dict[str | None, tuple[str, ...]]:
        """Each data item and the clauses that decided it."""
        found: dict[str | None, dict[str, None]] = {}
        for ruling in self.rulings:
            for item in ruling.data:
                if ruling.clause is not None:
                    found.setdefault(item, {})[ruling.clause] = None
        return {item: tuple(ids) for item, ids in found.items()}

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Every reason in detail, one per clause and data item (derived, then kept)."""
        from .explain import reasons
        return reasons(self)

    @property
    def unmet(self) -> tuple[Reason, ...]:
        """What each blocking clause would need for a deny to become an allow.

        Empty for an allow, and for a deny that an unconditional prohibition decides:
        no change of facts or dimensions can lift that one. What changes of the action
        do allow it, tried and checked, is `explain.suggestions`.
        """
        if self.allowed:
            return ()
        found = self.reasons
        if any(r.role == "forbids" and not r.needs for r in found):
            return ()
        return tuple(r for r in found
                     if r.role in ("forbids", "unmet", "requires", "near", "outside") and r.needs)
