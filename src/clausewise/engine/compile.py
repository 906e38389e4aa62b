"""Model -> compiled clauses, indexed by the dimensions an action fixes.

A permission is filed under its action kind and each data category it names, so
a decision looks up the action's categories and their ancestors (a handful of
dict hits) instead of scanning every clause. Prohibitions are filed under their
categories and every ancestor of them, because they apply on any overlap: an
action on `user` may include the `user.health_and_medical` that a prohibition
names. `scan_candidates` is the unindexed slow path that tests hold the index to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .. import model as m
from ..lowering import rules
from ..vocabulary import Vocabulary
from .conditions import Compiled, compile_condition, effective_condition
from .decision import Duty

Dims = tuple[tuple[str, m.Vocab, frozenset[str] | None], ...]


@dataclass(slots=True)
class CompiledClause:
    """A clause with its sets and condition precomputed; `order` is its position."""

    clause: m.AnyClause
    order: int
    data: frozenset[str] | None
    dims: Dims                      # (action field, vocabulary, allowed keys), as stated
    condition_node: m.Condition | None
    condition: Compiled | None
    duties: tuple[Duty, ...] = ()            # a permission's obligations
    notice: Duty | None = None               # a notification's duty on its event
    encrypts: bool = False                   # a security clause that encrypts
    state_duties: dict[str, tuple[Duty, ...]] | None = None  # security: per action kind
    exception_node: m.Condition | None = None  # a prohibition's `unless`
    exempt: Dims = ()                        # a prohibition's `except` dimensions
    exception: Compiled | None = None
    bound: m.Period | None = None            # a prohibition's `beyond`: keeping within it is out


#: each action field that is a dimension -> its vocabulary, in the table's order
VOCAB_OF_FIELD = {d.name: d.vocab for d in m.DIMENSIONS}
#: which security states an action kind is subject to
STATES_OF_ACTION = {"collect": (m.State.in_transit,), "share": (m.State.in_transit,),
                    "sell": (m.State.in_transit,), "retain": (m.State.at_rest,)}


def _compile(clause: m.AnyClause, order: int) -> CompiledClause:
    # only the dimensions the clause states: one it leaves out matches anything
    dims = tuple((name, m.DIMENSION[name].vocab, frozenset(keys)) for name, keys in clause.terms
                 if clause.kind in m.DIMENSION[name].kinds)
    node = effective_condition(clause)
    item = CompiledClause(
        clause=clause, order=order, data=frozenset(getattr(clause, "data", ())) or None,
        dims=dims, condition_node=node,
        condition=compile_condition(node) if node is not None else None,
        duties=tuple(Duty(clause.id, ob) for ob in getattr(clause, "obligations", ()))
        + _end_duties(clause) + _answer_duties(clause) + _passed_duties(clause))
    if isinstance(clause, m.Prohibition):
        item.exempt = tuple((name, m.DIMENSION[name].vocab, frozenset(keys))
                            for name, keys in clause.exempt)
        item.bound = clause.beyond
    if isinstance(clause, m.Prohibition) and clause.exception is not None:
        item.exception_node = clause.exception
        item.exception = compile_condition(clause.exception)
    if isinstance(clause, m.Notification):
        item.notice = Duty(clause.id, m.NotifyDuty(timing=clause.timing,
                                                   channels=clause.channels))
    if isinstance(clause, m.Security):
        item.encrypts = clause.measure == "encrypt"
        measures = tuple(Duty(clause.id, m.SafeguardDuty(safeguard=key, means=clause.means))
                         for key in clause.safeguards) + \
            tuple(Duty(clause.id, ob) for ob in clause.obligations)
        item.state_duties = {
            action: tuple(Duty(clause.id, _protection(clause, state))
                          for state in clause.states if state in states) + measures
            for action, states in STATES_OF_ACTION.items()}
    return item


def _end_duties(clause: m.AnyClause) -> tuple[Duty, ...]:
    """A retention's implied duty (delete at the end, or once no longer needed)."""
    duty = clause.end_duty if isinstance(clause, m.Retention) else None
    return (Duty(clause.id, duty),) if duty is not None else ()


def _answer_duties(clause: m.AnyClause) -> tuple[Duty, ...]:
    """A right answered `within N days`: the duty to answer, by the right's channels."""
    if isinstance(clause, m.Right) and clause.timing is not None:
        return (Duty(clause.id, m.NotifyDuty(timing=clause.timing, channels=clause.channels)),)
    return ()


