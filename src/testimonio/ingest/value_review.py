"""Wordings of coded columns that the profile does not say the meaning of, for a person to map.

Why: we never guess what a wording means (:mod:`testimonio.ingest.matching`): a value that is
not a code, a known name or a documented alias, and is not listed under the field's ``values``,
is shown to the person who reviews the mapping with candidate codes; their choice goes into
the profile's ``values`` (a code, or ``''`` to leave the field empty on those rows). Until
then each row holding it fails validation, so nothing is imported under an invented code.

What must always hold: only coded fields (ports, nationalities, languages, tactics, outcome,
sex, yes/no) are listed, never an identity field; the wordings are for a page shown to a role
that may import (as the preview is), never for a terminal line or a log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from testimonio.ingest.cells import Checker, vocabulary_codes
from testimonio.ingest.fields import FIELDS
from testimonio.ingest.matching import (
    SEX_VALUES,
    YES_NO_VALUES,
    Candidate,
    candidates_for,
    closest_codes,
)
from testimonio.ingest.tables import Table
from testimonio.vocab.bundle import Bundle

if TYPE_CHECKING:
    from testimonio.ingest.mapping import FieldMapping, MappingProfile

__all__ = ["UnknownValue", "unknown_values"]

_FIXED = {"sex": SEX_VALUES, "yes_no": YES_NO_VALUES}


@dataclass(frozen=True)
class UnknownValue:
    """One wording of one mapped column that no code, name, alias or profile value explains."""

    field: str
    column: str
    wording: str
    rows: tuple[int, ...]
    candidates: tuple[str, ...]
    #: True when the field is the repeat group's (``repeat.fields``).
    repeat: bool = False


def unknown_values(table: Table, profile: MappingProfile, vocabulary: Bundle) -> list[UnknownValue]:
    """Every wording of the profile's coded columns that would fail validation as unknown,
    with its rows and candidate codes, in field and then first-row order."""
    checker = Checker(profile, vocabulary_codes(vocabulary))
    found = _in_fields(table, profile.fields, checker, vocabulary, repeat=False)
    if profile.repeat is not None and profile.repeat.sheet in table.repeats:
        repeat_table = table.repeats[profile.repeat.sheet]
        found += _in_fields(repeat_table, profile.repeat.fields, checker, vocabulary, repeat=True)
    return found


def _in_fields(
    table: Table,
    mappings: dict[str, FieldMapping],
    checker: Checker,
    vocabulary: Bundle,
    *,
    repeat: bool,
) -> list[UnknownValue]:
    found: list[UnknownValue] = []
    for name, mapping in mappings.items():
        spec = FIELDS[name]
        kind = "term" if spec.kind == "terms" else spec.kind
        if kind not in checker.codes or mapping.column not in table.header:
            continue
        rows = _rows_of_wordings(table, mapping)
        unknown = [
            wording
            for wording in rows
            if checker.lookup(name, mapping, wording) is None and wording not in checker.codes[kind]
        ]
        if not unknown:
            continue
        candidates = _candidates(spec.kind, vocabulary, spec.scheme)
        found += [
            UnknownValue(
                name,
                mapping.column,
                wording,
                tuple(rows[wording]),
                tuple(closest_codes(wording, candidates) if candidates else sorted(_FIXED[kind])),
                repeat,
            )
            for wording in unknown
        ]
    return found


def _rows_of_wordings(table: Table, mapping: FieldMapping) -> dict[str, list[int]]:
    """Each distinct wording of the column (split on the separator) and the rows holding it."""
    rows: dict[str, list[int]] = {}
    for number, cell in zip(table.row_numbers, table.column(mapping.column), strict=True):
        pieces = cell.split(mapping.separator) if mapping.separator else [cell]
        for piece in (piece.strip() for piece in pieces):
            if piece:
                rows.setdefault(piece, []).append(number)
    return rows


def _candidates(kind: str, vocabulary: Bundle, scheme: str) -> list[Candidate]:
    if kind in _FIXED:
        return []
    return candidates_for(kind, vocabulary, scheme)
