"""Our fields: what a column of a source can mean, and which fields identify a person.

Identity fields (names, birth date, phone, narrative) are kept apart from the non-identifying
attributes everywhere in ingest: they are encrypted on write, seen only by linkage, and their
values never appear in an error message or a report. ``kind`` says how a value is checked.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ATTRIBUTE_FIELDS", "FIELDS", "Field", "IDENTITY_FIELDS"]


@dataclass(frozen=True)
class Field:
    """One of our fields: how its values are checked and the headers that usually mean it."""

    name: str
    kind: str  # text, date, integer, sex, yes_no, port, nationality, language, term, terms
    identity: bool = False
    scheme: str = ""  # vocabulary scheme for term/terms fields (TAC, OUT)
    headers: tuple[str, ...] = ()


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        Field("record_id", "text", headers=("index", "numero", "no_de_registro")),
        Field("given_names", "text", identity=True),
        Field("surnames", "text", identity=True),
        Field("full_name", "text", identity=True, headers=("nombre_completo",)),
        Field("birth_date", "date", identity=True),
        Field("phone", "text", identity=True),
        Field(
            "narrative",
            "text",
            identity=True,
            headers=("narrative", "narrativa", "relato", "testimonio", "historia", "story"),
        ),
        Field("record_date", "date", headers=("fecha", "date")),
        # The date the account was taken (intake, interview): kept as the record's date when
        # no record_date column is mapped; an encounter after it cannot have been told at it.
        Field(
            "interview_date",
            "date",
            headers=(
                "intake_date",
                "date_of_intake",
                "fecha_de_entrevista",
                "fecha_entrevista",
                "interview_date",
                "date_of_interview",
                "date_d_entretien",
            ),
        ),
        Field("sex", "sex"),
        Field(
            "gender_identity",
            "text",
            headers=("gender_identity", "identidad_de_genero", "identidad_genero"),
        ),
        Field("age", "integer"),
        Field("nationality", "nationality"),
        Field(
            "language",
            "language",
            headers=(
                "language",
                "primary_language",
                "idioma",
                "lengua",
                "idioma_principal",
                "native_language",
            ),
        ),
        Field("encounter_date", "date"),
        Field("port", "port"),
        Field(
            "attempt_number",
            "integer",
            headers=(
                "number_of_attempts",
                "attempts",
                "attempt_number",
                "num_intentos",
                "intentos",
                "numero_de_intentos",
                "intento_numero",
            ),
        ),
        Field(
            "fear_expressed",
            "yes_no",
            headers=(
                "expressed_fear",
                "fear_expressed",
                "said_fear",
                "asked_for_asylum",
                "expreso_miedo",
                "pidio_asilo",
                "miedo",
                "solicito_asilo",
            ),
        ),
        Field(
            "tactics",
            "terms",
            scheme="TAC",
            headers=("what_happened", "tactics", "que_paso", "tacticas", "conducta", "lo_que_paso"),
        ),
        Field(
            "outcome", "term", scheme="OUT", headers=("outcome", "result", "resultado", "desenlace")
        ),
    )
}

#: Our field names as in :mod:`testimonio.vocab.column_headers` (header lists shared with linkage).
LINKAGE_NAMES = {
    "given_name": "given_names",
    "surname": "surnames",
    "full_name": "full_name",
    "birth_date": "birth_date",
    "phone": "phone",
    "age": "age",
    "record_id": "record_id",
    "record_date": "record_date",
    "encounter_date": "encounter_date",
    "port": "port",
    "sex": "sex",
    "nationality": "nationality",
}

IDENTITY_FIELDS = tuple(name for name, field in FIELDS.items() if field.identity)
ATTRIBUTE_FIELDS = tuple(name for name, field in FIELDS.items() if not field.identity)
