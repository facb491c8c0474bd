"""Apply a mapping profile to a table: validated rows and, for every bad cell, a row error.

Validation never stops at the first problem: a paralegal gets every row and column that needs
fixing in one report. What must always hold: an error names file, sheet, row, column and what
was expected, never the value found (people in these lists may be hunted); identity fields
(:data:`~testimonio.ingest.fields.IDENTITY_FIELDS`) travel in :class:`Identity`, apart from
the non-identifying :class:`Attributes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from testimonio.errors import ValidationError
from testimonio.ingest.dates import parse_source_date
from testimonio.ingest.fields import FIELDS
from testimonio.ingest.matching import SEX_VALUES, YES_NO_VALUES, normalise
from testimonio.ingest.row_identity import row_hash
from testimonio.ingest.tables import Table
from testimonio.partial_dates import PartialDate
from testimonio.vocab.bundle import Bundle

if TYPE_CHECKING:
    from testimonio.ingest.mapping import FieldMapping, MappingProfile

__all__ = ["Attributes", "Identity", "Provenance", "RowError", "ValidatedRow", "validate_table"]

AGE_RANGE = (0, 120)
ATTEMPT_RANGE = (1, 100)


@dataclass(frozen=True)
class Provenance:
    """Where a record came from: enough to find the row again and to recognise it."""

    file: str
    sheet: str
    row: int
    row_hash: str


@dataclass(frozen=True)
class Identity:
    """Fields that identify a person: encrypted on write, never in messages or reports."""

    given_names: str = ""
    surnames: str = ""
    full_name: str = ""
    birth_date: PartialDate | None = None
    phone: str = ""
    narrative: str = ""


@dataclass(frozen=True)
class Attributes:
    """Non-identifying facts of a record and its encounter, as codes of our vocabulary."""

    record_id: str = ""
    record_date: PartialDate | None = None
    sex: str = ""
    gender_identity: str = ""
    age: int | None = None
    nationality: str = ""
    language: str = ""
    encounter_date: PartialDate | None = None
    port: str = ""
    attempt_number: int | None = None
    fear_expressed: str = ""
    tactics: tuple[str, ...] = ()
    outcome: str = ""


@dataclass(frozen=True)
class ValidatedRow:
    provenance: Provenance
    identity: Identity
    attributes: Attributes


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or one row): where it is and what was expected."""

    file: str
    sheet: str
    row: int
    column: str
    field: str
    problem: str


@dataclass
class _Checker:
    """The profile's lookups prepared once per table (codes, normalised value maps)."""

    profile: MappingProfile
    codes: dict[str, set[str]]
    normalised: dict[str, dict[str, str]] = field(default_factory=dict)

    def lookup(self, our_field: str, mapping: FieldMapping, value: str) -> str | None:
        if value in mapping.values:
            return mapping.values[value]
        if our_field not in self.normalised:
            self.normalised[our_field] = {
                normalise(key): code for key, code in mapping.values.items()
            }
        return self.normalised[our_field].get(normalise(value))


def validate_table(
    table: Table, profile: MappingProfile, vocabulary: Bundle
) -> tuple[list[ValidatedRow], list[RowError]]:
    """Every row that passes, and an error for every cell (or missing field) that does not."""
    missing = [m.column for m in profile.fields.values() if m.column not in table.header]
    if missing:
        return [], [_missing_column(table, column) for column in missing]
    checker = _Checker(profile, _codes(vocabulary))
    positions = {name: table.header.index(m.column) for name, m in profile.fields.items()}
    valid: list[ValidatedRow] = []
    errors: list[RowError] = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        row_errors: list[RowError] = []
        values = _row_values(table, number, cells, positions, checker, row_errors)
        if not row_errors:
            provenance = Provenance(
                table.file, table.sheet, number, row_hash(profile.source, table.sheet, cells)
            )
            valid.append(_validated_row(provenance, values))
        errors.extend(row_errors)
    return valid, errors


def _missing_column(table: Table, column: str) -> RowError:
    return RowError(
        table.file,
        table.sheet,
        1,
        column,
        "",
        "the profile names this column but the file has no such column",
    )


