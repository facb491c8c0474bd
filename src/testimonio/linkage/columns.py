"""Which column of an arbitrary table holds which identifying field, and reading the tables.

Partners send whatever their intake form exported: "Nombre(s)", "Apellido Paterno", "DOB",
"Fecha de nacimiento", "Sexe". We recognise the common English, Spanish and French headers,
accept an explicit mapping (``given_name=Nombre``) for the rest, and stop with an error naming
the file and column when a table has nothing we can link on.

What must always hold: errors name files and columns, never the values in them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from testimonio.errors import InputError, LinkageError

__all__ = [
    "FIELDS",
    "parse_column_mapping",
    "read_table",
    "recognise_columns",
]

#: Our field -> the normalised headers that mean it (see :func:`_normalise_header`).
FIELDS: dict[str, tuple[str, ...]] = {
    "record_id": (
        "id",
        "record_id",
        "recordid",
        "folio",
        "intake_id",
        "no",
        "exhibit",
        "id_registro",
        "registro",
        "case_id",
        "caso",
        "numero_de_caso",
        "expediente",
        "uuid",
        "instanceid",
        "meta_instanceid",
        "key",
    ),
    "given_name": (
        "first_name",
        "firstname",
        "given_name",
        "given_names",
        "forename",
        "forenames",
        "nombre",
        "nombres",
        "primer_nombre",
        "nombre_s",
        "prenom",
        "prenoms",
        "first",
    ),
    "surname": (
        "surname",
        "surnames",
        "last_name",
        "lastname",
        "family_name",
        "apellido",
        "apellidos",
        "apellido_s",
        "nom_de_famille",
        "nom",
        "last",
    ),
    "paternal_surname": (
        "apellido_paterno",
        "primer_apellido",
        "ap_paterno",
        "paterno",
        "paternal_surname",
        "first_surname",
        "surname_1",
        "apellido_1",
    ),
    "maternal_surname": (
        "apellido_materno",
        "segundo_apellido",
        "ap_materno",
        "materno",
        "maternal_surname",
        "second_surname",
        "surname_2",
        "apellido_2",
    ),
    "full_name": (
        "full_name",
        "name",
        "nombre_completo",
        "nombre_y_apellidos",
        "nombre_y_apellido",
        "nombre_apellidos",
        "nom_complet",
        "person_name",
        "persona",
        "declarant_name",
    ),
    "birth_date": (
        "date_of_birth",
        "dob",
        "birth_date",
        "birthdate",
        "fecha_de_nacimiento",
        "fecha_nacimiento",
        "f_nacimiento",
        "fnac",
        "f_nac",
        "nacimiento",
        "date_de_naissance",
        "date_naissance",
        "birthday",
    ),
    "birth_year": (
        "year_of_birth",
        "birth_year",
        "yob",
        "ano_de_nacimiento",
        "ano_nacimiento",
        "anio_nacimiento",
        "anio_de_nacimiento",
        "annee_de_naissance",
    ),
    "age": ("age", "edad", "age_years", "edad_anos", "anos", "age_at_intake", "edad_actual"),
    "record_date": (
        "intake_date",
        "date_of_intake",
        "fecha_de_registro",
        "fecha_registro",
        "fecha_de_entrevista",
        "fecha_entrevista",
        "interview_date",
        "today",
        "date_of_interview",
        "date_d_entretien",
    ),
    "encounter_date": (
        "date_of_last_attempt",
        "attempt_date",
        "encounter_date",
        "date_of_attempt",
        "fecha_del_intento",
        "fecha_intento",
        "fecha_de_intento",
        "date_de_la_tentative",
    ),
    "port": (
        "port_of_entry",
        "port",
        "poe",
        "garita",
        "puerto_de_entrada",
        "punto_de_entrada",
        "puente",
        "point_d_entree",
    ),
    "sex": ("sex", "gender", "sexo", "genero", "sexe", "genre"),
    "nationality": (
        "nationality",
        "nacionalidad",
        "citizenship",
        "country_of_origin",
        "pais_de_origen",
        "pais_origen",
        "nationalite",
        "pays_d_origine",
        "country",
        "pais",
    ),
    "address": ("address", "direccion", "domicilio", "adresse", "home_address"),
    "phone": (
        "phone",
        "phone_number",
        "telephone",
        "telefono",
        "tel",
        "celular",
        "movil",
        "mobile",
        "whatsapp",
        "numero_de_telefono",
    ),
}

#: Fields that can carry a name; a table needs at least one of them to be linked.
NAME_FIELDS = ("given_name", "surname", "paternal_surname", "full_name")

_HEADER_LOOKUP = {header: field for field, headers in FIELDS.items() for header in headers}


def _normalise_header(header: object) -> str:
    text = unicodedata.normalize("NFKD", str(header).strip().lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def recognise_columns(
    headers: Iterable[str], *, file: str, explicit: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map our fields to the table's columns: explicit mapping first, then known headers.

    ``explicit`` maps our field names to the table's column names; a mapped column missing from
    this table is skipped (several files may share one mapping), an unknown field is an error.
    Raises :class:`LinkageError` naming the file when no name column is found.
    """
    headers = list(headers)
    found = _explicit_columns(headers, explicit or {})
    for header in headers:
        field = _HEADER_LOOKUP.get(_normalise_header(header))
        if field is None and "/" in str(header):  # Kobo/ODK group paths: datos/nombres
            field = _HEADER_LOOKUP.get(_normalise_header(str(header).rsplit("/", 1)[1]))
        if field and field not in found and header not in found.values():
            found[field] = header
    if not any(field in found for field in NAME_FIELDS):
        raise LinkageError(
            f"{file}: no name column recognised (looked for given name, surname or full name "
            f"in English, Spanish or French); name one with --columns given_name=COLUMN,"
            f"surname=COLUMN"
        )
    return found


def _explicit_columns(headers: list[str], explicit: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, column in explicit.items():
        if field not in FIELDS:
            raise InputError(
                f"unknown field {field!r} in --columns; use one of {', '.join(sorted(FIELDS))}"
            )
        if column in headers:
            found[field] = column
    return found


def parse_column_mapping(text: str | None) -> dict[str, str]:
    """Parse ``--columns ours=theirs,...`` (our field = the table's column)."""
    mapping: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        ours, separator, theirs = item.partition("=")
        if not separator or not ours.strip() or not theirs.strip():
            raise InputError(
                f"--columns expects ours=theirs pairs separated by commas, not {item!r}"
            )
        mapping[ours.strip()] = theirs.strip()
    return mapping


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or spreadsheet as text (no type guessing that would mangle ids and dates)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    try:
        if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
            frame = pd.read_excel(path, dtype=str, engine="calamine", keep_default_na=False)
        elif suffix in {".csv", ".txt", ".tsv"}:
            frame = pd.read_csv(
                path, dtype=str, sep=_delimiter(path), encoding="utf-8-sig", keep_default_na=False
            )
        else:
            raise InputError("expected a .csv or .xlsx file", file=str(path))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InputError(
            f"cannot be read as a table ({type(error).__name__})", file=str(path)
        ) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    if frame.empty:
        raise InputError("has no rows", file=str(path))
    return frame


def _delimiter(path: Path) -> str:
    """Comma, semicolon (Spanish-locale Excel) or tab, judged from the header line."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter])
