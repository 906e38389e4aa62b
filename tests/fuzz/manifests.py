"""Manifest YAML to fuzz `check --manifest` with.

Flows are written in YAML's flow style (`{action: share, data: [...]}`) so that
values compose recursively; each value may be any scalar YAML has (dates, big and
octal and sexagesimal ints, `.nan`, `~`), a tagged node (`!!set`, `!!binary`,
`!!timestamp`, `!!python/object`, a local `!tag`), an anchor defined earlier or an
alias to one (`*a`, merge keys `<<: *a`), or a nesting hundreds deep. Keys may
repeat. Alias chains stay small here (a fan-out of at most 3 over 4 levels); the
alias bomb of finding 6 is a reproducer of its own, not something to fuzz into.
The real manifests in tests/data/manifests are also mutated byte by byte.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .mutate import mutated
from .policies import CATEGORIES, CHANNELS, EVENTS, FACTS, PURPOSES, RECIPIENTS, SUBJECTS
from .values import FIELDS, KINDS, manifest_seeds

SCALARS = ("~", "null", "true", "false", "yes", "no", "on", "off", "0", "-0", "0o17", "0x1f",
           "1_000", "190:20:30", ".nan", ".inf", "-.inf", "1e400", "3.0", "30", "'30'", "2020-01-01",
           "2001-12-14t21:59:43.10-05:00", "'\\x1b[31m'", '"\\e[2J"', '"\\u202e"', '"\\x00"',
           "9" * 5000, "-" + "9" * 4400, "''", '""', "|\n  block", ">-\n  folded")
TAGS = ("!!set {a, b}", "!!binary aGVsbG8=", "!!timestamp 2020-01-01", "!!int '12'",
        "!!float '1.5'", "!!str 12", "!!bool yes", "!!null ''", "!!omap [a: 1, b: 2]",
        "!!pairs [a: 1, a: 2]", "!!python/object:os.system {}", "!!python/name:os.system",
        "!local thing", "!!map {a: 1}", "!!seq [1]", "!!int 99999999999999999999999999")


def values(anchors: list[str]) -> st.SearchStrategy[str]:
    """A YAML value in flow style; may use (never define) the anchors given."""
    leaf = st.one_of(st.sampled_from(SCALARS), st.sampled_from(TAGS),
                     st.sampled_from(CATEGORIES + PURPOSES + SUBJECTS + RECIPIENTS + EVENTS +
                                     CHANNELS + KINDS[:6]))
    if anchors:
        leaf = st.one_of(leaf, st.sampled_from(anchors).map(lambda a: f"*{a}"))
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(FIELDS + FACTS + ("<<",)), inner), max_size=3)
        .map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")), max_leaves=8)


def _deep(depth: int, kind: str) -> str:
    return ("[" * depth + "x" + "]" * depth) if kind == "seq" else \
        ("{a: " * depth + "x" + "}" * depth)


@st.composite
def flows(draw: st.DrawFn) -> str:
    """A manifest: optional header keys, then a block list of flow-style flows."""
    anchors: list[str] = []
    lines = []
    if draw(st.booleans()):
        lines.append(f"feature: {draw(values([]))}")
        if draw(st.booleans()):  # a small, bounded alias chain
            fan = draw(st.integers(1, 3))
            for level in range(draw(st.integers(1, 4))):
                if level == 0:
                    lines.append("a0: &a0 [user]")
                else:
                    lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * fan)
                                 + "]")
                anchors.append(f"a{level}")
        lines.append("flows:")
    for index in range(draw(st.integers(0, 5))):
        fields = {"action": draw(st.sampled_from(KINDS)),
                  "data": draw(st.one_of(values(anchors), st.just("[user.contact.email]")))}
        for key in draw(st.lists(st.sampled_from(FIELDS + ("name",)), max_size=5)):
            fields.setdefault(key, draw(values(anchors)))
        body = ", ".join(f"{k}: {v}" for k, v in fields.items())
        if draw(st.integers(0, 9)) == 0:  # a duplicate key, or a very deep value
            body += draw(st.one_of(
                st.sampled_from(list(fields)).map(lambda k: f", {k}: {{consent: true}}"),
                st.builds(lambda d, k: f", context: {_deep(d, k)}", st.sampled_from(
                    (100, 500, 2_000)), st.sampled_from(("seq", "map")))))
        anchor = ""
        if draw(st.integers(0, 4)) == 0:
            anchor = f"&f{index} "
            anchors.append(f"f{index}")
        lines.append(f"  - {anchor}{{{body}}}")
        if anchors and draw(st.integers(0, 4)) == 0:
            lines.append(f"  - *{draw(st.sampled_from(anchors))}")
    return "\n".join(lines) + "\n"


def manifests() -> st.SearchStrategy[bytes]:
    """Manifest files' bytes: generated, or a real manifest mutated."""
    mutant = st.sampled_from(manifest_seeds()).flatmap(mutated)
    tail = st.sampled_from(("", "---\n- {action: use}\n", "...\n", "%YAML 1.1\n---\n", "\t"))
    generated = st.one_of(flows(), st.builds(lambda a, b: a + b, flows(), tail))
    return st.one_of(generated.map(str.encode), generated.map(str.encode), mutant)
