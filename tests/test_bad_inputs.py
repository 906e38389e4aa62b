"""Bad input never crashes `clausewise validate`: each is a located, coded message and exit 2.

The corpus is `tests/data/bad/`: one small file per mistake, named for it, and
`cases.json` beside them with what `validate` must say about each file: the
position (`line:col` in the file itself, or `other/file:line:col`), the error
code, a fragment of the message and, where there is one, of the help line.
`{dir}` in an expectation stands for the corpus directory. The cases that need
big or odd files (too large, ~3 MB, NUL past the start, deep nesting) make them
in a temporary directory here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clausewise.cli import main
from clausewise.errors import Diagnostic, PolicyError
from clausewise.grammar.build import MAX_DEPTH
from clausewise.grammar.parser import parse
from clausewise.loader import MAX_BYTES, MAX_INCLUDE_DEPTH, load, read_source

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
CASES: list[dict] = json.loads((BAD / "cases.json").read_text(encoding="utf-8"))

_ERROR_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): "
                         r"error\[(?P<code>[a-z-]+)\]: (?P<message>.*)$")


@dataclass
class Reported:
    """One diagnostic as printed: where, code, message, help and the caret's column."""

    file: str
    line: int
    column: int
    code: str
    message: str
    help: str | None = None
    caret_column: int | None = None


def parse_report(output: str) -> list[Reported]:
    """The diagnostics in `validate`'s output, in the order printed."""
    found: list[Reported] = []
    for text in output.splitlines():
        match = _ERROR_LINE.match(text)
        if match:
            found.append(Reported(match["file"], int(match["line"]), int(match["column"]),
                                  match["code"], match["message"]))
        elif found and text.startswith("  = help: "):
            found[-1].help = text.removeprefix("  = help: ")
        elif found and re.match(r"^ +\| +\^", text):
            found[-1].caret_column = text.index("^") - text.index("|") - 1
    return found


def validate(*args: str) -> tuple[int, str]:
    """Run `clausewise validate` in process; the exit code and everything it printed."""
    result = CliRunner().invoke(main, ["validate", *args])
    # a crash would be caught by CliRunner and stored here, not printed: check for it
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


def expected_location(case: dict, at: str) -> tuple[str, int, int]:
    *file, line, column = at.split(":")
    path = BAD / file[0] if file else BAD / case["file"]
    return str(path), int(line), int(column)


def fill(text: str) -> str:
    return text.replace("{dir}", str(BAD))


def assert_reports(case: dict, output: str) -> None:
    reported = parse_report(output)
    expected = case["expect"]
    assert [r.code for r in reported] == [e["code"] for e in expected], output
    for got, want in zip(reported, expected):
        assert (got.file, got.line, got.column) == expected_location(case, want["at"]), output
        assert fill(want["message"]) in got.message, output
        if "help" in want:
            assert got.help is not None and fill(want["help"]) in got.help, output
        if got.caret_column is not None:  # the caret under the source line marks the column
            assert got.caret_column == got.column, output


# ------------------------------------------------------------------ the corpus


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input_gives_exit_2_and_a_located_error(case: dict) -> None:
    code, output = validate(str(BAD / case["file"]))
    assert code == 2, output
    assert "Traceback" not in output
    assert_reports(case, output)


def test_every_corpus_file_has_a_case_and_every_case_its_file() -> None:
    on_disk = {p.name for p in BAD.glob("*.policy")}
    present = {c["file"] for c in CASES if not c.get("absent") and not c.get("directory")}
    assert on_disk == present
    for case in CASES:
        path = BAD / case["file"]
        if case.get("absent"):
            assert not path.exists()
        elif case.get("directory"):
            assert path.is_dir()


def test_expectations_are_listed_in_position_order() -> None:
    for case in CASES:
        places = [expected_location(case, e["at"]) for e in case["expect"]]
        assert places == sorted(places), case["file"]


