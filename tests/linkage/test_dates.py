"""Birth dates keep what was written: partial, swapped or Excel-mangled, never guessed."""

import datetime as dt

import pytest

from testimonio.linkage.dates import full_date_iso
from testimonio.partial_dates import PartialDate, parse_birth_date

TODAY = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1987-03-12", PartialDate(1987, 3, 12)),
        ("12/03/1987", PartialDate(1987, 3, 12)),  # day first, the region's convention
        ("03/25/1987", PartialDate(1987, 3, 25)),  # month first when it cannot be a month
        ("1987", PartialDate(1987)),
        ("03/1987", PartialDate(1987, 3)),
        ("31843", PartialDate(1987, 3, 7)),  # an Excel serial date
        ("1987-03-12 00:00:00", PartialDate(1987, 3, 12)),
        ("12.03.87", PartialDate(1987, 3, 12)),
        ("01/02/05", PartialDate(2005, 2, 1)),
    ],
)
def test_it_reads_the_ways_forms_write_a_birth_date(text, expected):
    assert parse_birth_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["", "desconocido", "S/D", "unknown", "n/a", "?", None, "abc"])
def test_unknown_dates_are_unknown_not_errors(text):
    assert parse_birth_date(text, today=TODAY) == PartialDate()


def test_an_impossible_day_keeps_only_year_and_month():
    assert parse_birth_date("1987-02-30", today=TODAY) == PartialDate(1987, 2)


def test_a_birth_year_in_the_future_is_unknown():
    assert parse_birth_date("2031", today=TODAY) == PartialDate()


def test_the_iso_form_exists_only_for_full_dates():
    assert full_date_iso(PartialDate(1987, 3, 12)) == "1987-03-12"
    assert full_date_iso(PartialDate(1987)) is None


def test_spreadsheet_dates_are_read_as_dates():
    assert parse_birth_date(dt.datetime(1990, 5, 4, tzinfo=dt.UTC), today=TODAY) == PartialDate(
        1990, 5, 4
    )


def test_a_column_of_us_dates_is_read_month_first():
    from testimonio.partial_dates import month_first_column

    column = ["02/24/1979", "01/03/2000", "1988", ""]
    assert month_first_column(column)
    assert parse_birth_date("01/03/2000", month_first=True) == PartialDate(2000, 1, 3)


def test_a_column_of_day_first_dates_is_not_read_month_first():
    from testimonio.partial_dates import month_first_column

    assert not month_first_column(["24/02/1979", "01/03/2000"])


def test_an_age_on_a_known_day_narrows_a_year_of_birth():
    from testimonio.linkage.dates import birth_interval

    span = birth_interval(PartialDate(1987), 30, PartialDate(2018, 5, 1))
    assert span == (dt.date(1987, 5, 2), dt.date(1987, 12, 31))


def test_an_age_alone_gives_a_year_long_span_of_birth_days():
    from testimonio.linkage.dates import birth_interval

    span = birth_interval(PartialDate(), 0, PartialDate(2018, 2, 28))
    assert span == (dt.date(2017, 3, 1), dt.date(2018, 2, 28))


def test_a_full_written_date_wins_over_an_age_that_contradicts_it():
    from testimonio.linkage.dates import birth_interval

    day = dt.date(1990, 6, 1)
    assert birth_interval(PartialDate(1990, 6, 1), 50, PartialDate(2018, 1, 1)) == (day, day)


# --- Layouts decided per column: compact YYYYMMDD, Excel serials, the day/month order -------


def test_a_column_of_compact_dates_is_read_as_year_month_day():
    from testimonio.partial_dates import birth_date_reader

    read = birth_date_reader(["19151111", "20010228", "", "unknown"], today=TODAY)
    assert read("19151111") == PartialDate(1915, 11, 11)
    assert read("20010228") == PartialDate(2001, 2, 28)
    assert read("") == PartialDate()


def test_eight_digits_are_not_a_date_unless_the_whole_column_is_real_compact_dates():
    from testimonio.partial_dates import birth_date_reader, compact_date_column

    # One impossible day (30 February) means the column is not written YYYYMMDD.
    assert not compact_date_column(["19151111", "19900230"], today=TODAY)
    assert birth_date_reader(["19151111", "19900230"], today=TODAY)("19151111") == PartialDate()
    # Nor is a column that mixes them with other layouts.
    assert not compact_date_column(["19151111", "1915-11-11"], today=TODAY)
    # And a compact value alone is unknown to the value-by-value reader.
    assert parse_birth_date("19151111", today=TODAY) == PartialDate()


def test_iso_and_slashed_dates_follow_the_column_order():
    from testimonio.partial_dates import birth_date_reader

    us = birth_date_reader(["1915-11-11", "11/25/1915", "03/04/1915"], today=TODAY)
    assert us("1915-11-11") == PartialDate(1915, 11, 11)
    assert us("03/04/1915") == PartialDate(1915, 3, 4)  # month first, as 11/25 shows
    mexican = birth_date_reader(["25/11/1915", "03/04/1915"], today=TODAY)
    assert mexican("03/04/1915") == PartialDate(1915, 4, 3)
    assert mexican("11/11/1915") == PartialDate(1915, 11, 11)


def test_a_column_of_excel_serials_reads_serials_below_10000():
    from testimonio.partial_dates import birth_date_reader

    read = birth_date_reader(["5794", "31843", "31843.0"], today=TODAY)
    assert read("5794") == PartialDate(1915, 11, 11)
    assert read("31843.0") == PartialDate(1987, 3, 7)


def test_a_column_mixing_years_and_serials_keeps_years_as_years():
    from testimonio.partial_dates import birth_date_reader

    read = birth_date_reader(["1987", "31843", "5794"], today=TODAY)
    assert read("1987") == PartialDate(1987)
    assert read("31843") == PartialDate(1987, 3, 7)


def test_two_digit_numbers_are_not_read_as_serials():
    from testimonio.partial_dates import birth_date_reader

    assert birth_date_reader(["87", "90"], today=TODAY)("87") == PartialDate()
