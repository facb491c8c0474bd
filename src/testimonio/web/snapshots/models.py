"""Analysis runs: what an ``analyze`` run read and with which settings, so it can be repeated.

The inputs' hash is the snapshot's ``snapshot_sha256`` (the one value every figure's provenance
cites); the settings are the breakdowns asked for and the output written. Like
:class:`~testimonio.web.linking.models.LinkRun`, the shared fields come from
:class:`~testimonio.web.db.provenance.RunProvenanceModel`.
"""

from __future__ import annotations

from django.db import models

from testimonio.web.db.provenance import RunProvenanceModel


class AnalysisRun(RunProvenanceModel):
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="analysis_runs"
    )
    snapshot_manifest = models.JSONField(
        default=dict, help_text="The snapshot's manifest: row counts and SHA-256 of each table."
    )
    figures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"analysis run {self.pk}"
