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
from ..vocabulary import Vocabulary
from .environment import ENV, render_template, sandboxed
from .matrix import decision_matrix
from .outline import build

#: format name -> template name (a user template of that name overrides ours)
FORMATS: dict[str, str] = {"markdown": "policy.md.j2", "html": "policy.html.j2",
                           "text": "policy.txt.j2"}
#: the formats whose page shows the decision matrix (only they pay for computing it)
WITH_MATRIX = frozenset({"html"})

__all__ = ["FORMATS", "render"]


def render(source: Any, format: str = "markdown", trace: bool = False, *,
           templates: str | os.PathLike[str] | None = None) -> str:
    """The policy in `format` ("markdown", "html" or "text").

    `source` is a `Loaded` (from `loader.load`), an `Engine`, or a
    `(policy, vocabulary)` pair. `trace` adds each paragraph's clause id and
    `file:line`. `templates` names a directory of user templates, run sandboxed;
    they see `doc`, `trace`, and for HTML `matrix`.
    Raises `TemplateError` when a template fails, `UsageError` for a bad format.
    """
    policy, vocabulary = _unpack(source)
    if format not in FORMATS:
        raise UsageError.single("unknown-format", f"unknown format `{format}`; use one of "
                                + ", ".join(f"`{name}`" for name in FORMATS))
    context: dict[str, Any] = {"doc": build(policy, vocabulary), "trace": trace}
    if format in WITH_MATRIX:
        context["matrix"] = decision_matrix(policy, vocabulary)
    env = sandboxed(templates) if templates is not None else ENV
    return render_template(FORMATS[format], context, env)


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
