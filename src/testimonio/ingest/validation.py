"""Apply a mapping profile to a table: validated rows and, for every bad cell, a row error.

Validation never stops at the first problem: a paralegal gets every row and column that needs
fixing in one report. What must always hold: an error names file, sheet, row, column and what
was expected, never the value found (people in these lists may be hunted); identity fields
(:data:`~testimonio.ingest.fields.IDENTITY_FIELDS`) travel in :class:`Identity`, apart from
the non-identifying :class:`Attributes`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import TYPE_CHECKING

from testimonio.ingest.bulk_work import collector_paused
from testimonio.ingest.cells import Checker, Failure, converter, vocabulary_codes
from testimonio.ingest.contradictions import date_contradictions
from testimonio.ingest.row_identity import row_digest
from testimonio.ingest.tables import Table
from testimonio.partial_dates import PartialDate
from testimonio.vocab.bundle import Bundle

if TYPE_CHECKING:
    from testimonio.ingest.mapping import FieldMapping, MappingProfile, RepeatMapping

__all__ = [
    "Attributes",
    "ChunkValidator",
    "EncounterRow",
    "Identity",
    "Provenance",
    "RowError",
    "ValidatedRow",
    "iter_validated",
    "validate_table",
]


@dataclass(frozen=True)
class Provenance:
    """Where a record came from: enough to find the row again and to recognise it."""

    file: str
    sheet: str
    row: int
    #: What :attr:`digest` covers: the source, the sheet and the row's cells.
    hashed: tuple[str, str, Sequence[str]] = field(repr=False, compare=False)

    @cached_property
    def digest(self) -> str:
        """The row's :func:`~testimonio.ingest.row_identity.row_digest`, made when first asked
        for: an import needs it only for rows it writes or finds again, and makes it in the
        process that writes the row (a worker, on a large import). Never stored in clear:
        the database keeps it keyed (:class:`~testimonio.ingest.row_identity.RowHasher`)."""
        return row_digest(*self.hashed)


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
class EncounterRow:
    """One encounter as a row says it: the sheet and row it came from and its facts."""

    sheet: str
    row: int
    attributes: Attributes
    narrative: str = ""

    def __repr__(self) -> str:
        return f"EncounterRow({self.sheet!r}, {self.row})"  # never the narrative


@dataclass(frozen=True)
class ValidatedRow:
    """A row that passed: provenance, identity, attributes and, with a repeat group, the
    encounters of its repeat rows (``None``: the row's own attributes describe its encounter)."""

    provenance: Provenance
    identity: Identity
    attributes: Attributes
    encounters: tuple[EncounterRow, ...] | None = None

    def encounter_count(self) -> int:
        """How many encounters :meth:`encounter_rows` gives, without making them."""
        if self.encounters is not None:
            return len(self.encounters)
        return 1 if self._names_an_encounter() else 0

    def _names_an_encounter(self) -> bool:
        a = self.attributes
        return bool(a.encounter_date or a.port or a.tactics or a.outcome)

    def encounter_rows(self) -> tuple[EncounterRow, ...]:
        """The encounters this row reports: its repeat rows, or itself if it names one."""
        if self.encounters is not None:
            return self.encounters
        a = self.attributes
        if not self._names_an_encounter():
            return ()
        return (
            EncounterRow(self.provenance.sheet, self.provenance.row, a, self.identity.narrative),
        )


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or one row): where it is and what was expected."""

    file: str
    sheet: str
    row: int
    column: str
    field: str
    problem: str


def validate_table(
    table: Table, profile: MappingProfile, vocabulary: Bundle
) -> tuple[list[ValidatedRow], list[RowError]]:
    """Every row that passes, and an error for every cell (or missing field) that does not.

    With a repeat group in the profile, each repeat row becomes one encounter of its main row;
    a main row passes only if all its repeat rows do (their errors name the repeat sheet).
    """
    valid: list[ValidatedRow] = []
    errors: list[RowError] = []
    for rows, row_errors in iter_validated(table, profile, vocabulary):
        valid += rows
        errors += row_errors
    return valid, errors


#: Rows validated together by :func:`iter_validated`.
CHUNK_ROWS = 5000


def iter_validated(
    table: Table, profile: MappingProfile, vocabulary: Bundle, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[tuple[list[ValidatedRow], list[RowError]]]:
    """:func:`validate_table` a chunk of ``chunk_rows`` rows at a time, in row order, so an
    import can write one chunk while it validates the next."""
    validator = ChunkValidator(table, profile, vocabulary)
    if validator.missing:
        yield [], validator.missing
        return
    for start in validator.starts(chunk_rows):
        yield validator.validate(start, start + chunk_rows)


class ChunkValidator:
    """Validates a table's rows a slice at a time, each slice on its own.

    What the slices share is prepared once: the columns the profile names but the file lacks
    (:attr:`missing`: then no row is validated), the value checker, and the repeat group's rows
    checked and grouped by their main row. A slice's rows pass or fail as they would in the
    whole table, so slices can be validated in any order, or in other processes. A repeat
    group's own errors come with the slice that reaches the table's end (its failed rows also
    fail their main row, in that row's slice).
    """

    def __init__(self, table: Table, profile: MappingProfile, vocabulary: Bundle) -> None:
        self.table, self.profile = table, profile
        repeat_table = _repeat_table(table, profile)
        self.missing = _missing_columns(table, profile.fields)
        if profile.repeat is not None and isinstance(repeat_table, Table):
            self.missing += _missing_columns(repeat_table, profile.repeat.fields)
        elif isinstance(repeat_table, RowError):
            self.missing.append(repeat_table)
        self.checker = Checker(profile, vocabulary_codes(vocabulary), vocabulary=vocabulary)
        self.repeats = _Repeats()
        if not self.missing and profile.repeat is not None and isinstance(repeat_table, Table):
            with collector_paused():
                self.repeats = _check_repeat(repeat_table, profile.repeat, self.checker)

    def starts(self, chunk_rows: int) -> range:
        """Where each slice of ``chunk_rows`` rows starts (one slice for an empty table)."""
        return range(0, max(len(self.table.rows), 1), chunk_rows)

    def validate(self, start: int, stop: int) -> tuple[list[ValidatedRow], list[RowError]]:
        """The rows from ``start`` to ``stop`` (positions in the table) that pass, and the
        errors of those that do not."""
        table = self.table
        part = replace(
            table, rows=table.rows[start:stop], row_numbers=table.row_numbers[start:stop]
        )
        with collector_paused():
            rows, errors = _validate_rows(part, self.profile, self.checker, self.repeats)
        if stop >= len(table.rows):
            errors += self.repeats.errors
        return rows, errors


def _validate_rows(
    table: Table, profile: MappingProfile, checker: Checker, repeats: _Repeats
) -> tuple[list[ValidatedRow], list[RowError]]:
    checked = _check_columns(table, profile.fields, profile.required, checker)
    valid: list[ValidatedRow] = []
    errors: list[RowError] = []
    for number, cells, (values, row_errors) in zip(
        table.row_numbers, table.rows, checked, strict=True
    ):
        row_errors += repeats.failed_parent_errors(table, number)
        row_errors += [
            RowError(table.file, table.sheet, number, profile.fields[name].column, name, problem)
            for name, problem in date_contradictions(values)
        ]
        if not row_errors:
            repeated = repeats.hashes.get(number)
            hashed = (profile.source, table.sheet, [*cells, *repeated] if repeated else cells)
            provenance = Provenance(table.file, table.sheet, number, hashed)
            encounters = None if profile.repeat is None else tuple(repeats.rows.get(number, []))
            valid.append(_validated_row(provenance, values, encounters))
        errors.extend(row_errors)
    return valid, errors


def _repeat_table(table: Table, profile: MappingProfile) -> Table | RowError | None:
    if profile.repeat is None:
        return None
    repeat = table.repeats.get(profile.repeat.sheet)
    if repeat is None:
        return RowError(
            table.file,
            profile.repeat.sheet,
            1,
            "",
            "",
            "the profile names this repeat group but the file has no such sheet joined to "
            f"{table.sheet or 'the main table'!r}",
        )
    return repeat


def _missing_columns(table: Table, mappings: dict[str, FieldMapping]) -> list[RowError]:
    return [
        RowError(
            table.file,
            table.sheet,
            1,
            m.column,
            "",
            "the profile names this column but the file has no such column",
        )
        for m in mappings.values()
        if m.column not in table.header
    ]


def _check_columns(
    table: Table, mappings: dict[str, FieldMapping], required: list[str], checker: Checker
) -> list[tuple[dict[str, object], list[RowError]]]:
    """Each row's converted values and errors, a column at a time: a column holds few distinct
    values (ports, dates, tactics), so each is converted once, however many rows repeat it."""
    results: list[tuple[dict[str, object], list[RowError]]] = [({}, []) for _ in table.rows]
    for our_field, mapping in mappings.items():
        index, convert = table.header.index(mapping.column), converter(our_field, mapping, checker)
        texts = [cells[index] for cells in table.rows]
        converted = {cell: convert(cell) for cell in dict.fromkeys(texts)}
        if not any(isinstance(value, Failure) for value in converted.values()):
            for (values, _), cell in zip(results, texts, strict=True):  # the usual case
                values[our_field] = converted[cell]
            continue
        for (values, errors), number, cell in zip(results, table.row_numbers, texts, strict=True):
            value = converted[cell]
            if isinstance(value, Failure):
                errors.append(
                    RowError(
                        table.file, table.sheet, number, mapping.column, our_field, value.reason
                    )
                )
            else:
                values[our_field] = value
    for our_field in required:
        column = mappings[our_field].column
        index = table.header.index(column)
        for (_, errors), number, cells in zip(results, table.row_numbers, table.rows, strict=True):
            if not cells[index].strip():
                errors.append(
                    RowError(
                        table.file,
                        table.sheet,
                        number,
                        column,
                        our_field,
                        "a required field is empty",
                    )
                )
    return results


@dataclass
class _Repeats:
    """A repeat group's rows, checked and grouped by their main row's number."""

    rows: dict[int, list[EncounterRow]] = field(default_factory=dict)
    hashes: dict[int, list[str]] = field(default_factory=dict)
    failed: dict[int, list[int]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    sheet: str = ""

    def failed_parent_errors(self, table: Table, number: int) -> list[RowError]:
        rows = self.failed.get(number)
        if not rows:
            return []
        listed, label = ", ".join(str(row) for row in rows), "rows" if len(rows) > 1 else "row"
        return [
            RowError(
                table.file,
                table.sheet,
                number,
                "",
                "",
                f"its repeat group {self.sheet!r} has rows that failed ({label} {listed}); "
                "see them in this report",
            )
        ]


def _check_repeat(table: Table, repeat: RepeatMapping, checker: Checker) -> _Repeats:
    found = _Repeats(sheet=table.sheet)
    checked = _check_columns(table, repeat.fields, repeat.required, checker)
    for number, cells, parent, (values, errors) in zip(
        table.row_numbers, table.rows, table.parent_rows, checked, strict=True
    ):
        if parent is None:
            continue
        found.hashes.setdefault(parent, []).append(row_digest("", table.sheet, cells))
        if errors:
            found.failed.setdefault(parent, []).append(number)
            found.errors.extend(errors)
            continue
        told = found.rows.setdefault(parent, [])
        if repeat.number_in_order and values.get("attempt_number") is None:
            values["attempt_number"] = len(told) + 1
        narrative = values.pop("narrative", None)
        attributes = {k: v for k, v in values.items() if v is not None}
        told.append(
            EncounterRow(table.sheet, number, Attributes(**attributes), str(narrative or ""))  # type: ignore[arg-type]
        )
    return found


_IDENTITY = tuple(f.name for f in fields(Identity))
_ATTRIBUTES = tuple(f.name for f in fields(Attributes))


def _validated_row(
    provenance: Provenance,
    values: dict[str, object],
    encounters: tuple[EncounterRow, ...] | None,
) -> ValidatedRow:
    if values.get("record_date") is None and values.get("interview_date") is not None:
        values["record_date"] = values["interview_date"]  # the record's date is when it was told
    identity = {name: values[name] for name in _IDENTITY if values.get(name) is not None}
    attributes = {name: values[name] for name in _ATTRIBUTES if values.get(name) is not None}
    return ValidatedRow(
        provenance,
        Identity(**identity),  # type: ignore[arg-type]
        Attributes(**attributes),  # type: ignore[arg-type]
        encounters,
    )
