"""Birth dates as spans of days, for the comparison: how much a partial agreement is worth.

Birth dates are read (partial, unknown, swapped or mangled by Excel) by
:func:`testimonio.partial_dates.parse_birth_date`; what is known stays year, month and day, each
possibly missing. Here a date, narrowed by an age written on a known day, becomes the first and
last day the person can have been born, one record at a time or for whole columns at once.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from testimonio.partial_dates import DatePrecision, PartialDate

__all__ = [
    "birth_interval",
    "birth_interval_days",
    "day_numbers",
    "full_date_iso",
]


def full_date_iso(date: PartialDate) -> str | None:
    """YYYY-MM-DD when the whole date is known, else None (Splink compares full dates)."""
    return date.isoformat() if date.precision == DatePrecision.DAY else None


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