@pytest.mark.parametrize("name", ["several-errors.policy", "several-syntax-errors.policy"])
def test_several_errors_are_all_reported_sorted_by_position(name: str) -> None:
    code, output = validate(str(BAD / name))
    reported = parse_report(output)
    assert code == 2
    assert len(reported) >= 3
    places = [(r.file, r.line, r.column) for r in reported]
    assert places == sorted(places)
    codes = {r.code for r in reported}
    assert len(codes) >= 2  # different kinds of mistakes, not one repeated


@pytest.mark.parametrize("vocab, fragment", [
    ("category", "did you mean `user.contact.email`?"),
    ("purpose", "did you mean `marketing.advertising`?"),
    ("subject", "did you mean `customer`?"),
    ("recipient", "did you mean `partner`?"),
    ("event", "did you mean `sign_up`?"),
    ("channel", "did you mean `postal_mail`?"),
    ("right", "did you mean `correction`?"),
])
def test_unknown_term_of_every_vocabulary_suggests_the_close_one(vocab: str, fragment: str) -> None:
    code, output = validate(str(BAD / f"unknown-{vocab}.policy"))
    [reported] = parse_report(output)
    assert code == 2
    assert reported.code == "unknown-term"
    assert reported.message.startswith(f"unknown {vocab} `")
    assert reported.help == fragment


# ----------------------------------------------------------- a real process


