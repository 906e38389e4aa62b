"""`render --templates DIR` with random Jinja: output, or a located `TemplateError`.

Each render is bounded: it may allocate at most `TEMPLATE_MEMORY` (traced), and
its time is measured like every input's.
"""

from __future__ import annotations

from hypothesis import given

from .harness import budget
from .templates import templates


@budget(100)
@given(template=templates())
def test_user_templates_render_or_fail_located_and_bounded(targets, template):
    name, text = template
    targets.template(name, text)
