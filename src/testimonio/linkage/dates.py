"""Birth dates as intake forms record them: partial, unknown, swapped or mangled by Excel.

A person fleeing may know only the year they were born; a volunteer may write 03/12 meaning
the 3rd of December or March 12th; a spreadsheet may have turned a date into a serial number
(31843) or a timestamp. We keep what is known as year, month and day, each possibly missing,
and let the comparison decide how much a partial agreement is worth.

What must always hold: parsing never raises on a value (an unreadable date is an unknown date,
not an error), and never guesses a day or month that was not written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from testimonio.partial_dates import DatePrecision, PartialDate

__all__ = [
    "PartialDate",
    "birth_interval",
    "full_date_iso",
    "month_first_column",
    "parse_birth_date",
]

#: Words meaning "not known" in the forms we see (Spanish, English, French).
_UNKNOWN = frozenset(
    {
        "",
        "nan",
        "nat",
        "none",
        "null",
        "na",
        "n/a",
        "nd",
        "n/d",
        "s/d",
        "sd",
        "unknown",
        "desconocido",
        "desconocida",
        "no sabe",
        "ns",
        "nr",
        "inconnu",
        "-",
        "?",
        "0",
        "00/00/0000",
    }
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[ T].*)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")


def full_date_iso(date: PartialDate) -> str | None:
    """YYYY-MM-DD when the whole date is known, else None (Splink compares full dates)."""
    return date.isoformat() if date.precision == DatePrecision.DAY else None


UNKNOWN_DATE = PartialDate()


def parse_birth_date(
    value: object, *, today: dt.date | None = None, month_first: bool = False
) -> PartialDate:
    """Read a birth date written in any of the ways our partners' forms write it.

    Day-first is assumed for slashed dates (the convention of the region) unless
    ``month_first`` (a US form, see :func:`month_first_column`); when the first number cannot
    be in that place (a day or month above 12 where only a month fits) the two are swapped.
    A four-digit number is a year (a year alone if from 1900 to this year, else unknown); a
    five-digit number is an Excel serial date (10000 is in 1927), decoded as one.
    """
    if value is None or value != value:  # None, NaN and NaT are all "not known"
        return UNKNOWN_DATE
    if isinstance(value, dt.datetime | dt.date):
        return PartialDate(value.year, value.month, value.day)
    text = str(value).strip().lower()
    if text in _UNKNOWN:
        return UNKNOWN_DATE
    this_year = (today or dt.date.today()).year  # noqa: DTZ011 - a calendar year, not an instant
    return _parse_text(text, this_year, month_first)


def _parse_text(text: str, this_year: int, month_first: bool = False) -> PartialDate:
    if match := _ISO.match(text):
        year, month, day = (int(part) if part else None for part in match.groups())
        return _checked(year, month, day, this_year)
    if match := _DAY_FIRST.match(text):
        first, second, year = (int(part) for part in match.groups())
        year = _widen_year(year, this_year) if year < 100 else year
        if month_first:
            first, second = second, first
        if second > 12 >= first:
            first, second = second, first
        return _checked(year, second, first, this_year)
    if match := _MONTH_YEAR.match(text):
        return _checked(int(match.group(2)), int(match.group(1)), None, this_year)
    if (match := _YEAR.match(text)) and 1900 <= int(match.group(1)) <= this_year:
        return PartialDate(int(match.group(1)))
    if match := _SERIAL.match(text):
        return _from_excel_serial(int(match.group(1)), this_year)
    return UNKNOWN_DATE


def _widen_year(two_digits: int, this_year: int) -> int:
    """A two-digit year is in the past: 05 is 2005 in 2025, 87 is 1987."""
    century = this_year - this_year % 100
    year = century + two_digits
    return year if year <= this_year else year - 100


def _from_excel_serial(serial: int, this_year: int) -> PartialDate:
    date = _EXCEL_EPOCH + dt.timedelta(days=serial)
    if not 1900 <= date.year <= this_year:
        return UNKNOWN_DATE
    return PartialDate(date.year, date.month, date.day)


def _checked(year: int | None, month: int | None, day: int | None, this_year: int) -> PartialDate:
    """Keep the parts that are possible; an impossible month or day becomes unknown."""
    if year is None or not 1900 <= year <= this_year:
        return UNKNOWN_DATE
    if month is None or not 1 <= month <= 12:
        return PartialDate(year)
    if day is None:
        return PartialDate(year, month)
    try:
        dt.date(year, month, day)
    except ValueError:
        return PartialDate(year, month)
    return PartialDate(year, month, day)


def month_first_column(values: Iterable[object]) -> bool:
    """Whether a column writes slashed dates month first (03/25/1990, as US forms do).

    Decided per column, by the dates that can only be read one way: a first number above 12
    can only be a day, a second number above 12 only a day in month-first order.
    """
    day_first = month_first = 0
    for value in values:
        if match := _DAY_FIRST.match(str(value).strip()):
            first, second = int(match.group(1)), int(match.group(2))
            day_first += first > 12 >= second
            month_first += second > 12 >= first
    return month_first > day_first


def birth_interval(
    birth: PartialDate, age: int | None, on: PartialDate
) -> tuple[dt.date, dt.date] | None:
    """The first and last possible birth dates given what a record says, or None.

    A full date is itself; a year or year and month is its span, narrowed by the age when the
    age was written on a known day (aged 30 on 2018-05-01: born 1987-05-02 to 1988-05-01).
    An age on a known day alone gives that one-year span. Where the age contradicts the
    written date the written date wins: one of them is wrong, and dates are checked more.
    """
    written = _span(birth)
    by_age = _span_from_age(age, on)
    if written is None:
        return by_age
    if by_age is None or written[0] == written[1]:
        return written
    first, last = max(written[0], by_age[0]), min(written[1], by_age[1])
    return (first, last) if first <= last else written


def _span(birth: PartialDate) -> tuple[dt.date, dt.date] | None:
    if birth.year is None:
        return None
    if birth.month is None:
        return dt.date(birth.year, 1, 1), dt.date(birth.year, 12, 31)
    if birth.day is None:
        following = dt.date(birth.year + birth.month // 12, birth.month % 12 + 1, 1)
        return dt.date(birth.year, birth.month, 1), following - dt.timedelta(days=1)
    day = dt.date(birth.year, birth.month, birth.day)
    return day, day


def _span_from_age(age: int | None, on: PartialDate) -> tuple[dt.date, dt.date] | None:
    iso = full_date_iso(on)
    if age is None or not 0 <= age <= 110 or iso is None:
        return None
    day = dt.date.fromisoformat(iso)
    return _years_before(day, age + 1) + dt.timedelta(days=1), _years_before(day, age)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
