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
from .evaluate import explained
from .fixes import fixes
from .records import describe

_EFFECT = {"prohibition": "forbid", "security": "duty", "notification": "permit"}


def reasons(decision: Decision) -> tuple[Reason, ...]:
    """Every reason of a decision, worked out from its basis the explaining way (once)."""
    basis = decision.basis
    if basis is None:
        raise ValueError("this decision was made without its basis (explain=False): "
                         "decide it again with explain=True to explain it")
    found = basis.memo.get("reasons")
    if found is None:
        found = basis.memo["reasons"] = explained(basis.policy, basis.action).reasons
    return found


def reason_why(reason: Reason, vocabulary: Vocabulary,
               data: list[str | None] | None = None) -> str:
    """The reason in words; `data` names every item it concerns (default: its own)."""
    items = [d for d in (data if data is not None else [reason.category]) if d is not None]
    named = f" for {', '.join(dict.fromkeys(items))}" if items else ""
    if reason.role == "permits":
        return "permits it" + named
    if reason.role == "forbids":
        what = "prohibits it" + named
        if not reason.needs:
            return what + ", without exception"
        facts = [f"context.{fact} is missing" for fact in reason.missing]
        facts += [f"context.{fact} is {_value(value)}" for fact, value in reason.given]
        return "; ".join([what + " unless " + " or ".join(reason.needs)] + facts)
    if reason.role == "no-clause":
        return f"no clause permits this action{named}; denied by default"
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
    if reason.role == "unmet" and items:
        parts.insert(0, f"matches{named}, but")
        return parts[0] + " " + "; ".join(parts[1:])
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


def to_dict(decision: Decision, policy: CompiledPolicy, *, verbose: bool = False
            ) -> dict[str, Any]:
    """The decision as JSON-ready data: reasons grouped per clause, obligations, what would
    allow it (checked), the nearest permissions, the assumptions that matter, remedies.

    `verbose` lists every assumption, not only those whose fact would change it.
    """
    vocabulary = policy.vocabulary
    described = _described(policy)
    found = reasons(decision)

    def reason(group: list[Reason]) -> dict[str, Any]:
        first = group[0]
        data = [r.category for r in group if r.category is not None]
        if first.role == "forbids":  # a prohibition is one reason; its ruling has the items
            data = next((list(r.data) for r in decision.rulings
                         if r.role == "forbids" and r.clause == first.clause), data)
        about = described(first.clause)
        if first.role == "forbids" and about["effect"] != "forbid":  # a right's effect
            about = {**about, "effect": "forbid"}
        why = reason_why(first, vocabulary, data)
        said = _record_words(policy, decision, first)
        return {**about, "role": first.role, "category": first.category,
                "data": list(dict.fromkeys(d for d in data if d is not None)),
                "why": f"{said}: {why}" if said else why}

    def duty(d: Duty) -> dict[str, Any]:
        return {"clause": d.clause, "duty": d.obligation.kind,
                "text": obligation_text(d.obligation, vocabulary)}

    main = _grouped(r for r in found if r.role not in ("near", "assumes"))
    unmet: dict[str | None, str] = {}
    for r in decision.unmet:
        unmet.setdefault(r.clause, (" or " if r.role == "forbids" else " and ").join(r.needs))
    shown = [r for r in found if r.role == "assumes"
             and (verbose or assumption_matters(decision, r))]
    return {
        "decision": decision.effect,
        "reasons": [reason(group) for group in main],
        "obligations": [duty(d) for d in decision.obligations],
        "unmet": [{"clause": clause, "needs": needs} for clause, needs in unmet.items()],
        "to_allow": _to_allow(decision),
        "nearest": [reason(group) for group in _grouped(r for r in found if r.role == "near")],
        "assumptions": [reason([r]) for r in shown],
        "remedies": [duty(d) for d in decision.remedies],
    }


def _record_words(policy: CompiledPolicy, decision: Decision, reason: Reason) -> str | None:
    """For a prohibition derived from a choice, a right or a duty: what the person chose
    or asked for, in words (records.describe); None for the author's own clauses."""
    if reason.role not in ("forbids", "assumes") or reason.clause is None:
        return None
    clause = policy.derived.get(reason.clause)
    if clause is None or decision.basis is None:
        return None
    owner = next((c for c in policy.policy.clauses if c.id == clause.source_clause), None)
    return describe(clause, owner, decision.basis.action, policy.vocabulary,
                    forbids=reason.role == "forbids")


def _grouped(found) -> list[list[Reason]]:
    """Reasons grouped per clause and role, in order of first appearance."""
    groups: dict[tuple[str, str | None], list[Reason]] = {}
    for r in found:
        groups.setdefault((r.role, r.clause), []).append(r)
    return list(groups.values())


def _to_allow(decision: Decision) -> list[dict[str, Any]]:
    if decision.allowed:
        return []
    found = fixes(decision)
    if not found.suggestions:
        return [{"text": found.none_because, "changes": []}]
    return [{"text": s.text, "changes": [
        {"change": c.change, "field": c.field,
         "value": list(c.value) if isinstance(c.value, tuple) else c.value, "text": c.text}
        for c in s.changes]} for s in found.suggestions]


def assumption_matters(decision: Decision, reason: Reason) -> bool:
    """Whether the fact (or source) an assumption stands for would change the decision."""
    basis = decision.basis
    if basis is None:
        return True
    memo = basis.memo.setdefault("assumptions", {})
    key = (reason.clause, reason.missing)
    if key not in memo:
        memo[key] = _changes_it(decision, reason)
    return memo[key]


def _changes_it(decision: Decision, reason: Reason) -> bool:
    from .fixes import _fact_changes
    from .plan import decide_lean

    basis = decision.basis
    assert basis is not None
    policy, action = basis.policy, basis.action
    trials: list[dict[str, Any]] = []
    if reason.clause is None:  # the scope: a source it does not cover
        covered = policy.covers
        for source in policy.vocabulary.terms[m.Vocab.source]:
            if covered.isdisjoint(policy.vocabulary.ancestors(m.Vocab.source, source)):
                trials.append({"source": source})
                break
    else:
        per_fact = {}
        for change in _fact_changes(policy, action, {fact: set() for fact in reason.missing}):
            per_fact.setdefault(change.field.removeprefix("context."), []).append(change.value)
        combos: list[dict[str, Any]] = [{}]
        for fact, values in per_fact.items():
            combos = [{**combo, fact: value} for combo in combos for value in values][:64]
        trials = [{"context": {**action.context, **combo}} for combo in combos if combo]
    for update in trials:
        changed = action.model_copy(update=update)
        if decide_lean(policy, changed, keep_basis=False).effect != decision.effect:
            return True
    return False


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


def to_text(decision: Decision, policy: CompiledPolicy, *, verbose: bool = False) -> str:
    """A short report a developer reads in a terminal."""
    data = to_dict(decision, policy, verbose=verbose)
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
    if data["to_allow"]:
        lines.append("to allow it:")
        lines += [f"  - {u['text']}" for u in data["to_allow"]]
    if verbose and data["nearest"]:
        lines.append("nearest permissions:")
        lines += [f"  - {n['clause']} ({n['source']}): {n['why']}" for n in data["nearest"]]
    if data["assumptions"]:
        lines.append("assumed:")
        lines += [f"  - {a['clause']} ({a['source']}): {a['why']}" if a["clause"] else
                  f"  - scope: {a['why']}" for a in data["assumptions"]]
    return "\n".join(visible_line(line) for line in lines)


def _value(value: bool | int) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _clip(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."
