"""The decision matrix is computed from the model alone, says what limits each cell, and the
engine agrees with every cell of Kareo's (issue 12, point 6); prohibitions win."""

from __future__ import annotations

from pathlib import Path

from clausewise import model as m
from clausewise.loader import load
from clausewise.renderers.matrix import ALLOWED, CONDITIONAL, NEVER, NONE, decision_matrix

POLICY = '''policy "M"
end
prohibition kids
  never collect, use, share, keep user
  if subject_age < 13
end
sharing open
  share user.contact.email
  with service_provider
end
sharing consented
  share user.name
  with partner
  consent opt-in
end
sharing on-merger
  share user
  with acquirer
  on merger
end
prohibition never-health
  never share user.health_and_medical
end
prohibition no-marketing
  never share user.contact
  with partner
  for marketing
  unless consent
end
sharing health
  share user.health_and_medical
  with service_provider
end
use reporting
  use user.device.ip_address
  for analytics.reporting
  if aggregated
end
use service
  use user.contact.email
  for essential.service
end
'''


def _cells(matrix, table_key: str) -> dict[tuple[str, str], str]:
    table = next(t for t in matrix.tables if t.key == table_key)
    return {(row.key, column): cell.mark
            for row in table.rows for (column, _), cell in zip(table.columns, row.cells)}


def test_cells_follow_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "m.policy"
    path.write_text(POLICY)
    loaded = load(path)
    matrix = decision_matrix(loaded.policy, loaded.vocabulary)
    shared = _cells(matrix, "recipients")
    assert shared["user.contact.email", "service_provider"] == ALLOWED
    assert shared["user.name", "partner"] == CONDITIONAL  # consent choice
    assert shared["user.name", "acquirer"] == CONDITIONAL  # only on an event
    assert shared["user.contact.email", "partner"] == NONE  # nothing allows it
    assert shared["user.health_and_medical", "service_provider"] == NEVER  # prohibition wins
    used = _cells(matrix, "purposes")
    assert used["user.device.ip_address", "analytics.reporting"] == CONDITIONAL
    assert used["user.contact.email", "essential.service"] == ALLOWED
    assert used["user.device.ip_address", "essential.service"] == NONE
    # rows are the categories the table's own clauses name: no use names user.name
    assert "user.name" not in {row for row, _ in used}
    assert [note_id for note_id, _ in matrix.audience] == ["kids"]
    assert not matrix.empty


def test_a_partial_prohibition_makes_an_allowed_cell_conditional(tmp_path: Path) -> None:
    path = tmp_path / "m.policy"
    path.write_text(POLICY + "sharing mail\n  share user.contact.email\n  with partner\nend\n")
    loaded = load(path)
    cells = _cells(decision_matrix(loaded.policy, loaded.vocabulary), "recipients")
    assert cells["user.contact.email", "partner"] == CONDITIONAL


def test_kareo_matrix(kareo) -> None:
    matrix = decision_matrix(kareo.policy, kareo.vocabulary)
    shared = _cells(matrix, "recipients")
    assert shared["user.name", "partner"] == CONDITIONAL  # with your consent
    assert shared["user.device.cookie_id", "ad_vendor"] == CONDITIONAL  # unless you opt out
    assert shared["user.financial.credit_card", "ad_vendor"] == NONE
    assert shared["user.content.testimonial", "public"] == CONDITIONAL
    # the card processor's clause covers every service provider, but only to bill you:
    # the cell says so instead of "allowed"
    card = _cell(matrix, "recipients", "user.financial.credit_card", "tracking_service")
    assert card.mark == CONDITIONAL
    grants = [(g.clause, g.says) for g in card.grants]
    assert ("card-processing", "to bill you") in grants
    assert [g for g in grants if g[0] == "fraud-safety-law"][0][1].startswith("to investigate")
    assert not [g for g in card.grants if "any purpose" in g.says]
    used = _cells(matrix, "purposes")
    assert used["user.contact.email", "marketing.communications.email"] == CONDITIONAL
    assert matrix.audience[0][0] == "no-children"
    assert decision_matrix(kareo.policy, kareo.vocabulary) == matrix  # pure


