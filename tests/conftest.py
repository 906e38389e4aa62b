"""Shared fixtures: the bundled Kareo policy, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewise.loader import Loaded, load

ROOT = Path(__file__).resolve().parent.parent
KAREO = ROOT / "rules" / "kareo.policy"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def kareo() -> Loaded:
    return load(KAREO)
