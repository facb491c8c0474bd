"""Documents (declarations, attachments), their chain of custody and exhibit numbers.

The original of a document is never modified: its SHA-256 is recorded at intake, and a derived
copy (redacted, extracted text) points to the original it came from. File names and extracted
text may identify a person, so they are sealed like identity fields.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Document(models.Model):
    project = models.ForeignKey("cases.Project", on_delete=models.CASCADE, related_name="documents")
    source = models.ForeignKey(
        "cases.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derivatives",
        help_text="The original this copy was made from (redaction, text extraction).",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the original bytes at intake.")
    size_bytes = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    storage_name = models.CharField(max_length=200, help_text="Content-addressed file name.")
    original_name = models.BinaryField(null=True, blank=True, help_text="Sealed file name.")
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    def __str__(self) -> str:
        return f"document {self.pk} ({self.sha256[:12]})"


class DocumentParagraph(models.Model):
    """One numbered paragraph of a document's text, sealed: declarations cite by paragraph."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveIntegerField()
    text = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="paragraph_unique"),
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"¶{self.number} of document {self.document_id}"


class CustodyAction(models.TextChoices):
    RECEIVED = "received", gettext_lazy("Received")
    VIEWED = "viewed", gettext_lazy("Viewed")
    EXPORTED = "exported", gettext_lazy("Exported")
    DERIVED = "derived", gettext_lazy("Derived copy made")
    VERIFIED = "verified", gettext_lazy("Hash verified")


class CustodyEvent(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="custody")
    action = models.CharField(max_length=16, choices=CustodyAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} of document {self.document_id}"


class Exhibit(models.Model):
    """A document's number in a filing (Exhibit 12 to the motion for class certification)."""

    project = models.ForeignKey("cases.Project", on_delete=models.CASCADE, related_name="exhibits")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="exhibits")
    number = models.CharField(max_length=20)
    filing = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "filing", "number"], name="exhibit_unique"),
        ]

    def __str__(self) -> str:
        return f"Exhibit {self.number}"
