"""What the person chose and asked for -> the facts a decision tests.

An action may record the choices the person made (`"choices": {"partner-sharing":
"in"}`, or `{"made": "out", "on": "2026-03-01"}`) and the rights they exercised
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
    """The action's context with the facts its records set."""
    choices, exercised = action.choices, action.exercised
    found: dict[str, bool] = {}
    day = action.context.get("date")
    for clause_id, record in choices.items():
        clause = vocabulary.records.get(clause_id)
        if not isinstance(clause, m.ChoiceClause):
            continue  # check_terms refused it already
        made, on = (record, None) if isinstance(record, str) else (record.made, record.on)
        if on is not None and isinstance(day, str) and day < on:
            found.setdefault(clause.sets, False)  # the action came before the choice
            continue
        wanted = "in" if clause.choice is m.Choice.opt_in else "out"
        strict = clause.choice is m.Choice.opt_in
        inside = covers(vocabulary, clause, clause.actions, action, strict=strict)
        found[clause.sets] = found.get(clause.sets, False) or (inside and made == wanted)
    for clause_id, when in exercised.items():
        clause = vocabulary.records.get(clause_id)
        if not isinstance(clause, m.Right) or clause.fact is None or when is False:
            continue
        if isinstance(when, str) and isinstance(day, str) and day < when:
            found.setdefault(clause.fact, False)  # not exercised yet
            continue
        inside = covers(vocabulary, clause, clause.stops, action, strict=False)
        found[clause.fact] = found.get(clause.fact, False) or inside
    return {**found, **action.context}


def covers(vocabulary: Vocabulary, clause: m.Clause, verbs: tuple[str, ...], action: Action,
           *, strict: bool) -> bool:
    """Whether the action is within what the clause governs: its verbs, its data and
    the dimensions it states. `strict`: all of the action at or under the clause's
    terms; otherwise any overlap, a dimension the action leaves out included."""
    if action.action not in {a for verb in verbs for a in m.actions_under(verb)}:
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
