"""What changed in the published policy that is not a decision: prose, order, sections,
renames, the header, labels and the vocabulary, and drift (rules changed, text not).

Each record says old and new in the policy's words and where it is written: the
new file for what was added or changed, the old one for what was removed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .. import model as m
from ..loader import Loaded
from .causes import clause_changes, described, quoted
from .changes import Change, Location
from .locate import changed_line, start

#: how much of a prose change a statement quotes on each side
_QUOTE = 120


def content_key(clause: m.Clause) -> tuple[object, ...]:
    """A clause's rules: everything but its id, its prose and its place."""
    return (type(clause),) + tuple(getattr(clause, name) for name in type(clause).model_fields
                                   if name not in ("id", "text", "span"))


def _at(where: tuple[str, int] | None, side: str = "new") -> Location | None:
    return Location(where[0], where[1], side) if where else None  # type: ignore[arg-type]


def wording(old: str | None, new: str | None) -> str:
    """Old and new prose, quoted around what changed: "... we do share" -> "... we share"."""
    if old is None:
        return f'none -> "{_cut(new or "")}"'
    if new is None:
        return f'"{_cut(old)}" -> none'
    a, b = old.split(" "), new.split(" ")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not ops:
        return f'"{_cut(old)}" -> "{_cut(new)}"'
    i1, i2 = max(0, ops[0][1] - 3), min(len(a), ops[-1][2] + 3)
    j1, j2 = max(0, ops[0][3] - 3), min(len(b), ops[-1][4] + 3)
    left = ("..." if i1 else "") + " ".join(a[i1:i2]) + ("..." if i2 < len(a) else "")
    right = ("..." if j1 else "") + " ".join(b[j1:j2]) + ("..." if j2 < len(b) else "")
    return f'"{_cut(left)}" -> "{_cut(right)}"'


def _cut(text: str) -> str:
    return text if len(text) <= _QUOTE else text[:_QUOTE - 3] + "..."


def renames(old: m.Policy, new: m.Policy) -> dict[str, str]:
    """Old id -> new id for clauses removed and added with the very same rules."""
    new_ids = {c.id for c in new.clauses}
    old_ids = {c.id for c in old.clauses}
    gone = [c for c in old.clauses if c.id not in new_ids]
    added: dict[tuple[object, ...], list[m.Clause]] = {}
    for clause in new.clauses:
        if clause.id not in old_ids:
            added.setdefault(content_key(clause), []).append(clause)
    found = {}
    for clause in gone:
        match = added.get(content_key(clause))
        if match:
            found[clause.id] = match.pop(0).id
    return found


def text_changes(old: Loaded, new: Loaded, decided: Iterable[str] = ()) -> list[Change]:
    """Every change of the published policy, and drift; `decided`: the clauses that the
    decision changes name as their cause."""
    decided = set(decided)
    changes: list[Change] = []
    renamed = renames(old.policy, new.policy)
    back = {b: a for a, b in renamed.items()}
    old_clauses = {c.id: c for c in old.policy.clauses}
    new_clauses = {c.id: c for c in new.policy.clauses}
    vocabulary = new.vocabulary
    for clause_id, clause in new_clauses.items():
        before = old_clauses.get(clause_id)
        if clause_id in back:
            was = back[clause_id]
            note = "" if old_clauses[was].text == clause.text else \
                f"; its prose changed: {wording(old_clauses[was].text, clause.text)}"
            changes.append(Change("text", None, clause=clause_id, detail=(
                f"`{was}` renamed `{clause_id}` (the same rules){note}"),
                where=_at(start(clause))))
            continue
        if before is None:
            changes.append(Change("text", None, clause=clause_id, detail=(
                f"{clause.kind} clause `{clause_id}` added: {described(clause)}"),
                where=_at(start(clause))))
            continue
        if before.text == clause.text and content_key(before) == content_key(clause):
            continue
        where = _at(changed_line(old, new, before, clause))
        if before.text != clause.text:
            changes.append(Change("text", None, clause=clause_id, detail=(
                f"the prose of `{clause_id}` changed: {wording(before.text, clause.text)}"),
                where=where))
        if content_key(before) != content_key(clause):
            how = "; ".join(clause_changes(before, clause, vocabulary)) or "its rules changed"
            if before.text is not None and before.text == clause.text:
                changes.append(Change("drift", None, clause=clause_id, detail=(
                    f"`{clause_id}`: the rules changed ({how}) but its text did not: "
                    f'"{_cut(clause.text)}"'), where=where))
            else:
                effect = "the decisions it changes are stated above" if clause_id in decided \
                    else "this changes no decision"
                changes.append(Change("text", None, clause=clause_id, detail=(
                    f"the rules of `{clause_id}` changed: {how} ({effect})"), where=where))
    for clause_id, clause in old_clauses.items():
        if clause_id not in new_clauses and clause_id not in renamed:
            changes.append(Change("text", None, clause=clause_id, detail=(
                f"{clause.kind} clause `{clause_id}` removed: {described(clause)}"),
                where=_at(start(clause), "old")))
    changes += _order(old.policy, new.policy, renamed)
    changes += _sections(old.policy, new.policy, renamed)
    changes += _header(old.policy, new.policy)
    changes += _terms(old, new)
    changes += _facts(old.policy, new.policy)
    return changes


