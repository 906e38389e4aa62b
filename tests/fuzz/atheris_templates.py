"""Coverage-guided fuzzing of user templates: `python3 tests/fuzz/atheris_templates.py -runs=N`.

Each input, as UTF-8 text, replaces `policy.txt.j2`; seeds are the built-in templates.
"""

from __future__ import annotations

import libfuzzer
from fuzz.harness import ROOT


def one_input(targets, data: bytes) -> None:
    targets.template("policy.txt.j2", data.decode("utf-8", "replace"), target="atheris-templates")


if __name__ == "__main__":
    seeds = sorted((ROOT / "src" / "clausewise" / "renderers" / "templates").glob("*.j2"))
    libfuzzer.run("templates", one_input, [p.read_bytes() for p in seeds])
