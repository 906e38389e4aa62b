"""Coverage-guided fuzzing of action JSON: `python3 tests/fuzz/atheris_actions.py -runs=N`."""

from __future__ import annotations

import libfuzzer
from fuzz.values import example_actions


def one_input(targets, data: bytes) -> None:
    targets.action_json(data, target="atheris-actions")


if __name__ == "__main__":
    libfuzzer.run("actions", one_input, example_actions())
