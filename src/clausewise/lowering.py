"""Policy -> the rules decisions are made on: the author's clauses, plus the prohibitions
that their choices, rights, passed duties and the header's Do Not Track answer imply.

A choice, the effect of a right or a duty passed to a recipient is a promise that some
actions will not happen once a fact holds; stated as a prohibition, it is decided,
diffed and compiled to SQL by the same machinery as the prohibitions the author wrote.
Each derived prohibition keeps its origin and the id of the clause it comes from, so a
decision points at the author's words. The author's model (what renderers and the
formatter read) is left as it was written.
"""

from __future__ import annotations

from . import model as m

#: the prohibition the header's `do-not-track honored` implies
DNT_ID = "do-not-track"


def rules(policy: m.Policy) -> tuple[m.AnyClause, ...]:
    """The clauses that decide actions, in source order, each derived rule right after
    the clause it comes from (the header's, first)."""
    out: list[m.AnyClause] = list(_from_header(policy.header))
    for clause in policy.clauses:
        out.append(clause)
        out.extend(derived(clause))
    return tuple(out)


def derived(clause: m.AnyClause) -> tuple[m.Prohibition | m.Right, ...]:
    """The prohibitions one clause implies (none for most clauses)."""
    if isinstance(clause, m.ChoiceClause):
        return (_choice(clause),) + _offer(clause)
    if isinstance(clause, m.Right) and clause.stops and clause.fact:
        return (_right_effect(clause),)
    if isinstance(clause, m.Sharing) and clause.passes:
        return tuple(_passed(clause, index, duty) for index, duty in enumerate(clause.passes))
    return ()


def effect_id(clause_id: str) -> str:
    """The id of a right's effect: the right's id and `.after` (no clause id has a dot)."""
    return f"{clause_id}.after"


def duty_id(clause_id: str, index: int) -> str:
    return f"{clause_id}.duty" if index == 0 else f"{clause_id}.duty{index + 1}"


def _scope(clause: m.Clause, kind: str = "prohibition") -> m.Terms:
    """The clause's terms on the dimensions a prohibition takes (a choice's `via` says how
    it is made, not what it governs)."""
    return tuple((name, keys) for name, keys in clause.terms
                 if kind in m.DIMENSION[name].kinds and name not in m.CHOICE_MEANS)


def _choice(clause: m.ChoiceClause) -> m.Prohibition:
    fact = m.FactIsTrue(fact=clause.sets, span=clause.span)
    if clause.choice is m.Choice.opt_out:
        condition, exception = fact, None          # once opted out, never
    elif clause.conduct:
        condition, exception = m.Not(operand=fact, span=clause.span), None  # only a refusal
    else:
        condition, exception = None, fact          # never, unless the person opted in
    return m.Prohibition(id=clause.id, text=clause.text, terms=_scope(clause),
                         actions=clause.actions, data=clause.data, condition=condition,
                         exception=exception, origin="choice", source_clause=clause.id,
                         span=clause.span)


def _offer(clause: m.ChoiceClause) -> tuple[m.Right, ...]:
    """A choice that `grants` a right may be made as a request through its channels: an
    `exercise` action of that right, by that channel, is permitted (same id)."""
    if not clause.rights:
        return ()
    terms = tuple((name, keys) for name, keys in clause.terms
                  if name in ("right", "channel", "subject", "actor", "residence"))
    return (m.Right(id=clause.id, text=clause.text, terms=terms, span=clause.span),)


def _right_effect(clause: m.Right) -> m.Prohibition:
    scope = tuple((name, keys) for name, keys in clause.terms if name in ("subject",))
    return m.Prohibition(id=effect_id(clause.id), text=clause.text, terms=scope,
                         actions=clause.stops, data=clause.data,
                         condition=m.FactIsTrue(fact=clause.fact, span=clause.span),
                         exempt=clause.exempt, origin="right", source_clause=clause.id,
                         span=clause.span)


def _passed(clause: m.Sharing, index: int, duty: m.PassedDuty) -> m.Prohibition:
    terms = tuple((name, keys) for name, keys in clause.terms
                  if name in ("recipient", "subject")) + (("purpose", duty.purposes),)
    ordered = tuple((d.name, dict(terms)[d.name]) for d in m.DIMENSIONS if d.name in dict(terms))
    return m.Prohibition(id=duty_id(clause.id, index), text=clause.text, terms=ordered,
                         actions=duty.actions, data=clause.data, origin="duty",
                         source_clause=clause.id, span=duty.span or clause.span)


def _from_header(header: m.Header | None) -> tuple[m.Prohibition, ...]:
    if header is None or header.do_not_track != "honored":
        return ()
    return (m.Prohibition(id=DNT_ID, actions=("collect", "use", "share"), data=(),
                          terms=(("source", ("other_sites",)),),
                          condition=m.FactIsTrue(fact="dnt"), origin="do-not-track",
                          span=header.span),)
