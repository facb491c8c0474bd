"""Mapping profiles: which column of a source is which of our fields, and what its words mean.

A profile is a small YAML file a person can read and edit (see ``docs/import.md``)::

    source: partner_spreadsheet
    sheet: Registro
    required: [full_name]
    fields:
      full_name: {column: Nombre completo}
      birth_date: {column: Fecha de nacimiento, date_order: DMY}
      port: {column: Garita, values: {Tijuana / San Ysidro: 2504-SYS}}
      tactics: {column: ¿Qué pasó?, separator: ',', values: {amenazas: TAC.THREAT}}
    review:
    - 'tactics: "lo empujaron" matched no code; add it under values'

An optional ``repeat`` section (:class:`RepeatMapping`) names a Kobo repeat sheet or ODK repeat
file whose every row is one encounter of the main row's person, with its own ``fields`` (only
encounter fields); profiles without it read as before.

:func:`propose_mapping` writes a first draft from the column names and values (English and
Spanish, using the vocabulary's labels and the ports, nationalities and languages tables);
``review`` lists every guess a person should check. What must always hold: identity values
never enter a profile, and no review note quotes a cell (notes are printed to a terminal and
shown on pages): a note names the field, the column, how many values and on which rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from testimonio.errors import InputError
from testimonio.ingest.date_order_review import ambiguous_date_note
from testimonio.ingest.fields import FIELDS, LINKAGE_NAMES
from testimonio.ingest.matching import (
    SEX_VALUES,
    YES_NO_VALUES,
    candidates_for,
    closest_codes,
    exact_match,
    match_fixed,
    normalise,
)
from testimonio.ingest.tables import Table
from testimonio.partial_dates import DATE_ORDERS, date_order_is_ambiguous, guess_date_order
from testimonio.vocab.bundle import Bundle
from testimonio.vocab.column_headers import FIELDS as LINKAGE_FIELDS

__all__ = [
    "FieldMapping",
    "MappingProfile",
    "RepeatMapping",
    "dump_mapping",
    "load_mapping",
    "mapping_document",
    "parse_mapping",
    "propose_mapping",
    "read_mapping_document",
    "save_mapping",
]

NAME_FIELDS = ("full_name", "given_names", "surnames")
SPANISH_WORDS = frozenset(
    [
        "fecha",
        "nombre",
        "nombres",
        "apellidos",
        "sexo",
        "edad",
        "garita",
        "nacionalidad",
        "idioma",
        "resultado",
        "intento",
        "datos",
        "registro",
        "genero",
        "pais",
    ]
)
CODED_KINDS = ("port", "nationality", "language", "term", "terms")


@dataclass
class FieldMapping:
    """Where one of our fields comes from and how its values are read."""

    column: str
    values: dict[str, str] = field(default_factory=dict)
    separator: str | None = None
    date_order: str | None = None


@dataclass
class RepeatMapping:
    """A repeat group (Kobo sheet, ODK repeat file) whose every row is one encounter of the
    main row's person; ``number_in_order`` numbers the attempts 1, 2, ... in row order when no
    column gives the attempt number."""

    sheet: str
    fields: dict[str, FieldMapping]
    required: list[str] = field(default_factory=list)
    number_in_order: bool = False


#: What a repeat row can say: the facts of one encounter (and its narrative).
REPEAT_FIELDS = (
    "encounter_date",
    "port",
    "attempt_number",
    "fear_expressed",
    "tactics",
    "outcome",
    "narrative",
)


@dataclass
class MappingProfile:
    """A reviewed (or proposed) mapping of one source's files to our fields."""

    source: str
    fields: dict[str, FieldMapping]
    sheet: str | None = None
    required: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    repeat: RepeatMapping | None = None

    def require_some_field(self, file: str) -> None:
        """Refuse to import under a profile that maps no column: every row would become a person
        with nothing known of them (an English export's headers we did not recognise, say)."""
        if not self.fields and not (self.repeat and self.repeat.fields):
            raise InputError(
                "no column of the file was recognised as one of our fields, so nothing but empty "
                "records would be imported; write the proposed mapping with --save-mapping (or "
                "edit it in the mapping review), map the columns, then import with it",
                file=file,
            )


def propose_mapping(table: Table, vocabulary: Bundle, source: str = "") -> MappingProfile:
    """A first draft of a profile for this table, with every guess listed under ``review``."""
    spanish = _is_spanish(table.header)
    profile = MappingProfile(
        source=source or Path(table.file).stem, fields={}, sheet=table.sheet or None
    )
    for our_field, column in _recognise_columns(table).items():
        profile.fields[our_field] = _propose_field(
            table, our_field, column, vocabulary, spanish, profile.review
        )
    profile.required = [name for name in NAME_FIELDS if name in profile.fields][:1]
    _propose_repeat(table, vocabulary, spanish, profile)
    return profile


