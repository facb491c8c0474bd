"""What an intake adds beside the cases it writes: who travelled together, and who entered it.

The person, records and encounters of a testimony are ordinary ``cases`` rows (written by the
same actions as an import). The cases model has no notion of a family, so an intake keeps
its own row per testimony and one per companion: the relationship is a choice, never free
text (a note could carry a name). Nothing identifying is stored here in the clear.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Relationship(models.TextChoices):
    """How a companion is related to the person who gave the testimony."""

    PARTNER = "partner", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NOT_RELATED = "not_related", _("Not related")


class Intake(models.Model):
    """One testimony entered through the intake form."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="intakes", db_index=False
    )
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    record = models.OneToOneField("cases.Record", on_delete=models.PROTECT, related_name="+")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: The random token of the form page the testimony was entered on: a second submit of
    #: the same page (a double click, a reload) finds this row instead of saving twice.
    submission = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["project", "created_at"], name="intake_project_created")]

    def __str__(self) -> str:
        return f"intake {self.uuid}"


class Companion(models.Model):
    """A family member (or other person) who travelled with the one who testified."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="companions")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    record = models.OneToOneField("cases.Record", on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=16, choices=Relationship.choices)

    def __str__(self) -> str:
        return f"{self.relationship} in intake {self.intake_id}"


class IntakeDraft(models.Model):
    """An intake form not yet saved: what was typed so far, sealed whole.

    ``payload`` is the form's fields as JSON, sealed (AES-GCM) under the draft's own data key
    and bound to its UUID; nothing of it is a column. Deleting the draft destroys that key,
    so a backup's copy of the bytes is unreadable too. A draft belongs to the one who typed
    it and is kept ``TESTIMONIO_INTAKE_DRAFT_DAYS`` after its last save.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="intake_drafts", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    #: The form page's token (as :attr:`Intake.submission`): each autosave of one page
    #: updates one draft, and saving the testimony finds and discards it.
    submission = models.UUIDField(unique=True)
    payload = models.BinaryField(help_text="The form's fields as JSON, sealed under its key.")
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["project", "author", "saved_at"], name="intake_draft_author")
        ]

    def __str__(self) -> str:
        return f"intake draft {self.uuid}"
