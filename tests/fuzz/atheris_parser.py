"""Coverage-guided fuzzing of the loader: `python3 tests/fuzz/atheris_parser.py -runs=N`.

Seeds are the real policies (rules/, tests/data/bad/); each input is written to a
file beside Kareo's (so `include "kareo-vocabulary.policy"` resolves) and loaded.
"""

from __future__ import annotations

import libfuzzer  # noqa: F401  (instruments clausewise before anything imports it)
from fuzz.policies import seed_files


def one_input(targets, data: bytes) -> None:
    targets.policy(data, "rules", target="atheris-parser")


if __name__ == "__main__":
    libfuzzer.run("parser", one_input, [p.read_bytes() for _, p in seed_files()])
