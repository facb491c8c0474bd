"""Dates as sources write them: numbers in the source's order, or the month written out."""

from __future__ import annotations

import pytest

from testimonio.errors import ValidationError
from testimonio.partial_dates import PartialDate, guess_date_order, parse_source_date


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("25/06/2018", "DMY", PartialDate(2018, 6, 25)),
        ("06/25/2018", "MDY", PartialDate(2018, 6, 25)),
        ("8/8/19", "DMY", PartialDate(2019, 8, 8)),
        ("06-2018", "DMY", PartialDate(2018, 6)),
        ("2018", "DMY", PartialDate(2018)),
        ("43276", "DMY", PartialDate(2018, 6, 25)),
        ("2018-06-25T14:30:00", "DMY", PartialDate(2018, 6, 25)),
    ],
)
def test_numeric_dates_follow_the_source_order(
    text: str, order: str, expected: PartialDate
) -> None:
    assert parse_source_date(text, order) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("junio 2018", PartialDate(2018, 6)),
        ("Junio de 2018", PartialDate(2018, 6)),
        ("septiembre del 2018", PartialDate(2018, 9)),
        ("ene-2019", PartialDate(2019, 1)),
        ("sept. 2018", PartialDate(2018, 9)),
        ("15 de junio de 2018", PartialDate(2018, 6, 15)),
        ("June 15, 2018", PartialDate(2018, 6, 15)),
        ("15 June 2018", PartialDate(2018, 6, 15)),
        ("juin 2018", PartialDate(2018, 6)),
        ("1er juin 2018", PartialDate(2018, 6, 1)),
    ],
)
def test_written_out_months_keep_the_precision_written(text: str, expected: PartialDate) -> None:
    assert parse_source_date(text, "DMY", column="Fecha") == expected


@pytest.mark.parametrize(
    "text",
    [
        "julio",  # no year: dateparser would fill in this year
        "3 de julio",
        "hace 2 días",  # relative to the day of the import
        "mañana",
        "Jun-18",  # June 2018 or the 18th of June: not guessed
        "agosto 2018 aprox",
        "31 de febrero de 2018",
        "no recuerda",
    ],
)
def test_vague_or_relative_wordings_are_refused_naming_the_column(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_source_date(text, "DMY", column="Fecha")
    assert caught.value.column == "Fecha"
    assert "junio 2018" in str(caught.value)
    assert text not in str(caught.value)  # the cell's value is not echoed


def test_impossible_numeric_day_is_named() -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        parse_source_date("31/02/1990", "DMY", column="Nacimiento")


def test_date_order_is_guessed_from_the_column_not_the_row() -> None:
    assert guess_date_order(["01/02/2018", "25/06/2018"], spanish=False) == "DMY"
    assert guess_date_order(["06/25/2018", "01/02/2018"], spanish=True) == "MDY"
    assert guess_date_order(["01/02/2018"], spanish=True) == "DMY"
    assert guess_date_order(["01/02/2018"], spanish=False) == "MDY"


def test_one_impossible_date_does_not_flip_a_column_written_month_first() -> None:
    # 31/02/2019 is no date in either order: an error on its row, not a vote for day first.
    column = ["03/09/2017", "03/26/2017", "03/28/2017", "03/25/2017", "31/02/2019", "03/23/2017"]
    assert guess_date_order(column, spanish=True) == "MDY"


def test_the_majority_of_dates_readable_one_way_decides_the_order() -> None:
    assert guess_date_order(["25/06/2018", "26/06/2018", "06/27/2018"], spanish=False) == "DMY"
    assert guess_date_order(["06/25/2018", "06/26/2018", "27/06/2018"], spanish=True) == "MDY"
