"""Property tests of the lint's exact checks on small generated policies.

The policies are the diff's property-test generator's (tests/test_diff_properties.py);
random actions over the same vocabulary are decided by the engine, which must never
contradict what lint claims:

(a) a permission reported dead (CW102) allows no action;
(b) a permission reported redundant (CW104) allows nothing its cover does not;
(c) every example action lint gives is denied as it says, by the clause it names;
(d) whatever the policy, lint returns located findings of registered codes.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from clausewise.engine import decide
from clausewise.engine.action import parse_action
from clausewise.engine.compile import CompiledPolicy
from clausewise.lint import CODES, lint
from clausewise.lint.suppress import Config
from clausewise.loader import load

from test_diff_properties import Spec, policies, random_action, render

SETTINGS = settings(max_examples=60, deadline=None)
ACTIONS = 300
#: policies with each exact finding, tried on every run (random ones rarely make CW102)
PINNED = (
    [Spec(kind="sharing", id="ads", data=("user.contact.email",), recipients=("advertiser",)),
     Spec(kind="prohibition", id="no-ads", actions=("share",), data=("user.contact",),
          recipients=("advertiser",))],
    [Spec(kind="use", id="broad", data=("user.contact",)),
     Spec(kind="use", id="narrow", data=("user.contact.email",), purposes=("marketing",))],
    [Spec(kind="sharing", id="merger", data=("user",), recipients=("partner",),
          events=("merger",)),
     Spec(kind="prohibition", id="no-marketing", actions=("share",), data=("user.name",),
          purposes=("marketing",))],
)


def pinned(*extra: object):
    def decorate(test):
        for specs in reversed(PINNED):
            test = example(specs, *extra)(test)
        return test
    return decorate


def linted(specs: list[Spec]):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.policy"
        path.write_text(render(specs), encoding="utf-8")
        loaded = load(path)
        return loaded, lint(loaded, config=Config()), str(path)


@SETTINGS
@given(policies(max_size=7), st.randoms(use_true_random=True))
@pinned(random.Random(0))
def test_the_engine_never_contradicts_dead_or_redundant(specs: list[Spec],
                                                       rng: random.Random) -> None:
    loaded, findings, _ = linted(specs)
    dead = {f.clause for f in findings if f.code == "CW102"}
    covers = {f.clause: f.related[0][0].split("`")[1] for f in findings if f.code == "CW104"}
    if not dead and not covers:
        return
    compiled = CompiledPolicy(loaded.policy, loaded.vocabulary)
    for _ in range(ACTIONS):
        decision = decide(compiled, random_action(rng))
        if not decision.allowed:
            continue
        granted = set(decision.clause_ids)
        assert not granted & dead, f"dead {granted & dead} allowed {decision}"
        for clause, cover in covers.items():
            assert clause not in granted or cover in granted, (clause, cover, decision)


@SETTINGS
@given(policies(max_size=7))
@pinned()
def test_every_example_is_decided_as_the_finding_says(specs: list[Spec]) -> None:
    loaded, findings, path = linted(specs)
    compiled = CompiledPolicy(loaded.policy, loaded.vocabulary)
    for finding in findings:
        assert finding.code in CODES and finding.fix
        assert finding.span is not None and finding.span.file == path
        if finding.example is None:
            continue
        action = parse_action(finding.example["action"], loaded.vocabulary)
        decision = decide(compiled, action)
        assert decision.effect == finding.example["decision"] == "deny"
        if finding.code in ("CW101", "CW103"):
            blocker = finding.related[0][0].split("`")[1]
            assert blocker in decision.clause_ids, (finding, decision)


def test_the_pinned_policies_have_the_findings_they_pin() -> None:
    codes = [{f.code for f in linted(specs)[1]} for specs in PINNED]
    assert "CW102" in codes[0] and "CW104" in codes[1] and "CW103" in codes[2]