def test_kareo_rows_are_only_categories_the_tables_clauses_name(kareo) -> None:
    matrix = decision_matrix(kareo.policy, kareo.vocabulary)
    shared = {row.key for row in _table(matrix, "recipients").rows}
    named = {key for c in kareo.policy.clauses if c.kind == "sharing" for key in c.data}
    never = {key for c in kareo.policy.clauses if c.kind == "prohibition"
             and c.condition is None and c.exception is None and not c.recipients
             and not c.purposes and not c.events for key in c.data}
    assert shared == named | never
    assert "user.government_id" not in shared  # only a conditional prohibition names it


def test_kareo_matrix_marks_health_data_never(kareo) -> None:
    matrix = decision_matrix(kareo.policy, kareo.vocabulary)
    for table in matrix.tables:
        row = next(r for r in table.rows if r.key == "user.health_and_medical")
        assert {cell.mark for cell in row.cells} == {NEVER}
        assert all(cell.clauses == ("no-phi",) for cell in row.cells)


#: facts under which each of Kareo's conditions holds (and a grown-up's age)
KAREO_FACTS = {"consent": True, "opted_out": False, "aggregated": True,
               "legal_requirement": True, "terms_violation": True, "notice_given": True,
               "encrypted": True, "linked": False, "subject_age": 30}


def _table(matrix, key: str):
    return next(t for t in matrix.tables if t.key == key)


def _cell(matrix, key: str, row_key: str, column: str):
    table = _table(matrix, key)
    row = next(r for r in table.rows if r.key == row_key)
    return row.cells[[c for c, _ in table.columns].index(column)]


def _under(vocab, kind, key, keys) -> bool:
    return not keys or bool(set(keys) & set(vocab.ancestors(kind, key)))


def test_the_engine_decides_every_kareo_cell_as_it_says(kareo) -> None:
    """Each sharing cell, for each purpose the policy names (and none): the engine allows
    it exactly when one of the cell's allowing clauses covers that purpose, and names
    the clause the cell links to. Rows with a prohibited part are left out (the engine
    refuses an action on the whole of a category one of whose parts is forbidden; the
    cell lists that prohibition)."""
    from clausewise.api import Engine
    engine = Engine(kareo)
    vocab, policy = kareo.vocabulary, kareo.policy
    matrix = decision_matrix(policy, vocab)
    table = _table(matrix, "recipients")
    purposes = [None] + sorted({p for c in policy.clauses if c.kind == "sharing"
                                for p in c.purposes})
    by_id = {c.id: c for c in policy.clauses}
    checked = 0
    for row in table.rows:
        for (recipient, _), cell in zip(table.columns, row.cells):
            if any(g.forbids and not set(by_id[g.clause].data) & set(
                    vocab.ancestors(m.Vocab.category, row.key)) for g in cell.grants):
                continue  # a prohibited part of the row
            allowing = [by_id[g.clause] for g in cell.grants if not g.forbids]
            for purpose in purposes:
                covering = [c for c in allowing if not c.events and (
                    purpose is None and not c.purposes
                    or purpose is not None and _under(vocab, m.Vocab.purpose, purpose,
                                                       c.purposes))]
                action = {"action": "share", "data": [row.key], "recipient": recipient,
                          "context": KAREO_FACTS}
                if purpose is not None:
                    action["purpose"] = purpose
                decision = engine.check(action)
                expected = cell.mark != NEVER and bool(covering)
                assert decision.allowed == expected, (row.key, recipient, purpose, cell)
                if expected:
                    assert set(decision.clause_ids) & {c.id for c in covering}
                checked += 1
            for clause in allowing:  # a grant on an event holds on that event
                if clause.events and cell.mark != NEVER:
                    action = {"action": "share", "data": [row.key], "recipient": recipient,
                              "event": clause.events[0], "context": KAREO_FACTS}
                    if clause.purposes:
                        action["purpose"] = clause.purposes[0]
                    assert engine.check(action).allowed, (row.key, recipient, clause.id)
    assert checked > 1000


def test_kareo_collection_and_retention_views(kareo) -> None:
    matrix = decision_matrix(kareo.policy, kareo.vocabulary)
    collected = {(r.key, r.clause) for r in matrix.collection}
    assert collected == {(key, c.id) for c in kareo.policy.clauses if c.kind == "collection"
                         for key in c.data}
    kept = {r.clause: r.how for r in matrix.retention}
    assert kept == {"ip-not-linked": "indefinitely",
                    "session-cookie-lifetime": "until the end of the browser session"}
    sign_up = next(r for r in matrix.collection if r.clause == "sign-up")
    assert sign_up.how == "information you give us"
    assert "when you sign up" in sign_up.when


