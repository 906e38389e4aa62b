"""The Python API: `clausewise.load(path)` and the `Engine` it returns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from . import model as m
from .engine import Action, CompiledPolicy, Decision, decide, parse_action
from .engine.explain import to_dict, to_text
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

    def action(self, raw: Action | Mapping[str, Any] | str) -> Action:
        """Validate an action (a dict, JSON text or `Action`); raises `ActionError`."""
        return parse_action(raw, self.vocabulary)

    def check(self, action: Action | Mapping[str, Any] | str) -> Decision:
        """Decide one action; raises `ActionError` if it is malformed."""
        return decide(self.compiled, self.action(action))

    def check_many(self, actions: Iterable[Action | Mapping[str, Any] | str]
                   ) -> Iterator[Decision | ActionError]:
        """Decide each action in order; a malformed one yields its error, the rest go on."""
        compiled = self.compiled
        for raw in actions:
            try:
                action = parse_action(raw, self.vocabulary)
            except ActionError as exc:
                yield exc
                continue
            yield decide(compiled, action)

    def explain(self, decision: Decision) -> dict[str, Any]:
        """The decision as JSON-ready data, with each clause's source and text."""
        return to_dict(decision, self.compiled)

    def explain_text(self, decision: Decision) -> str:
        return to_text(decision, self.compiled)


def load(path: str | Path, *, include_root: str | Path | None = None) -> Engine:
    """Load, validate and compile the policy at `path`; raises `PolicyError`.

    Its includes must stay inside `include_root` (default: the directory of `path`).
    """
    return Engine(load_policy(path, include_root=include_root))
