"""`clausewise vocab`: every term a policy may use, with its label and its parent.

A newcomer should not have to read fideslang's source to find `user.contact.email`:
this lists fideslang's taxonomy, the built-in sets and, with `--policy`, what a
policy declares itself, as a table, a tree, or JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import click

from .. import model as m
from ..loader import load
from ..safe_text import visible_line
from ..vocabulary import Term, Vocabulary, base_vocabulary
from . import include_root_option, main, reports_errors

KINDS = [vocab.value for vocab in m.Vocab] + ["fact"]


@main.command()
@click.argument("kind", required=False, type=click.Choice(KINDS))
@click.option("--tree", is_flag=True, help="Show each vocabulary as its hierarchy.")
@click.option("--search", metavar="WORD", help="Only terms whose key or label contains WORD "
              "(any case); with --tree, their ancestors too.")
@click.option("--policy", type=click.Path(dir_okay=False), help="Add the terms and facts "
              "this policy declares (and mark them as its own).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@include_root_option
@reports_errors
def vocab(kind: str | None, tree: bool, search: str | None, policy: str | None, fmt: str,
          include_root: str | None) -> None:
    """List the terms of KIND (a vocabulary: category, purpose, subject, recipient,
    event, channel, right, method, actor, source, place, mechanism, basis, safeguard;
    or fact), or of every vocabulary.

    Each term is shown with its label, its parent and where it comes from: fideslang's
    default taxonomy, clausewise's built-in sets, or the policy's own `define` lines.
    """
    vocabulary = load(policy, include_root=include_root).vocabulary if policy else \
        base_vocabulary()
    kinds = [kind] if kind else KINDS
    needle = search.casefold() if search else None
    if fmt == "json":
        click.echo(json.dumps({k: _rows(vocabulary, k, needle) for k in kinds}, indent=2))
        return
    shown = 0
    for name in kinds:
        rows = _rows(vocabulary, name, needle)
        if not rows:
            continue
        shown += len(rows)
        click.echo(f"{name} ({len(rows)})")
        if tree and name != "fact":
            lines = _tree(vocabulary, m.Vocab(name), {r["key"] for r in rows})
        else:
            lines = [_line(row) for row in rows]
        for line in lines:
            click.echo(f"  {visible_line(line)}")
    if not shown:
        click.echo(f"no term matches `{search}`" if search else "no terms", err=True)


def _rows(vocabulary: Vocabulary, kind: str, needle: str | None) -> list[dict[str, object]]:
    if kind == "fact":
        facts = vocabulary.facts.values()
        return [{"key": f.name, "label": f.label, "type": f.type.value,
                 "origin": "builtin" if f.span is None or f.span.file == "<builtin>"
                 else f.span.file} for f in sorted(facts, key=lambda f: f.name)
                if _matches(needle, f.name, f.label)]
    terms: Iterable[Term] = vocabulary.terms[m.Vocab(kind)].values()
    return [{"key": t.key, "label": t.label, "parent": t.parent, "origin": t.origin}
            for t in sorted(terms, key=lambda t: t.key) if _matches(needle, t.key, t.label)]


def _matches(needle: str | None, key: str, label: str) -> bool:
    return needle is None or needle in key.casefold() or needle in label.casefold()


def _line(row: dict[str, object]) -> str:
    extra = f" : {row['type']}" if "type" in row else ""
    parent = f"  (under {row['parent']})" if row.get("parent") and \
        not str(row["key"]).startswith(f"{row['parent']}.") else ""
    return f"{row['key']}{extra}  {row['label']}{parent}  [{row['origin']}]"


def _tree(vocabulary: Vocabulary, vocab: m.Vocab, wanted: set[str]) -> list[str]:
    """The hierarchy, pruned to the wanted terms and their ancestors."""
    keep = {a for key in wanted for a in vocabulary.ancestors(vocab, key)}
    children: dict[str | None, list[Term]] = {}
    for term in vocabulary.terms[vocab].values():
        if term.key in keep:
            parent = term.parent if term.parent in keep else None
            children.setdefault(parent, []).append(term)
    lines: list[str] = []
    pending = [(t, 0) for t in sorted(children.get(None, []), key=lambda t: t.key,
                                      reverse=True)]
    while pending:  # iterative: a deep hierarchy needs no recursion
        term, depth = pending.pop()
        mark = "" if term.key in wanted else "  (shown for its children)"
        lines.append(f"{'  ' * depth}{term.key}  {term.label}{mark}")
        pending.extend((child, depth + 1) for child in
                       sorted(children.get(term.key, []), key=lambda t: t.key, reverse=True))
    return lines
