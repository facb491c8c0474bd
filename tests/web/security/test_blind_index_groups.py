"""What the blind indexes show to whoever holds the database without the key, as
docs/security.md says: which records share a first surname and birth year (or a phone), never
which surname, year or phone it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from testimonio.web.cases.actions import do_create_record
from testimonio.web.cases.models import Source
from testimonio.web.keys.identity import IdentityFields

pytestmark = pytest.mark.django_db
SECURITY = Path(__file__).resolve().parents[3] / "docs" / "security.md"


def test_records_sharing_a_surname_and_birth_year_share_an_index_seen_with_plain_sql(
    source: Source,
) -> None:
    for given, surnames, born in [
        ("Ana", "Pérez López", "1990-01-02"),
        ("Luis", "PEREZ Gómez", "1990-11-30"),  # same first surname, same year
        ("Eva", "Pérez", "1991-01-02"),  # another year
    ]:
        do_create_record(source, None, identity=IdentityFields(given, surnames, born))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT surname_year_index, COUNT(*) FROM cases_recordidentity "
            "GROUP BY surname_year_index ORDER BY COUNT(*) DESC"
        )
        groups = cursor.fetchall()
    assert [count for _, count in groups] == [2, 1]
    assert all("perez" not in index.lower() and "1990" not in index for index, _ in groups)


def test_the_security_model_says_so() -> None:
    text = SECURITY.read_text(encoding="utf-8")
    assert "not even which records share" not in text
    assert "equal values give equal indexes" in text


def test_records_sharing_a_first_given_name_and_surname_or_a_birth_date_share_an_index(
    source: Source,
) -> None:
    for given, surnames, born in [
        ("Ana María", "Pérez López", "1990-01-02"),
        ("ANA", "Perez", "1985-01-02"),  # same first names, another birth date
        ("Eva", "Gómez", "1990-01-02"),  # same birth date, another name
    ]:
        do_create_record(source, None, identity=IdentityFields(given, surnames, born))
    with connection.cursor() as cursor:
        counts = {}
        for column in ("given_surname_index", "birth_date_index"):
            cursor.execute(
                f"SELECT COUNT(*) FROM cases_recordidentity GROUP BY {column} "  # noqa: S608
                "ORDER BY COUNT(*) DESC"
            )
            counts[column] = [count for (count,) in cursor.fetchall()]
    assert counts == {"given_surname_index": [2, 1], "birth_date_index": [2, 1]}
