"""Forms of the web import: upload, sheet, mapping review (or a saved profile), confirm.

The mapping form edits a :class:`~testimonio.ingest.mapping.MappingProfile` field by field:
which column feeds each of our fields, how its dates are ordered, and which wording means which
vocabulary code (one ``wording = CODE`` per line). Saved profiles are read by the same code the
command line uses, so a profile reviewed here imports the same way with ``testimonio import``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from testimonio.ingest import DATE_ORDERS, FIELDS, FieldMapping, MappingProfile, UnknownValue
from testimonio.web.cases.models import Source
from testimonio.web.cases.models.project import SourceKind

#: The choice that leaves a wording unmapped: the field stays empty on its rows.
LEAVE_UNMAPPED = "__leave_unmapped__"
#: Field kinds whose values are read through a value map.
MAPPED_KINDS = {"sex", "yes_no", "port", "nationality", "language", "term", "terms"}
NEW_SOURCE = ""
PROFILE_MAX_BYTES = 2**20


class UploadForm(forms.Form):
    # Empty files reach the reader, which says so in the words the command line uses.
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet or export (CSV, XLSX, KoboToolbox, ODK Central)"),
        allow_empty_file=True,
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False)
    new_source_name = forms.CharField(
        label=gettext_lazy("or a new source named"), required=False, max_length=200
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of the new source"),
        choices=SourceKind.choices,
        initial=SourceKind.SPREADSHEET,
    )

    def __init__(self, *args: Any, project_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = Source.objects.filter(project_id=project_id).values_list("name", flat=True)
        choices = [(NEW_SOURCE, gettext("— a new source —")), *((name, name) for name in names)]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("source") and not (data.get("new_source_name") or "").strip():
            self.add_error("new_source_name", gettext("Choose a source or name a new one."))
        return data

    def source_name(self) -> str:
        return str(self.cleaned_data["source"] or self.cleaned_data["new_source_name"]).strip()


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(label=gettext_lazy("Sheet"))

    def __init__(self, *args: Any, sheets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(sheet, sheet) for sheet in sheets]  # type: ignore[attr-defined]


class ProfileUploadForm(forms.Form):
    profile = forms.FileField(label=gettext_lazy("A saved mapping profile (YAML)"))

    def clean_profile(self) -> Any:
        profile = self.cleaned_data["profile"]
        if profile.size > PROFILE_MAX_BYTES:  # a profile is a page of text, not a data file
            raise forms.ValidationError(gettext("A mapping profile is at most 1 MB of text."))
        return profile


class ConfirmForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("import", gettext_lazy("Import")), ("cancel", gettext_lazy("Cancel"))]
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import the valid rows and leave out the failed ones"), required=False
    )
    allow_updates = forms.BooleanField(required=False)

    def __init__(self, *args: Any, updates: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.updates = updates
        self.fields["allow_updates"].label = ngettext(
            "Update %(count)s existing record", "Update %(count)s existing records", updates
        ) % {"count": number_format(updates, force_grouping=True)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "import" and self.updates and not data.get("allow_updates"):
            self.add_error(
                "allow_updates",
                gettext(
                    "This import would update %(count)s existing record(s): check the "
                    "changes above and tick the box to update them."
                )
                % {"count": number_format(self.updates, force_grouping=True)},
            )
        return data


class MappingForm(forms.Form):
    """One column choice per field, plus date order, separator and value map where they apply."""

    def __init__(
        self,
        *args: Any,
        header: list[str],
        profile: MappingProfile,
        unknown: list[UnknownValue] | None = None,
        codes: dict[str, set[str]] | None = None,
        ambiguous_dates: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        kwargs["initial"] = _initial(profile)
        super().__init__(*args, **kwargs)
        #: Columns whose every date reads both day first and month first: an order is required.
        self.ambiguous_dates = ambiguous_dates
        self.unknown = unknown or []
        for number, value in enumerate(self.unknown):
            self.fields[f"unknown_{number}"] = _unknown_choice(value, codes or {})
        known = list(header) + [m.column for m in profile.fields.values() if m.column not in header]
        columns = [("", gettext("— not in this file —")), *((column, column) for column in known)]
        for name, field in FIELDS.items():
            self.fields[f"column_{name}"] = forms.ChoiceField(
                label=name, choices=columns, required=False
            )
            if field.kind == "date":
                orders = [("", gettext("as written / ISO")), *((o, o) for o in DATE_ORDERS)]
                self.fields[f"date_order_{name}"] = forms.ChoiceField(
                    label=gettext("date order"), choices=orders, required=False
                )
            if field.kind == "terms":
                self.fields[f"separator_{name}"] = forms.CharField(
                    label=gettext("separator"), required=False, strip=False, max_length=5
                )
            if field.kind in MAPPED_KINDS:
                self.fields[f"values_{name}"] = forms.CharField(
                    label=gettext("wording = CODE, one per line"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
                )
        self.fields["required"] = forms.MultipleChoiceField(
            label=gettext("A row must have"),
            choices=[(name, name) for name in FIELDS],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.review = profile.review
        self.proposed = profile

    def field_rows(self) -> list[list[forms.BoundField]]:
        """The bound fields of each of our fields, for one table row per field."""
        parts = ("column", "date_order", "separator", "values")
        return [
            [self[f"{part}_{name}"] for part in parts if f"{part}_{name}" in self.fields]
            for name in FIELDS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"column_{name}") for name in FIELDS):
            raise forms.ValidationError(gettext("Map at least one column to one of our fields."))
        for name in data.get("required") or []:
            if not data.get(f"column_{name}"):
                self.add_error(
                    "required",
                    gettext("%(field)s is required but mapped to no column.") % {"field": name},
                )
        for name, field in FIELDS.items():
            column = data.get(f"column_{name}")
            unordered = not data.get(f"date_order_{name}")
            if field.kind == "date" and column in self.ambiguous_dates and unordered:
                self.add_error(
                    f"date_order_{name}",
                    gettext(
                        "Every date of column “%(column)s” reads both day first and month "
                        "first (03/09/2017): choose its order."
                    )
                    % {"column": column},
                )
        for name in FIELDS:
            if f"values_{name}" in data:
                try:
                    data[f"values_{name}"] = _parse_values(data[f"values_{name}"])
                except ValueError as error:
                    self.add_error(f"values_{name}", str(error))
        return data

    def profile(self) -> MappingProfile:
        data = self.cleaned_data
        fields = {
            name: FieldMapping(
                column=data[f"column_{name}"],
                values=data.get(f"values_{name}") or {},
                separator=data.get(f"separator_{name}") or None,
                date_order=data.get(f"date_order_{name}") or None,
            )
            for name in FIELDS
            if data.get(f"column_{name}")
        }
        repeat = self.proposed.repeat
        if repeat is not None:
            repeat = replace(
                repeat,
                fields={n: replace(m, values=dict(m.values)) for n, m in repeat.fields.items()},
            )
        self._apply_value_choices(fields, repeat.fields if repeat else {})
        # Everything the form does not edit (a repeat group's mapping, say) is kept as it was.
        return replace(self.proposed, fields=fields, required=list(data["required"]), repeat=repeat)

    def unknown_rows(self) -> list[tuple[UnknownValue, forms.BoundField]]:
        """Each wording to map and its choice, for one small form row each."""
        return [(value, self[f"unknown_{n}"]) for n, value in enumerate(self.unknown)]

    def _apply_value_choices(
        self, fields: dict[str, FieldMapping], repeat_fields: dict[str, FieldMapping]
    ) -> None:
        """A person's choice for a wording becomes one of the field's ``values`` (a value
        alias kept in the profile): the code, or ``''`` to leave the field empty."""
        for value, bound in self.unknown_rows():
            choice = self.cleaned_data.get(bound.name) or ""
            mapping = (repeat_fields if value.repeat else fields).get(value.field)
            if not choice or mapping is None or mapping.column != value.column:
                continue  # undecided, or the column changed on this page: ask again
            mapping.values[value.wording] = "" if choice == LEAVE_UNMAPPED else choice


def _unknown_choice(value: UnknownValue, codes: dict[str, set[str]]) -> forms.ChoiceField:
    kind = FIELDS[value.field].kind
    others = sorted(codes.get("term" if kind == "terms" else kind, set()) - set(value.candidates))
    return forms.ChoiceField(
        label=f"{'repeat.' if value.repeat else ''}{value.field}: “{value.wording}”",
        required=False,
        choices=[
            ("", gettext("— decide later (its rows fail validation) —")),
            (LEAVE_UNMAPPED, gettext("leave unmapped (the field stays empty on these rows)")),
            (gettext("Candidates"), [(code, code) for code in value.candidates]),
            (gettext("Other codes"), [(code, code) for code in others]),
        ],
    )


def _initial(profile: MappingProfile) -> dict[str, Any]:
    initial: dict[str, Any] = {"required": profile.required}
    for name, mapping in profile.fields.items():
        initial[f"column_{name}"] = mapping.column
        initial[f"date_order_{name}"] = mapping.date_order or ""
        initial[f"separator_{name}"] = mapping.separator or ""
        initial[f"values_{name}"] = "\n".join(f"{k} = {v}" for k, v in mapping.values.items())
    return initial


def _parse_values(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        wording, equals, code = line.rpartition("=")
        if not equals or not wording.strip():  # 'wording =' with no code: leave it unmapped
            raise ValueError(
                gettext("Line %(number)s: write it as 'wording = CODE'.") % {"number": number}
            )
        values[wording.strip()] = code.strip()
    return values
