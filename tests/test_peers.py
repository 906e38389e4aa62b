"""benchmarks/peers: every peer engine, encoded from the compiled policy, decides as clausewise.

The speed numbers are measured by `benchmarks/peers/run.py`, never asserted here;
this holds the encodings to clausewise's decisions (the run itself stops on any
disagreement) and the JSON the run writes to its documented shape.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

import clausewise

from conftest import KAREO, ROOT

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


from benchmarks.peers import run  # noqa: E402
from benchmarks.peers.encode import requests, rules  # noqa: E402

CASES = yaml.safe_load(KAREO.with_name("kareo.tests.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def kareo_field():
    engine = clausewise.load(KAREO)
    actions = [case["action"] for case in CASES]
    return engine, actions, run.contenders(engine, actions)


def test_every_peer_decides_every_kareo_case_as_clausewise(kareo_field) -> None:
    engine, actions, field = kareo_field
    expected = [case["decision"] == "allow" for case in CASES]
    assert [c.name for c in field] == ["clausewise", *run.PEERS]
    for contender in field:
        assert contender.run_once() == expected, contender.name


def test_a_disagreement_stops_the_run(kareo_field, capsys) -> None:
    engine, actions, field = kareo_field
    cedar = next(c for c in field if c.name == "cedarpy")
    wrong = run.Contender("cedarpy", lambda prepared: not cedar.decide(prepared), cedar.inputs)
    with pytest.raises(SystemExit) as stop:
        run.agree(engine, actions, [c["id"] for c in CASES], [field[0], wrong])
    assert stop.value.code == 1
    assert "DISAGREEMENT: cedarpy" in capsys.readouterr().err


def test_generated_policies_are_decided_alike_by_every_engine(tmp_path: Path) -> None:
    from decide import generate_actions, generate_policy

    path = tmp_path / "generated.policy"
    path.write_text(generate_policy(60, seed=11), encoding="utf-8")
    engine = clausewise.load(path)
    actions = generate_actions(engine, 60, seed=11)
    field = run.contenders(engine, actions)
    run.agree(engine, actions, [str(i) for i in range(len(actions))], field)  # or exits
    effects = {engine.check(a).effect for a in actions}
    assert effects == {"allow", "deny"}


def test_cedar_policies_carry_their_clause_ids() -> None:
    from benchmarks.peers.cedar import policy_text

    engine = clausewise.load(KAREO)
    text = policy_text(rules(engine.compiled))
    assert '@id("forbid:no-phi")' in text
    assert '@id("permit:partners")' in text
    assert len(requests(engine.action({"action": "use", "data": ["user.name", "user.contact"],
                                       "purpose": "essential.service"}))) == 2


def test_the_run_writes_the_documented_json(tmp_path: Path, capsys) -> None:
    out = tmp_path / "peers.json"
    assert run.main(["--quick", "--sizes", "10", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert set(data) == {"kareo", "scaling"}
    assert set(data["kareo"]) == {"clausewise", "cedarpy", "cedarpy_string", "regopy",
                                  "pycasbin"}
    assert all(value > 0 for value in data["kareo"].values())
    assert data["scaling"]["rules"] == [10]
    assert set(data["scaling"]) == {"rules", "clausewise", *run.PEERS}
    assert (run.OUT / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "all 5 engines agree" in capsys.readouterr().out
