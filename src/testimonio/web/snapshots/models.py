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


class NamedPlaintiff(models.Model):
    """A person of the project designated a named plaintiff (for typicality, docs/methods.md).

    Holds the pseudonymous person and who designated them when: nothing identifying. Marking
    and unmarking go through :func:`~testimonio.web.snapshots.actions.do_mark_named_plaintiff`
    and :func:`~testimonio.web.snapshots.actions.do_unmark_named_plaintiff` (audited).
    """

    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="named_plaintiffs"
    )
    person = models.OneToOneField(
        "cases.Person", on_delete=models.CASCADE, related_name="named_plaintiff"
    )
    designated_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    designated_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"named plaintiff {self.person_id}"
