"""Render the human-readable policy from the same rules the engine decides with.

    >>> from clausewise.loader import load
    >>> from clausewise.renderers import render
    >>> html = render(load("rules/kareo.policy"), "html")

Renderers are pure functions of the model and its vocabulary: outline.py lays
the clauses out as a privacy policy, words.py and sentences.py say them in
English, matrix.py computes the decision table, and the Jinja templates in
templates/ only arrange what those produce.
"""

from __future__ import annotations

import os
from typing import Any

from .. import model as m
from ..errors import UsageError
from ..fidelity import drift
from ..vocabulary import Vocabulary
from .environment import ENV, render_template, sandboxed
from .glance import COLUMNS
from .matrix import decision_matrix
from .outline import LAYOUTS, build

#: format name -> template name (a user template of that name overrides ours)
FORMATS: dict[str, str] = {"markdown": "policy.md.j2", "html": "policy.html.j2",
                           "text": "policy.txt.j2"}
#: the review view's formats (`render --review`): text and generated sentence side by side
REVIEW_FORMATS: dict[str, str] = {"markdown": "review.md.j2", "html": "review.html.j2"}
#: the formats whose page shows the decision matrix (only they pay for computing it)
WITH_MATRIX = frozenset({"html"})

__all__ = ["FORMATS", "LAYOUTS", "REVIEW_FORMATS", "render"]


def render(source: Any, format: str = "markdown", trace: bool = False, *,
           templates: str | os.PathLike[str] | None = None, layout: str | None = None,
           review: bool = False) -> str:
    """The policy in `format` ("markdown", "html" or "text").

    `source` is a `Loaded` (from `loader.load`), an `Engine`, or a
    `(policy, vocabulary)` pair. `trace` adds each paragraph's clause id and
    `file:line`. `layout` is "sections" (the author's, the default when the
    policy has any) or "standard" (the fixed layout). `review` renders the view
    for legal editors instead: each clause's text beside the sentence generated
    from its rules, and its `file:line` (HTML and Markdown). `templates` names a
    directory of user templates, run sandboxed; they see `doc`, `trace`,
    `columns` (the at-a-glance headings), and for HTML `matrix`.
    Raises `TemplateError` when a template fails, `UsageError` for a bad format.
    """
    policy, vocabulary = _unpack(source)
    names = REVIEW_FORMATS if review else FORMATS
    if format not in names:
        what = "review format" if review else "format"
        raise UsageError.single(f"unknown-{what.replace(' ', '-')}",
                                f"unknown {what} `{format}`; use one of "
                                + ", ".join(f"`{name}`" for name in names))
    context: dict[str, Any] = {"doc": build(policy, vocabulary, layout), "trace": trace,
                               "columns": COLUMNS}
    if format in WITH_MATRIX and not review:
        context["matrix"] = decision_matrix(policy, vocabulary)
    if review:
        context["drift"] = findings_by_clause(policy, vocabulary)
    env = sandboxed(templates) if templates is not None else ENV
    return render_template(names[format], context, env)


def findings_by_clause(policy: m.Policy, vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Clause id -> the drift between its text and its rules, in words (fidelity.py)."""
    found: dict[str, list[str]] = {}
    for finding in drift(policy, vocabulary):
        found.setdefault(finding.clause, []).append(finding.message)
    return {clause: tuple(messages) for clause, messages in found.items()}


def _unpack(source: Any) -> tuple[m.Policy, Vocabulary]:
    source = getattr(source, "loaded", source)  # an api.Engine wraps a Loaded
    if isinstance(source, tuple) and len(source) == 2:
        policy, vocabulary = source
    else:
        policy = getattr(source, "policy", None)
        vocabulary = getattr(source, "vocabulary", None)
    if not isinstance(policy, m.Policy) or not isinstance(vocabulary, Vocabulary):
        raise TypeError("render() needs a Loaded, an Engine or a (Policy, Vocabulary) pair")
    return policy, vocabulary
