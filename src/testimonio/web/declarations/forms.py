"""Forms of the declaration pages: upload, exhibit, link, and the coding screen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from testimonio.declarations import MAX_QUERY
from testimonio.web.cases.models import Encounter, Term


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Declaration (PDF, scan, image, DOCX or TXT)"))


class ExhibitForm(forms.Form):
    exhibit = forms.CharField(max_length=20, required=False, label=gettext_lazy("Exhibit number"))
    ecf_reference = forms.CharField(
        max_length=40, required=False, label=gettext_lazy("ECF reference")
    )


class LinkForm(forms.Form):
    pseudonym = forms.CharField(
        max_length=16, required=False, label=gettext_lazy("Declarant (pseudonym; empty to unlink)")
    )


class CodingForm(forms.Form):
    """One term by number key: the radio buttons carry accesskeys 1-9, then a submit."""

    term = forms.ModelChoiceField(
        queryset=Term.objects.none(), widget=forms.RadioSelect, label=gettext_lazy("Term")
    )
    encounter = forms.ModelChoiceField(
        queryset=Encounter.objects.none(),
        required=False,
        empty_label=gettext_lazy("(no encounter)"),
        label=gettext_lazy("Encounter"),
    )
    span_start = forms.IntegerField(min_value=0, required=False, label=gettext_lazy("From"))
    span_end = forms.IntegerField(min_value=1, required=False, label=gettext_lazy("To"))

    def __init__(self, *args: Any, terms: Any, encounters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms  # type: ignore[attr-defined]
        self.fields["encounter"].queryset = encounters  # type: ignore[attr-defined]

    def span(self) -> tuple[int, int] | None:
        start, end = self.cleaned_data.get("span_start"), self.cleaned_data.get("span_end")
        return (start, end) if start is not None and end is not None else None


class SearchForm(forms.Form):
    """Words to find in the project's declarations (sent by POST: they may be a name)."""

    q = forms.CharField(
        label=gettext_lazy('Words or "a phrase"'),
        max_length=MAX_QUERY,
        help_text=gettext_lazy(
            "Case and accents are ignored; every word must be in the paragraph; a word also "
            "finds longer words it begins (amenaz finds amenazaron)."
        ),
    )


class CodingPolicyForm(forms.Form):
    double_coding_share = forms.FloatField(
        min_value=0.0,
        max_value=1.0,
        label=gettext_lazy("Share of paragraphs double-coded (0 to 1)"),
        help_text=gettext_lazy(
            "A second coder reads these paragraphs blind. Raising the share only adds "
            "paragraphs to the sample."
        ),
    )
    minimum_alpha = forms.FloatField(
        min_value=-1.0,
        max_value=1.0,
        label=gettext_lazy("Minimum Krippendorff's alpha"),
        help_text=gettext_lazy(
            "Terms below it are flagged in the evidence packet (0.667 is Krippendorff's line "
            "for tentative conclusions, 0.8 for firm ones)."
        ),
    )
