"""An encounter after the interview at which it was told, or in the future, is an error naming
row and column (never the dates); an encounter after a register's own date is not."""

from __future__ import annotations

import datetime as dt

from testimonio.ingest.contradictions import date_contradictions
from testimonio.ingest.mapping import FieldMapping, MappingProfile, propose_mapping
from testimonio.ingest.readers import read_bytes
from testimonio.ingest.validation import validate_table
from testimonio.partial_dates import PartialDate
from testimonio.vocab.bundle import Bundle


def validated(text: str, vocabulary: Bundle, interview: str = "Entrevista"):  # type: ignore[no-untyped-def]
    table = read_bytes((f"Nombre;Encuentro;{interview}\n" + text).encode(), "r.csv").tables[0]
    fields = {
        "full_name": FieldMapping("Nombre"),
        "encounter_date": FieldMapping("Encuentro", date_order="YMD"),
        ("interview_date" if interview == "Entrevista" else "record_date"): FieldMapping(
            interview, date_order="YMD"
        ),
    }
    return validate_table(table, MappingProfile("r", fields), vocabulary)


def test_an_encounter_after_its_interview_date_is_an_error_on_the_encounter(
    vocabulary: Bundle,
) -> None:
    rows, errors = validated("Ana;2019-03-12;2019-03-10\nLuis;2019-03-01;2019-03-10\n", vocabulary)
    assert [(e.row, e.column, e.field) for e in errors] == [(2, "Encuentro", "encounter_date")]
    assert "after the interview (intake) date" in errors[0].problem
    assert "2019" not in errors[0].problem
    assert len(rows) == 1 and rows[0].attributes.record_date == PartialDate(2019, 3, 10)


def test_an_encounter_after_a_registers_own_date_is_not_flagged(vocabulary: Bundle) -> None:
    """A register of attempts dates the registration and logs later attempts on it."""
    _, errors = validated("Ana;2019-03-12;2019-03-10\n", vocabulary, interview="Registro")
    assert errors == []


def test_an_encounter_in_the_same_month_as_the_interview_is_not_certain(
    vocabulary: Bundle,
) -> None:
    _, errors = validated("Ana;2019-03;2019-03-10\n", vocabulary)
    assert errors == []


def test_an_encounter_in_the_future_is_an_error() -> None:
    today = dt.date(2026, 12, 4)
    future = {"encounter_date": PartialDate(2027, 1)}
    assert [field for field, _ in date_contradictions(future, today)] == ["encounter_date"]
    assert list(date_contradictions({"encounter_date": PartialDate(2026, 12)}, today)) == []


def test_the_validation_report_names_the_row_and_column_of_a_future_encounter(
    vocabulary: Bundle,
) -> None:
    next_year = dt.datetime.now(dt.UTC).year + 1
    _, errors = validated(f"Ana;{next_year}-01-05;\n", vocabulary)
    assert [(e.row, e.column) for e in errors] == [(2, "Encuentro")]
    assert "in the future" in errors[0].problem


def test_an_intake_or_interview_date_column_is_proposed_as_the_interview_date(
    vocabulary: Bundle,
) -> None:
    table = read_bytes(b"intake_date,date_of_last_attempt\n2019-03-10,2019-03-01\n", "l.csv")
    fields = propose_mapping(table.tables[0], vocabulary).fields
    assert fields["interview_date"].column == "intake_date"
    assert "record_date" not in fields