def _order(old: m.Policy, new: m.Policy, renamed: dict[str, str]) -> list[Change]:
    """Clauses that moved relative to the others (not those only added or removed)."""
    new_ids = [c.id for c in new.clauses]
    kept = set(new_ids)
    was = [i for i in (renamed.get(c.id, c.id) for c in old.clauses) if i in kept]
    now = [i for i in new_ids if i in set(was)]
    if was == now:
        return []
    matcher = difflib.SequenceMatcher(None, was, now, autojunk=False)
    steady = {now[j] for block in matcher.get_matching_blocks()
              for j in range(block.b, block.b + block.size)}
    out = []
    for index, clause_id in enumerate(now):
        if clause_id in steady:
            continue
        after = now[index - 1] if index else None
        old_index = was.index(clause_id)
        old_after = was[old_index - 1] if old_index else None
        place = f"after `{after}`" if after else "first"
        old_place = f"after `{old_after}`" if old_after else "first"
        out.append(Change("text", None, clause=clause_id, detail=(
            f"`{clause_id}` moved in the published policy: now {place} (was {old_place})"),
            where=_at(start(new.clause(clause_id)))))
    return out


def _sections(old: m.Policy, new: m.Policy, renamed: dict[str, str]) -> list[Change]:
    """Sections added, removed, retitled, reworded or reordered, and clauses moved between."""
    olds, news = getattr(old, "sections", ()), getattr(new, "sections", ())
    if not olds and not news:
        return []
    out: list[Change] = []
    home_was = {renamed.get(c, c): s.title for s in olds for c in s.clauses}
    home_now = {c: s.title for s in news for c in s.clauses}
    by_title_old = {s.title: s for s in olds}
    by_title_new = {s.title: s for s in news}
    matched: dict[str, str] = {}  # old title -> new title
    for section in olds:
        if section.title in by_title_new:
            matched[section.title] = section.title
    spare_new = [s for s in news if s.title not in by_title_old]
    for section in olds:
        if section.title in matched:
            continue
        twin = next((s for s in spare_new
                     if s.clauses == tuple(renamed.get(c, c) for c in section.clauses)), None)
        if twin is not None:
            spare_new.remove(twin)
            matched[section.title] = twin.title
            out.append(Change("text", None, clause=None, detail=(
                f'section "{section.title}" retitled "{twin.title}"'), where=_at(start(twin))))
        else:
            out.append(Change("text", None, clause=None, detail=(
                f'section "{section.title}" removed'), where=_at(start(section), "old")))
    for section in spare_new:
        out.append(Change("text", None, clause=None, detail=(
            f'section "{section.title}" added ({quoted(section.clauses)})'),
            where=_at(start(section))))
    for title_old, title_new in matched.items():
        a, b = by_title_old[title_old], by_title_new[title_new]
        if a.texts != b.texts:
            out.append(Change("text", None, clause=None, detail=(
                f'the prose of section "{title_new}" changed: '
                f"{wording(' '.join(a.texts) or None, ' '.join(b.texts) or None)}"),
                where=_at(start(b))))
    order_was = [matched[s.title] for s in olds if s.title in matched]
    order_now = [s.title for s in news if s.title in set(order_was)]
    if order_was != order_now:
        out.append(Change("text", None, clause=None, detail=(
            "the sections are in a new order: " + ", ".join(f'"{t}"' for t in order_now)
            + " (was " + ", ".join(f'"{t}"' for t in order_was) + ")"),
            where=_at(start(news[0]) if news else None)))
    for clause_id, title in home_now.items():
        before = home_was.get(clause_id)
        if before is not None and matched.get(before, before) != title:
            out.append(Change("text", None, clause=clause_id, detail=(
                f'`{clause_id}` moved to section "{title}" (was in "{before}")'),
                where=_at(start(new.clause(clause_id)) if clause_id in
                          {c.id for c in new.clauses} else None)))
    return out


