"""Dates known only in part: a day, a month, a year, or nothing at all.

People often remember "June 2018" or only "2017"; recording such a date as the 1st of January
would invent precision a court could be misled by. A :class:`PartialDate` keeps exactly what
is known, and :func:`check_precision` rejects a date finer than the precision it claims.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from testimonio.errors import ValidationError

__all__ = ["DatePrecision", "PartialDate", "check_precision", "parse_partial_date"]


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
