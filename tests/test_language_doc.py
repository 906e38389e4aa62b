"""docs/language.md agrees with the grammar and the model's tables, row by row."""

from __future__ import annotations

import re
from pathlib import Path

from clausewise import model as m
from clausewise.grammar.parser import grammar_text

DOC = (Path(__file__).resolve().parent.parent / "docs" / "language.md").read_text()


def table(heading: str) -> list[list[str]]:
    """The rows of the first table under `## heading`, as cells."""
    section = DOC.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def words(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def test_the_dimension_table_is_the_model_s() -> None:
    rows = {row[0]: row for row in table("Dimensions")}
    assert list(rows) == [d.name for d in m.DIMENSIONS]
    for d in m.DIMENSIONS:
        _, keywords, vocab, kinds, actions, example = rows[d.name]
        assert tuple(words(keywords)) == d.keywords
        assert vocab == d.vocab.value
        assert {k.strip() for k in kinds.split(",")} == set(d.kinds)
        expected = set(m.ACTION_KINDS) if actions == "every kind" else \
            {a.strip() for a in actions.split(",")}
        assert expected == set(d.actions)
        assert words(example)[0].split()[0] in d.keywords


def test_the_clause_kinds_table_is_the_model_s() -> None:
    rows = {words(row[0])[0]: row for row in table("Clause kinds")}
    assert set(rows) == set(m.CLAUSE_KINDS)
    for kind, cls in m.CLAUSE_KINDS.items():
        data = words(rows[kind][1])
        if kind == "prohibition":
            assert data == ["never VERBS"]
        elif kind == "choice":
            assert data == ["controls VERBS"]
        else:
            assert tuple(data) == cls.data_verbs
        assert words(rows[kind][3])[0] == f"{kind} {words(rows[kind][3])[0].split()[1]}"


def test_every_keyword_the_doc_names_is_in_the_grammar() -> None:
    grammar = grammar_text()
    literals = set(re.findall(r'"([a-z_-]+)"', grammar))
    for heading in ("Other fields", "The header"):
        for row in table(heading):
            for spelled in words(row[0]):
                keyword = spelled.split()[0]
                assert keyword in literals or keyword in ("for", "until"), (heading, keyword)
    for row in table("Facts and conditions"):
        assert row[0] in {t.value for t in m.FactType}
        assert words(row[1])[0].startswith(f"define fact ") and f" {row[0]} " in words(row[1])[0]
    assert set(literals) >= {"opt-in", "opt-out", "none"} | {"covers", "enum", "sell"}
