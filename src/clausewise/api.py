"""The Python API: `clausewise.load(path)` and the `Engine` it returns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from . import model as m
from .engine import Action, CompiledPolicy, Decision, parse_action
from .engine.explain import to_dict, to_text
from .engine.plan import run
from .engine.shapes import ShapeReader
from .errors import ActionError
from .loader import Loaded
from .loader import load as load_policy
from .vocabulary import Vocabulary


class Engine:
    """A loaded, validated and compiled policy that decides actions."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded

    @property
    def model(self) -> m.Policy:
        return self.loaded.policy

    @property
    def vocabulary(self) -> Vocabulary:
        return self.loaded.vocabulary

    @cached_property
    def compiled(self) -> CompiledPolicy:
        return CompiledPolicy(self.loaded.policy, self.loaded.vocabulary)

    @cached_property
    def shapes(self) -> ShapeReader:
        return ShapeReader(self.compiled)

    def action(self, raw: Action | Mapping[str, Any] | str) -> Action:
        """Validate an action (a dict, JSON text or `Action`); raises `ActionError`."""
        return parse_action(raw, self.vocabulary)

    def check(self, action: Action | Mapping[str, Any] | str, explain: bool = True
              ) -> Decision:
        """Decide one action; raises `ActionError` if it is malformed.

        The decision is a value either way. With `explain` (the default) it keeps what
        it was decided from, so that `explain()`, `explain_text()` and its `reasons`
        can be derived when asked; `explain=False` returns the bare value, cheapest.
        """
        if action.__class__ is dict:
            known = self.shapes.read(action)  # type: ignore[arg-type]
            if known is not None:
                return run(known[0], known[1], explain)
        validated = parse_action(action, self.vocabulary)
        plan = self.shapes.learn(action, validated)
        return run(plan, validated.context, explain, validated)

    def check_many(self, actions: Iterable[Action | Mapping[str, Any] | str], *,
                   explain: bool = True) -> Iterator[Decision | ActionError]:
        """Decide each action in order; a malformed one yields its error, the rest go on."""
        for raw in actions:
            try:
                yield self.check(raw, explain)
            except ActionError as exc:
                yield exc

    def explain(self, decision: Decision) -> dict[str, Any]:
        """The decision as JSON-ready data, with each clause's source and text."""
        return to_dict(decision, self.compiled)

    def explain_text(self, decision: Decision, *, verbose: bool = False) -> str:
        return to_text(decision, self.compiled, verbose=verbose)


def load(path: str | Path, *, include_root: str | Path | None = None) -> Engine:
    """Load, validate and compile the policy at `path`; raises `PolicyError`.

    Its includes must stay inside `include_root` (default: the directory of `path`).
    """
    return Engine(load_policy(path, include_root=include_root))
