"""The members page's forms: invite a new member, change a member's role, remove one.

They check what the actions would refuse (a taken user name, an unknown role, the project's
last administrator), so a mistake comes back in the user's language and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from testimonio.web.accounts.actions import is_last_admin
from testimonio.web.accounts.models import Membership, Role

LAST_ADMIN = _("The project's last administrator keeps the role: make someone else an "
               "administrator first.")  # fmt: skip


class InviteForm(forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.INTAKE)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with this name already exists."))
        return username


class MemberForm(forms.Form):
    """Names one member of the project (by user id): the target of a role change or removal."""

    user = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, project_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project_id = project_id
        self.membership: Membership | None = None

    def clean_user(self) -> int:
        user_id: int = self.cleaned_data["user"]
        self.membership = (
            Membership.objects.select_related("user", "project")
            .filter(project_id=self.project_id, user_id=user_id)
            .first()
        )
        if self.membership is None:
            raise forms.ValidationError(_("Choose a member of this project."))
        return user_id


class RoleForm(MemberForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        membership, role = self.membership, cleaned.get("role")
        if membership is not None and role and role != Role.ADMIN and is_last_admin(membership):
            raise forms.ValidationError(LAST_ADMIN)
        return cleaned


class RemoveForm(MemberForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.membership is not None and is_last_admin(self.membership):
            raise forms.ValidationError(LAST_ADMIN)
        return cleaned
