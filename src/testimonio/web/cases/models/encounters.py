"""Encounters (one attempt to seek protection at a port) and their codings.

The rules a court relies on are checked here, in ``clean()``, so every path that writes (web
form, import, CLI) enforces them: a date no finer than its stated precision, a known port, an
encounter always belongs to a person, and codings use the project's vocabulary version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from testimonio import errors
from testimonio.partial_dates import DatePrecision, PartialDate, check_precision
from testimonio.web.cases.models.project import Project
from testimonio.web.cases.models.vocabulary import Term


class FearExpressed(models.TextChoices):
    YES = "yes", gettext_lazy("Yes")
    NO = "no", gettext_lazy("No")
    UNKNOWN = "unknown", gettext_lazy("Unknown")


class Encounter(models.Model):
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="encounters"
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        related_name="encounters",
        help_text="Required: an encounter always belongs to a person.",
    )
    record = models.ForeignKey(
        "cases.Record",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="encounters",
        help_text="The account that reported this encounter.",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    date_year = models.PositiveSmallIntegerField(null=True, blank=True)
    date_month = models.PositiveSmallIntegerField(null=True, blank=True)
    date_day = models.PositiveSmallIntegerField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=8,
        choices=[(precision.value, precision.value) for precision in DatePrecision],
        default=DatePrecision.UNKNOWN.value,
    )
    # No index on the coded columns (port, fear language, outcome): no query looks encounters
    # up by them (analyses read a project's encounters and join outward), and every index costs
    # each imported row. Deleting a port or term, which is rare, scans for rows it protects.
    port = models.ForeignKey(
        "cases.Port",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        help_text="Empty when the port is not known.",
    )
    attempt_number = models.PositiveSmallIntegerField(null=True, blank=True)
    fear_expressed = models.CharField(
        max_length=8, choices=FearExpressed.choices, default=FearExpressed.UNKNOWN
    )
    fear_language = models.ForeignKey(
        "cases.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    outcome = models.ForeignKey(
        "cases.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    companions = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date_year", "date_month", "date_day", "pk"]

    def __str__(self) -> str:
        return f"encounter {self.pk} ({self.date.isoformat() or 'date unknown'})"

    @property
    def date(self) -> PartialDate:
        return PartialDate(self.date_year, self.date_month, self.date_day)

    def clean(self) -> None:
        if self.person is None:
            raise ValidationError({"person": "An encounter must belong to a person."})
        if self.project_id and self.person.project_id != self.project_id:
            raise ValidationError({"person": "The person belongs to another project."})
        try:
            check_precision(self.date, self.date_precision)
        except errors.ValidationError as error:
            raise ValidationError({"date_precision": error.reason}) from None
        if self.outcome is not None:
            _check_term(self.outcome, self.project, scheme="OUT", field="outcome")


class EncounterNarrative(models.Model):
    """The free-text account of an encounter, sealed for (encounter uuid, 'narrative')."""

    encounter = models.OneToOneField(
        Encounter, on_delete=models.CASCADE, primary_key=True, related_name="narrative"
    )
    text = models.BinaryField()

    def __str__(self) -> str:
        return f"narrative of encounter {self.encounter_id}"


class Coding(models.Model):
    """A coder's assignment of a vocabulary term to an encounter, with its evidence."""

    # No index of its own: the ``coding_unique`` constraint's index starts with the encounter.
    # Nor on term and coder: codings are read by encounter; deleting a term or a user (rare)
    # scans for the codings it protects or unsets.
    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="codings", db_index=False
    )
    term = models.ForeignKey(
        "cases.Term", on_delete=models.PROTECT, related_name="codings", db_index=False
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    evidence = models.CharField(
        max_length=300, blank=True, help_text="Where it is said, e.g. 'Decl. P-000123 ¶¶ 12-14'."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["encounter", "term"], name="coding_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.term_id} on encounter {self.encounter_id}"

    def clean(self) -> None:
        _check_term(self.term, self.encounter.project, scheme=None, field="term")


def _check_term(term: Term, project: Project, *, scheme: str | None, field: str) -> None:
    if term.version_id != project.vocabulary_id:
        raise ValidationError({field: f"{term} is not in this project's vocabulary version."})
    if scheme is not None and term.scheme != scheme:
        raise ValidationError({field: f"{term} is not a code of the {scheme} scheme."})
