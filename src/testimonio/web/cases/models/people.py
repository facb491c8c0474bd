"""Records as received from a source, the persons they resolve to, and their sealed identities.

A Record's provenance (file, sheet, row, the source's id) is sealed with its identity, so every
number can be traced to the line it came from by someone allowed to see it, and by nobody who
only holds the database and the original list. Identity fields are never columns of Record:
they live in RecordIdentity, sealed (AES-GCM) and bound to the record's UUID.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy


class Person(models.Model):
    """A resolved individual: a cluster of records, shown only by pseudonym."""

    # No index of its own: the ``pseudonym_unique`` constraint's index starts with the project.
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="persons", db_index=False
    )
    pseudonym = models.CharField(max_length=16, help_text="P-000123; never a name.")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legal_hold = models.BooleanField(
        default=False, help_text="While on, the person's data may not be erased."
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Reason codes (testimonio.linkage.DISAGREEMENT_REASONS) on which this person's records
    # disagree, set by the last linkage run or split: codes only, never the values behind them.
    disagreements = models.JSONField(
        default=list, blank=True, help_text="Why the records may be several people (codes)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "pseudonym"], name="pseudonym_unique"),
        ]
        ordering = ["pseudonym"]

    def __str__(self) -> str:
        return self.pseudonym


class Sex(models.TextChoices):
    FEMALE = "female", gettext_lazy("Female")
    MALE = "male", gettext_lazy("Male")
    OTHER = "other", gettext_lazy("Other")
    UNKNOWN = "unknown", gettext_lazy("Unknown")


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", gettext_lazy("Woman")
    MAN = "man", gettext_lazy("Man")
    TRANSGENDER_WOMAN = "transgender_woman", gettext_lazy("Transgender woman")
    TRANSGENDER_MAN = "transgender_man", gettext_lazy("Transgender man")
    NON_BINARY = "non_binary", gettext_lazy("Non-binary")
    UNKNOWN = "unknown", gettext_lazy("Unknown / not asked")


class AgeBand(models.TextChoices):
    UNDER_12 = "0-11", "0-11"
    TEEN = "12-17", "12-17"
    YOUNG_ADULT = "18-29", "18-29"
    ADULT = "30-44", "30-44"
    MIDDLE = "45-59", "45-59"
    OLDER = "60+", gettext_lazy("60 and over")
    UNKNOWN = "unknown", gettext_lazy("Unknown")


class Record(models.Model):
    """One account as received from one source."""

    project = models.ForeignKey("cases.Project", on_delete=models.CASCADE, related_name="records")
    # No index of its own: ``record_source_external_id`` starts with the source and serves every
    # query by source (an index less for each imported row to update).
    source = models.ForeignKey(
        "cases.Source", on_delete=models.PROTECT, related_name="records", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Where exactly this account came from (file, sheet, row, the source's own id) is sealed
    # with the identity (RecordIdentity.provenance); here only keyed values (HMAC under a key
    # outside the database) that let a re-import recognise the row and reveal nothing of it.
    raw_hash = models.CharField(
        max_length=64, blank=True, help_text="Keyed fingerprint (HMAC) of the raw row."
    )
    external_id = models.CharField(
        max_length=100,
        blank=True,
        help_text="Keyed index (HMAC) of the source's own id of the row, or sheet:row; how a "
        "re-import finds it.",
    )
    # Non-identifying attributes, readable by analysts.
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(
        max_length=20, choices=GenderIdentity.choices, default=GenderIdentity.UNKNOWN
    )
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    # No index on nationality and language: no query looks records up by them (see Encounter).
    nationality = models.ForeignKey(
        "cases.Nationality", on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    language = models.ForeignKey(
        "cases.Language", on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    vulnerabilities = models.JSONField(
        default=list, blank=True, help_text="Vocabulary codes of the VUL scheme."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["source", "external_id"], name="record_source_external_id"),
        ]

    def __str__(self) -> str:
        return f"record {self.pk} of source {self.source_id}"

    def clean(self) -> None:
        if self.source_id and self.project_id and self.source.project_id != self.project_id:
            raise ValidationError({"source": "The source belongs to another project."})
        if self.person is not None and self.person.project_id != self.project_id:
            raise ValidationError({"person": "The person belongs to another project."})
        self._check_vulnerabilities()

    def _check_vulnerabilities(self) -> None:
        codes = list(self.vulnerabilities or [])
        if not codes:
            return
        from testimonio.web.cases.models.vocabulary import Term

        known = set(
            Term.objects.filter(
                version_id=self.project.vocabulary_id, code__in=codes, code__startswith="VUL"
            ).values_list("code", flat=True)
        )
        unknown = sorted(set(codes) - known)
        if unknown:
            raise ValidationError(
                {
                    "vulnerabilities": f"Not vulnerability codes of this project's vocabulary: "
                    f"{', '.join(unknown)}."
                }
            )


class RecordIdentity(models.Model):
    """The identifying details of one record, each value sealed for (record uuid, field)."""

    SEALED_FIELDS = (
        "given_names",
        "surnames",
        "full_name",
        "birth_date",
        "phone",
        "identity_document",
        "provenance",
    )
    #: The keyed blind indexes (HMAC), computed on write from the values before sealing.
    BLIND_INDEXES = (
        "surname_year_index",
        "phone_index",
        "given_surname_index",
        "birth_date_index",
        "paternal_sound_year_index",
        "maternal_sound_year_index",
    )

    record = models.OneToOneField(
        Record, on_delete=models.CASCADE, primary_key=True, related_name="identity"
    )
    given_names = models.BinaryField(null=True, blank=True)
    surnames = models.BinaryField(null=True, blank=True)
    full_name = models.BinaryField(
        null=True, blank=True, help_text="Sealed; when a source keeps the name in one cell."
    )
    birth_date = models.BinaryField(null=True, blank=True, help_text="Sealed partial ISO date.")
    phone = models.BinaryField(null=True, blank=True)
    identity_document = models.BinaryField(null=True, blank=True)
    provenance = models.BinaryField(
        null=True, blank=True, help_text="Sealed JSON: file, sheet, row, the row's key and digest."
    )
    # Keyed blind indexes (HMAC) for exact lookups without the values themselves.
    surname_year_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    # First given-name word with the first surname word; the full birth date (YYYY-MM-DD).
    given_surname_index = models.CharField(max_length=64, blank=True, db_index=True)
    birth_date_index = models.CharField(max_length=64, blank=True, db_index=True)
    # The phonetic key of the paternal, and of the maternal, surname with the birth year: the
    # intake form's duplicate check finds spelling variants and swapped surnames by them.
    paternal_sound_year_index = models.CharField(max_length=64, blank=True, db_index=True)
    maternal_sound_year_index = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"identity of record {self.record_id}"
