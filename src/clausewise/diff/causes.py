"""What changed in a clause, in the policy's own terms, and whether a duty got stricter.

The diff's enumeration says which clauses behave differently for an action; this
module says how, field by field, as an editor wrote them: "`partners` no longer
requires `not opted_out`", "`ip-not-linked`: kept indefinitely -> for 90 days".
It reads the model generically (every field of a clause, the table of
dimensions), so a new field is described, if plainly, without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from .. import model as m
from ..engine.conditions import choice_condition
from ..engine.explain import obligation_text
from ..vocabulary import Vocabulary

Verdict = Literal["weaker", "stricter", "both", "same"]
#: fields that say nothing about decisions, or that other lines describe
_SKIP = ("id", "text", "span", "choice", "condition", "terms")


def quoted(keys: Iterable[object]) -> str:
    return ", ".join(f"`{k}`" for k in keys) or "nothing"


def period_words(period: m.Period) -> str:
    """A retention period as the language reads it."""
    if period.needed:
        return "as long as needed"
    if period.forever:
        return "indefinitely"
    if period.days is not None:
        amount = period.days
        unit = period.unit
        if unit == "months" and amount % 30 == 0:
            amount //= 30
        elif unit == "years" and amount % 365 == 0:
            amount //= 365
        else:
            unit = "days"
        words = f"for {amount} {unit if amount != 1 else unit[:-1]}"
        return f"{words} after `{period.until}`" if period.until else words
    return f"until `{period.until}`"


def timing_words(timing: m.Timing | None) -> str:
    if timing is None:
        return "with no time said"
    if timing.when == "within":
        return f"within {timing.days} days"
    return f"{timing.days} days {timing.when}" if timing.days else timing.when


def _conjuncts(node: m.Condition | None) -> list[m.Condition]:
    if node is None:
        return []
    return list(node.operands) if isinstance(node, m.All) else [node]


def _disjuncts(node: m.Condition | None) -> list[m.Condition]:
    if node is None:
        return []
    return list(node.operands) if isinstance(node, m.Any_) else [node]


def _requirement(clause: m.Clause) -> m.Condition | None:
    """What a permission requires of the facts: its consent mode and its condition."""
    parts = [choice_condition(getattr(clause, "choice", None)), getattr(clause, "condition", None)]
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    flat = [c for p in parts for c in _conjuncts(p)]
    return flat[0] if len(flat) == 1 else m.All(operands=tuple(flat))


def _condition_change(name: str, old: m.Condition | None, new: m.Condition | None,
                      split, verb_gone: str, verb_new: str) -> list[str]:
    """A condition's change: the parts dropped and added, or old -> new when reshaped."""
    if old == new:
        return []
    before, after = split(old), split(new)
    gone = [c for c in before if c not in after]
    added = [c for c in after if c not in before]
    out = []
    if before and after and len(gone) + len(added) > 0 and \
            len(gone) == len(before) and len(added) == len(after):
        return [f"{name} `{m.condition_text(old)}` -> `{m.condition_text(new)}`"]
    if gone:
        out.append(f"{verb_gone} {' and '.join(f'`{m.condition_text(c)}`' for c in gone)}")
    if added:
        out.append(f"{verb_new} {' and '.join(f'`{m.condition_text(c)}`' for c in added)}")
    return out


def _terms_change(label: str, old: tuple[str, ...], new: tuple[str, ...]) -> list[str]:
    if tuple(old) == tuple(new):
        return []
    gone = [k for k in old if k not in new]
    added = [k for k in new if k not in old]
    if not old:
        return [f"now limited to {label} {quoted(new)}"]
    if not new:
        return [f"no longer limited by {label} (was {quoted(old)})"]
    parts = []
    if added:
        parts.append(f"{label} {quoted(added)} added")
    if gone:
        parts.append(f"{label} {quoted(gone)} dropped")
    return parts or [f"{label} reordered"]


def _value(value: object, vocabulary: Vocabulary | None) -> str:
    if isinstance(value, m.Period):
        return period_words(value)
    if isinstance(value, m.Timing) or (value is None):
        return timing_words(value) if isinstance(value, m.Timing) else "none"
    if isinstance(value, tuple):
        if value and isinstance(value[0], m.Node):
            return "; ".join(_value(v, vocabulary) for v in value) or "none"
        return quoted(getattr(v, "value", v) for v in value)
    if isinstance(value, (m.EncryptDuty, m.NotifyDuty, m.OfferDuty, m.FreeDuty, m.EndDuty,
                          m.SafeguardDuty)) and vocabulary is not None:
        return obligation_text(value, vocabulary)
    if isinstance(value, m.Node):
        return repr(value)
    return f"`{getattr(value, 'value', value)}`"


