"""The "did you mean" lines of validation, worked out after sorting and with bounded work.

A check that reports an unknown name puts a `Suggestion` in its diagnostic's help
(`suggesting`); `suggest` makes text of them once all findings are sorted, for the
first `MAX_SUGGESTIONS` only: an error prints no more, so suggestions past them
would never be read, and each compares a name with every known one. `Closest`
gives `errors.did_you_mean`'s very answer over a prepared pool of names, comparing
only those that can win (best bound first), within `MAX_SUGGESTION_WORK` in all.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from . import model as m
from .errors import MAX_PRINTED, Diagnostic
from .vocabulary import Vocabulary

#: how many diagnostics, in the order they are printed, get a "did you mean" line
MAX_SUGGESTIONS = MAX_PRINTED
#: the longest unknown name that gets a suggestion (fideslang's longest key has 49
#: characters); longer ones are no typing slip, and would make the search costly
MAX_SUGGESTED_LENGTH = 64
#: the most names compared in full (difflib's `ratio`) for all suggestions together:
#: a pool of thousands of near-identical names costs this much and no more
MAX_SUGGESTION_WORK = 20_000


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A help line still to be worked out: the known name closest to `name`, else `otherwise`.

    Checks put one in a diagnostic's `help`; `suggest` replaces it with text, after
    sorting, and only for the first `MAX_SUGGESTIONS` diagnostics (the ones printed):
    the later ones get `otherwise`. `pool` names where the known names are: a
    vocabulary, or "fact".
    """

    name: str
    pool: m.Vocab | str
    otherwise: str | None = None


def suggesting(code: str, message: str, span: m.Span | None,
               suggestion: Suggestion) -> Diagnostic:
    """A diagnostic whose help line `suggest` works out later (see `Suggestion`)."""
    return Diagnostic(code, message, span, suggestion)  # type: ignore[arg-type]


def suggest(findings: list[Diagnostic], vocabulary: Vocabulary) -> list[Diagnostic]:
    """Each `Suggestion` made text: worked out for the first `MAX_SUGGESTIONS` of them."""
    pools: dict[m.Vocab | str, Closest] = {}
    memo: dict[tuple[m.Vocab | str, str], str | None] = {}
    work = Work(MAX_SUGGESTION_WORK)
    done = 0
    out = []
    for finding in findings:
        wanted = finding.help
        if isinstance(wanted, Suggestion):
            text = None
            if done < MAX_SUGGESTIONS and work.left > 0:
                done += 1
                key = (wanted.pool, wanted.name)
                if key not in memo:
                    if wanted.pool not in pools:
                        pools[wanted.pool] = Closest(
                            vocabulary.facts if wanted.pool == "fact"
                            else vocabulary.terms[m.Vocab(wanted.pool)])
                    memo[key] = pools[wanted.pool].did_you_mean(wanted.name, work)
                text = memo[key]
            finding = replace(finding, help=text or wanted.otherwise)
        out.append(finding)
    return out


class Work:
    """What is left of the comparisons suggestions may make."""

    def __init__(self, left: int) -> None:
        self.left = left


class Closest:
    """`errors.did_you_mean` over a prepared pool of known names, with bounded work.

    The answer is `did_you_mean`'s: the name with the best difflib ratio reaching 0.6
    (ties: the greater name), else the one whose last dotted segment is closest to
    the unknown one's, reaching 0.75 (the last name with that segment). Computing a
    ratio is costly; `quick_ratio`, counted from shared characters, bounds it from
    above. `SharedCharacters` gives every name's quick ratio at once, so names are
    compared best bound first, and the search stops when no bound left can beat (or
    tie) the best ratio found. It also stops when `work` runs out: no suggestion then.
    """

    FULL, TAIL = 0.6, 0.75  # the cutoffs of `errors.did_you_mean`

    def __init__(self, names: Iterable[str]) -> None:
        names = list(names)
        self.full = SharedCharacters(_reachable(names, self.FULL))
        self.by_tail: dict[str, str] = {}
        for name in names:
            self.by_tail[name.rsplit(".", 1)[-1]] = name
        self.tails = SharedCharacters(_reachable(list(self.by_tail), self.TAIL))

    def did_you_mean(self, name: str, work: Work) -> str | None:
        if len(name) > MAX_SUGGESTED_LENGTH:
            return None
        match = self.full.closest(name, self.FULL, work)
        if match is None:
            tail = self.tails.closest(name.rsplit(".", 1)[-1], self.TAIL, work)
            match = self.by_tail[tail] if tail is not None else None
        return f"did you mean `{match}`?" if match is not None else None


