"""Reading one cell of a mapped column: its value as our field wants it, or why it is refused.

Split from :mod:`testimonio.ingest.validation` so that module keeps the rows and this one the
cells. What must always hold: a refusal says what was expected, never the value found (people
in these lists may be hunted), and no formula-looking cell is ever accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from testimonio.errors import ValidationError
from testimonio.ingest.fields import FIELDS
from testimonio.ingest.matching import (
    SEX_VALUES,
    YES_NO_VALUES,
    Candidate,
    candidates_for,
    closest_codes,
    normalise,
)
from testimonio.partial_dates import parse_source_date
from testimonio.vocab.bundle import Bundle

if TYPE_CHECKING:
    from testimonio.ingest.mapping import FieldMapping, MappingProfile

__all__ = ["Checker", "FORMULA", "Failure", "converter", "vocabulary_codes"]

AGE_RANGE = (0, 120)
ATTEMPT_RANGE = (1, 100)


_CODED = frozenset({"port", "nationality", "language", "term", "terms"})


@dataclass
class Checker:
    """The profile's lookups prepared once per table (codes, normalised value maps)."""

    profile: MappingProfile
    codes: dict[str, set[str]]
    normalised: dict[str, dict[str, str]] = field(default_factory=dict)
    #: For naming candidate codes when a wording is refused (None: name none).
    vocabulary: Bundle | None = None
    _candidates: dict[str, list[Candidate]] = field(default_factory=dict)

    def closest(self, our_field: str, text: str) -> list[str]:
        """Codes a refused wording may mean, for the report (codes, never the wording)."""
        spec = FIELDS[our_field]
        if self.vocabulary is None or spec.kind not in _CODED:
            return []
        if our_field not in self._candidates:
            self._candidates[our_field] = candidates_for(spec.kind, self.vocabulary, spec.scheme)
        return closest_codes(text, self._candidates[our_field], limit=3)

    def lookup(self, our_field: str, mapping: FieldMapping, value: str) -> str | None:
        if value in mapping.values:
            return mapping.values[value]
        if mapping.column not in self.normalised:  # a field may be mapped in a repeat too
            self.normalised[mapping.column] = {
                normalise(key): code for key, code in mapping.values.items()
            }
        return self.normalised[mapping.column].get(normalise(value))


def vocabulary_codes(vocabulary: Bundle) -> dict[str, set[str]]:
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


@dataclass(frozen=True)
class Failure:
    reason: str


def converter(our_field: str, mapping: FieldMapping, checker: Checker) -> Callable[[str], object]:
    """:func:`_convert` for one column, remembering each distinct cell's result."""
    seen: dict[str, object] = {}

    def convert(cell: str) -> object:
        if cell in seen:
            return seen[cell]
        try:
            value: object = _convert(our_field, mapping, cell.strip(), checker)
        except ValidationError as error:
            value = Failure(error.reason)
        seen[cell] = value
        return value

    return convert


#: A cell a spreadsheet would execute: =..., @..., or +/- followed by something not a number
#: (``+cmd|' /C calc'!A0``); phone numbers like ``+52 664 ...`` are fine.
FORMULA = re.compile(r"^(?:[=@]|[+\-][^\d\s.,])")


def _convert(our_field: str, mapping: FieldMapping, text: str, checker: Checker) -> object:
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
        codes = (_code(our_field, "term", mapping, piece.strip(), checker) for piece in pieces)
        return tuple(code for code in codes if code)
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


def _code(
    our_field: str, kind: str, mapping: FieldMapping, text: str, checker: Checker
) -> str | None:
    """The wording's code; None for a wording the profile leaves unmapped on purpose
    (``wording: ''``: the field stays empty); refused when neither says what it means."""
    code = checker.lookup(our_field, mapping, text)
    if code == "":
        return None
    if code is None and text in checker.codes[kind]:
        code = text
    if code is None or code not in checker.codes[kind]:
        closest = checker.closest(our_field, text)
        hint = f"; closest codes: {', '.join(closest)}" if closest else ""
        raise ValidationError(f"expected {_EXPECTED[kind]}{hint}")
    return code
