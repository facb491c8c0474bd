"""Dates as sources write them, read into :class:`~testimonio.partial_dates.PartialDate`.

Volunteers type ``25/06/2018`` (Mexico), ``06/25/2018`` (US), ``8/8/19``, ``06-2018``, ``2018``;
Excel stores some as serial numbers (``43276``); and they write months out: ``junio 2018``,
``15 de junio de 2018``, ``June 15, 2018``, ``juin 2018``. The order of day and month is a
property of the source (its mapping profile says ``DMY`` or ``MDY``), never guessed row by row.
Nothing finer than what was written is invented: ``2018`` stays a year and ``junio 2018`` a month.

Written-out months are read by dateparser (month names and their abbreviations in Spanish,
English, French and Portuguese, from its maintained language data) restricted to absolute dates:
``hace dos días`` or ``mañana`` would depend on the day of the import, and a text without a year
(``3 de julio``) would get this year's, so both are refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from testimonio.errors import ValidationError
from testimonio.partial_dates import PartialDate, parse_partial_date

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["DATE_ORDERS", "guess_date_order", "parse_source_date"]

DATE_ORDERS = ("DMY", "MDY", "YMD")
EXPECTED = "a date such as 2018-06-25, 25/06/2018, 06/2018, junio 2018 or 2018"
#: Languages whose month names a source may write (the people and teams of this work).
MONTH_LANGUAGES = ("es", "en", "fr", "pt")
_ISO_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[T ]\d{1,2}:\d{2}")
_THREE = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_SERIAL = re.compile(r"^\d{5}$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
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
    if _SERIAL.match(text) and 20000 <= int(text) <= 80000:
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


def guess_date_order(values: list[str], spanish: bool) -> str:
    """DMY or MDY: a first part over 12 settles it, else the source's language does."""
    firsts, seconds = [], []
    for value in values:
        if (three := _THREE.match(value.strip())) is not None and len(three.group(1)) <= 2:
            firsts.append(int(three.group(1)))
            seconds.append(int(three.group(2)))
    if any(number > 12 for number in firsts):
        return "DMY"
    if any(number > 12 for number in seconds):
        return "MDY"
    return "DMY" if spanish else "MDY"
