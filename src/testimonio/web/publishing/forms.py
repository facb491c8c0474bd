"""The publishing pages' forms: the packet's options, and an approval's confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EvidenceForm(forms.Form):
    bates_prefix = forms.CharField(label=_("Bates prefix"), initial="TESTIMONIO", max_length=20)
    bates_start = forms.IntegerField(label=_("First Bates number"), initial=1, min_value=1)
    estimate = forms.BooleanField(
        label=_("State the population estimate recorded in the project"),
        help_text=_("Only an estimate made from the project's current data is stated; the "
                    "job's page says which one, or why none."),
        initial=True, required=False,
    )  # fmt: skip


class ApproveForm(forms.Form):
    """Approve the public report of one snapshot a draft was generated from."""

    snapshot_sha256 = forms.ChoiceField(label=_("Snapshot of the draft you read"))
    approved_on = forms.DateField(
        label=_("Approved on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm = forms.BooleanField(
        label=_("I have read this draft and approve its publication under this rule."),
        required=True,
    )

    def __init__(self, *args: Any, snapshots: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["snapshot_sha256"]
        if isinstance(field, forms.ChoiceField):  # as declared above; narrows the type
            field.choices = [(sha, sha) for sha in snapshots]
        self.fields["approved_on"].initial = timezone.localdate()
