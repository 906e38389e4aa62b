"""The parser and loader on policy text: generated from the grammar, and mutated bytes.

Each input is written to a file and loaded, as a user's file would be: it loads, or
fails with a located `PolicyError` that never shows a file outside the policy's tree.
A policy that loads is then asked one action and rendered as text.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from .harness import budget
from .policies import mutants, policies, seed_files, valid_policies


@budget(150)
@given(text=policies())
def test_generated_policies_load_or_fail_located(targets, text):
    targets.policy(text.encode("utf-8", "surrogatepass"))


@budget(60)
@given(seed=mutants(seed_files()))
def test_mutated_policies_load_or_fail_located(targets, seed):
    directory, data = seed
    targets.policy(data, directory)


@budget(40)
@given(data=st.binary(max_size=200))
def test_random_bytes_load_or_fail_located(targets, data):
    targets.policy(data)


@budget(60)
@given(text=valid_policies())
def test_valid_policies_load_decide_and_render(targets, text):
    targets.policy(text.encode("utf-8"))