# ------------------------------------------------ a large generated policy

import random  # noqa: E402

from clausewise.api import load as load_engine  # noqa: E402
from clausewise.renderers.matrix import scan_matrix  # noqa: E402

#: facts under which every condition a generated clause has holds
FULL_CONTEXT = {"consent": True, "opted_out": False, "aggregated": True}


def generated_policy(groups: int, leaves: int, recipients: int, clauses: int,
                     seed: int = 8) -> str:
    """Categories `user.gN.cM` under `user.gN`, recipients `rN_M` under `rN` (under
    partner), and sharing clauses, prohibitions and uses drawn at random over them,
    some with a consent choice, a condition or an exception."""
    rng = random.Random(seed)
    out = ['policy "Generated"\nend\n']
    categories, tops = [], []
    for g in range(groups):
        out.append(f'define category user.g{g} "group {g}"\n')
        for c in range(leaves):
            out.append(f'define category user.g{g}.c{c} "item {g}.{c}"\n')
            categories.append(f"user.g{g}.c{c}")
        categories.append(f"user.g{g}")
    names = []
    for r in range(recipients):
        out.append(f'define recipient r{r} "recipient {r}" under partner\n')
        tops.append(f"r{r}")
        for k in range(3):
            out.append(f'define recipient r{r}_{k} "recipient {r}.{k}" under r{r}\n')
            names.append(f"r{r}_{k}")
    names += tops
    for n in range(clauses):
        data = ", ".join(rng.sample(categories, rng.choice((1, 1, 2))))
        with_ = ", ".join(rng.sample(names, rng.choice((0, 1, 1, 2))))
        roll = rng.random()
        if roll < 0.12:
            out.append(f"prohibition p{n}\n  never share {data}\n"
                       + (f"  with {with_}\n" if with_ else "")
                       + ("  unless consent\n" if rng.random() < 0.5 else "") + "end\n")
        elif roll < 0.3:
            out.append(f"use u{n}\n  use {data}\n  for "
                       + rng.choice(("essential.service", "marketing", "analytics.reporting"))
                       + "\n" + ("  if aggregated\n" if rng.random() < 0.4 else "") + "end\n")
        else:
            extra = rng.choice(("", "", "  consent opt-in\n", "  if aggregated\n"))
            out.append(f"sharing s{n}\n  share {data}\n"
                       + (f"  with {with_}\n" if with_ else "") + extra + "end\n")
    return "".join(out)


def test_the_filed_matrix_is_the_scanned_one(tmp_path: Path) -> None:
    path = tmp_path / "g.policy"
    path.write_text(generated_policy(groups=6, leaves=5, recipients=6, clauses=300))
    loaded = load(path)
    assert decision_matrix(loaded.policy, loaded.vocabulary) == \
        scan_matrix(loaded.policy, loaded.vocabulary)


def test_a_large_matrix_agrees_with_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "g.policy"
    path.write_text(generated_policy(groups=25, leaves=8, recipients=15, clauses=3000))
    engine = load_engine(path)
    matrix = decision_matrix(engine.loaded.policy, engine.loaded.vocabulary)
    cells = _cells(matrix, "recipients")
    assert len(cells) > 5000 and len(set(cells.values())) == 4
    rng = random.Random(1)
    # leaf rows only: the matrix reads a row as the category itself, while the engine
    # also applies a prohibition on a part of it (an action on `user.g1` includes
    # `user.g1.c1`)
    # (and leaf recipients, for the same reason: a prohibition of sharing with
    # `r1_1` applies to a share with `r1`, which may be with it)
    leaves = [cell for cell in cells if cell[0].count(".") == 2 and "_" in cell[1]]
    for category, recipient in rng.sample(leaves, 400):
        mark = cells[category, recipient]

        def effect(context: dict[str, bool]) -> str:
            return engine.check({"action": "share", "data": [category],
                                 "recipient": recipient, "context": context}).effect

        assert (effect({}) == "allow") == (mark == ALLOWED), (category, recipient, mark)
        assert (effect(FULL_CONTEXT) == "allow") == (mark in (ALLOWED, CONDITIONAL)), \
            (category, recipient, mark)
