"""What the person chose and asked for -> the facts a decision tests.

An action may record the choices the person made (`"choices": {"partner-sharing":
"in"}`, or `{"made": "out", "date": "2026-03-01"}`) and the rights they exercised
(`"exercised": {"delete-account": "2026-03-01"}`, or `true`). Each names a clause of
the policy, which sets a bool fact (`consent`, `opted_out`, `deleted`, ...) for the
actions it covers, from its day on. So consent given through one choice is consent to
what that choice covers, and not to anything else: for an action outside the scope of
every recorded choice that sets a fact, the fact is false. A fact the context gives
outright wins over the records.

In scope, an opt-in covers an action only when all of it is at or under what the
choice names (consent to name and email is not consent to the phone number); an
opt-out or an exercised right reaches an action that merely overlaps it (fail closed:
an opt-out of `user.contact` stops a use of `user`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import model as m

if TYPE_CHECKING:  # pragma: no cover
    from ..vocabulary import Vocabulary
    from .action import Action


def context_of(vocabulary: Vocabulary, action: Action) -> dict[str, object]:
    """The action's context with the facts its records set.

    An opt-in fact holds only when every opt-in choice that sets it and reaches the
    action was made "in", from a day the action is known not to precede, and covers all
    of the action (one refusal, or one choice not made, is enough to deny); it is left
    unknown when no recorded choice reaches the action. An opt-out fact or a right's
    fact holds when any recorded one reaches the action, from its day on (an undated
    action is taken to come after it: fail closed); it is false for the others.
    """
    choices, exercised = action.choices, action.exercised
    found: dict[str, bool] = {}
    day = action.context.get("date")
    day = day if isinstance(day, str) else None
    if choices:
        opt_in: dict[str, list[m.ChoiceClause]] = {}
        for clause in vocabulary.records.values():
            if isinstance(clause, m.ChoiceClause) and clause.choice is m.Choice.opt_in \
                    and covers(vocabulary, clause, clause.actions, action, strict=False):
                opt_in.setdefault(clause.sets, []).append(clause)
        for fact, reaching in opt_in.items():
            if any(c.id in choices for c in reaching):
                found[fact] = all(_made_in(vocabulary, c, choices.get(c.id), action, day)
                                  for c in reaching)
    for clause_id, record in choices.items():
        clause = vocabulary.records.get(clause_id)
        if not isinstance(clause, m.ChoiceClause) or clause.choice is not m.Choice.opt_out:
            continue  # an unknown id: check_terms refused it already
        made, on = (record, None) if isinstance(record, str) else (record.made, record.date)
        effective = on is None or day is None or day >= on
        inside = covers(vocabulary, clause, clause.actions, action, strict=False)
        found[clause.sets] = found.get(clause.sets, False) or \
            (inside and effective and made == "out")
    for clause_id, when in exercised.items():
        clause = vocabulary.records.get(clause_id)
        if not isinstance(clause, m.Right) or clause.fact is None:
            continue
        effective = when is not False and (not isinstance(when, str) or day is None
                                           or day >= when)
        inside = covers(vocabulary, clause, clause.stops, action, strict=False)
        found[clause.fact] = found.get(clause.fact, False) or (inside and effective)
    return {**found, **action.context}


def _made_in(vocabulary: Vocabulary, clause: m.ChoiceClause, record: object, action: Action,
             day: str | None) -> bool:
    """Whether the person opted in through `clause`, for all of `action`, by its day."""
    if record is None:
        return False
    made, on = (record, None) if isinstance(record, str) else (record.made, record.date)
    if made != "in" or (on is not None and (day is None or day < on)):
        return False
    return covers(vocabulary, clause, clause.actions, action, strict=True)


def covers(vocabulary: Vocabulary, clause: m.Clause, verbs: tuple[str, ...], action: Action,
           *, strict: bool) -> bool:
    """Whether the action is within what the clause governs: its verbs, its data and
    the dimensions it states. `strict`: all of the action at or under the clause's
    terms; otherwise any overlap, a dimension the action leaves out included."""
    # an opt-in to sharing is no consent to selling; an opt-out of sharing stops selling
    if action.action not in (verbs if strict else
                             {a for verb in verbs for a in m.actions_under(verb)}):
        return False
    ancestors = vocabulary.ancestors
    data = getattr(clause, "data", ())
    if data:
        if not action.data:
            return not strict
        hits = [_overlaps(ancestors, m.Vocab.category, key, data, strict) for key in action.data]
        if not (all(hits) if strict else any(hits)):
            return False
    for name, keys in clause.terms:
        if name in m.CHOICE_MEANS or name == "right":
            continue
        value = getattr(action, name, None)
        if value is None:
            if strict:
                return False
            continue
        if not _overlaps(ancestors, m.DIMENSION[name].vocab, value, keys, strict):
            return False
    return True


def _overlaps(ancestors, vocab: m.Vocab, key: str, keys: tuple[str, ...], strict: bool) -> bool:
    if not set(ancestors(vocab, key)).isdisjoint(keys):
        return True
    return not strict and any(key in ancestors(vocab, other) for other in keys)


def describe(clause: m.Prohibition, owner: m.Clause | None, action: Action,
             vocabulary: Vocabulary, *, forbids: bool) -> str | None:
    """A derived prohibition's decision in the words a developer acts on: which choice
    or right it turned on, through what, and on which day; None for the author's own.

    `owner` is the clause it is derived from (a choice, a right, a sharing).
    """
    label = vocabulary.label
    if clause.origin == "do-not-track":
        return ("the person's browser sends Do Not Track, which this policy honors: no "
                "tracking on other sites" if forbids else None)
    if clause.origin == "duty" and isinstance(owner, m.Sharing):
        verbs = " or ".join("keep" if a == "retain" else a for a in clause.actions)
        return (f"`{owner.id}` passed its recipients the duty never to {verbs} "
                f"it for {', '.join(f'`{p}`' for p in clause.purposes)}")
    if clause.origin == "right" and isinstance(owner, m.Right):
        when = action.exercised.get(owner.id)
        day = f" on {when}" if isinstance(when, str) else ""
        rights = ", ".join(f"`{r}`" for r in owner.rights)
        stops = " and ".join(_GERUND.get(a, a) for a in owner.stops).lower()
        return f"the person exercised {rights} (right `{owner.id}`){day}, which stops {stops}"
    if clause.origin != "choice" or not isinstance(owner, m.ChoiceClause):
        return None
    what = _scope_words(owner, vocabulary)
    how = " or ".join(label(m.Vocab.channel, c) for c in owner.channels)
    through = f" through {how}" if how else ""
    at = f" ({owner.address})" if owner.address else ""
    record = action.choices.get(owner.id)
    made, on = (record, None) if isinstance(record, str) or record is None else \
        (record.made, record.date)
    day = f" on {on}" if on else ""
    if owner.choice is m.Choice.opt_out:
        if not forbids:
            return None
        return f"the person opted out of {what}{through}{day}" if made == "out" else \
            f"the person opted out of {what} (`{owner.sets}` is true); the choice is made" \
            f"{through or ' as the policy says'}{at}"
    if owner.conduct:
        return (f"the person refused {what}" if forbids else
                f"consent to {what} is taken from conduct: {owner.conduct}")
    if not forbids:
        return None
    return f"the person has not opted in to {what}; to allow it, the person must opt in" \
        f"{through or ''}{at}"


_GERUND = {"collect": "Collecting", "use": "Using", "share": "Sharing", "sell": "Selling",
           "retain": "Keeping", "notify": "Notifying"}


def _scope_words(clause: m.ChoiceClause, vocabulary: Vocabulary) -> str:  # noqa: ARG001
    """What a choice covers, in the developer's terms (keys, as actions name them)."""
    verbs = " and ".join(_GERUND.get(a, a) for a in clause.actions).lower()
    data = ", ".join(f"`{k}`" for k in clause.data)
    with_ = ", ".join(f"`{k}`" for k in clause.recipients)
    for_ = ", ".join(f"`{k}`" for k in clause.purposes)
    return " ".join(part for part in (verbs, data, f"with {with_}" if with_ else "",
                                      f"for {for_}" if for_ else "") if part)