class SharedCharacters:
    """Strings indexed by the characters they hold, to give a query's quick ratio with
    every one of them in a few integer operations per character of the query.

    Strings are grouped by length. In a group, `masks[(c, k)]` has bit `i` set when
    string `i` holds character `c` at least `k` times. A query holding `c` `q` times
    shares min(q, count) of it with string `i`: one for each of its masks (c, 1..q)
    with bit `i` set. Adding up those bits for all strings at once, as bit planes
    ("sharing at least j so far"), gives each string's number of shared characters.
    """

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings
        groups: dict[int, list[int]] = {}
        for index, text in enumerate(strings):
            groups.setdefault(len(text), []).append(index)
        self.groups: dict[int, tuple[list[int], dict[tuple[str, int], int]]] = {}
        for length, members in groups.items():
            rows: dict[tuple[str, int], bytearray] = {}
            for bit, index in enumerate(members):
                for char, count in Counter(strings[index]).items():
                    for k in range(1, count + 1):
                        row = rows.get((char, k))
                        if row is None:
                            row = rows[(char, k)] = bytearray((len(members) + 7) // 8)
                        row[bit >> 3] |= 1 << (bit & 7)
            self.groups[length] = (members, {key: int.from_bytes(row, "little")
                                             for key, row in rows.items()})

    def bounds(self, query: str, cutoff: float) -> list[tuple[float, list[int]]]:
        """(quick ratio, the strings that have it) for each ratio reaching `cutoff`, best first."""
        wanted = [(char, k) for char, count in Counter(query).items()
                  for k in range(1, count + 1)]
        found: list[tuple[float, list[int]]] = []
        for length, (members, masks) in self.groups.items():
            most = min(len(query), length)
            need = next((j for j in range(most + 1)
                         if _ratio(j, len(query) + length) >= cutoff), None)
            if need is None:
                continue
            at_least = [(1 << len(members)) - 1] + [0] * most  # [j]: sharing >= j so far
            for depth, key in enumerate(wanted, start=1):
                mask = masks.get(key)
                if mask:
                    for j in range(min(depth, most), 0, -1):
                        at_least[j] |= at_least[j - 1] & mask
            at_least.append(0)
            for j in range(need, most + 1):
                exactly = at_least[j] & ~at_least[j + 1]
                if exactly:
                    bits = bin(exactly)[:1:-1]  # character i is bit i
                    found.append((_ratio(j, len(query) + length),
                                  [members[i] for i, bit in enumerate(bits) if bit == "1"]))
        found.sort(key=lambda item: -item[0])
        return found

    def closest(self, query: str, cutoff: float, work: Work) -> str | None:
        """What `difflib.get_close_matches(query, strings, n=1, cutoff)` answers, or None."""
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(query)
        best: tuple[float, str] | None = None
        for bound, indices in self.bounds(query, cutoff):
            if best is not None and bound < best[0]:
                break  # a ratio never exceeds its quick ratio: nothing left can win
            for index in indices:
                work.left -= 1
                if work.left < 0:
                    return None
                text = self.strings[index]
                matcher.set_seq1(text)
                score = matcher.ratio()
                if score >= cutoff and (best is None or (score, text) > best):
                    best = (score, text)
        return best[1] if best is not None else None


def _reachable(strings: list[str], cutoff: float) -> list[str]:
    """The strings not too long to reach `cutoff` with a name of `MAX_SUGGESTED_LENGTH` or less."""
    most = MAX_SUGGESTED_LENGTH
    return [s for s in strings if len(s) <= most or _ratio(most, most + len(s)) >= cutoff]


def _ratio(matches: int, length: int) -> float:
    """difflib's ratio of `matches` shared characters in strings of total `length`."""
    return 2.0 * matches / length if length else 1.0
