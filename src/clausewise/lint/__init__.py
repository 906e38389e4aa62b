"""`clausewise lint`: findings about a valid policy, each with a stable code.

Validation says whether a policy means something; lint says whether it means what
its author wanted. Checks are an ordered list of named functions, each taking the
loaded policy and returning findings (a new check is one entry); the registry of
codes is codes.py; what the user turned off is applied last (suppress.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..engine.compile import CompiledPolicy
from ..loader import Loaded
from .codes import CODES, Code, Finding, Severity
from .completeness import completeness
from .conditions import conditions
from .drift import drift
from .interplay import interplay
from .suppress import Config, apply, find_config
from .terms import terms

__all__ = ["CHECKS", "CODES", "Code", "Config", "Finding", "Severity", "Subject", "find_config",
           "lint"]


@dataclass(frozen=True)
class Subject:
    """What the checks read: the policy, compiled, and the facts its tests give."""

    loaded: Loaded
    compiled: CompiledPolicy
    #: facts some test case of the policy gives (None: the policy has no tests)
    supplied: set[str] | None = None


CHECKS: tuple[tuple[str, Callable[[Subject], list[Finding]]], ...] = (
    ("interplay", lambda s: interplay(s.compiled)),
    ("conditions", lambda s: conditions(s.loaded.policy, s.loaded.vocabulary, s.supplied)),
    ("terms", lambda s: terms(s.loaded.policy, s.loaded.vocabulary)),
    ("completeness", lambda s: completeness(s.loaded.policy, s.loaded.vocabulary)),
    ("drift", lambda s: drift(s.loaded)),
)


def lint(loaded: Loaded, *, supplied: set[str] | None = None,
         config: Config | None = None) -> list[Finding]:
    """Every finding about `loaded`, sorted by place, without those turned off."""
    subject = Subject(loaded, CompiledPolicy(loaded.policy, loaded.vocabulary), supplied)
    found: list[Finding] = []
    for _name, check in CHECKS:
        found += check(subject)
    kept = apply(found, loaded.policy, config or find_config(loaded.policy.root))
    return sorted(kept, key=Finding.sort_key)
