"""Standard records are exactly what they were before preparation was made column-wise.

``data/prepare_*.parquet`` are the raw tables of a few thousand records of a simulated world
(invented people only: ``benchmarks/linkage_accuracy_speed.py``'s world, seed 5, a random
subset of its people), and ``data/prepare_expected.parquet`` the standard table the per-record
implementation built from them, saved before the column-wise one replaced it. Any change to
what preparation outputs, intended or not, shows here; an intended one regenerates the file
and says why in the commit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from testimonio.linkage import prepare_tables
from testimonio.linkage.dates import birth_interval, birth_interval_days
from testimonio.partial_dates import PartialDate

DATA = Path(__file__).parent / "data"
SOURCES = ("declarations", "legal_aid", "partner_spreadsheet", "shelter_survey")


def _plain(value: Any) -> Any:
    """A cell as plain Python: lists for list cells, None for every kind of missing value."""
    if isinstance(value, list | tuple | np.ndarray):
        return [str(item) for item in value]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _rows(frame: pd.DataFrame) -> dict[str, list[Any]]:
    return {column: [_plain(value) for value in frame[column]] for column in frame.columns}


def test_preparation_gives_the_standard_tables_saved_before_it_was_vectorised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The saved table was built in 2026: "27" was 1927 then and 2027 is not yet a birth year.
    monkeypatch.setattr("testimonio.partial_dates.current_year", lambda: 2026)
    tables = {source: pd.read_parquet(DATA / f"prepare_{source}.parquet") for source in SOURCES}
    expected = pd.read_parquet(DATA / "prepare_expected.parquet")

    prepared = prepare_tables(tables)

    assert len(prepared) == len(expected) > 4000
    assert list(prepared.columns) == list(expected.columns)
    got, want = _rows(prepared), _rows(expected)
    for column in expected.columns:
        assert got[column] == want[column], column


def _date_array(dates: list[PartialDate]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def part(values: list[int | None]) -> np.ndarray:
        return np.array([np.nan if value is None else value for value in values], dtype=float)

    return (
        part([date.year for date in dates]),
        part([date.month for date in dates]),
        part([date.day for date in dates]),
    )


def test_column_wise_birth_spans_equal_the_per_record_ones_on_every_kind_of_input() -> None:
    births = [
        PartialDate(),
        PartialDate(1988),
        PartialDate(2000),
        PartialDate(1987, 2),
        PartialDate(1990, 12),
        PartialDate(2000, 2, 29),
        PartialDate(1985, 7, 14),
    ]
    ages: list[float | None] = [None, 0, 1, 17, 30, 30.5, 110, 111, -1]
    on = [PartialDate(), PartialDate(2018), PartialDate(2018, 5), PartialDate(2018, 5, 1),
          PartialDate(2016, 2, 29), PartialDate(2019, 12, 31), PartialDate(2020, 1, 1)]  # fmt: skip
    cases = list(itertools.product(births, ages, on))

    first, last, known = birth_interval_days(
        _date_array([case[0] for case in cases]),
        np.array([np.nan if case[1] is None else case[1] for case in cases], dtype=float),
        _date_array([case[2] for case in cases]),
    )

    epoch = dt.date(1970, 1, 1)
    for index, (birth, age, taken) in enumerate(cases):
        whole = int(age) if age is not None and float(age).is_integer() else None
        span = birth_interval(birth, whole, taken)
        got = (int(first[index]), int(last[index])) if known[index] else None
        want = None if span is None else ((span[0] - epoch).days, (span[1] - epoch).days)
        assert got == want, (birth, age, taken)