def _propose_repeat(
    table: Table, vocabulary: Bundle, spanish: bool, profile: MappingProfile
) -> None:
    """The first repeat group whose columns name encounter facts becomes the encounters."""
    for sheet, repeat in table.repeats.items():
        found = _recognise_columns(repeat)
        if "record_date" in found:  # a repeat row is an encounter: its date is the encounter's
            found.setdefault("encounter_date", found.pop("record_date"))
        columns = {name: column for name, column in found.items() if name in REPEAT_FIELDS}
        if not columns:
            continue
        notes: list[str] = []
        fields = {
            name: _propose_field(repeat, name, column, vocabulary, spanish, notes)
            for name, column in columns.items()
        }
        profile.review += [f"repeat.{note}" for note in notes]
        profile.repeat = RepeatMapping(
            sheet, fields, number_in_order="attempt_number" not in fields
        )
        for name in REPEAT_FIELDS:
            profile.fields.pop(name, None)
        profile.review = [n for n in profile.review if n.split(":")[0] not in REPEAT_FIELDS]
        profile.review.append(
            f"repeat: each row of {sheet!r} becomes an encounter of the main row's person; "
            "encounter columns of the main sheet are not used"
        )
        return


def _is_spanish(header: list[str]) -> bool:
    words = {word for column in header for word in normalise(column).split("_")}
    return len(words & SPANISH_WORDS) >= 2


def _recognise_columns(table: Table) -> dict[str, str]:
    choice_columns = {name for names in table.select_multiple.values() for name in names}
    lookup = _header_lookup()
    found: dict[str, str] = {}
    for column in table.header:
        if column in choice_columns:
            continue
        for key in _header_keys(column):
            our_field = lookup.get(key)
            if our_field and our_field not in found:
                found[our_field] = column
                break
    return found


def _header_keys(column: str) -> list[str]:
    """The whole header, then its last Kobo (``/``) or ODK (``-``) path part."""
    keys = [normalise(column)]
    for separator in ("/", "-"):
        if separator in column:
            keys.append(normalise(column.rsplit(separator, 1)[1]))
    return [key for key in keys if key]


@cache
def _header_lookup() -> dict[str, str]:
    lookup = {header: field.name for field in FIELDS.values() for header in field.headers}
    for linkage_name, headers in LINKAGE_FIELDS.items():
        ours = LINKAGE_NAMES.get(linkage_name)
        for header in headers:
            if ours is not None:
                lookup.setdefault(header, ours)
    lookup.pop("key", None)  # ODK's KEY is a join key; instanceID names the submission
    return lookup


def _propose_field(
    table: Table, our_field: str, column: str, vocabulary: Bundle, spanish: bool, review: list[str]
) -> FieldMapping:
    spec = FIELDS[our_field]
    mapping = FieldMapping(column=column)
    if spec.identity and spec.kind != "date":
        return mapping
    cells = _cells(table, column)
    values = [value for _row, value in cells]
    if spec.kind == "date":
        if date_order_is_ambiguous(values):  # left unset: a person must choose
            review.append(ambiguous_date_note(our_field, column))
        else:
            mapping.date_order = guess_date_order(values, spanish)
        return mapping
    if spec.kind == "terms":
        mapping.separator = " " if column in table.select_multiple else _separator(values)
        cells = [(row, piece) for row, value in cells for piece in _split(value, mapping.separator)]
    unmatched: dict[str, list[int]] = {}
    if spec.kind in {"sex", "yes_no"}:
        choices = SEX_VALUES if spec.kind == "sex" else YES_NO_VALUES
        mapping.values = _fixed_values(cells, choices, spanish, unmatched)
    elif spec.kind in CODED_KINDS:
        candidates = candidates_for(spec.kind, vocabulary, spec.scheme)
        mapping.values = _coded_values(cells, candidates, our_field, column, review, unmatched)
    if unmatched:
        review.append(_unmatched_note(our_field, column, unmatched))
    return mapping


def _cells(table: Table, column: str) -> list[tuple[int, str]]:
    """The column's non-empty values, each with the row number a person sees in the file."""
    values = table.column(column)
    return [
        (number, value.strip())
        for number, value in zip(table.row_numbers, values, strict=True)
        if value.strip()
    ]


def _unmatched_note(our_field: str, column: str, unmatched: dict[str, list[int]]) -> str:
    """Count and rows only: the values themselves are in the file (and the sealed upload)."""
    rows = sorted({row for numbers in unmatched.values() for row in numbers})
    shown = ", ".join(str(row) for row in rows[:10]) + (", ..." if len(rows) > 10 else "")
    count = len(unmatched)
    return (
        f"{our_field}: {count} value{'s' if count != 1 else ''} of column {column!r} matched "
        f"no code (rows {shown}); add {'them' if count != 1 else 'it'} under values"
    )


