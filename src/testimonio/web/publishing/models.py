"""What publishing stores: each generation of a packet or a report, and each approval.

A :class:`ReportRun` is one generation (CLI or web) with its provenance: the snapshot it read
(``input_hash``), the settings, the output's SHA-256. A public run made under an approval of
its snapshot is a *published release*; its ``release`` entry (the cells it suppressed, never
a count) is the history later releases hold fixed. A :class:`PublicationApproval` is an
attorney's decision that the public report of one snapshot may be published; who approved is
kept here and in the audit log, and never printed in the report. A :class:`ReportJob` is a
generation asked for on the web, run in the background, with its sealed output.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

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


class JobStatus(models.TextChoices):
    RUNNING = "running", gettext_lazy("Running")
    FINISHED = "finished", gettext_lazy("Finished")
    FAILED = "failed", gettext_lazy("Failed")


class ReportJob(models.Model):
    """A packet or a public report generated in the background, and its sealed output.

    At most one job per project and kind runs at a time (a partial unique constraint: a second
    click finds the running job). The finished output (the ZIP a member downloads) is kept
    sealed in the document store under a data key of the job's own (``uuid``), for
    :data:`~testimonio.web.publishing.jobs.KEEP_OUTPUT_FOR`; then the key is destroyed and the
    file deleted (``output_purged_at``). ``pid``, ``host`` and ``updated_at`` tell a dead
    worker's job from a running one (:mod:`testimonio.web.background`). ``options`` holds the
    form's choices (Bates prefix and start, the estimate run), never a value of anyone's data.
    """

    project = models.ForeignKey("cases.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING)
    stage = models.CharField(max_length=60, default="waiting to start")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    options = models.JSONField(default=dict, blank=True)
    run = models.ForeignKey(ReportRun, on_delete=models.SET_NULL, null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pid = models.PositiveIntegerField(null=True, blank=True)
    host = models.CharField(max_length=255, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="Which estimate it states.")
    output_name = models.CharField(max_length=120, blank=True, help_text="The ZIP's file name.")
    output_storage = models.CharField(max_length=64, blank=True, help_text="Sealed, in the store.")
    output_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    output_purged_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, help_text="Last sign of life.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                condition=Q(status="running"),
                name="one_running_report_job_per_project_and_kind",
            ),
        ]
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk}"

    @property
    def downloadable(self) -> bool:
        return bool(self.status == JobStatus.FINISHED and self.output_storage
                    and self.output_purged_at is None)  # fmt: skip
