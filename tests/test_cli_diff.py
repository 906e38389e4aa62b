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


def test_statements_merge_changes_by_what_no_longer_blocks_them(tmp_path: Path) -> None:
    from clausewise.diff.changes import diff
    from clausewise.diff.report import statements
    from clausewise.loader import load

    for name in ("kareo.policy", "kareo-vocabulary.policy"):
        text = (KAREO.parent / name).read_text(encoding="utf-8")
        if name == "kareo.policy":
            assert "\n  before\n" in text
            text = text.replace("\n  before\n", "\n")  # the merger notice no longer comes first
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = diff(load(KAREO), load(tmp_path / "kareo.policy"))
    widenings = [c for c in statements(result) if c.cls == "widening"]
    records = result.of("widening")
    assert len(records) > len(widenings)  # several records, one statement per kind and cause
    assert {c.cause for c in widenings} == {("merger-notice",)}
    # one statement for each kind of action and each duty moved, never two alike
    keys = [(c.kind, c.effects[0] == c.effects[1], c.removed, c.added) for c in widenings]
    assert len(set(keys)) == len(keys)
    assert sum(c.count for c in widenings) == sum(c.count for c in records)


def test_a_condition_over_too_many_facts_is_refused_not_run_forever(tmp_path: Path) -> None:
    from clausewise.diff.space import MAX_FACTS

    facts = [f"f{i}" for i in range(MAX_FACTS + 2)]
    defs = "\n".join(f'define fact {f} bool "{f}"' for f in facts)
    cond = " and ".join(facts)
    old, new = tmp_path / "old.policy", tmp_path / "new.policy"
    old.write_text(f"{defs}\nuse u\n  use user\n  if {cond}\nend\n", encoding="utf-8")
    new.write_text(f"{defs}\nuse u\n  use user\n  if {cond} or f0\nend\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 2
    assert "error[diff-too-large]" in result.stderr and "`u`" in result.stderr


def test_text_format_ends_with_the_rendered_policy_diff(tmp_path: Path) -> None:
    for name in ("kareo.policy", "kareo-vocabulary.policy"):
        text = (KAREO.parent / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("we do share your name", "we share your name"),
                                     encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(KAREO), str(tmp_path / "kareo.policy")])
    assert result.exit_code == 0  # prose only: no decision changes
    assert "text: the prose of `partners` changed" in result.stdout
    rendered = result.stdout.split("the published policy, rendered (markdown):", 1)[1]
    lines = rendered.splitlines()
    assert any(line.startswith("-") and "With your consent, we do share" in line
               for line in lines)
    assert any(line.startswith("+") and "With your consent, we share" in line
               for line in lines)


def test_a_number_in_a_prohibition_exception_is_a_threshold_of_the_diff(tmp_path: Path) -> None:
    import clausewise
    from clausewise.diff.changes import diff
    from clausewise.loader import load

    body = "use u\n  use user\nend\nprohibition adults-only\n  never use user\n  unless subject_age >= {}\nend\n"
    old, new = tmp_path / "old.policy", tmp_path / "new.policy"
    old.write_text(body.format(18), encoding="utf-8")
    new.write_text(body.format(16), encoding="utf-8")
    result = diff(load(old), load(new))
    [widening] = result.of("widening")
    witness = widening.witness
    assert witness is not None and witness.context["subject_age"] in (16, 17)
    assert not clausewise.load(old).check(witness).allowed
    assert clausewise.load(new).check(witness).allowed
