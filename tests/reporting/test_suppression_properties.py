"""Properties over random releases of hierarchical and linked tables (hypothesis).

Each release counts one synthetic population (port within region, tactic, month within
year) in two or three tables that share margins. Whatever the counts: no small cell is
published, and a reader who solves linear programs over the published rows (scipy's own
interface to HiGHS here, not the audit's code) cannot narrow any small cell below [0, k].
Marked slow (about a minute on a loaded machine): `make test` runs them.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from testimonio.reporting.suppression import (
    Dimension,
    SuppressedRelease,
    Table,
    linear_constraints,
    suppress_release,
)

PLACE = Dimension.nested("port", {"North": ["A", "B"], "South": ["C", "D"]})
TACTIC = Dimension.flat("tactic", ["metering", "threat", "other"])
MONTH = Dimension.nested("month", {"2023": ["2023-11", "2023-12"], "2024": ["2024-01"]})
LEAVES = {"port": ["A", "B", "C", "D"], "tactic": ["metering", "threat", "other"]}
LAYOUTS = [(PLACE, TACTIC), (PLACE, MONTH), (TACTIC, MONTH), (PLACE,), (TACTIC,)]

people = st.lists(
    st.tuples(
        st.sampled_from(LEAVES["port"]),
        st.sampled_from(LEAVES["tactic"]),
        st.sampled_from(["2023-11", "2023-12", "2024-01"]),
    ),
    max_size=40,
)
layouts = st.lists(st.sampled_from(range(len(LAYOUTS))), min_size=1, max_size=3, unique=True)


def count_tables(population: list[tuple[str, str, str]], chosen: list[int]) -> list[Table]:
    """Each chosen layout counted from the same people, so linked margins agree."""
    column = {"port": 0, "tactic": 1, "month": 2}
    tables = []
    for number in chosen:
        dimensions = LAYOUTS[number]
        counts = Counter(tuple(person[column[d.name]] for d in dimensions) for person in population)
        tables.append(Table(f"table_{number}", dimensions, dict(counts)))
    return tables


def reader_interval(
    release: SuppressedRelease, cell: tuple[tuple[str, str], ...]
) -> tuple[float, float]:
    """What a reader can prove about ``cell`` from the published rows and the equations."""
    published: dict[tuple[tuple[str, str], ...], int] = {}
    hidden: set[tuple[tuple[str, str], ...]] = set()
    for table in release.tables:
        for (_, key), row in zip(table.addresses(), release.rows(table), strict=True):
            if row["suppressed"]:
                hidden.add(key)
            else:
                published[key] = int(row["count"])
    unknown = sorted(hidden)
    where = {key: number for number, key in enumerate(unknown)}
    rows, right = [], []
    for constraint in linear_constraints(release.tables):
        terms = [(constraint.margin, 1.0), *((part, -1.0) for part in constraint.parts)]
        coefficients = np.zeros(len(unknown))
        constant = 0.0
        for key, sign in terms:
            if key in where:
                coefficients[where[key]] += sign
            else:
                constant += sign * published[key]
        if coefficients.any():
            rows.append(coefficients)
            right.append(-constant)
    objective = np.zeros(len(unknown))
    objective[where[cell]] = 1.0
    bounds = dict(A_eq=np.array(rows), b_eq=np.array(right), bounds=(0, None), method="highs")
    lowest = linprog(objective, **bounds)
    highest = linprog(-objective, **bounds)
    assert lowest.status == 0
    return lowest.fun, (np.inf if highest.status == 3 else -highest.fun)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people, layouts, st.integers(min_value=2, max_value=5))
def test_no_small_cell_is_published_and_the_audit_passes(
    population: list[tuple[str, str, str]], chosen: list[int], threshold: int
) -> None:
    tables = count_tables(population, chosen)
    release = suppress_release(tables, threshold)
    for table in tables:
        for row in release.rows(table):
            assert row["suppressed"] or not 0 < int(row["count"]) < threshold
    assert release.audit.passed


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people, layouts, st.integers(min_value=2, max_value=5))
def test_a_reader_cannot_narrow_any_small_cell_below_zero_to_the_threshold(
    population: list[tuple[str, str, str]], chosen: list[int], threshold: int
) -> None:
    release = suppress_release(count_tables(population, chosen), threshold)
    for key, kind in release.status.items():
        if kind == "primary":
            lowest, highest = reader_interval(release, key)
            assert lowest <= 1e-6
            assert highest >= threshold - 1e-6


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people, layouts, st.integers(min_value=2, max_value=5))
def test_the_same_release_always_gives_the_same_pattern(
    population: list[tuple[str, str, str]], chosen: list[int], threshold: int
) -> None:
    first = suppress_release(count_tables(population, chosen), threshold)
    second = suppress_release(count_tables(list(reversed(population)), chosen), threshold)
    assert first.status == second.status