@pytest.mark.parametrize("name", [
    "syntax-missing-end.policy", "unknown-category.policy", "binary-file.policy",
    "latin1-encoding.policy", "include-cycle.policy", "does-not-exist.policy", "included",
])
def test_clausewise_command_reports_bad_input_on_stderr_with_exit_2(name: str) -> None:
    script = shutil.which("clausewise", path=str(Path(sys.executable).parent)) \
        or shutil.which("clausewise")
    assert script is not None, "the `clausewise` command is not installed"
    case = next(c for c in CASES if c["file"] == name)
    run = subprocess.run([script, "validate", str(BAD / name)], capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert_reports(case, run.stderr)


# ------------------------------------------------- generated, big or odd files


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "huge.policy"
    line = b"# a comment line that pads the file out to a size over the limit\n"
    big.write_bytes(line * (MAX_BYTES // len(line) + 1))
    assert big.stat().st_size > MAX_BYTES
    code, output = validate(str(big))
    [reported] = parse_report(output)
    assert code == 2
    assert "Traceback" not in output
    assert (reported.file, reported.line, reported.column) == (str(big), 1, 1)
    assert reported.code == "file-too-large"
    assert "larger than 8 MB" in reported.message


def test_endless_device_is_refused_as_too_large_instead_of_read_forever() -> None:
    # /dev/zero reports a size of 0: only a bounded read stops it
    code, output = validate("/dev/zero")
    [reported] = parse_report(output)
    assert code == 2
    assert (reported.file, reported.code) == ("/dev/zero", "file-too-large")


PROSE = ('  text "We use this information to provide the service you asked for, to keep it '
         'running and secure, and to tell you about changes that matter to you. "\n'
         '       "We keep it no longer than we need to, and you can ask us what we hold."\n')


def _valid_policy(clauses: int, prose: bool = False) -> str:
    kinds = [
        'collection c{i}\n  collect user.name, user.contact.email\n  from customer\n'
        '  on sign_up\n  method provided\n  required\n  text "We ask for your name ({i})."\nend\n',
        'use u{i}\n  use user.device.ip_address\n  for analytics.reporting\n'
        '  if aggregated and not opted_out\nend\n',
        'sharing s{i}\n  share user.name\n  with partner, advertiser\n  for marketing\n'
        '  consent opt-in\n  unless opted_out\nend\n',
        'retention r{i}\n  keep user.device.cookie\n  for 30 days\nend\n',
        'prohibition p{i}\n  never collect, share user.health_and_medical\n'
        '  if subject_age < 13\nend\n',
    ]
    if prose:  # what real policies are mostly made of: the policy's own wording
        kinds = [k.replace("end\n", PROSE + "end\n") if "text" not in k else k for k in kinds]
    body = "\n".join(kinds[i % len(kinds)].format(i=i) for i in range(clauses))
    return 'policy "Generated"\n  updated 2020-01-01\nend\n\n' + body


def test_three_megabytes_of_valid_clauses_validate(tmp_path: Path) -> None:
    path = tmp_path / "large.policy"
    text = _valid_policy(10_000, prose=True)
    path.write_text(text, encoding="utf-8")
    assert 2_500_000 < path.stat().st_size < MAX_BYTES
    code, output = validate(str(path))
    assert code == 0, output
    assert f"{path}: ok: 'Generated', 10000 clauses in 1 file(s)" in output
    assert "2000 collection" in output and "2000 prohibition" in output


def test_nul_byte_past_the_start_is_still_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "late-nul.policy"
    path.write_bytes(_valid_policy(200).encode() + b"\0garbage")
    assert path.stat().st_size > 8192
    code, output = validate(str(path))
    [reported] = parse_report(output)
    assert code == 2
    assert (reported.file, reported.line, reported.column, reported.code) == \
        (str(path), 1, 1, "binary-file")


def test_deeply_nested_condition_is_refused_without_a_crash(tmp_path: Path) -> None:
    nots = 3000  # far past Python's recursion limit if anything recursed on it
    path = tmp_path / "deep.policy"
    path.write_text("use deep\n  use user\n  if " + "not " * nots + "consent\nend\n",
                    encoding="utf-8")
    code, output = validate(str(path))
    assert code == 2
    assert "Traceback" not in output and "RecursionError" not in output
    [reported] = parse_report(output)
    assert reported.code == "too-deep"
    assert "nested too deeply" in reported.message
    # the `not` whose subtree first exceeds MAX_DEPTH levels: the MAX_DEPTH-th from the
    # right (its fact is one level, each `not` one more); `if ` ends at column 5
    assert (reported.line, reported.column) == (3, 6 + 4 * (nots - MAX_DEPTH))


def test_parenthesised_condition_of_ordinary_depth_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "nested.policy"
    condition = "(" * 20 + "consent" + ")" * 20 + " and not (opted_out or aggregated)"
    path.write_text(f"use nested\n  use user\n  if {condition}\nend\n", encoding="utf-8")
    code, output = validate(str(path))
    assert code == 0, output


# ---------------------------------------------------------- mangled real policies

RULES = [(ROOT / "rules" / name).read_text(encoding="utf-8")
         for name in ("kareo.policy", "kareo-vocabulary.policy")]
PIECES = list('abcz_.,"()#<>=!-\\ \n\t09') + [
    "end", "if ", "not ", "use ", "collection ", "define ", "under ", "\x00", "é", "\u2028",
    "\r", "\f", "\ufeff"]


@st.composite
def mangled_policies(draw: st.DrawFn) -> str:
    """Kareo's policy or vocabulary with a few cuts, insertions and pasted fragments."""
    text = draw(st.sampled_from(RULES))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["delete", "insert", "truncate", "paste"]))
        if how == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 30)):]
        elif how == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif how == "truncate":
            text = text[:at]
        else:
            start = draw(st.integers(0, len(text)))
            text = text[:at] + text[start:start + draw(st.integers(1, 200))] + text[at:]
    return text


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(mangled_policies())
def test_mangled_policy_parses_or_gives_located_errors_never_a_crash(text: str) -> None:
    try:
        parse(read_source("mangled.policy", text.encode("utf-8")), "mangled.policy")
    except PolicyError as error:  # anything else fails the test
        assert error.diagnostics
        assert all(d.span is not None and d.span.file == "mangled.policy" and d.span.line >= 1
                   for d in error.diagnostics)
        assert "error[" in error.format()


