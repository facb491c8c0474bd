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

from testimonio.ingest import DATE_ORDERS, FIELDS, FieldMapping, MappingProfile
from testimonio.web.cases.models import Source
from testimonio.web.cases.models.project import SourceKind

#: Field kinds whose values are read through a value map.
MAPPED_KINDS = {"sex", "yes_no", "port", "nationality", "language", "term", "terms"}
NEW_SOURCE = ""
PROFILE_MAX_BYTES = 2**20


class UploadForm(forms.Form):
    # Empty files reach the reader, which says so in the words the command line uses.
    file = forms.FileField(
        label="Spreadsheet or export (CSV, XLSX, KoboToolbox, ODK Central)", allow_empty_file=True
    )
    source = forms.ChoiceField(label="Source", required=False)
    new_source_name = forms.CharField(label="or a new source named", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Kind of the new source", choices=SourceKind.choices, initial=SourceKind.SPREADSHEET
    )

    def __init__(self, *args: Any, project_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = Source.objects.filter(project_id=project_id).values_list("name", flat=True)
        choices = [(NEW_SOURCE, "— a new source —"), *((name, name) for name in names)]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("source") and not (data.get("new_source_name") or "").strip():
            self.add_error("new_source_name", "Choose a source or name a new one.")
        return data

    def source_name(self) -> str:
        return str(self.cleaned_data["source"] or self.cleaned_data["new_source_name"]).strip()


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(label="Sheet")

    def __init__(self, *args: Any, sheets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(sheet, sheet) for sheet in sheets]  # type: ignore[attr-defined]


class ProfileUploadForm(forms.Form):
    profile = forms.FileField(label="A saved mapping profile (YAML)")

    def clean_profile(self) -> Any:
        profile = self.cleaned_data["profile"]
        if profile.size > PROFILE_MAX_BYTES:  # a profile is a page of text, not a data file
            raise forms.ValidationError("A mapping profile is at most 1 MB of text.")
        return profile


class ConfirmForm(forms.Form):
    action = forms.ChoiceField(choices=[("import", "Import"), ("cancel", "Cancel")])
    skip_invalid = forms.BooleanField(
        label="Import the valid rows and leave out the failed ones", required=False
    )


class MappingForm(forms.Form):
    """One column choice per field, plus date order, separator and value map where they apply."""

    def __init__(
        self, *args: Any, header: list[str], profile: MappingProfile, **kwargs: Any
    ) -> None:
        kwargs["initial"] = _initial(profile)
        super().__init__(*args, **kwargs)
        known = list(header) + [m.column for m in profile.fields.values() if m.column not in header]
        columns = [("", "— not in this file —"), *((column, column) for column in known)]
        for name, field in FIELDS.items():
            self.fields[f"column_{name}"] = forms.ChoiceField(
                label=name, choices=columns, required=False
            )
            if field.kind == "date":
                orders = [("", "as written / ISO"), *((o, o) for o in DATE_ORDERS)]
                self.fields[f"date_order_{name}"] = forms.ChoiceField(
                    label="date order", choices=orders, required=False
                )
            if field.kind == "terms":
                self.fields[f"separator_{name}"] = forms.CharField(
                    label="separator", required=False, strip=False, max_length=5
                )
            if field.kind in MAPPED_KINDS:
                self.fields[f"values_{name}"] = forms.CharField(
                    label="wording = CODE, one per line",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
                )
        self.fields["required"] = forms.MultipleChoiceField(
            label="A row must have",
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
            raise forms.ValidationError("Map at least one column to one of our fields.")
        for name in data.get("required") or []:
            if not data.get(f"column_{name}"):
                self.add_error("required", f"{name} is required but mapped to no column.")
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
        # Everything the form does not edit (a repeat group's mapping, say) is kept as it was.
        return replace(self.proposed, fields=fields, required=list(data["required"]))


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
        if not equals or not wording.strip() or not code.strip():
            raise ValueError(f"Line {number}: write it as 'wording = CODE'.")
        values[wording.strip()] = code.strip()
    return values
