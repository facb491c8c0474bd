"""Partial dates keep exactly what is known, and never claim more precision than they have."""

from __future__ import annotations

import pytest

from testimonio.errors import ValidationError
from testimonio.partial_dates import PartialDate, check_precision, parse_partial_date


@pytest.mark.parametrize(
    ("text", "precision"),
    [("2018-06-14", "day"), ("2018-06", "month"), ("2018", "year"), ("", "unknown")],
)
def test_it_parses_each_precision(text: str, precision: str) -> None:
    date = parse_partial_date(text)
    assert date.precision == precision
    assert date.isoformat() == text


def test_it_rejects_a_date_in_another_format_and_names_the_column() -> None:
    with pytest.raises(ValidationError, match="YYYY") as caught:
        parse_partial_date("14/06/2018", column="birth_date")
    assert caught.value.column == "birth_date"


def test_it_rejects_a_day_that_is_not_in_the_calendar() -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        parse_partial_date("2019-02-29")


def test_it_accepts_the_29th_of_february_in_a_leap_year() -> None:
    assert parse_partial_date("2016-02-29").precision == "day"


def test_a_date_finer_than_its_stated_precision_is_rejected() -> None:
    with pytest.raises(ValidationError, match="stated as month"):
        check_precision(PartialDate(2018, 6, 14), "month")


def test_a_day_without_its_month_is_rejected() -> None:
    with pytest.raises(ValidationError, match="needs its month"):
        check_precision(PartialDate(2018, None, 14), "day")


def test_the_earliest_day_of_a_month_precision_date_is_its_first() -> None:
    assert str(PartialDate(2018, 6).earliest()) == "2018-06-01"