def test_a_loop_of_symbolic_links_in_an_include_is_located(tmp_path: Path) -> None:
    (tmp_path / "l1.policy").symlink_to(tmp_path / "l2.policy")
    (tmp_path / "l2.policy").symlink_to(tmp_path / "l1.policy")
    root = tmp_path / "root.policy"
    root.write_text('include "l1.policy"\n', encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load(root)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "unreadable" and diagnostic.span.file == str(root)
    assert "included file `l1.policy`" in diagnostic.message


def test_a_pipe_is_refused_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.policy")
    root = tmp_path / "root.policy"
    root.write_text('include "pipe.policy"\n', encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load(root)
    assert caught.value.codes == ("not-a-file",)


def test_includes_nested_too_deep_are_refused_at_the_include(tmp_path: Path) -> None:
    depth = MAX_INCLUDE_DEPTH + 5
    for i in range(depth):
        (tmp_path / f"d{i}.policy").write_text(f'include "d{i + 1}.policy"\n', encoding="utf-8")
    (tmp_path / f"d{depth}.policy").write_text("use u\n  use user\nend\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load(tmp_path / "d0.policy")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "include-too-deep"
    assert diagnostic.span.line == 1


# ------------------------------------------------- the mistakes editors make


def _syntax_error(text: str) -> Diagnostic:
    with pytest.raises(PolicyError) as caught:
        parse(text, "mistake.policy")
    [diagnostic] = caught.value.diagnostics
    return diagnostic


@pytest.mark.parametrize("words, digits", [
    ("one", 1), ("twelve", 12), ("twenty", 20), ("sixty", 60), ("ninety", 90),
    ("a hundred", 100), ("two hundred", 200), ("twenty-one", 21)])
def test_a_number_in_words_is_written_back_in_digits(words: str, digits: int) -> None:
    found = _syntax_error(f"retention logs\n  keep user\n  for {words} days\nend\n")
    assert found.message.startswith(f"write the number in digits: `{digits}`, not `{words}`")
    assert found.help == f"write `for {digits} days`"


def test_a_unit_the_grammar_lacks_is_counted_in_days_and_named_from_the_grammar() -> None:
    found = _syntax_error("notification n\n  on merger\n  within 3 months\nend\n")
    assert found.message == "`within` takes days, not `months`"
    assert found.help == "write `within 90 days`"
    assert (found.span.line, found.span.column) == (3, 12)  # the unit Lark stopped at


def _grammar_takes(text: str) -> bool:
    try:
        parse(text, "probe.policy")
    except PolicyError:
        return False
    return True


def test_a_frequency_word_names_the_frequency_field_only_if_the_grammar_has_one() -> None:
    found = _syntax_error("use u\n  use user\n  twice a month\nend\n")
    if _grammar_takes("use u\n  use user\n  at most 2 times\nend\n"):
        assert found.help == "write `at most 2 times`"
    else:
        assert "a condition on a counted fact" in found.message
        assert "`if messages_sent < 1`" in found.help


def test_a_quote_inside_a_text_points_at_the_quote_that_ends_it_too_soon() -> None:
    found = _syntax_error('use u\n  use user\n  text ""cookies" are small files"\nend\n')
    assert (found.span.line, found.span.column) == (3, 9)
    assert found.help == 'write `text "\\"cookies\\" are small files"`'


def test_a_misspelt_field_after_a_term_is_still_a_misspelt_field() -> None:
    found = _syntax_error("sharing s\n  share user\n  with partner fro customer\nend\n")
    assert found.message.startswith("unexpected `fro`")
    assert found.help == "did you mean `from`?"


def test_a_term_of_several_words_in_a_list_offers_underscores_or_commas() -> None:
    # `brokers` may be the policy's own term, unknown before it parses: both readings
    found = _syntax_error("sharing s\n  share user\n  with partner brokers\nend\n")
    assert found.help == ("write `with partner_brokers`, or separate several terms with "
                          "commas: `with partner, brokers`")


def test_each_item_of_a_file_gets_its_own_hint() -> None:
    text = ("define recipient broker\n\nsharing s\n  share user\n  with service provider\nend\n"
            "\nretention r\n  keep user\n  for thirty days\nend\n")
    with pytest.raises(PolicyError) as caught:
        parse(text, "several.policy")
    assert [d.help for d in caught.value.diagnostics] == [
        'write `define recipient broker "its label"`', "write `with service_provider`",
        "write `for 30 days`"]
