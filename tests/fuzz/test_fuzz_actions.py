"""Actions: JSON text through the reader, and any Python object through the API.

`Engine.check` decides or raises `ActionError`, whatever it is given (huge ints,
NaN, sets, bytes, self-referencing or thousands-deep containers, duplicate JSON
keys); `check_many` answers every item of a batch, a bad one with its error.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from .harness import budget
from .values import json_texts, objects


@budget(300)
@given(value=objects())
def test_any_object_is_decided_or_an_action_error(targets, value):
    targets.action_object(value)


@budget(300)
@given(text=json_texts())
def test_any_json_text_is_decided_or_a_located_action_error(targets, text):
    targets.action_json(text)


@budget(60)
@given(values=st.lists(st.one_of(objects(), json_texts()), min_size=1, max_size=6))
def test_check_many_answers_every_item(targets, values):
    targets.action_batch(values)
