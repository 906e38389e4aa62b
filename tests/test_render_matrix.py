"""The decision matrix is computed from the model alone; prohibitions win."""

from __future__ import annotations

from pathlib import Path

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
    assert used["user.name", "essential.service"] == NONE
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
    used = _cells(matrix, "purposes")
    assert used["user.contact.email", "marketing.communications.email"] == CONDITIONAL
    assert used["user", "essential.service"] == ALLOWED
    assert matrix.audience[0][0] == "no-children"
    assert decision_matrix(kareo.policy, kareo.vocabulary) == matrix  # pure


def test_kareo_matrix_marks_health_data_never(kareo) -> None:
    matrix = decision_matrix(kareo.policy, kareo.vocabulary)
    for table in matrix.tables:
        row = next(r for r in table.rows if r.key == "user.health_and_medical")
        assert {cell.mark for cell in row.cells} == {NEVER}
        assert all(cell.clauses == ("no-phi",) for cell in row.cells)
