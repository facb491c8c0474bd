"""Dates known only in part, and the one place that reads them from what people wrote.

People often remember "June 2018" or only "2017"; recording such a date as the 1st of January
would invent precision a court could be misled by. A :class:`PartialDate` keeps exactly what
is known, and :func:`check_precision` rejects a date finer than the precision it claims.

Dates are read from text here and nowhere else: our own form, and what others wrote under two
policies that answer different questions, side by side so that they stay consistent:

- :func:`parse_partial_date`: our own ISO form (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``).
- :func:`parse_source_date`, for an import: a cell as a source wrote it, in the day/month order
  its mapping profile states (:func:`guess_date_order` proposes one for a whole column); a
  value that is not a possible date is a :class:`~testimonio.errors.ValidationError`, because
  an import must say which cell is wrong.
- :func:`parse_birth_date`, for linkage: a birth date from any form; it never raises (an
  unreadable date is an unknown date, not an error), bounds years by this year, and swaps day
  and month where only one order is possible (:func:`month_first_column` decides the order of
  a column by the majority of values that can only be read one way).

What must always hold: nothing finer than what was written is invented (``2018`` stays a year
and ``junio 2018`` a month), and neither policy guesses a day or month that was not written.

Written-out months are read by dateparser (month names and their abbreviations in Spanish,
English, French and Portuguese, from its maintained language data) restricted to absolute dates:
``hace dos días`` or ``mañana`` would depend on the day of the import, and a text without a year
(``3 de julio``) would get this year's, so both are refused rather than guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from testimonio.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from dateparser.date import DateDataParser

__all__ = [
    "DATE_ORDERS",
    "DatePrecision",
    "PartialDate",
    "birth_date_reader",
    "check_precision",
    "compact_date_column",
    "current_year",
    "date_order_is_ambiguous",
    "guess_date_order",
    "month_first_column",
    "parse_birth_date",
    "parse_partial_date",
    "parse_source_date",
    "serial_date_column",
]

#: Day 0 of Excel's serial dates (both policies decode serial numbers from it).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class DatePrecision(StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PartialDate:
    """A calendar date of which only the leading parts may be known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> DatePrecision:
        if self.day is not None:
            return DatePrecision.DAY
        if self.month is not None:
            return DatePrecision.MONTH
        if self.year is not None:
            return DatePrecision.YEAR
        return DatePrecision.UNKNOWN

    def isoformat(self) -> str:
        """``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or an empty string."""
        parts = [f"{self.year:04d}" if self.year is not None else None]
        parts.append(f"{self.month:02d}" if self.month is not None else None)
        parts.append(f"{self.day:02d}" if self.day is not None else None)
        return "-".join(part for part in parts if part is not None)

    def earliest(self) -> dt.date | None:
        """The first day the date could be (None if nothing is known)."""
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)