def _codes(vocabulary: Bundle) -> dict[str, set[str]]:
    codes = {"term": {term.code for term in vocabulary.terms}}
    for kind, table in (
        ("port", "ports"),
        ("nationality", "nationalities"),
        ("language", "languages"),
    ):
        codes[kind] = {row["code"] for row in vocabulary.tables.get(table, [])}
    codes["sex"] = set(SEX_VALUES)
    codes["yes_no"] = set(YES_NO_VALUES)
    return codes


def _row_values(
    table: Table,
    number: int,
    cells: list[str],
    positions: dict[str, int],
    checker: _Checker,
    errors: list[RowError],
) -> dict[str, object]:
    values: dict[str, object] = {}
    for our_field, index in positions.items():
        mapping = checker.profile.fields[our_field]
        text = cells[index].strip()
        try:
            values[our_field] = _convert(our_field, mapping, text, checker)
        except ValidationError as error:
            errors.append(
                RowError(table.file, table.sheet, number, mapping.column, our_field, error.reason)
            )
    for our_field in checker.profile.required:
        if not cells[positions[our_field]].strip():
            column = checker.profile.fields[our_field].column
            errors.append(
                RowError(
                    table.file, table.sheet, number, column, our_field, "a required field is empty"
                )
            )
    return values


#: A cell a spreadsheet would execute: =..., @..., or +/- followed by something not a number
#: (``+cmd|' /C calc'!A0``); phone numbers like ``+52 664 ...`` are fine.
FORMULA = re.compile(r"^(?:[=@]|[+\-][^\d\s.,])")


def _convert(our_field: str, mapping: FieldMapping, text: str, checker: _Checker) -> object:
    kind = FIELDS[our_field].kind
    if not text:
        return () if kind == "terms" else None
    if FORMULA.match(text):
        raise ValidationError(
            "the cell looks like a spreadsheet formula, which is never imported; remove it, or "
            "start it with an apostrophe if it is really text"
        )
    if kind == "text":  # free text, unless the profile names what its wordings mean
        return checker.lookup(our_field, mapping, text) or text if mapping.values else text
    if kind == "date":
        return parse_source_date(text, mapping.date_order or "DMY")
    if kind == "integer":
        return _integer(our_field, text)
    if kind == "terms":
        pieces = text.split(mapping.separator) if mapping.separator else [text]
        return tuple(
            _code(our_field, "term", mapping, piece.strip(), checker)
            for piece in pieces
            if piece.strip()
        )
    return _code(our_field, "term" if kind == "term" else kind, mapping, text, checker)


def _integer(our_field: str, text: str) -> int:
    low, high = AGE_RANGE if our_field == "age" else ATTEMPT_RANGE
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValidationError("expected a whole number") from None
    if not number.is_integer() or not low <= number <= high:
        raise ValidationError(f"expected a whole number from {low} to {high}")
    return int(number)


_IN_PROFILE = "or a wording listed under this field's values in the profile"
_EXPECTED = {
    "port": f"a known port of entry (a code from ports.csv, {_IN_PROFILE})",
    "nationality": f"a known nationality (a code from nationalities.csv, {_IN_PROFILE})",
    "language": f"a known language (a code from languages.csv, {_IN_PROFILE})",
    "term": f"a term of the vocabulary (a code, {_IN_PROFILE})",
    "sex": "male, female, other or unknown (or a wording listed in the profile)",
    "yes_no": "yes, no or unknown (or a wording listed in the profile)",
}


def _code(our_field: str, kind: str, mapping: FieldMapping, text: str, checker: _Checker) -> str:
    code = checker.lookup(our_field, mapping, text)
    if code is None and text in checker.codes[kind]:
        code = text
    if code is None or code not in checker.codes[kind]:
        raise ValidationError(f"expected {_EXPECTED[kind]}")
    return code


def _validated_row(provenance: Provenance, values: dict[str, object]) -> ValidatedRow:
    identity = {f.name: values[f.name] for f in fields(Identity) if values.get(f.name) is not None}
    attributes = {
        f.name: values[f.name] for f in fields(Attributes) if values.get(f.name) is not None
    }
    return ValidatedRow(provenance, Identity(**identity), Attributes(**attributes))  # type: ignore[arg-type]
