"""Memberships (a user's role in one project; without one, a user sees nothing of it) and
the one-time invitations that let a user set up a second factor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    """Roles per project, from most to least trusted."""

    ADMIN = "admin", gettext_lazy("Administrator")
    ATTORNEY = "attorney", gettext_lazy("Attorney")
    INTAKE = "intake", gettext_lazy("Intake volunteer / paralegal")
    ANALYST = "analyst", gettext_lazy("Data analyst")
    VIEWER = "viewer", gettext_lazy("Viewer")


#: Roles that may see identity fields (names, birth dates, phones, narratives).
IDENTITY_ROLES = frozenset({Role.ADMIN, Role.ATTORNEY, Role.INTAKE})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="one_role_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} as {self.role} in project {self.project_id}"

    @property
    def may_see_identity(self) -> bool:
        return self.role in IDENTITY_ROLES


class Invitation(models.Model):
    """A one-time code that lets ``user`` set up a second factor (after their password).

    Without it, whoever holds a password alone could enrol their own authenticator for an
    account that has none yet (trust on first use). Only a keyed hash of the code is stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"enrolment invitation {self.pk} for user {self.user_id}"


class AdminNotice(models.Model):
    """Something a project's administrators must be told of (an export with identities),
    shown, latest first, on the project's members page and to its administrators on the
    project page.

    Holds counts, the actor's label and the stated reason: never an identity value. The audit
    log records the same act; this row is only how the administrators come to know of it.
    """

    class Kind(models.TextChoices):
        IDENTITY_EXPORT = "identity_export", gettext_lazy("Export with identities")

    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="admin_notices"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor_label = models.CharField(max_length=150)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} notice {self.pk} in project {self.project_id}"
