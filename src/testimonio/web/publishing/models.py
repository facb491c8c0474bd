"""What publishing stores: each generation of a packet or a report, and each approval.

A :class:`ReportRun` is one generation (CLI or web) with its provenance: the snapshot it read
(``input_hash``), the settings, the output's SHA-256. A public run made under an approval of
its snapshot is a *published release*; its ``release`` entry (the cells it suppressed, never
a count) is the history later releases hold fixed. A :class:`PublicationApproval` is an
attorney's decision that the public report of one snapshot may be published; who approved is
kept here and in the audit log, and never printed in the report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from testimonio.web.db.provenance import RunProvenanceModel


class ReportKind(models.TextChoices):
    EVIDENCE = "evidence", "evidence packet"
    PUBLIC = "public", "public report"


class PublicationApproval(models.Model):
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="publication_approvals"
    )
    snapshot_sha256 = models.CharField(max_length=64)
    approved_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    threshold = models.PositiveSmallIntegerField(help_text="The k the approved report used.")
    rule = models.TextField(help_text="The suppression rule, as the report states it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"approval {self.pk} of snapshot {self.snapshot_sha256[:12]}"


class ReportRun(RunProvenanceModel):
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="report_runs"
    )
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    output_sha256 = models.CharField(
        max_length=64, help_text="The packet's SHA-256, or the public report's files' digest."
    )
    approval = models.ForeignKey(
        PublicationApproval, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    release = models.JSONField(
        default=dict, blank=True, help_text="A public run's releases.json entry (no count)."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} run {self.pk}"

    @property
    def published(self) -> bool:
        return self.kind == ReportKind.PUBLIC and self.approval_id is not None