def clause_changes(old: m.Clause, new: m.Clause, vocabulary: Vocabulary | None = None) -> list[str]:
    """How `new` differs from `old` (the same clause in two versions), part by part."""
    out: list[str] = []
    if type(old) is not type(new):
        return [f"a {old.kind} clause is now a {new.kind} clause"]
    if isinstance(old, m.Prohibition):
        out += _condition_change("applies if", old.condition, new.condition, _conjuncts,
                                 "no longer applies only if", "now applies only if")
        out += _condition_change("unless", old.exception, new.exception, _disjuncts,
                                 "is no longer lifted by", "is now also lifted by")
    else:
        out += _condition_change("requires", _requirement(old), _requirement(new), _conjuncts,
                                 "no longer requires", "now also requires")
    for dimension in ("data", *(d.name for d in m.DIMENSIONS)):
        attr = "data" if dimension == "data" else m.DIMENSION[dimension].attr
        label = "data" if dimension == "data" else dimension
        if attr == "recipients" and isinstance(old, m.Disclaimer):
            continue
        out += _terms_change(label, tuple(getattr(old, attr, ()) or ()),
                             tuple(getattr(new, attr, ()) or ()))
    if isinstance(old, m.Prohibition) and old.exempt != new.exempt:
        out.append(f"leaves out {_exempt(old.exempt)} -> {_exempt(new.exempt)}")
    for name in type(old).model_fields:
        if name in _SKIP or name in ("data", "exempt", "condition", "exception"):
            continue
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if name == "period":
            out.append(f"kept {period_words(before)} -> {period_words(after)}")
        elif name == "timing":
            out.append(f"notice {timing_words(before)} -> {timing_words(after)}")
        elif name == "obligations":
            gone = [o for o in before if o not in after]
            added = [o for o in after if o not in before]
            word = "remedy" if isinstance(old, m.Prohibition) else "duty"
            out += [f"{word} dropped: {_value(o, vocabulary)}" for o in gone]
            out += [f"{word} added: {_value(o, vocabulary)}" for o in added]
        elif name == "actions":
            out.append(f"forbids {quoted(before)} -> {quoted(after)}")
        else:
            out.append(f"{name.replace('_', ' ')} {_value(before, vocabulary)} -> "
                       f"{_value(after, vocabulary)}")
    if isinstance(old, m.Permission) and old.choice != new.choice and not out:
        out.append(f"consent {_value(old.choice, None)} -> {_value(new.choice, None)}")
    return out


def _exempt(terms: m.Terms) -> str:
    return "; ".join(f"{name} {quoted(keys)}" for name, keys in terms) or "nothing"


def described(clause: m.Clause) -> str:
    """A clause in a few words, for one added or removed: `never share user.x with partner`."""
    parts = []
    if isinstance(clause, m.Prohibition):
        parts.append("never " + ", ".join(clause.actions))
    elif clause.data_verbs:
        verb = "sell" if isinstance(clause, m.Sharing) and clause.sells else clause.data_verbs[0]
        parts.append(verb)
    else:
        parts.append(clause.kind)
    data = getattr(clause, "data", ())
    if data:
        parts.append(", ".join(data))
    for dimension in m.DIMENSIONS:
        keys = getattr(clause, dimension.attr, ())
        if keys and clause.kind in dimension.kinds:
            parts.append(dimension.phrase.format(", ".join(keys)) if "{}" in dimension.phrase
                         else ", ".join(keys))
    if isinstance(clause, m.Retention):
        parts.append(period_words(clause.period).replace("`", ""))
    return " ".join(parts)


# ------------------------------------------------------------- duty strictness
def _key(duty: m.Obligation) -> tuple[object, ...]:
    """Duties that are versions of each other share a key (one notice, one offer of a right)."""
    if isinstance(duty, m.NotifyDuty):
        return ("notify",)
    if isinstance(duty, m.OfferDuty):
        return ("offer", duty.right)
    if isinstance(duty, m.EncryptDuty):
        return ("encrypt", duty.state)
    if isinstance(duty, m.SafeguardDuty):
        return ("safeguard", duty.safeguard)
    if isinstance(duty, m.EndDuty):
        return ("end",)
    return ("duty", getattr(duty, "text", repr(duty)))


def _timing_rank(timing: m.Timing | None) -> tuple[int, int]:
    """Higher is stricter: before, then within N days (fewer is stricter), after, none."""
    if timing is None:
        return (0, 0)
    if timing.when == "before":
        return (3, timing.days or 0)
    if timing.when == "within":
        return (2, -(timing.days or 0))
    return (1, 0)


def _channels(old: tuple[str, ...], new: tuple[str, ...]) -> Verdict:
    if set(old) == set(new):
        return "same"
    if set(new) > set(old):
        return "stricter"
    if set(new) < set(old):
        return "weaker"
    return "both"


def _combine(verdicts: Iterable[Verdict]) -> Verdict:
    found = {v for v in verdicts if v != "same"}
    if not found:
        return "same"
    if len(found) == 1:
        return found.pop()
    return "both"


def _pair(old: m.Obligation, new: m.Obligation) -> Verdict:
    if old == new:
        return "same"
    if isinstance(old, m.NotifyDuty) and isinstance(new, m.NotifyDuty):
        was, now = _timing_rank(old.timing), _timing_rank(new.timing)
        timing: Verdict = "same" if was == now else "stricter" if now > was else "weaker"
        return _combine((timing, _channels(old.channels, new.channels)))
    if isinstance(old, m.OfferDuty) and isinstance(new, m.OfferDuty):
        return _channels(old.channels, new.channels)
    return "both"


def duty_verdict(removed: Iterable[m.Obligation], added: Iterable[m.Obligation]) -> Verdict:
    """Whether trading `removed` duties for `added` ones makes the promise weaker
    (a duty dropped, a later notice, fewer channels, a longer deadline), stricter
    (a duty added, an earlier notice, more channels, a shorter deadline), or both."""
    gone: dict[tuple[object, ...], list[m.Obligation]] = {}
    for duty in removed:
        gone.setdefault(_key(duty), []).append(duty)
    verdicts: list[Verdict] = []
    for duty in added:
        match = gone.get(_key(duty))
        if match:
            verdicts.append(_pair(match.pop(0), duty))
        else:
            verdicts.append("stricter")
    verdicts += ["weaker" for left in gone.values() for _ in left]
    return _combine(verdicts)
