"""Text that drifts from the rules (CW501, CW502), read by `clausewise.fidelity`.

The fidelity module decides what a clause's text fails to mention (`missing`: a
consent, a recipient, a data category, a purpose, a retention period its rules
require or allow) and what it mentions that the rules lack (`extra`), with the
vocabulary's phrases and `aka` synonyms; this module only turns its answers into
findings. Without that module (an older tree), drift is not linted.
"""

from __future__ import annotations

from typing import Any

from ..loader import Loaded
from .codes import Finding, finding

#: fidelity's kinds of drift -> lint codes
CODE_OF_KIND = {"missing": "CW501", "extra": "CW502"}


def drift(loaded: Loaded) -> list[Finding]:
    try:
        from ..fidelity import drift as find
    except ImportError:  # pragma: no cover - the module ships with the renderers
        return []
    return [_finding(item, loaded) for item in find(loaded.policy, loaded.vocabulary)
            if item.kind in CODE_OF_KIND]


def _finding(item: Any, loaded: Loaded) -> Finding:
    diagnostic = item.diagnostic()
    return finding(CODE_OF_KIND[item.kind], item.message,
                   item.span or loaded.policy.clause(item.clause).span,
                   clause=item.clause, fix=diagnostic.help)
