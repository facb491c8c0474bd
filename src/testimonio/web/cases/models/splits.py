"""What a person decided linkage must never join again: the records of a split person.

A split is a person's judgement that one "person" was several (a mother and her daughter with
the same names). Each pair of records that the split put apart is stored as a cannot-link
constraint; every later linkage run reads them and never puts such a pair in one person again,
whatever the model or an earlier "same" decision says.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class SplitReason(models.TextChoices):
    """Why a person was split: a choice, never free text (a note could carry a name)."""

    DIFFERENT_PEOPLE = "different_people", gettext_lazy("The records describe different people")
    BIRTH_YEARS_APART = "birth_years_apart", gettext_lazy("Birth years too far apart")
    SEXES_DIFFER = "sexes_differ", gettext_lazy("Different sexes or gender identities")
    SAME_SOURCE_TWICE = "same_source_twice", gettext_lazy("Listed twice in one source")
    ENCOUNTERS_CONFLICT = "encounters_conflict", gettext_lazy("Encounters that cannot both be true")


class CannotLink(models.Model):
    """Two records a person said are not the same individual (``record_a`` has the lower id)."""

    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="cannot_links", db_index=False
    )
    record_a = models.ForeignKey("cases.Record", on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey("cases.Record", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=24, choices=SplitReason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "record_a", "record_b"], name="cannot_link_pair_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(record_a__lt=models.F("record_b")),
                name="cannot_link_ordered_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"records {self.record_a_id} and {self.record_b_id} are different people"
