"""The intake form's parts: the person, each family member, each encounter.

Choices come from the project's vocabulary version and the reference tables (ports,
languages, nationalities), so a port or a code that is not in them cannot be submitted. A
date is asked in parts (year, then month, then day) because a person often remembers only
the year or the month: what is left empty stays unknown, never guessed. Errors are put on
the field at fault, in plain words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.boundfield import BoundWidget
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from testimonio.errors import ValidationError
from testimonio.partial_dates import current_year, parse_partial_date
from testimonio.web.cases.models import Language, Nationality, Port, Project, Term
from testimonio.web.cases.models.encounters import FearExpressed
from testimonio.web.cases.models.people import AgeBand, GenderIdentity, Sex
from testimonio.web.intake.actions import EncounterEntry, PersonEntry
from testimonio.web.intake.models import Relationship
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.widgets import OnePassCheckboxes, OnePassSelect

StrOrPromise = str | Promise

MONTHS = [("", _("Month not known"))] + [(str(number), str(number)) for number in range(1, 13)]


def _label(row: Term | Language | Nationality) -> str:
    spanish = (get_language() or "en").startswith("es")
    return str(row.label_es if spanish else row.label_en)


def _terms(project: Project, prefix: str) -> list[Term]:
    return list(Term.objects.filter(version_id=project.vocabulary_id, code__startswith=prefix))


class DateParts(forms.Form):
    """Year, month and day fields named ``<prefix>_year`` etc., read as one partial date."""

    date_prefix = "date"

    def add_date_fields(self, prefix: str, legend: StrOrPromise, *, year_required: bool) -> None:
        self.date_prefix = prefix
        self.date_legend = legend
        self.fields[f"{prefix}_year"] = forms.IntegerField(
            label=_("Year"), required=year_required, min_value=1900, max_value=current_year()
        )
        self.fields[f"{prefix}_month"] = forms.ChoiceField(
            label=_("Month"),
            choices=MONTHS,
            required=False,
            widget=OnePassSelect,
        )
        self.fields[f"{prefix}_day"] = forms.IntegerField(
            label=_("Day"), required=False, min_value=1, max_value=31
        )

    def date_text(self) -> str:
        """The date as YYYY, YYYY-MM or YYYY-MM-DD (empty: unknown); errors on its fields."""
        prefix, data = self.date_prefix, self.cleaned_data
        year, month, day = (data.get(f"{prefix}_{part}") for part in ("year", "month", "day"))
        if day and not month:
            self.add_error(f"{prefix}_day", _("A day needs its month: choose the month too."))
            return ""
        if month and not year:
            self.add_error(f"{prefix}_month", _("A month needs its year: enter the year too."))
            return ""
        if not year:
            return ""
        text = "-".join(
            [
                f"{year:04d}",
                *([f"{int(month):02d}"] if month else []),
                *([f"{day:02d}"] if day else []),
            ]
        )
        try:
            parse_partial_date(text)
        except ValidationError:
            self.add_error(f"{prefix}_day", _("This day does not exist in that month."))
            return ""
        return text

    def date_fields(self) -> list[forms.BoundField]:
        return [self[f"{self.date_prefix}_{part}"] for part in ("year", "month", "day")]


class PersonForm(DateParts):
    """The person who gives the testimony: identity (sealed on save) and attributes."""

    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    surnames = forms.CharField(label=_("Surnames"), max_length=200, required=False)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN, widget=OnePassSelect
    )
    gender_identity = forms.ChoiceField(
        label=_("Gender identity"),
        choices=GenderIdentity.choices,
        initial=GenderIdentity.UNKNOWN,
        widget=OnePassSelect,
    )
    age_band = forms.ChoiceField(
        label=_("Age"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN, widget=OnePassSelect
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=OnePassSelect)
    language = forms.ChoiceField(label=_("Language spoken"), required=False, widget=OnePassSelect)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    identity_document = forms.CharField(
        label=_("Identity document number"), max_length=60, required=False
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"), required=False, widget=OnePassCheckboxes
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_date_fields("birth", _("Birth date (as much as is known)"), year_required=False)
        self.fields["nationality"].choices = [("", _("Not known"))] + [  # type: ignore[attr-defined]
            (row.code, f"{_label(row)} ({row.code})")
            for row in Nationality.objects.order_by("code")
        ]
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["vulnerabilities"].choices = [  # type: ignore[attr-defined]
            (term.code, _label(term)) for term in _terms(project, "VUL.")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("given_names", "").strip() or data.get("surnames", "").strip()):
            self.add_error("given_names", _("Enter a name (or initials) for this person."))
        data["birth_date"] = self.date_text()
        return data

    def entry(self) -> PersonEntry:
        data = self.cleaned_data
        return PersonEntry(
            identity=IdentityFields(
                given_names=data["given_names"].strip(),
                surnames=data["surnames"].strip(),
                birth_date=data["birth_date"],
                phone=data.get("phone", "").strip(),
                identity_document=data.get("identity_document", "").strip(),
            ),
            attributes={
                name: data[name]
                for name in ("sex", "gender_identity", "age_band", "nationality", "language")
                if name in data
            },
            vulnerabilities=tuple(data.get("vulnerabilities", ())),
            relationship=data.get("relationship", ""),
            shared_encounters=bool(data.get("shared_encounters")),
        )


class FamilyMemberForm(PersonForm):
    """A family member travelling with the person; left empty, it is skipped."""

    relationship = forms.ChoiceField(
        label=_("Relationship to the person"),
        choices=[("", _("Choose…")), *Relationship.choices],
        widget=OnePassSelect,
    )
    shared_encounters = forms.BooleanField(
        label=_("Was turned back with them"),
        required=False,
        help_text=_(
            "Records each encounter below for this family member too, as their own: they "
            "are then counted among the people turned back."
        ),
    )


def language_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("Not known"))] + [
        (row.code, f"{_label(row)} ({row.code})") for row in Language.objects.order_by("label_en")
    ]


class EncounterForm(DateParts):
    """One attempt at a port of entry."""

    port = forms.ChoiceField(label=_("Port of entry"), required=False, widget=OnePassSelect)
    attempt_number = forms.IntegerField(
        label=_("Attempt number"), required=False, min_value=1, max_value=99
    )
    fear_expressed = forms.ChoiceField(
        label=_("Did the person express fear or ask for asylum?"),
        choices=FearExpressed.choices,
        initial=FearExpressed.UNKNOWN,
        widget=OnePassSelect,
    )
    fear_modes = forms.MultipleChoiceField(
        label=_("How fear was expressed"), required=False, widget=OnePassCheckboxes
    )
    fear_language = forms.ChoiceField(
        label=_("Language fear was expressed in"), required=False, widget=OnePassSelect
    )
    tactics = forms.MultipleChoiceField(
        label=_("What the officials did"), required=False, widget=OnePassCheckboxes
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, widget=OnePassSelect)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_date_fields("date", _("Date of the encounter"), year_required=True)
        self.fields["port"].choices = [("", _("Not known"))] + [  # type: ignore[attr-defined]
            (port.code, f"{port.code} {port.name}") for port in Port.objects.order_by("name")
        ]
        self.fields["fear_language"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["fear_modes"].choices = _coded(project, "FEAR.MODE.")  # type: ignore[attr-defined]
        self.tactic_terms = [term for term in _terms(project, "TAC.")]
        self.fields["tactics"].choices = [(t.code, _label(t)) for t in self.tactic_terms]  # type: ignore[attr-defined]
        self.fields["outcome"].choices = [("", _("Not known"))] + _coded(project, "OUT.")  # type: ignore[attr-defined]

    def tactic_options(self) -> list[tuple[BoundWidget, Term]]:
        """Each tactic's checkbox beside its term, so the page can show the definition."""
        return list(zip(self["tactics"].subwidgets, self.tactic_terms, strict=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["date"] = self.date_text()
        if data.get("fear_modes") and data.get("fear_expressed") == FearExpressed.NO:
            self.add_error(
                "fear_modes", _("You answered that no fear was expressed: untick how it was.")
            )
        return data

    def entry(self) -> EncounterEntry:
        data = self.cleaned_data
        return EncounterEntry(
            date=data["date"],
            port=data.get("port", ""),
            attempt_number=data.get("attempt_number"),
            fear_expressed=data["fear_expressed"],
            fear_modes=tuple(data.get("fear_modes", ())),
            fear_language=data.get("fear_language", ""),
            tactics=tuple(data.get("tactics", ())),
            outcome=data.get("outcome", ""),
        )


def _coded(project: Project, prefix: str) -> list[tuple[str, str]]:
    return [(term.code, _label(term)) for term in _terms(project, prefix)]


FamilyFormSet = formset_factory(FamilyMemberForm, extra=1, max_num=20, validate_max=True)
EncounterFormSet = formset_factory(
    EncounterForm, extra=0, min_num=1, validate_min=True, max_num=30, validate_max=True
)


class DuplicateForm(forms.Form):
    """The user's answer when the identity entered matches persons already in the project."""

    same_as = forms.ChoiceField(label=_("Is this one of these persons?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, pseudonyms: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["same_as"].choices = [  # type: ignore[attr-defined]
            ("new", _("No: a new person")),
            *[(pseudonym, pseudonym) for pseudonym in pseudonyms],
        ]