_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_partial_date(text: str, *, column: str | None = None) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (empty text means unknown)."""
    text = text.strip()
    if not text:
        return PartialDate()
    match = _ISO_PARTIAL.match(text)
    if match is None:
        raise ValidationError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD", column=column)
    year, month, day = (int(group) if group else None for group in match.groups())
    date = PartialDate(year, month, day)
    _check_calendar(date, column)
    return date


def check_precision(
    date: PartialDate, precision: DatePrecision | str, *, column: str | None = None
) -> None:
    """Reject a date whose known parts do not match the precision it is said to have."""
    stated = DatePrecision(precision)
    if date.precision != stated:
        raise ValidationError(
            f"the date is given to the {date.precision.value} but its precision is "
            f"stated as {stated.value}",
            column=column,
        )
    if date.day is not None and (date.month is None or date.year is None):
        raise ValidationError("a day needs its month and year", column=column)
    if date.month is not None and date.year is None:
        raise ValidationError("a month needs its year", column=column)
    _check_calendar(date, column)


def _check_calendar(date: PartialDate, column: str | None) -> None:
    if date.year is not None and not 1900 <= date.year <= 2100:
        raise ValidationError("the year must be between 1900 and 2100", column=column)
    if date.month is not None and not 1 <= date.month <= 12:
        raise ValidationError("the month must be between 1 and 12", column=column)
    if date.day is not None and date.year is not None and date.month is not None:
        try:
            dt.date(date.year, date.month, date.day)
        except ValueError:
            raise ValidationError("that day does not exist in that month", column=column) from None


# --- Dates in an import: as a source writes them, in the order its profile states -----------
#
# Volunteers type ``25/06/2018`` (Mexico), ``06/25/2018`` (US), ``8/8/19``, ``06-2018``,
# ``2018``; Excel stores some as serial numbers (``43276``); and they write months out:
# ``junio 2018``, ``15 de junio de 2018``, ``June 15, 2018``, ``juin 2018``. The order of day
# and month is a property of the source, never guessed row by row.

DATE_ORDERS = ("DMY", "MDY", "YMD")
EXPECTED = "a date such as 2018-06-25, 25/06/2018, 06/2018, junio 2018 or 2018"
#: Languages whose month names a source may write (the people and teams of this work).
MONTH_LANGUAGES = ("es", "en", "fr", "pt")
_ISO_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[T ]\d{1,2}:\d{2}")
_THREE = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
#: Month and year (both policies read it the same way).
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_SOURCE_SERIAL = re.compile(r"^\d{5}$")
_LETTERS = re.compile(r"[^\W\d_]")


def parse_source_date(text: str, order: str = "DMY", *, column: str | None = None) -> PartialDate:
    """Parse one cell; ValidationError (naming only the column) if it is not a possible date."""
    text = text.strip()
    if timed := _ISO_TIME.match(text):
        text = timed.group(1)
    if (three := _THREE.match(text)) is not None:
        return _from_parts(three.groups(), order, column)
    if (month_year := _MONTH_YEAR.match(text)) is not None:
        return parse_partial_date(f"{month_year.group(2)}-{month_year.group(1)}", column=column)
    if _SOURCE_SERIAL.match(text) and 20000 <= int(text) <= 80000:
        return _from_date(_EXCEL_EPOCH + dt.timedelta(days=int(text)))
    if _LETTERS.search(text):
        if (written := _written_out(text.lower(), order)) is None:
            raise ValidationError(f"expected {EXPECTED}", column=column)
        return written
    try:
        return parse_partial_date(text, column=column)
    except ValidationError:
        raise ValidationError(f"expected {EXPECTED}", column=column) from None


@functools.lru_cache(maxsize=4096)
def _written_out(text: str, order: str) -> PartialDate | None:
    """A date with its month written out, at the precision written; None if not one.

    Cached: a column holds few distinct wordings, and dateparser is slow per call.
    """
    data = _month_name_parser(order).get_date_data(text)
    if data.date_obj is None:
        return None
    value = data.date_obj.date()
    if data.period == "day":
        return PartialDate(value.year, value.month, value.day)
    if data.period == "month":
        return PartialDate(value.year, value.month)
    return PartialDate(value.year)


@functools.cache
def _month_name_parser(order: str) -> DateDataParser:
    # Imported on first use: loading its language data costs a tenth of a second.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=list(MONTH_LANGUAGES),
        settings={
            # Only dates on the calendar, never relative to the day of the import.
            "PARSERS": ["absolute-time"],
            # A year must be written; dateparser would otherwise fill in the current one.
            "REQUIRE_PARTS": ["year"],
            "DATE_ORDER": order if order in DATE_ORDERS else "DMY",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


def _from_parts(parts: tuple[str, ...], order: str, column: str | None) -> PartialDate:
    first, second, third = parts
    if len(first) == 4:
        year, month, day = first, second, third
    elif order == "MDY":
        month, day, year = first, second, third
    else:
        day, month, year = first, second, third
    if len(year) == 2:
        year = f"20{year}" if int(year) <= 30 else f"19{year}"
    if len(year) != 4:
        raise ValidationError(f"expected {EXPECTED}", column=column)
    return parse_partial_date(f"{year}-{int(month):02d}-{int(day):02d}", column=column)


def _from_date(value: dt.date) -> PartialDate:
    return PartialDate(value.year, value.month, value.day)


# --- Birth dates for linkage: any form's way, never an error --------------------------------
#
# A person fleeing may know only the year they were born; a volunteer may write 03/12 meaning
# the 3rd of December or March 12th; a spreadsheet may have turned a date into a serial number
# (31843) or a timestamp.

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
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[ T].*)?$")
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_BIRTH_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")


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
    if match := _BIRTH_SERIAL.match(text):
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


# --- Day or month first: decided for a whole column, never value by value -----------------
#
# One rule for imports and linkage: a slashed date that is a real calendar date in only one
# order (25/06/2018, 06/25/2018) is a vote for that order, and the majority of such votes
# decides. A date impossible in both orders (31/02/2019) is no vote: it is an error on its own
# row, never a reason to re-read the whole column. When the votes tie (no value settles it),
# the caller's fallback decides: an import the source's language (the reviewer confirms it),
# linkage day first.


def date_order_votes(values: Iterable[object]) -> tuple[int, int]:
    """(day first, month first): how many slashed dates are real dates in only that order."""
    day_first = month_first = 0
    for value in values:
        if (match := _DAY_FIRST.match(str(value).strip())) is None:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        # A two-digit year is read as a leap year: 29/02/96 must not be refused for it.
        year = int(match.group(3)) if len(match.group(3)) == 4 else 2000
        as_day_first, as_month_first = _real(year, second, first), _real(year, first, second)
        day_first += as_day_first and not as_month_first
        month_first += as_month_first and not as_day_first
    return day_first, month_first


def date_order_is_ambiguous(values: Iterable[object]) -> bool:
    """Whether a column's slashed dates leave the order open: none (or as many one way as the
    other) is a real date in one order only, and some read as two different days (03/09/2017:
    9 March or 3 September). Then a person must say the order; nothing is guessed."""
    day_first, month_first = date_order_votes(values)
    if day_first or month_first:
        return day_first == month_first
    for value in values:
        match = _DAY_FIRST.match(str(value).strip())
        if match is not None and int(match.group(1)) != int(match.group(2)):
            year = int(match.group(3)) if len(match.group(3)) == 4 else 2000
            first, second = int(match.group(1)), int(match.group(2))
            if _real(year, second, first) and _real(year, first, second):
                return True
    return False


def _real(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def guess_date_order(values: list[str], spanish: bool) -> str:
    """DMY or MDY for an import's column: the majority of dates readable one way only, else
    the source's language (Spanish-speaking sources write the day first)."""
    day_first, month_first = date_order_votes(values)
    if day_first != month_first:
        return "DMY" if day_first > month_first else "MDY"
    return "DMY" if spanish else "MDY"


