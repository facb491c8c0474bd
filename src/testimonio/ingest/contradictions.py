"""Dates of one row that cannot all be true: a birth after the row's encounter or after the
record's own date, an encounter after the interview (intake) at which it was told, an
encounter in the future.

Dates may be partial (a year, a month), so a row is flagged only when the contradiction is
certain: the earliest day the later-claimed date could be falls after the last day the other
could be. Date parsing itself is not ours (:mod:`testimonio.partial_dates`). The errors name the
column and what was expected, never the dates found.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from testimonio.partial_dates import PartialDate

__all__ = ["date_contradictions"]

#: (field that must come first, field that must not come before it, what to say)
ORDERS = (
    ("birth_date", "encounter_date", "the birth date is after the encounter date"),
    ("birth_date", "record_date", "the birth date is after the record's date"),
    ("birth_date", "interview_date", "the birth date is after the interview date"),
    (
        "encounter_date",
        "interview_date",
        "the encounter is after the interview (intake) date at which it was told",
    ),
)
#: Days of slack for "in the future": the file may come from a time zone ahead of ours.
FUTURE_SLACK = dt.timedelta(days=1)
#: Not flagged: an encounter after its record's date. An intake log records past encounters,
#: but a partner's register of attempts (the simulator's registro_intentos) dates the
#: registration and then logs later attempts on it, so it is no contradiction there; flagging
#: it needs the source's kind, a decision left open.


def date_contradictions(
    values: dict[str, object], today: dt.date | None = None
) -> Iterator[tuple[str, str]]:
    """(field, problem) for each certain contradiction among one row's converted dates
    (``today``: the import's date, UTC by default)."""
    encounter = values.get("encounter_date")
    if isinstance(encounter, PartialDate):
        start = encounter.earliest()
        today = today or dt.datetime.now(dt.UTC).date()
        if start is not None and start > today + FUTURE_SLACK:
            yield "encounter_date", "the encounter date is in the future: expected a past date"
    for first, then, problem in ORDERS:
        earlier, later = values.get(first), values.get(then)
        if not isinstance(earlier, PartialDate) or not isinstance(later, PartialDate):
            continue
        start, end = earlier.earliest(), _latest(later)
        if start is not None and end is not None and start > end:
            yield first, f"{problem}: expected it on or before the {then.replace('_', ' ')}"


def _latest(date: PartialDate) -> dt.date | None:
    """The last day the date could be (None if nothing is known)."""
    if date.year is None:
        return None
    month = date.month or 12
    return dt.date(date.year, month, date.day or calendar.monthrange(date.year, month)[1])
