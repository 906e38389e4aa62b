"""Decision -> words: the JSON record and the text form, derived from the value and the model.

Nothing here decides anything; it looks up each reason's clause (its kind,
file:line and prose) and says the reason in words. The text form is for a
terminal, so every line of it goes through `safe_text.visible_line`: a clause's
wording or a file name cannot send escapes to it or fake a line of the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from .. import model as m
from ..safe_text import visible_line
from ..vocabulary import Vocabulary
from .compile import CompiledPolicy
from .decision import Decision, Duty, Reason

_EFFECT = {"prohibition": "forbid", "security": "duty", "notification": "permit"}


def reason_why(reason: Reason, vocabulary: Vocabulary) -> str:
    if reason.role == "permits":
        return "permits it" + (f" for {reason.category}" if reason.category else "")
    if reason.role == "forbids":
        what = "prohibits it" + (f" for {reason.category}" if reason.category else "")
        if not reason.needs:
            return what + ", without exception"
        facts = [f"context.{fact} is missing" for fact in reason.missing]
        facts += [f"context.{fact} is {_value(value)}" for fact, value in reason.given]
        return "; ".join([what + " unless " + " or ".join(reason.needs)] + facts)
    if reason.role == "no-clause":
        what = f" for {reason.category}" if reason.category else ""
        return f"no clause permits this action{what}; denied by default"
    if reason.role == "assumes":
        facts = ", ".join(f"context.{f}" for f in reason.missing)
        if reason.clause is None:  # the policy's scope, for an action naming no source
            return f"the policy covers only actions with a {reason.needs[0]}; the action " \
                "names no source: assumed to be covered"
        return f"would prohibit it, but {facts} was not given: assumed not to apply"
    if reason.role == "outside":
        if reason.needs[0].startswith("date >= "):
            return f"outside what this policy covers: it takes effect on " \
                f"{reason.needs[0].removeprefix('date >= ')}"
        return f"outside what this policy covers: it covers only a {reason.needs[0]}"
    parts = []
    if reason.needs:
        parts.append("requires " + " and ".join(reason.needs))
    parts += [f"context.{fact} is missing" for fact in reason.missing]
    parts += [f"context.{fact} is {_value(value)}" for fact, value in reason.given]
    if reason.role == "near":
        return "nearest permission; " + "; ".join(parts) if parts else "nearest permission"
    return "; ".join(parts)


def obligation_text(obligation: m.Obligation, vocabulary: Vocabulary) -> str:
    def channels(keys: tuple[str, ...]) -> str:
        return " or ".join(vocabulary.label(m.Vocab.channel, k) for k in keys)

    if isinstance(obligation, m.EncryptDuty):
        return f"encrypt the data {obligation.state.value}"
    if isinstance(obligation, m.NotifyDuty):
        timing = obligation.timing
        when = "" if timing is None else \
            f" within {timing.days} days" if timing.when == "within" else f" {timing.when}"
        return f"notify the person{when} by {channels(obligation.channels)}"
    if isinstance(obligation, m.OfferDuty):
        right = vocabulary.label(m.Vocab.right, obligation.right)
        return f"offer a way to {right} via {channels(obligation.channels)}"
    if isinstance(obligation, m.SafeguardDuty):
        means = f" ({obligation.means})" if obligation.means else ""
        return f"apply {vocabulary.label(m.Vocab.safeguard, obligation.safeguard)}{means}"
    if isinstance(obligation, m.EndDuty):
        how = "anonymize" if obligation.how == "anonymized" else "delete"
        return f"{how} it at the end of the period" if obligation.when == "period" \
            else f"{how} it once it is no longer needed for the purposes"
    return obligation.text


def to_dict(decision: Decision, policy: CompiledPolicy) -> dict[str, Any]:
    """The decision as JSON-ready data: decision, reasons, obligations, unmet, notes."""
    vocabulary = policy.vocabulary
    described = _described(policy)

    def reason(r: Reason) -> dict[str, Any]:
        return {**described(r.clause), "role": r.role, "category": r.category,
                "why": reason_why(r, vocabulary)}

    def duty(d: Duty) -> dict[str, Any]:
        return {"clause": d.clause, "duty": d.obligation.kind,
                "text": obligation_text(d.obligation, vocabulary)}

    main = [r for r in decision.reasons if r.role not in ("near", "assumes")]
    return {
        "decision": decision.effect,
        "reasons": [reason(r) for r in main],
        "obligations": [duty(d) for d in decision.obligations],
        "unmet": [{"clause": r.clause,
                   "needs": (" or " if r.role == "forbids" else " and ").join(r.needs)}
                  for r in decision.unmet],
        "nearest": [reason(r) for r in decision.reasons if r.role == "near"],
        "assumptions": [reason(r) for r in decision.reasons if r.role == "assumes"],
        "remedies": [duty(d) for d in decision.remedies],
    }


#: per compiled policy, each clause's description (freed with the policy)
_DESCRIBED: WeakKeyDictionary[CompiledPolicy, dict[str | None, dict[str, Any]]] = \
    WeakKeyDictionary()


def _described(policy: CompiledPolicy) -> Callable[[str | None], dict[str, Any]]:
    """Each clause's kind, effect, source and text, worked out once per compiled policy."""
    cache = _DESCRIBED.setdefault(policy, {})

    def info(clause_id: str | None) -> dict[str, Any]:
        found = cache.get(clause_id)
        if found is None:
            if clause_id is None:
                found = {"clause": None, "kind": None, "effect": "deny", "source": None,
                         "text": None}
            else:
                clause = policy.clauses[clause_id]
                span = clause.span
                found = {"clause": clause_id, "kind": clause.kind,
                         "effect": _EFFECT.get(clause.kind, "permit"),
                         "source": f"{span.file}:{span.line}:{span.column}" if span else None,
                         "text": clause.text}
            cache[clause_id] = found
        return found
    return info


def to_text(decision: Decision, policy: CompiledPolicy) -> str:
    """A short report a developer reads in a terminal."""
    data = to_dict(decision, policy)
    lines = [data["decision"].upper()]
    for r in data["reasons"]:
        where = f" ({r['source']})" if r["source"] else ""
        label = f"{r['kind']} `{r['clause']}`" if r["clause"] else \
            "scope" if r["role"] == "outside" else "default"
        lines.append(f"  - {label}{where}: {r['why']}")
        if r["text"]:
            lines.append(f"      \"{_clip(r['text'])}\"")
    if data["obligations"]:
        lines.append("obligations:")
        lines += [f"  - {o['text']} ({o['clause']})" for o in data["obligations"]]
    if data["remedies"]:
        lines.append("remedies the policy promises:")
        lines += [f"  - {o['text']} ({o['clause']})" for o in data["remedies"]]
    if data["unmet"]:
        lines.append("to allow it:")
        lines += [f"  - {u['clause'] or 'scope'}: {u['needs']}" for u in data["unmet"]]
    if data["assumptions"]:
        lines.append("assumed:")
        lines += [f"  - {a['clause']} ({a['source']}): {a['why']}" if a["clause"] else
                  f"  - scope: {a['why']}" for a in data["assumptions"]]
    return "\n".join(visible_line(line) for line in lines)


def _value(value: bool | int) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _clip(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."