def _fixed_values(
    cells: list[tuple[int, str]],
    choices: dict[str, tuple[str, ...]],
    spanish: bool,
    unmatched: dict[str, list[int]],
) -> dict[str, str]:
    mapped: dict[str, str] = {}
    for row, value in cells:
        if value in mapped or value in unmatched:
            unmatched.get(value, []).append(row)
            continue
        meaning = match_fixed(value, choices, spanish)
        if meaning is None:
            unmatched[value] = [row]
        else:
            mapped[value] = meaning
    return dict(sorted(mapped.items()))


def _coded_values(
    cells: list[tuple[int, str]],
    candidates: list[Any],
    our_field: str,
    column: str,
    review: list[str],
    unmatched: dict[str, list[int]],
) -> dict[str, str]:
    """Map each wording that is exactly one code's name, code or alias; every other wording
    gets its own review note with candidate codes (never a guess of ours in ``values``)."""
    mapped: dict[str, str] = {}
    rows_of: dict[str, list[int]] = {}
    for row, value in cells:
        rows_of.setdefault(value, []).append(row)
    unknown = 0
    for value, _count in Counter(value for _row, value in cells).most_common():
        code = exact_match(value, candidates)
        if code is not None:
            mapped[value] = code
            continue
        choices = closest_codes(value, candidates)
        if not choices or unknown >= MAX_VALUE_NOTES:
            unmatched[value] = rows_of[value]
            continue
        unknown += 1
        review.append(unknown_value_note(our_field, column, rows_of[value], choices))
    return mapped


#: Review notes with candidates per field; further unknown wordings are counted together.
MAX_VALUE_NOTES = 20


def unknown_value_note(our_field: str, column: str, rows: list[int], choices: list[str]) -> str:
    """A wording that is no known name, code or alias: its rows and candidate codes (the
    wording itself stays in the file: notes reach terminals)."""
    shown = ", ".join(str(row) for row in rows[:10]) + (", ..." if len(rows) > 10 else "")
    return (
        f"{our_field}: the value of column {column!r} on rows {shown} is no known name, code "
        f"or alias, so it is not mapped; candidates: {', '.join(choices)}; choose one (or "
        "leave it unmapped) in the mapping review, or add it under values"
    )