def month_first_column(values: Iterable[object]) -> bool:
    """Whether a column writes slashed dates month first (03/25/1990, as US forms do).

    The same rule as :func:`guess_date_order`, with day first when nothing settles it.
    """
    day_first, month_first = date_order_votes(values)
    return month_first > day_first


# --- Layouts decided for a whole column: compact dates and Excel serials -------------------
#
# ``19151111`` is a date only if its column writes every date that way: a lone eight-digit
# number could be a document number or a phone. Likewise a four-digit Excel serial (5795 is
# 1915-11-11) is a serial only in a column where numbers cannot all be years.

_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\.0)?$")
#: A serial of four or five digits (1902 to 2173); fewer digits are more likely a two-digit year
#: or an age than a date before 1903.
_NUMBER = re.compile(r"^(\d{4,5})(?:\.0+)?$")


def _written(values: Iterable[object]) -> list[str]:
    texts = (str(value).strip().lower() for value in values if value is not None and value == value)
    return [text for text in texts if text not in _UNKNOWN]


def _compact(text: str, this_year: int) -> PartialDate | None:
    """YYYYMMDD as a full date, or None if it is not a real date from 1900 to this year."""
    if (match := _COMPACT.match(text)) is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1900 <= year <= this_year or not _real(year, month, day):
        return None
    return PartialDate(year, month, day)


def compact_date_column(values: Iterable[object], *, today: dt.date | None = None) -> bool:
    """Whether every written value is a real ``YYYYMMDD`` date (``19151111``)."""
    this_year = today.year if today else current_year()
    written = _written(values)
    return bool(written) and all(_compact(text, this_year) for text in written)


def serial_date_column(values: Iterable[object], *, today: dt.date | None = None) -> bool:
    """Whether a column's plain numbers are Excel serial dates, even those below 10000.

    True when every written value is a whole number of four or five digits and none of them
    could be a birth year (1900 to this year): a column mixing years and serials keeps the
    value-by-value reading of :func:`parse_birth_date` (years as years, five digits as serials).
    """
    this_year = today.year if today else current_year()
    written = _written(values)
    if not written or not all(_NUMBER.match(text) for text in written):
        return False
    return not any(1900 <= int(text.split(".")[0]) <= this_year for text in written)


def birth_date_reader(
    values: Iterable[object], *, today: dt.date | None = None
) -> Callable[[object], PartialDate]:
    """How to read the dates of one column, decided once from all its values.

    Compact ``YYYYMMDD`` if every value is one (:func:`compact_date_column`), Excel serials if
    its numbers cannot be years (:func:`serial_date_column`), else :func:`parse_birth_date`
    with the column's day/month order (:func:`month_first_column`).
    """
    distinct = list(dict.fromkeys(values))
    this_year = today.year if today else current_year()
    if compact_date_column(distinct, today=today):
        return lambda value: _compact(str(value).strip(), this_year) or UNKNOWN_DATE
    if serial_date_column(distinct, today=today):

        def serial(value: object) -> PartialDate:
            text = str(value).strip().lower()
            if text in _UNKNOWN or (match := _NUMBER.match(text)) is None:
                return UNKNOWN_DATE
            return _from_excel_serial(int(match.group(1)), this_year)

        return serial
    month_first = month_first_column(distinct)
    return lambda value: parse_birth_date(value, today=today, month_first=month_first)
