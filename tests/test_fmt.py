"""`clausewise fmt`: the canonical layout, and that formatting changes nothing else.

Round trips: fmt(fmt(x)) == fmt(x) and model(fmt(x)) == model(x) (the model's
equality ignores spans) over every policy file of the repository and over
generated policies written with random spacing and comments in random places.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clausewise.errors import PolicyError
from clausewise.fmt import WIDTH, format_text
from clausewise.grammar.parser import build
from clausewise.loader import load

ROOT = Path(__file__).resolve().parent.parent


def _parses(path: Path) -> bool:
    try:
        build(path.read_text(encoding="utf-8"), str(path))
    except Exception:  # noqa: BLE001 - the bad-input corpus: not for round trips
        return False
    return True


REPO_POLICIES = sorted(p for pattern in ("rules/**/*.policy", "tests/data/**/*.policy",
                                         "examples/**/*.policy", "src/clausewise/*.policy")
                       for p in ROOT.glob(pattern) if _parses(p))


def fmt(text: str) -> str:
    return format_text(text, "x.policy")


def model(text: str):
    document, diagnostics = build(text, "x.policy")
    return document, [d.code for d in diagnostics]


# ------------------------------------------------------------ the layout


def test_fields_go_one_per_line_indented_and_end_under_the_head() -> None:
    text = 'use   u1  use user.name,user.contact.email for marketing   if consent end\n' \
           'sharing s1\nshare user.name\n   with partner ,advertiser\n      end\n'
    assert fmt(text) == ("use u1\n  use user.name, user.contact.email\n  for marketing\n"
                         "  if consent\nend\n\nsharing s1\n  share user.name\n"
                         "  with partner, advertiser\nend\n")


def test_conditions_are_spaced_and_parentheses_hug_what_they_hold() -> None:
    text = "use u\n  use user\n  if ( consent and not(opted_out or aggregated) ) or age>3\nend\n"
    assert fmt(text).splitlines()[2] == \
        "  if (consent and not (opted_out or aggregated)) or age > 3"


def test_a_blank_line_separates_blocks_and_one_line_items_keep_their_grouping() -> None:
    text = ('define purpose a "A"\ndefine purpose b "B"\n\n\n\ndefine purpose c "C"\n'
            'use u\n  use user\nend\nuse v\n  use user\nend\n')
    assert fmt(text) == ('define purpose a "A"\ndefine purpose b "B"\n\ndefine purpose c "C"\n'
                         "\nuse u\n  use user\nend\n\nuse v\n  use user\nend\n")


def test_a_long_list_wraps_after_a_comma_with_a_deeper_indent() -> None:
    terms = [f"user.category_number_{i}" for i in range(12)]
    out = fmt("use u\n  use " + ", ".join(terms) + "\nend\n")
    lines = out.splitlines()[1:-1]
    assert len(lines) > 1 and all(len(line) <= WIDTH for line in lines)
    assert lines[0].startswith("  use ") and all(line.startswith("      user.")
                                                 for line in lines[1:])
    assert all(line.endswith(",") for line in lines[:-1])


def test_texts_are_kept_exactly_and_a_text_of_pieces_puts_each_under_the_first() -> None:
    prose = '"We  keep \\"this\\"   exactly,  as written."'
    out = fmt(f'policy "P"\n  text {prose}   "and this"\nend\n')
    assert out == f'policy "P"\n  text {prose}\n       "and this"\nend\n'


def test_comments_stay_where_they_were() -> None:
    text = ("# about the file\n\nuse u  # on the head\n   # before the data line\n"
            "use user.name, # after a comma\n user.contact\n  # before end\nend\n# the last\n")
    assert fmt(text) == ("# about the file\n\nuse u  # on the head\n  # before the data line\n"
                         "  use user.name,  # after a comma\n      user.contact\n"
                         "  # before end\nend\n# the last\n")


def test_an_item_without_end_keeps_a_line_for_a_keyword_that_starts_one() -> None:
    text = 'section "Sharing"\ntext "We share."\n   text "Only so."\n'
    assert fmt(text) == 'section "Sharing"\n  text "We share."\n  text "Only so."\n'


def test_a_file_with_a_syntax_error_is_refused_with_its_located_errors() -> None:
    with pytest.raises(PolicyError) as caught:
        fmt("use u\n  use user\n  fro customer\nend\n\nsharing s\n  share user\n")
    assert [(d.span.line, d.code) for d in caught.value.diagnostics] == \
        [(3, "syntax"), (7, "unexpected-eof")]


# ------------------------------------------------------------ round trips


@pytest.mark.parametrize("path", REPO_POLICIES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_policy_of_the_repository_round_trips(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = fmt(text)
    assert fmt(once) == once
    assert model(once) == model(text)


@pytest.mark.parametrize("root", ["rules/kareo.policy", "rules/examples/notably.policy",
                                  "rules/examples/stride.policy"])
def test_the_loaded_policies_are_equal_after_formatting(root: str, tmp_path: Path) -> None:
    source = (ROOT / root).parent
    for path in source.glob("*.policy"):
        (tmp_path / path.name).write_text(fmt(path.read_text(encoding="utf-8")),
                                          encoding="utf-8")
    before = load(ROOT / root).policy
    after = load(tmp_path / Path(root).name).policy
    assert after.clauses == before.clauses and after.terms == before.terms
    assert after.header == before.header and after.facts == before.facts
    assert [d.model_copy(update={"path": ""}) for d in after.documents] == \
        [d.model_copy(update={"path": ""}) for d in before.documents]


# ------------------------------------------------------- generated policies

TERMS = st.sampled_from(["user", "user.name", "user.contact.email", "user.device.ip_address",
                         "marketing", "essential.service", "partner", "advertiser",
                         "customer", "sign_up", "email", "a_rather_long_term.of_several_parts"])
FACTS = st.sampled_from(["consent", "opted_out", "aggregated", "age"])
TEXTS = st.text(st.characters(codec="utf-8", exclude_characters='"\\\n\r',
                              exclude_categories=("Cs", "Cc")), max_size=30) \
    .map(lambda s: f'"{s}"')


def term_list(draw: st.DrawFn, most: int = 14) -> list[str]:
    terms = draw(st.lists(TERMS, min_size=1, max_size=most))
    return [piece for i, t in enumerate(terms) for piece in ([","] if i else []) + [t]]


def condition(draw: st.DrawFn, depth: int = 0) -> list[str]:
    how = draw(st.sampled_from(["fact", "compare", "not", "and", "or", "paren"]
                               if depth < 3 else ["fact", "compare"]))
    if how == "fact":
        return [draw(FACTS)]
    if how == "compare":
        return ["age", draw(st.sampled_from(["<", "<=", "==", "!=", ">", ">="])),
                str(draw(st.integers(0, 99)))]
    if how == "not":
        return ["not"] + condition(draw, depth + 1)
    if how == "paren":
        return ["("] + condition(draw, depth + 1) + [")"]
    return ["("] + condition(draw, depth + 1) + [how] + condition(draw, depth + 1) + [")"]


def clause_field(draw: st.DrawFn) -> list[str]:
    how = draw(st.sampled_from(["data", "for", "with", "from", "if", "unless", "text",
                                "consent", "required", "period", "never", "must"]))
    if how == "data":
        return [draw(st.sampled_from(["collect", "use", "share", "keep"]))] + term_list(draw)
    if how in ("for", "with", "from"):
        return [how] + term_list(draw)
    if how in ("if", "unless"):
        return [how] + condition(draw)
    if how == "text":
        return ["text"] + draw(st.lists(TEXTS, min_size=1, max_size=3))
    if how == "consent":
        return ["consent", draw(st.sampled_from(["opt-in", "opt-out", "none"]))]
    if how == "period":
        return ["for", str(draw(st.integers(1, 400))), draw(st.sampled_from(["days", "months"]))]
    if how == "never":
        return ["never", "share", ",", "sell"] + term_list(draw, 4)
    return ["must", "notify", "before", "via"] + term_list(draw, 3)


@st.composite
def items(draw: st.DrawFn) -> list[list[str]]:
    found: list[list[str]] = []
    if draw(st.booleans()):
        header = ["policy", draw(TEXTS)]
        for _ in range(draw(st.integers(0, 4))):
            header += draw(st.sampled_from([["organization", '"O"'], ["updated", "2020-01-01"],
                                            ["covers", "web_site", ",", "mobile_app"],
                                            ["text", '"one"', '"two"']]))
        found.append(header + ["end"])
    for index in range(draw(st.integers(1, 6))):
        what = draw(st.sampled_from(["clause", "clause", "define", "fact", "section",
                                     "phrase"]))
        aka = ["aka"] + [piece for i, t in enumerate(draw(st.lists(TEXTS, min_size=1,
                                                                   max_size=8)))
                         for piece in ([","] if i else []) + [t]]
        if what == "define":
            found.append(["define", "purpose", f"p{index}.x", draw(TEXTS)]
                         + (["under", "marketing"] if draw(st.booleans()) else [])
                         + (["phrase", draw(TEXTS)] if draw(st.booleans()) else [])
                         + (aka if draw(st.booleans()) else []))
        elif what == "phrase":
            if found and found[-1][:2] == ["define", "purpose"] and "phrase" not in found[-1] \
                    and "aka" not in found[-1]:
                found[-1] += ["phrase", '"p"']  # else the grammar reads the next as its phrase
            found.append(["phrase", "recipient", "partner", draw(TEXTS)]
                         + (aka if draw(st.booleans()) else []))
        elif what == "fact":
            found.append(["define", "fact", f"f{index}", "bool", draw(TEXTS)])
        elif what == "section":
            found.append(["section", draw(TEXTS)] + ["text", draw(TEXTS)] * draw(st.integers(0, 2)))
        else:
            kind = draw(st.sampled_from(["collection", "use", "sharing", "retention",
                                         "prohibition"]))
            fields = [t for _ in range(draw(st.integers(0, 4))) for t in clause_field(draw)]
            found.append([kind, f"c{index}"] + fields + ["end"])
    return found


@st.composite
def written(draw: st.DrawFn) -> str:
    """Generated items, with any whitespace between tokens and comments anywhere."""
    out: list[str] = []
    for item in draw(items()):
        for token in item:
            out.append(token)
            out.append(draw(st.sampled_from([" ", "  ", "\n", "\n\n\n", "\t", " \n    "])))
            if draw(st.integers(0, 9)) == 0:
                out.append(draw(st.sampled_from(["# a note", "#", "#  spaced  note "])) + "\n")
        out.append(draw(st.sampled_from(["\n", "\n\n", " "])))
    return "".join(out)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(written())
def test_generated_policies_round_trip(text: str) -> None:
    once = fmt(text)
    assert fmt(once) == once
    assert model(once) == model(text)
    assert all(line == line.rstrip() for line in once.splitlines())


def test_the_layout_shown_in_the_docs_is_the_formatted_layout() -> None:
    doc = (ROOT / "docs" / "fmt.md").read_text(encoding="utf-8")
    example = doc.split("## The layout\n\n```\n", 1)[1].split("```", 1)[0]
    assert fmt(example) == example
    assert model(example)[1] == []
