"""Runs of linkage and estimation, with everything needed to repeat them.

Each run records its inputs' hash, settings, seed and package versions (STYLE.md rule 9), in
the fields of :class:`~testimonio.web.db.provenance.RunProvenanceModel` that both kinds share.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from testimonio.web.db.provenance import RunProvenanceModel


class LinkRun(RunProvenanceModel):
    project = models.ForeignKey("cases.Project", on_delete=models.CASCADE, related_name="link_runs")
    settings = models.JSONField(default=dict, help_text="Splink settings and trained model.")
    threshold = models.FloatField(help_text="Match probability at which pairs are clustered.")
    metrics = models.JSONField(default=dict, blank=True)
    #: Each record's cluster at the alternative thresholds and the run's own
    #: (``actions.alternative_clusters``): what the snapshot's ``linkage_alternatives`` is
    #: made of. Empty for runs made before it was kept.
    alternatives = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"link run {self.pk}"


class Decision(models.TextChoices):
    SAME = "same", gettext_lazy("Same person")
    DIFFERENT = "different", gettext_lazy("Different people")
    UNSURE = "unsure", gettext_lazy("Unsure")


class MatchDecision(models.Model):
    """A reviewer's verdict on an uncertain pair; later runs honour it."""

    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="match_decisions"
    )
    link_run = models.ForeignKey(LinkRun, on_delete=models.SET_NULL, null=True, blank=True)
    record_a = models.ForeignKey("cases.Record", on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey("cases.Record", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="decision_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: records {self.record_a_id} and {self.record_b_id}"


class EstimateRun(RunProvenanceModel):
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="estimate_runs"
    )
    method = models.CharField(max_length=20)
    stratum = models.CharField(max_length=100, blank=True)
    result = models.JSONField(default=dict, help_text="estimate, interval, level, diagnostics.")

    def __str__(self) -> str:
        return f"{self.method} estimate run {self.pk}"


class ReviewPair(models.Model):
    """A pair a run was unsure about, queued for a person to decide.

    ``explanation`` is the waterfall of the match weight (comparison, level, weight in bits,
    Bayes factor): labels and numbers only, never a value of either record.
    """

    link_run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="review_pairs")
    record_a = models.ForeignKey("cases.Record", on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey("cases.Record", on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    explanation = models.JSONField(default=list, blank=True)
    #: Reason codes (testimonio.linkage.DISAGREEMENT_REASONS) on which the two records cannot
    #: be one person: shown to the reviewer in words, never the values behind them.
    disagreements = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["link_run", "record_a", "record_b"], name="review_pair_unique"
            ),
        ]
        ordering = ["-match_probability", "pk"]

    def __str__(self) -> str:
        return f"pair of records {self.record_a_id} and {self.record_b_id} in {self.link_run}"


class JobStatus(models.TextChoices):
    RUNNING = "running", gettext_lazy("Running")
    FINISHED = "finished", gettext_lazy("Finished")
    FAILED = "failed", gettext_lazy("Failed")


class LinkageJob(models.Model):
    """A linkage run in the background: who asked, how far it got, how it ended.

    At most one job per project is running (a database constraint, so a second click, or a
    second server process, finds the running one instead of starting another). ``pid`` and
    ``host`` name the process doing the work: a running job whose process is gone was killed
    and is marked failed the next time anyone looks (its run was never applied: the apply is
    one transaction). ``error`` holds a message of :mod:`testimonio.errors` (no values) or a
    generic one.
    """

    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="linkage_jobs"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING)
    stage = models.CharField(max_length=60, default="waiting to start")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    link_run = models.ForeignKey(LinkRun, on_delete=models.SET_NULL, null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    pid = models.PositiveIntegerField(null=True, blank=True)
    host = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, help_text="Last sign of life.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="running"),
                name="one_running_linkage_job_per_project",
            ),
        ]
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"linkage job {self.pk} ({self.status})"