def _passed_duties(clause: m.AnyClause) -> tuple[Duty, ...]:
    """What a sharing binds its recipients to, riding along with the share."""
    if not isinstance(clause, m.Sharing):
        return ()
    return tuple(Duty(clause.id, m.FreeDuty(text="bind the recipients never to "
                                                 + ", ".join(duty.actions) + " it for "
                                                 + ", ".join(duty.purposes)))
                 for duty in clause.passes)


def _protection(clause: m.Security, state: m.State) -> m.Obligation:
    if clause.measure == "encrypt":
        return m.EncryptDuty(state=state)
    means = f" using {clause.means}" if clause.means else ""
    return m.FreeDuty(text=f"protect it {state.value}{means}")


class CompiledPolicy:
    """The clauses of one policy, indexed for decisions."""

    def __init__(self, policy: m.Policy, vocabulary: Vocabulary) -> None:
        self.policy = policy
        self.vocabulary = vocabulary
        #: the clauses decisions are made on: the author's and those derived from them
        self.rules = rules(policy)
        #: every id a decision may name -> its clause: the author's clause where it wrote
        #: one (a choice, not the prohibition derived from it), else the derived rule
        self.clauses = {**{clause.id: clause for clause in self.rules},
                        **{clause.id: clause for clause in policy.clauses}}
        #: the prohibitions derived from choices, rights, duties and Do Not Track, by id
        self.derived = {clause.id: clause for clause in self.rules
                        if isinstance(clause, m.Prohibition) and clause.origin is not None}
        #: each prohibition's remedies, by clause id
        self.remedies = {clause.id: tuple(Duty(clause.id, ob) for ob in clause.obligations)
                         for clause in self.rules
                         if isinstance(clause, m.Prohibition) and clause.obligations}
        #: the clauses an action's `choices` and `exercised` may name, and the fact each sets
        self.records = {clause.id: clause for clause in policy.clauses
                        if isinstance(clause, m.ChoiceClause)
                        or isinstance(clause, m.Right) and clause.fact}
        #: the day the policy takes effect (YYYY-MM-DD): earlier actions are outside it
        header = policy.header
        self.effective = header.effective.isoformat() if header and header.effective else None
        #: the sources the policy covers (empty: it names none, and covers all)
        self.covers = frozenset(policy.header.covers if policy.header else ())
        #: what an action outside the scope needs, in words (made once, not per decision)
        self.covered_needs = (f"source under {' or '.join(sorted(self.covers))}",)
        #: the scope as a rule on the source dimension, for the diff (None: no scope)
        self.scope = CompiledClause(
            clause=policy.header, order=-1, data=None,  # type: ignore[arg-type]
            dims=(("source", m.Vocab.source, self.covers),), condition_node=None,
            condition=None) if self.covers else None
        # Each look-up depends only on (kind, category), so its result is memoised:
        # a decision then costs a few dict hits per category.
        self.permit_candidates = lru_cache(maxsize=None)(self._permit_candidates)
        self.prohibition_candidates = lru_cache(maxsize=None)(self._prohibition_candidates)
        self.security_candidates = lru_cache(maxsize=None)(self._security_candidates)
        self.permits_for = lru_cache(maxsize=1 << 16)(self._permits_for)
        compiled = [_compile(clause, order) for order, clause in enumerate(self.rules)]
        self.permits: dict[str, list[CompiledClause]] = defaultdict(list)
        self.permits_by_data: dict[tuple[str, str | None], list[CompiledClause]] = \
            defaultdict(list)
        self.prohibitions: dict[str, list[CompiledClause]] = defaultdict(list)
        self.prohibitions_by_data: dict[tuple[str, str | None], list[CompiledClause]] = \
            defaultdict(list)
        self.prohibitions_below: dict[tuple[str, str], list[CompiledClause]] = defaultdict(list)
        self.notices_before: dict[str, list[CompiledClause]] = defaultdict(list)
        self.notices_other: dict[str, list[CompiledClause]] = defaultdict(list)
        self.security: dict[tuple[str, str], list[CompiledClause]] = defaultdict(list)
        self.security_below: dict[tuple[str, str], list[CompiledClause]] = defaultdict(list)
        for item in compiled:
            clause = item.clause
            if isinstance(clause, m.Prohibition):
                self._file_prohibition(item)
            elif isinstance(clause, m.Security):
                self._file_security(item)
            elif isinstance(clause, m.Permission):
                action = m.action_of(clause)
                self.permits[action].append(item)
                for key in clause.data or (None,):
                    self.permits_by_data[(action, key)].append(item)
                if isinstance(clause, m.Right) and clause.data:  # a request may name no data
                    self.permits_by_data[(action, None)].append(item)
                if isinstance(clause, m.Notification):
                    table = self.notices_before if clause.timing is not None and \
                        clause.timing.when == "before" else self.notices_other
                    for event in clause.events:
                        table[event].append(item)

    def _file_prohibition(self, item: CompiledClause) -> None:
        clause = item.clause
        assert isinstance(clause, m.Prohibition)
        # a prohibition of an action also forbids the actions under it (sharing: selling)
        for action in dict.fromkeys(a for verb in clause.actions for a in m.actions_under(verb)):
            self.prohibitions[action].append(item)
            for key in clause.data or (None,):
                self.prohibitions_by_data[(action, key)].append(item)
                if key is None:
                    continue
                for above in self.vocabulary.ancestors(m.Vocab.category, key)[1:]:
                    self.prohibitions_below[(action, above)].append(item)

    def _file_security(self, item: CompiledClause) -> None:
        """Under each action kind whose states it covers, by category and its ancestors."""
        clause = item.clause
        assert isinstance(clause, m.Security) and item.state_duties is not None
        for action, duties in item.state_duties.items():
            if not duties:
                continue
            for key in clause.data:
                self.security[(action, key)].append(item)
                for above in self.vocabulary.ancestors(m.Vocab.category, key)[1:]:
                    self.security_below[(action, above)].append(item)

    # ------------------------------------------------------------- look-ups
    def _security_candidates(self, action: str, category: str) -> list[CompiledClause]:
        """Security clauses for this kind whose data overlaps `category`, in source order."""
        found = list(self.security_below.get((action, category), ()))
        for key in self.vocabulary.ancestors(m.Vocab.category, category):
            found.extend(self.security.get((action, key), ()))
        if len(found) > 1:
            found = sorted({id(c): c for c in found}.values(), key=_order)
        return found

    def _permits_for(self, action: str, category: str | None,
                     terms: tuple[str | None, ...]) -> list[CompiledClause]:
        """`permit_candidates` narrowed to those whose every dimension admits the action's.

        The second level of the index: `terms` are the action's values for the fields
        of VOCAB_OF_FIELD, in order. Dense policies file many clauses under one
        category; actions of one shape recur, so the narrowed list is memoised too.
        """
        above = {field: set(self.vocabulary.ancestors(vocab, value)) if value else None
                 for (field, vocab), value in zip(VOCAB_OF_FIELD.items(), terms)}
        return [c for c in self.permit_candidates(action, category)
                if all(allowed is None or (above[field] is not None
                                           and not allowed.isdisjoint(above[field]))
                       for field, _vocab, allowed in c.dims)]

    def _permit_candidates(self, action: str, category: str | None) -> list[CompiledClause]:
        """Permissions of this kind whose data covers `category`, in source order.

        A permission that names no data (a notification, a right) covers only actions
        that name none: a notice carrying health data needs a clause that says so.
        """
        table = self.permits_by_data
        if category is None:
            return list(table.get((action, None), ()))
        found: list[CompiledClause] = []
        for key in self.vocabulary.ancestors(m.Vocab.category, category):
            found.extend(table.get((action, key), ()))
        if len(found) > 1:  # a clause naming a category and its ancestor is filed twice
            found = sorted({id(c): c for c in found}.values(), key=_order)
        return found

    def _prohibition_candidates(self, action: str, category: str | None) -> list[CompiledClause]:
        """Prohibitions of this kind whose data overlaps `category`, in source order."""
        found = list(self.prohibitions_by_data.get((action, None), ()))
        if category is not None:
            for key in self.vocabulary.ancestors(m.Vocab.category, category):
                found.extend(self.prohibitions_by_data.get((action, key), ()))
            found.extend(self.prohibitions_below.get((action, category), ()))
        if len(found) > 1:
            found = sorted({id(c): c for c in found}.values(), key=_order)
        return found

    # --------------------------------------------------------- the slow path
    def scan_permits(self, action: str, category: str | None) -> list[CompiledClause]:
        """`permit_candidates` without the index: every permission, filtered."""
        ancestors = set(self.vocabulary.ancestors(m.Vocab.category, category)) \
            if category is not None else set()
        return [c for c in self.permits.get(action, ())
                if (category is None and (c.data is None or isinstance(c.clause, m.Right)))
                or (c.data is not None and category is not None and c.data & ancestors)]

    def scan_prohibitions(self, action: str, category: str | None) -> list[CompiledClause]:
        """`prohibition_candidates` without the index."""
        out = []
        for c in self.prohibitions.get(action, ()):
            if c.data is None:
                out.append(c)
            elif category is not None and any(
                    self.vocabulary.ancestors(m.Vocab.category, category).count(d)
                    or category in self.vocabulary.ancestors(m.Vocab.category, d)
                    for d in c.data):
                out.append(c)
        return out


def _order(item: CompiledClause) -> int:
    return item.order
