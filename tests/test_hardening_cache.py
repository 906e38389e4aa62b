"""Issue 8, security 1: no cache is ever loaded from a place others can write.

Each attack is real: a pickle that touches a marker file when unpickled is planted
where a cache would be read, and the test shows first that the plant works (the old
`cache=True` runs it), then that clausewise does not run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KAREO = ROOT / "rules" / "kareo.policy"

# Runs in a child process: build the parser as clausewise does, optionally with the
# old `cache=True` behaviour, and print where Lark keeps its cache.
_BUILD = """
import sys
from clausewise.grammar import parser
if sys.argv[1] == "old":
    parser._grammar_cache = lambda grammar: True
parser._parser()
"""

_EVIL = """
import pathlib, pickle, sys
class Evil:
    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(sys.argv[2]),))
cache = pathlib.Path(sys.argv[1])
header = cache.read_bytes().split(b"\\n", 1)[0] if cache.exists() else sys.argv[3].encode()
cache.write_bytes(header + b"\\n" + pickle.dumps(Evil()))
"""


def _env(tmp: Path, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TMPDIR=str(tmp), XDG_CACHE_HOME=str(home), HOME=str(home))
    return env


def _python(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=120)


def _validate(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clausewise", "validate", str(KAREO)], env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_pickle_planted_in_the_shared_temp_directory_is_never_loaded(tmp_path: Path) -> None:
    shared, home, marker = tmp_path / "tmp", tmp_path / "home", tmp_path / "pwned"
    shared.mkdir()
    home.mkdir()
    env = _env(shared, home)
    # Lark's own cache=True writes a predictably named pickle into the temp directory
    assert _python(_BUILD, "old", env=env).returncode == 0
    [planted] = list(shared.glob(".lark_cache_*"))
    assert _python(_EVIL, str(planted), str(marker), env=env).returncode == 0
    assert _python(_BUILD, "old", env=env).returncode == 0
    assert marker.exists(), "the planted pickle should run under the old cache=True"
    marker.unlink()

    result = _validate(env)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert sorted(p.name for p in shared.iterdir()) == [planted.name]  # nothing read or added


def _private_cache(home: Path) -> tuple[Path, Path]:
    """A trusted cache made by a normal run, and the compiled grammar's file in it."""
    result = _validate(_env(home, home))
    assert result.returncode == 0, result.stderr
    folder = home / "clausewise"
    [grammar] = list(folder.glob("grammar-*.pickle"))
    return folder, grammar


@pytest.mark.parametrize("make_untrusted", ["world-writable directory", "group-writable file",
                                            "directory of another user", "symbolic link"])
def test_a_cache_that_others_can_write_is_not_used(tmp_path: Path, make_untrusted: str) -> None:
    home, marker = tmp_path / "home", tmp_path / "pwned"
    home.mkdir()
    folder, grammar = _private_cache(home)
    env = _env(home, home)
    assert _python(_EVIL, str(grammar), str(marker), env=env).returncode == 0
    if make_untrusted == "world-writable directory":
        folder.chmod(0o777)
    elif make_untrusted == "group-writable file":
        grammar.chmod(0o664)
    elif make_untrusted == "directory of another user":
        if os.getuid() != 0:
            os.chmod(folder, 0o755)  # an unprivileged run cannot chown: group+world bits
            folder.chmod(0o777)
        else:
            os.chown(folder, 65534, 65534)
    else:
        moved = tmp_path / "elsewhere"
        folder.rename(moved)
        folder.symlink_to(moved)
    result = _validate(env)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_the_private_cache_is_made_for_the_user_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    folder, grammar = _private_cache(home)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert not grammar.stat().st_mode & 0o022
    # and it is used: the control for the tests above (only its owner can write it)
    marker = tmp_path / "pwned"
    assert _python(_EVIL, str(grammar), str(marker), env=_env(home, home)).returncode == 0
    assert _validate(_env(home, home)).returncode == 0
    assert marker.exists()


_KNOWS = """
from clausewise.vocabulary import base_vocabulary
from clausewise import model as m
v = base_vocabulary()
print(v.knows(m.Vocab.category, "user.planted"), v.knows(m.Vocab.category, "user.contact.email"))
"""


def _snapshot(folder: Path) -> Path:
    [snapshot] = list(folder.glob("fideslang-*.json"))
    return snapshot


def test_a_taxonomy_snapshot_others_could_write_is_not_used(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    folder, _ = _private_cache(home)
    snapshot = _snapshot(folder)
    rows = json.loads(snapshot.read_text())
    snapshot.write_text(json.dumps(rows + [["category", "user.planted", "planted", "user"]]))
    env = _env(home, home)
    assert _python(_KNOWS, env=env).stdout.split() == ["True", "True"]  # ours: trusted
    folder.chmod(0o777)
    assert _python(_KNOWS, env=env).stdout.split() == ["False", "True"]


@pytest.mark.parametrize("content", ["not json", "[]", '{"a": 1}', '[["category", 1, 2, 3]]',
                                     '[["nonsense", "k", "l", null]]'])
def test_a_malformed_taxonomy_snapshot_is_rebuilt_from_fideslang(tmp_path: Path,
                                                                  content: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    folder, _ = _private_cache(home)
    _snapshot(folder).write_text(content)
    result = _python(_KNOWS, env=_env(home, home))
    assert result.stdout.split() == ["False", "True"], result.stderr
    assert json.loads(_snapshot(folder).read_text())  # rewritten whole