def _header(old: m.Policy, new: m.Policy) -> list[Change]:
    a, b = old.header, new.header
    if a == b:
        return []
    where = _at(start(b)) if b is not None else _at(start(a), "old")
    if a is None or b is None:
        return [Change("text", None, clause="header", detail=(
            "the policy header was " + ("added" if a is None else "removed")), where=where)]
    out = []
    for name in type(a).model_fields:
        if name == "span":
            continue
        before, after = getattr(a, name), getattr(b, name)
        if before == after:
            continue
        if name == "texts":
            detail = f"the header's prose changed: {wording(' '.join(before), ' '.join(after))}"
        else:
            detail = f"the header's `{name}` changed: {_shown(before)} -> {_shown(after)}"
        out.append(Change("text", None, clause="header", detail=detail, where=where))
    return out


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(_shown(v) for v in value) or "none"
    if isinstance(value, m.Node):
        fields = [str(getattr(value, n)) for n in type(value).model_fields if n != "span"]
        return '"' + " ".join(fields) + '"'
    return "none" if value is None else f'"{value}"'


def _terms(old: Loaded, new: Loaded) -> list[Change]:
    out = []
    old_terms = {(t.vocab, t.key): t for t in old.policy.terms}
    new_terms = {(t.vocab, t.key): t for t in new.policy.terms}
    for where, term in new_terms.items():
        before = old_terms.get(where)
        name = f"{term.vocab.value} `{term.key}`"
        at = _at(start(term))
        if before is None:
            out.append(Change("text", None, detail=f"{name} added to the vocabulary "
                              f'("{term.label}")', where=at))
            continue
        for field, what in (("label", "label"), ("phrase", "wording"), ("aka", "other words")):
            was, now = getattr(before, field, None), getattr(term, field, None)
            if was != now:
                out.append(Change("text", None, detail=(
                    f"the {what} of {name} changed: {_shown(was)} -> {_shown(now)}"), where=at))
        was, now = (side.vocabulary.terms[term.vocab][term.key].parent for side in (old, new))
        if was != now:
            out.append(Change("text", None, detail=f"{name} moved under "
                              f"{f'`{now}`' if now else 'nothing'} (was under "
                              f"{f'`{was}`' if was else 'nothing'})", where=at))
    for where, term in old_terms.items():
        if where not in new_terms:
            out.append(Change("text", None, detail=f"{term.vocab.value} `{term.key}` "
                              "removed from the vocabulary", where=_at(start(term), "old")))
    old_words = {(w.vocab, w.key): w for w in getattr(old.policy, "wordings", ())}
    new_words = {(w.vocab, w.key): w for w in getattr(new.policy, "wordings", ())}
    for key in dict.fromkeys([*new_words, *old_words]):
        a, b = old_words.get(key), new_words.get(key)
        if a != b:
            name = f"{key[0].value} `{key[1]}`"
            out.append(Change("text", None, detail=(
                f"the wording of {name} changed: {_shown(a.phrase if a else None)} -> "
                f"{_shown(b.phrase if b else None)}"),
                where=_at(start(b)) if b else _at(start(a), "old")))
    return out


def _facts(old: m.Policy, new: m.Policy) -> list[Change]:
    out = []
    old_facts = {f.name: f for f in old.facts}
    new_facts = {f.name: f for f in new.facts}
    for name in dict.fromkeys([*new_facts, *old_facts]):
        before, after = old_facts.get(name), new_facts.get(name)
        if before != after:
            what = "added" if before is None else "removed" if after is None else "changed"
            at = _at(start(after)) if after is not None else _at(start(before), "old")
            out.append(Change("text", None, detail=f"fact `{name}` {what}", where=at))
    return out
