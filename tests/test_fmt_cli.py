"""`clausewise fmt FILE...`: rewrite, --check, --diff, standard input, errors, and rules/."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from click.testing import CliRunner

from clausewise.cli import main

ROOT = Path(__file__).resolve().parent.parent
MESSY = "use u  use user.name,user.contact.email\n for marketing end\n"
TIDY = "use u\n  use user.name, user.contact.email\n  for marketing\nend\n"
BROKEN = "use u\n  use user\n  fro customer\nend\n"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fmt", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


def test_rules_are_formatted() -> None:
    code, out, err = run("--check", str(ROOT / "rules"))
    assert (code, out, err) == (0, "", "")


def test_a_file_is_rewritten_in_place_keeping_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "p.policy"
    path.write_text(MESSY, encoding="utf-8")
    path.chmod(0o640)
    code, out, _ = run(str(path))
    assert (code, out) == (0, f"reformatted {path}\n")
    assert path.read_text(encoding="utf-8") == TIDY
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["p.policy"]  # no temporary file left
    assert run(str(path))[:2] == (0, "")  # formatted already: nothing to do


def test_a_linked_file_is_rewritten_through_its_link(tmp_path: Path) -> None:
    real = tmp_path / "real.policy"
    real.write_text(MESSY, encoding="utf-8")
    link = tmp_path / "link.policy"
    link.symlink_to(real)
    assert run(str(link))[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == TIDY


def test_check_lists_the_files_that_would_change_and_changes_none(tmp_path: Path) -> None:
    messy, tidy = tmp_path / "messy.policy", tmp_path / "tidy.policy"
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(TIDY, encoding="utf-8")
    code, out, _ = run("--check", str(tmp_path))
    assert (code, out) == (1, f"would reformat {messy}\n")
    assert messy.read_text(encoding="utf-8") == MESSY


def test_diff_prints_a_unified_diff_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.policy"
    path.write_text(MESSY, encoding="utf-8")
    code, out, _ = run("--diff", str(path))
    assert code == 0
    assert out.startswith(f"--- {path} (now)\n+++ {path} (formatted)\n@@ ")
    assert "-use u  use user.name,user.contact.email\n" in out
    assert "+  use user.name, user.contact.email\n" in out
    assert path.read_text(encoding="utf-8") == MESSY


def test_standard_input_is_formatted_to_standard_output() -> None:
    assert run("-", stdin=MESSY)[:2] == (0, TIDY)
    assert run("--check", "-", stdin=MESSY)[:2] == (1, "would reformat <stdin>\n")


def test_a_file_with_a_syntax_error_is_left_as_it_is_and_the_others_are_done(
        tmp_path: Path) -> None:
    bad, good = tmp_path / "a-bad.policy", tmp_path / "b-good.policy"
    bad.write_text(BROKEN, encoding="utf-8")
    good.write_text(MESSY, encoding="utf-8")
    before = os.stat(bad).st_mtime_ns
    code, out, err = run(str(bad), str(good))
    assert code == 2
    assert f"{bad}:3:3: error[syntax]: unexpected `fro`" in err
    assert "3 |   fro customer" in err and "did you mean `from`?" in err
    assert bad.read_text(encoding="utf-8") == BROKEN and os.stat(bad).st_mtime_ns == before
    assert out == f"reformatted {good}\n" and good.read_text(encoding="utf-8") == TIDY


def test_a_missing_file_and_a_binary_file_are_located_errors(tmp_path: Path) -> None:
    binary = tmp_path / "b.policy"
    binary.write_bytes(b"use\0")
    code, _, err = run(str(tmp_path / "none.policy"), str(binary))
    assert code == 2
    assert "error[no-such-file]" in err and "error[binary-file]" in err
    assert "Traceback" not in err


def test_windows_line_endings_and_a_byte_order_mark_are_changes(tmp_path: Path) -> None:
    path = tmp_path / "crlf.policy"
    path.write_bytes(b"\xef\xbb\xbf" + TIDY.replace("\n", "\r\n").encode())
    assert run("--check", str(path))[:2] == (1, f"would reformat {path}\n")
    assert run(str(path))[0] == 0
    assert path.read_bytes() == TIDY.encode()
