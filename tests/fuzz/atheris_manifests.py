"""Coverage-guided fuzzing of manifests: `python3 tests/fuzz/atheris_manifests.py -runs=N`."""

from __future__ import annotations

import libfuzzer
from fuzz.values import manifest_seeds


def one_input(targets, data: bytes) -> None:
    targets.manifest(data, target="atheris-manifests")


if __name__ == "__main__":
    libfuzzer.run("manifests", one_input, manifest_seeds())
