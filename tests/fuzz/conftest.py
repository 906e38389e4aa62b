"""Fixtures of the fuzz suite: the shared targets, the slow-input check, the summary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import harness
from .targets import Targets


@pytest.fixture(scope="session")
def targets() -> Iterator[Targets]:
    shared = Targets()
    yield shared
    shared.close()


@pytest.fixture(autouse=True)
def no_slow_input() -> Iterator[None]:
    """In CI, an input over `SLOW_SECONDS` fails its test here, after the test, so that
    hypothesis does not re-run a slow input while shrinking; the long run only reports."""
    before = {name: len(s.slow) for name, s in harness.STATS.items()}
    yield
    slow = [(name, entry) for name, s in harness.STATS.items()
            for entry in s.slow[before.get(name, 0):]]
    if slow and harness.MODE != "long":
        pytest.fail("inputs over %.0f s: " % harness.SLOW_SECONDS + "; ".join(
            f"{name}: {elapsed:.1f} s: {harness.shorten(shown, 300)}"
            for name, (elapsed, shown) in slow), pytrace=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if harness.STATS:
        terminalreporter.section("clausewise fuzz")
        terminalreporter.write_line(harness.report())
