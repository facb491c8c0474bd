"""An upload waiting between the steps of the web import: sealed, short-lived, unnamed.

The web import is several pages (preview, mapping, validation, confirm), so the file must be
kept between requests. It is kept only here, sealed under the draft's own data key: never on
disk, never in the session. Pages find a draft by a random UUID, never by the file's name
(which is sealed too: a file name can be a person's name). A draft is deleted, and its data key
with it, when the import is confirmed or cancelled, and once it expires.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

#: How long an unfinished import is kept before it is purged.
DRAFT_LIFETIME = timedelta(hours=24)


def default_expiry() -> datetime:
    return timezone.now() + DRAFT_LIFETIME


class DraftStatus(models.TextChoices):
    UPLOADED = "uploaded", gettext_lazy("Uploaded")
    MAPPED = "mapped", gettext_lazy("Mapping reviewed")


class ImportDraft(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="import_drafts"
    )
    source_name = models.CharField(max_length=200, help_text="Existing source, or one to create.")
    source_kind = models.CharField(max_length=16, help_text="Kind of the source, if created.")
    sealed_name = models.BinaryField(help_text="The file's name, sealed (it may name a person).")
    sealed_file = models.BinaryField(help_text="The file's bytes, sealed under the draft's key.")
    size_bytes = models.PositiveBigIntegerField()
    sheet = models.CharField(max_length=200, blank=True)
    # Holds only {"sealed": base64}: the profile sealed under the draft's key (draft_files.py),
    # since its value mappings come from cells. help_text kept as is: no migration for a label.
    profile = models.JSONField(help_text="The mapping profile, as in its YAML file.")
    status = models.CharField(
        max_length=16, choices=DraftStatus.choices, default=DraftStatus.UPLOADED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)

    class Meta:
        app_label = "cases"  # the table stays cases_importdraft: see docs/architecture.md
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import draft {self.uuid}"
