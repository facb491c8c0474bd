"""A project's inter-coder agreement, from its paragraph codings (no identity involved).

The unit is a paragraph; a coder has read a paragraph when they coded anything on it (the
coding screen records no "read, nothing to code" yet, so a paragraph a coder saw and left
uncoded is missing for that coder, not a 0). Paragraphs read by one coder only are outside
the double-coded sample and do not count.
"""

from __future__ import annotations

from testimonio.declarations import Mark, TermAgreement, measure_agreement
from testimonio.web.cases.models import Project
from testimonio.web.declarations.models import ParagraphCoding


def project_agreement(
    project: Project, *, minimum_alpha: float | None = None, replicates: int = 1000
) -> list[TermAgreement]:
    rows = ParagraphCoding.objects.filter(
        declaration__project=project, coder__isnull=False
    ).values_list("paragraph_id", "coder_id", "term__code")
    marks = [Mark(str(paragraph), str(coder), code) for paragraph, coder, code in rows]
    return measure_agreement(marks, minimum_alpha=minimum_alpha, replicates=replicates)
