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

import numpy as np

from testimonio.partial_dates import DatePrecision, PartialDate

__all__ = [
    "PartialDate",
    "birth_interval",
    "birth_interval_days",
    "day_numbers",
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
    return _parse_text(text, today.year if today else current_year(), month_first)


def current_year() -> int:
    """The calendar year that bounds a birth year and widens a two-digit one (one place, so a
    test can fix it)."""
    return dt.date.today().year  # noqa: DTZ011 - a calendar year, not an instant


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


def day_numbers(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of whole arrays of (valid) year, month and day numbers.

    ``day`` may run past the month's end (day 0 is the last day of the month before): that is
    how month ends are computed without a calendar per row.
    """
    months = (year.astype(np.int64) - 1970) * 12 + (month.astype(np.int64) - 1)
    firsts = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return firsts + day.astype(np.int64) - 1


def _is_leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def _days_years_before(
    year: np.ndarray, month: np.ndarray, day: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """:func:`_years_before` for arrays, as day numbers (29 February becomes the 28th)."""
    target = year - years
    clipped = np.where((month == 2) & (day == 29) & ~_is_leap(target), 28, day)
    return day_numbers(target, month, clipped)


def birth_interval_days(
    birth: tuple[np.ndarray, np.ndarray, np.ndarray],
    age: np.ndarray,
    on: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`birth_interval` for whole columns at once, in days since 1970-01-01.

    ``birth`` and ``on`` are (year, month, day) float arrays with NaN where a part is unknown
    (parts known only in leading order, as :class:`PartialDate` keeps them); ``age`` is a float
    array (NaN unknown; only whole ages from 0 to 110 count). Returns (first, last, known):
    ``first``/``last`` are meaningful only where ``known``. Written once per column instead of
    once per record because a million records made the per-record version a minute long; the
    tests check it gives exactly what :func:`birth_interval` gives.
    """
    year, month, day = birth
    has_year, has_month, has_day = ~np.isnan(year), ~np.isnan(month), ~np.isnan(day)
    y = np.where(has_year, year, 2000).astype(np.int64)
    m = np.where(has_month, month, 1).astype(np.int64)
    d = np.where(has_day, day, 1).astype(np.int64)
    written_first = day_numbers(y, m, d)
    ones = np.ones_like(y)
    month_end = day_numbers(y, m + 1, ones) - 1
    year_end = day_numbers(y + 1, ones, ones) - 1
    written_last = np.where(has_day, written_first, np.where(has_month, month_end, year_end))
    on_year, on_month, on_day = on
    on_full = ~np.isnan(on_year) & ~np.isnan(on_month) & ~np.isnan(on_day)
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(age) & (age == np.floor(age)) & (age >= 0) & (age <= 110)
    by_age = whole & on_full
    oy = np.where(on_full, on_year, 2000).astype(np.int64)
    om = np.where(on_full, on_month, 1).astype(np.int64)
    od = np.where(on_full, on_day, 1).astype(np.int64)
    years = np.where(by_age, age, 0).astype(np.int64)
    age_first = _days_years_before(oy, om, od, years + 1) + 1
    age_last = _days_years_before(oy, om, od, years)
    narrowed_first = np.maximum(written_first, age_first)
    narrowed_last = np.minimum(written_last, age_last)
    narrow = has_year & by_age & ~has_day & (narrowed_first <= narrowed_last)
    first = np.where(has_year, np.where(narrow, narrowed_first, written_first), age_first)
    last = np.where(has_year, np.where(narrow, narrowed_last, written_last), age_last)
    return first, last, has_year | by_age
