"""`check --manifest` on generated and mutated YAML (anchors, tags, dates, deep values).

Every manifest ends in decisions and errors per flow (exit 0, 1 or 2) or one
located `UsageError`; nothing else is raised.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from .harness import budget
from .manifests import manifests


@budget(200)
@given(data=manifests(), fmt=st.sampled_from(("json", "text")))
def test_manifests_end_in_decisions_or_located_errors(targets, data, fmt):
    targets.manifest(data, fmt)
