"""`clausewise diff` refuses what it must not pass on to git."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from clausewise.cli import main
from conftest import KAREO


def test_base_that_looks_like_an_option_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    result = CliRunner().invoke(main, ["diff", f"--base=--output={target}", str(KAREO)])
    assert result.exit_code == 2
    assert "error[bad-revision]" in result.stderr
    assert not target.exists()
