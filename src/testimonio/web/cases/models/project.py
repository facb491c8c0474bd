"""A project (one documentation effort) and its sources (the lists MSE counts overlaps of)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy


class Project(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True)
    vocabulary = models.ForeignKey(
        "cases.VocabularyVersion", on_delete=models.PROTECT, related_name="projects"
    )
    publication_threshold = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(2)],
        help_text="Smallest count a public report may show (k); smaller cells are suppressed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    INTAKE_LOG = "intake_log", gettext_lazy("Intake log")
    SURVEY = "survey", gettext_lazy("Survey (KoboToolbox / ODK)")
    SPREADSHEET = "spreadsheet", gettext_lazy("Spreadsheet")
    DECLARATIONS = "declarations", gettext_lazy("Filed declarations")
    OTHER = "other", gettext_lazy("Other")


class Source(models.Model):
    """One list or documentation system: the unit of multiple systems estimation."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.OTHER)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="source_name_unique"),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
