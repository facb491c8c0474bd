"""Controlled vocabulary versions and reference tables (ports of entry, languages, nationalities).

Terms are immutable rows of one version: loading a changed vocabulary adds a version and never
edits a term a coding may point to.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language


def in_active_language(english: str, spanish: str) -> str:
    """The label for the language of the page being drawn (English when Spanish is empty).

    Terms, languages and nationalities carry both labels in the bundle, so a page in Spanish
    shows the team's own Spanish wording rather than a translation catalogue's.
    """
    language = (get_language() or "en").split("-")[0]
    return spanish if language == "es" and spanish else english


class VocabularyVersion(models.Model):
    name = models.CharField(max_length=64, help_text="Bundle name, e.g. turnbacks.")
    number = models.PositiveIntegerField(help_text="1, 2, 3... in load order per bundle name.")
    title = models.CharField(max_length=200)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the bundle's files.")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="vocabulary_version_unique"),
        ]
        ordering = ["name", "number"]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class Term(models.Model):
    version = models.ForeignKey(VocabularyVersion, on_delete=models.PROTECT, related_name="terms")
    code = models.CharField(max_length=100)
    parent_code = models.CharField(max_length=100, blank=True)
    label_en = models.CharField(max_length=300)
    label_es = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    definition_es = models.TextField(blank=True, help_text="The definition in Spanish.")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="term_code_unique"),
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def scheme(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def label(self) -> str:
        """The label in the active language (label_en or label_es)."""
        return in_active_language(self.label_en, self.label_es)

    @property
    def definition_text(self) -> str:
        """The definition in the active language (English where no Spanish one exists)."""
        return in_active_language(self.definition, self.definition_es)

    @property
    def definition_language(self) -> str:
        """The language code of :attr:`definition_text`, for the page's ``lang`` attribute."""
        return "es" if self.definition_text != self.definition else "en"


class Port(models.Model):
    """A land port of entry (crossing), by CBP code and crossing mnemonic."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=2, blank=True)
    mexican_city = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Language(models.Model):
    code = models.CharField(max_length=8, unique=True, help_text="ISO 639-3.")
    label_en = models.CharField(max_length=100)
    label_es = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return in_active_language(self.label_en, self.label_es)


class Nationality(models.Model):
    code = models.CharField(max_length=2, unique=True, help_text="ISO 3166-1 alpha-2.")
    label_en = models.CharField(max_length=100)
    label_es = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return in_active_language(self.label_en, self.label_es)
