"""Nothing of an uploaded file's cells reaches the database unsealed, even from a malformed file.

An unbalanced quote used to make the reader take the rest of the file for one cell of the port
column; the mapping proposal then quoted that "value" (names, birth dates, phones) in the
draft's profile, kept as plain JSON. Every table is read back through raw SQL, as someone with a
copy of the database file would.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection

from testimonio.web.cases.models import Project
from testimonio.web.imports.draft_files import draft_profile
from testimonio.web.imports.models import ImportDraft
from tests.web.clients import signed_in
from tests.web.imports.uploads import upload

pytestmark = pytest.mark.django_db

IDENTITIES = ("Rosalba Quintero", "1987-04-19", "555-0199", "Teodoro Nájera", "555-0142")

UNBALANCED_QUOTE = (
    "nombre,fecha_nacimiento,telefono,garita\n"
    'Ana Prueba,1990-01-02,555-0101,"San Ysidro\n'
    "Rosalba Quintero,1987-04-19,555-0199,Otay Mesa\n"
    "Teodoro Nájera,1979-11-30,555-0142,San Ysidro\n"
).encode()

#: Well-formed, but someone typed a name and a phone into the port column.
IDENTITY_IN_A_CODED_COLUMN = (
    b"nombre,fecha_nacimiento,garita\n"
    b"Ana Prueba,1990-01-02,Rosalba Quintero\n"
    b"Luis Prueba,1987-04-19,555-0199\n"
)


def database_text() -> str:
    """Every row of every table, as text (bytes columns included as their repr)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def leaked(text: str) -> list[str]:
    return [value for value in IDENTITIES if value in text or value.encode() in text.encode()]


def test_a_csv_with_an_unbalanced_quote_is_refused_at_its_row_and_leaves_no_identity(
    project: Project, intake_officer: User
) -> None:
    response = upload(signed_in(intake_officer), project.slug, UNBALANCED_QUOTE)
    page = response.content.decode()
    assert "row 2" in page and "quote" in page
    assert not ImportDraft.objects.exists()
    assert leaked(database_text()) == [] and leaked(page) == []


def test_a_draft_keeps_values_of_coded_columns_only_sealed(
    project: Project, intake_officer: User
) -> None:
    response = upload(signed_in(intake_officer), project.slug, IDENTITY_IN_A_CODED_COLUMN)
    draft = ImportDraft.objects.get()
    assert response.status_code == 302
    assert leaked(database_text()) == []
    assert "port" in draft_profile(draft).fields  # the page still reads it, opened with the key
