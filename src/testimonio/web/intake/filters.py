"""The case list's filter form (GET parameters: codes and ids only, never an identity)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from testimonio.web.cases.models import Nationality, Port, Project, Source, Term
from testimonio.web.intake.lookup import Lookup
from testimonio.web.intake.queries import CaseFilters, LinkageStatus
from testimonio.web.widgets import OnePassSelect

LINKAGE_LABELS = {
    LinkageStatus.SINGLE: _("One record"),
    LinkageStatus.LINKED: _("Several records (linked)"),
    LinkageStatus.FLAGGED: _("Flagged: may be several people"),
}


class CaseFilterForm(forms.Form):
    port = forms.ChoiceField(label=_("Port"), required=False, widget=OnePassSelect)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1900)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1900)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=OnePassSelect)
    tactic = forms.ChoiceField(label=_("Tactic"), required=False, widget=OnePassSelect)
    vulnerability = forms.ChoiceField(
        label=_("Vulnerability"), required=False, widget=OnePassSelect
    )
    source = forms.TypedChoiceField(
        label=_("Source"), required=False, coerce=int, empty_value=None, widget=OnePassSelect
    )
    linkage = forms.ChoiceField(
        label=_("Linkage"),
        required=False,
        choices=[("", _("Any")), *LINKAGE_LABELS.items()],
        widget=OnePassSelect,
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["port"].choices = anything + [  # type: ignore[attr-defined]
            (code, f"{code} {name}") for code, name in Port.objects.values_list("code", "name")
        ]
        self.fields["nationality"].choices = anything + list(  # type: ignore[attr-defined]
            Nationality.objects.order_by("code").values_list("code", "code")
        )
        terms = Term.objects.filter(version_id=project.vocabulary_id)
        self.fields["tactic"].choices = anything + list(  # type: ignore[attr-defined]
            terms.filter(code__startswith="TAC.").values_list("code", "label_en")
        )
        self.fields["vulnerability"].choices = anything + list(  # type: ignore[attr-defined]
            terms.filter(code__startswith="VUL.").values_list("code", "label_en")
        )
        self.fields["source"].choices = anything + [  # type: ignore[attr-defined]
            (str(pk), name)
            for pk, name in Source.objects.filter(project=project).values_list("pk", "name")
        ]

    def controls(self) -> list[tuple[forms.BoundField, SafeString]]:
        """Each field with its control's HTML. The selects are one-pass widgets: Django's
        widget templates render each of the ~150 options as a template, which took most of
        the page's time (see benchmarks/web_case_list.py)."""
        return [(field, field.as_widget()) for field in self]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("year_from"), data.get("year_to")
        if low is not None and high is not None and low > high:
            self.add_error("year_to", _("The period ends before it starts."))
        return data

    def filters(self) -> CaseFilters:
        data = self.cleaned_data
        return CaseFilters(
            port=data.get("port") or "",
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            nationality=data.get("nationality") or "",
            tactic=data.get("tactic") or "",
            vulnerability=data.get("vulnerability") or "",
            source=data.get("source"),
            linkage=data.get("linkage") or "",
        )


class LookupForm(forms.Form):
    """Exact lookup (sent by POST, never in a URL): a surname with the birth year or with the
    given name, a full birth date alone, or a phone."""

    given_names = forms.CharField(label=_("Given name"), max_length=200, required=False)
    surnames = forms.CharField(label=_("Surname"), max_length=200, required=False)
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100
    )
    birth_date = forms.DateField(
        label=_("Full birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Day, month and year; looked up on its own."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given, surname = data.get("given_names", "").strip(), data.get("surnames", "").strip()
        year = data.get("birth_year")
        if surname and year is None and not given:
            self.add_error(
                "birth_year", _("A surname is looked up with the birth year or the given name.")
            )
        if year is not None and not surname:
            self.add_error("surnames", _("A birth year is looked up with the surname."))
        if given and not surname:
            self.add_error("surnames", _("A given name is looked up with the surname."))
        if not (surname or data.get("birth_date") or data.get("phone", "").strip()):
            self.add_error(
                None,
                _(
                    "Enter a surname with the birth year or the given name, a full birth "
                    "date, or a phone number."
                ),
            )
        return data

    def lookup(self) -> Lookup:
        data = self.cleaned_data
        year, day = data.get("birth_year"), data.get("birth_date")
        return Lookup(
            given_names=data["given_names"].strip(),
            surnames=data["surnames"].strip(),
            birth_year=f"{year:04d}" if year else "",
            birth_date=day.isoformat() if day else "",
            phone=data["phone"].strip(),
        )
