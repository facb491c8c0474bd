"""Synthetic testimonies for the intake tests (invented people only), and the form's POST."""

from __future__ import annotations

from typing import Any

from django.db import connection

from testimonio.web.intake.actions import EncounterEntry, PersonEntry, Testimony
from testimonio.web.keys.identity import IdentityFields

NAMES = ("Rosalba", "Quintero", "Eustaquio", "555-0142")


def sample_testimony(**changes: Any) -> Testimony:
    person = PersonEntry(
        identity=IdentityFields(
            given_names="Rosalba", surnames="Quintero Ávila", birth_date="1990-04", phone="555-0142"
        ),
        attributes={"sex": "female", "nationality": "HN", "language": "spa"},
        vulnerabilities=("VUL.FAMILY_WITH_CHILDREN",),
    )
    child = PersonEntry(
        identity=IdentityFields(given_names="Eustaquio", surnames="Quintero", birth_date="2012"),
        attributes={"sex": "male", "age_band": "0-11"},
        relationship="child",
    )
    encounters = (
        EncounterEntry(
            date="2018-11",
            port="2504-SYS",
            attempt_number=1,
            fear_expressed="yes",
            fear_modes=("FEAR.MODE.ASKED_ASYLUM",),
            fear_language="spa",
            tactics=("TAC.DENY.CAPACITY",),
            outcome="OUT.TURNED_BACK",
        ),
        EncounterEntry(
            date="2018-12-03", port="2504-PEDW", attempt_number=2, outcome="OUT.METERED"
        ),
    )
    values: dict[str, Any] = {"person": person, "family": (child,), "encounters": encounters}
    values.update(changes)
    return Testimony(**values)


MANAGEMENT = {"INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "30"}


def form_post(**changes: str | list[str]) -> dict[str, Any]:
    """The intake page's POST for one person, one family member and one encounter."""
    data: dict[str, Any] = {
        "submission": "6f1d3c1e-8a39-4d4e-9c56-2f1f0c4b7a10",
        "person-given_names": "Rosalba",
        "person-surnames": "Quintero Ávila",
        "person-birth_year": "1990",
        "person-birth_month": "4",
        "person-birth_day": "",
        "person-sex": "female",
        "person-gender_identity": "woman",
        "person-age_band": "18-29",
        "person-nationality": "HN",
        "person-language": "spa",
        "person-phone": "555-0142",
        "person-identity_document": "",
        "family-TOTAL_FORMS": "1",
        "family-0-given_names": "Eustaquio",
        "family-0-surnames": "Quintero",
        "family-0-birth_year": "2012",
        "family-0-sex": "male",
        "family-0-gender_identity": "unknown",
        "family-0-age_band": "0-11",
        "family-0-relationship": "child",
        "encounter-TOTAL_FORMS": "1",
        "encounter-0-date_year": "2018",
        "encounter-0-date_month": "11",
        "encounter-0-port": "2504-SYS",
        "encounter-0-attempt_number": "1",
        "encounter-0-fear_expressed": "yes",
        "encounter-0-fear_modes": ["FEAR.MODE.ASKED_ASYLUM"],
        "encounter-0-fear_language": "spa",
        "encounter-0-tactics": ["TAC.DENY.CAPACITY", "TAC.DENY.LIMIT_LINE"],
        "encounter-0-outcome": "OUT.TURNED_BACK",
        "save": "1",
    }
    for prefix in ("family", "encounter"):
        data.update({f"{prefix}-{name}": value for name, value in MANAGEMENT.items()})
    data.update(changes)
    return data


def database_text() -> str:
    """Every row of every table, as text (bytes columns included as their repr)."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def leaked(text: str) -> list[str]:
    return [value for value in NAMES if value in text]