def _separator(values: list[str]) -> str | None:
    """How several answers share one cell: ';' first (commas also occur inside answers)."""
    for separator in (";", "|", ","):
        if sum(separator in value for value in values) >= max(1, len(values) // 20):
            return separator
    return None


def _split(value: str, separator: str | None) -> list[str]:
    if separator is None:
        return [value.strip()] if value.strip() else []
    return [piece.strip() for piece in value.split(separator) if piece.strip()]


def save_mapping(profile: MappingProfile, path: Path) -> None:
    """Write the profile as YAML a person can read and edit."""
    path.write_text(dump_mapping(profile), encoding="utf-8")


def dump_mapping(profile: MappingProfile) -> str:
    """The profile as the YAML text :func:`save_mapping` writes (for a download, say)."""
    return yaml.dump(
        mapping_document(profile),
        Dumper=_PlainDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice out twice: profiles are read back without aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def mapping_document(profile: MappingProfile) -> dict[str, Any]:
    """The profile as plain data (the YAML file's structure; also storable as JSON)."""
    return {
        "source": profile.source,
        "sheet": profile.sheet,
        "required": profile.required,
        "fields": {name: _field_document(mapping) for name, mapping in profile.fields.items()},
        **({"repeat": _repeat_document(profile.repeat)} if profile.repeat else {}),
        "review": profile.review,
    }


def _repeat_document(repeat: RepeatMapping) -> dict[str, Any]:
    document: dict[str, Any] = {"sheet": repeat.sheet}
    if repeat.required:
        document["required"] = repeat.required
    if repeat.number_in_order:
        document["number_in_order"] = True
    document["fields"] = {name: _field_document(m) for name, m in repeat.fields.items()}
    return document


def _field_document(mapping: FieldMapping) -> dict[str, Any]:
    document: dict[str, Any] = {"column": mapping.column}
    if mapping.separator is not None:
        document["separator"] = mapping.separator
    if mapping.date_order is not None:
        document["date_order"] = mapping.date_order
    if mapping.values:
        document["values"] = dict(mapping.values)
    return document


def load_mapping(path: Path) -> MappingProfile:
    """Read and check a profile; InputError naming the file and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            f"cannot read the mapping profile ({type(error).__name__})", file=path.name
        ) from None
    return parse_mapping(text, path.name)


def parse_mapping(text: str, name: str) -> MappingProfile:
    """Read and check a profile's YAML text (``name`` is the file it came from)."""
    if len(text) > MAX_PROFILE_CHARACTERS:
        raise InputError(
            f"a mapping profile is at most {MAX_PROFILE_CHARACTERS:,} characters", file=name
        )
    try:
        _refuse_aliases(text, name)
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError(
            f"cannot read the mapping profile ({type(error).__name__})", file=name
        ) from None
    return read_mapping_document(document, name)


#: A real profile is a few kilobytes; anything near this is not one (and is not parsed).
MAX_PROFILE_CHARACTERS = 1_000_000


def _refuse_aliases(text: str, name: str) -> None:
    """Refuse YAML aliases before building anything: a few hundred bytes of nested aliases
    expand to gigabytes ("billion laughs"), and a hand-written profile never needs them."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise InputError(
                "a mapping profile may not use YAML aliases ('*name'); write each value out",
                file=name,
            )


def read_mapping_document(document: object, name: str) -> MappingProfile:
    """Check plain data shaped like a profile file and build the profile from it."""
    if not isinstance(document, dict) or not isinstance(document.get("fields"), dict):
        raise InputError("a mapping profile needs 'source' and a 'fields' section", file=name)
    fields = {
        str(field_name): _read_field(str(field_name), spec, name)
        for field_name, spec in document["fields"].items()
    }
    required = [str(field_name) for field_name in _list_of_text(document, "required", name)]
    for field_name in required:
        if field_name not in fields:
            raise InputError(
                f"required field {field_name!r} is not mapped under 'fields'", file=name
            )
    return MappingProfile(
        source=str(document.get("source") or Path(name).stem),
        fields=fields,
        sheet=document.get("sheet") or None,
        required=required,
        review=_list_of_text(document, "review", name),
        repeat=_read_repeat(document.get("repeat"), name),
    )


def _list_of_text(document: dict[str, object], key: str, file: str) -> list[str]:
    value = document.get(key) or []
    if not isinstance(value, list) or any(isinstance(item, dict | list) for item in value):
        raise InputError(f"'{key}' must be a list of names, one per line", file=file)
    return [str(item) for item in value]


def _read_repeat(document: object, file: str) -> RepeatMapping | None:
    """The optional ``repeat`` section: ``sheet``, ``fields`` (encounter fields only), and
    optionally ``required`` and ``number_in_order``."""
    if document is None:
        return None
    if not isinstance(document, dict) or not document.get("sheet"):
        raise InputError("the 'repeat' section needs the repeat group's 'sheet'", file=file)
    if not isinstance(document.get("fields"), dict):
        raise InputError("the 'repeat' section needs a 'fields' section", file=file)
    fields: dict[str, FieldMapping] = {}
    for field_name, spec in document["fields"].items():
        if str(field_name) not in REPEAT_FIELDS:
            raise InputError(
                f"repeat field {field_name!r}: a repeat row can give only "
                f"{', '.join(REPEAT_FIELDS)}",
                file=file,
            )
        fields[str(field_name)] = _read_field(str(field_name), spec, file)
    required = [str(field_name) for field_name in document.get("required") or []]
    for field_name in required:
        if field_name not in fields:
            raise InputError(
                f"required repeat field {field_name!r} is not mapped under 'repeat: fields'",
                file=file,
            )
    return RepeatMapping(
        str(document["sheet"]), fields, required, bool(document.get("number_in_order", False))
    )


def _read_field(name: str, spec: object, file: str) -> FieldMapping:
    if name not in FIELDS:
        raise InputError(f"unknown field {name!r}; use one of {', '.join(FIELDS)}", file=file)
    if not isinstance(spec, dict) or not spec.get("column"):
        raise InputError(f"field {name!r} needs a 'column'", file=file)
    if not isinstance(spec["column"], str | int):
        raise InputError(f"field {name!r}: 'column' must be a column's name", file=file)
    values = spec.get("values") or {}
    if isinstance(values, dict):  # ``wording:`` with nothing after it: leave it unmapped
        values = {key: "" if code is None else code for key, code in values.items()}
    if not isinstance(values, dict) or any(
        not isinstance(item, str | int | float) for pair in values.items() for item in pair
    ):
        raise InputError(
            f"field {name!r}: 'values' must map each wording to a code (wording: CODE)", file=file
        )
    if spec.get("separator") is not None and not isinstance(spec["separator"], str):
        raise InputError(f"field {name!r}: 'separator' must be text, e.g. ';'", file=file)
    order = spec.get("date_order")
    if order is not None and order not in DATE_ORDERS:
        raise InputError(
            f"field {name!r}: date_order must be one of {', '.join(DATE_ORDERS)}", file=file
        )
    return FieldMapping(
        column=str(spec["column"]),
        values={str(key): str(code) for key, code in values.items()},
        separator=spec.get("separator"),
        date_order=order,
    )
