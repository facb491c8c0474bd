"""Suppression patterns small enough to check by hand."""

from __future__ import annotations

import numpy as np
import pytest

from testimonio.reporting.suppression import (
    TOTAL,
    Dimension,
    EarlierTable,
    SuppressionError,
    Table,
    audit_pattern,
    build_problem,
    suppress_release,
)
from testimonio.reporting.suppression.audit import reader_interval, require_safe

PORT = Dimension.flat("port", ["A", "B"])
TACTIC = Dimension.flat("tactic", ["metering", "threat"])
NATIONALITY = Dimension.flat("nationality", ["HN", "GT"])


def two_by_two(small: int = 2) -> Table:
    counts = {("A", "metering"): small, ("A", "threat"): 10, ("B", "metering"): 8}
    return Table("port_tactic", (PORT, TACTIC), {**counts, ("B", "threat"): 9})


def kinds(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(row["port"], row["tactic"]): row["suppressed"] for row in rows}


def test_a_two_by_two_with_one_small_cell_hides_three_more_and_keeps_the_margins() -> None:
    table = two_by_two()
    release = suppress_release([table], threshold=5)
    hidden = {cell: kind for cell, kind in kinds(release.rows(table)).items() if kind}
    assert hidden == {
        ("A", "metering"): "primary",
        ("A", "threat"): "complementary",
        ("B", "metering"): "complementary",
        ("B", "threat"): "complementary",
    }


def test_the_reader_interval_of_the_small_cell_covers_zero_to_the_threshold() -> None:
    release = suppress_release([two_by_two()], threshold=5)
    small = (("port", "A"), ("tactic", "metering"))
    # The audit keeps the range its believable tables show (enough: 0 to k) ...
    low, high = release.audit.intervals[small]
    assert low <= 0 and high >= 5
    # ... and the reader's exact one: from empty up to the smaller of its row's total (12)
    # and its column's (10).
    exact = reader_interval(release.problem, release.pattern.suppressed, small)
    assert exact == (0.0, 10.0)


def test_published_rows_carry_counts_and_suppressed_rows_an_empty_count() -> None:
    table = two_by_two()
    rows = suppress_release([table], threshold=5).rows(table)
    assert rows[0] == {"port": TOTAL, "tactic": TOTAL, "count": "29", "suppressed": ""}
    assert all(row["count"] == "" for row in rows if row["suppressed"])
    assert len(rows) == 9


def test_only_the_small_cell_hidden_fails_the_audit_and_the_release_is_refused() -> None:
    problem = build_problem([two_by_two()], threshold=5)
    only_primary = np.array(
        [key == (("port", "A"), ("tactic", "metering")) for key in problem.keys]
    )
    report = audit_pattern(problem, only_primary)
    assert not report.passed
    assert report.intervals[(("port", "A"), ("tactic", "metering"))] == (2.0, 2.0)
    with pytest.raises(SuppressionError, match="audit failed"):
        require_safe(report)


def test_a_published_small_cell_fails_the_audit() -> None:
    problem = build_problem([two_by_two()], threshold=5)
    report = audit_pattern(problem, np.zeros(len(problem.keys), dtype=bool))
    assert any("under the threshold and published" in failure for failure in report.failures)


def test_a_port_hidden_in_one_table_is_protected_through_the_linked_table() -> None:
    ports = Table("ports", (PORT,), {("A",): 3, ("B",): 17})
    detail = {("A", "metering"): 3, ("B", "metering"): 8, ("B", "threat"): 9}
    by_tactic = Table("port_tactic", (PORT, TACTIC), detail)
    alone = suppress_release([ports], threshold=5).pattern.suppressed
    linked = build_problem([ports, by_tactic], threshold=5)
    # The ports table's own pattern, with the detail table hiding just its small cell:
    # the detail table's column "metering" then gives port A away.
    naive = np.array(
        [
            key in {(("port", "A"),), (("port", "B"),), (("port", "A"), ("tactic", "metering"))}
            for key in linked.keys
        ]
    )
    assert alone.sum() == 2
    assert not audit_pattern(linked, naive).passed
    release = suppress_release([ports, by_tactic], threshold=5)
    low, high = release.audit.intervals[(("port", "A"),)]
    assert low <= 0 and high >= 5


def test_linked_port_tables_share_one_suppression_of_their_common_margin() -> None:
    by_tactic = Table("port_tactic", (PORT, TACTIC), {("A", "metering"): 4, ("B", "threat"): 30})
    by_nationality = Table(
        "port_nationality", (PORT, NATIONALITY), {("A", "HN"): 4, ("B", "GT"): 30}
    )
    release = suppress_release([by_tactic, by_nationality], threshold=5)
    assert release.status[(("port", "A"),)] == "primary"
    assert {row["suppressed"] for row in release.rows(by_nationality) if row["port"] == "A"} >= {
        "primary"
    }
    assert release.audit.passed


def test_cells_published_earlier_stay_published_and_count_as_known() -> None:
    ports = Table("ports", (PORT,), {("A",): 12, ("B",): 17})
    earlier = EarlierTable(ports, suppressed=frozenset())
    table = two_by_two()
    release = suppress_release([table], threshold=5, earlier=[earlier])
    hidden = {key for key, kind in release.status.items() if kind}
    assert (("port", "A"),) not in hidden and (("port", "B"),) not in hidden
    assert release.audit.passed


def test_a_small_cell_hidden_earlier_stays_protected_now() -> None:
    month = Dimension.flat("month", ["2024-01", "2024-02"])
    earlier_table = Table(
        "port_month",
        (PORT, month),
        {("A", "2024-01"): 2, ("A", "2024-02"): 20, ("B", "2024-01"): 8, ("B", "2024-02"): 9},
    )
    hidden_then = frozenset(
        {("A", "2024-01"), ("A", "2024-02"), ("B", "2024-01"), ("B", "2024-02")}
    )
    release = suppress_release(
        [two_by_two(small=12)], threshold=5, earlier=[EarlierTable(earlier_table, hidden_then)]
    )
    earlier_cell = (("month", "2024-01"), ("port", "A"))
    assert any(p.cells == (earlier_cell,) for p in release.problem.protections)
    low, high = release.audit.intervals[earlier_cell]
    assert low <= 0 and high >= 5


def test_a_small_cell_an_earlier_release_published_cannot_be_released_again() -> None:
    ports = Table("ports", (PORT,), {("A",): 2, ("B",): 17})
    with pytest.raises(SuppressionError, match="earlier release published"):
        suppress_release([ports], threshold=5, earlier=[EarlierTable(ports, frozenset())])


def test_a_group_all_in_one_cell_has_one_of_its_empty_cells_hidden() -> None:
    three = Dimension.flat("tactic", ["metering", "threat", "other"])
    counts = {("A", "other"): 7, ("B", "metering"): 9, ("B", "threat"): 8, ("B", "other"): 6}
    table = Table("port_tactic", (PORT, three), counts)
    release = suppress_release([table], threshold=5)
    row_a = {row["tactic"]: row["suppressed"] for row in release.rows(table) if row["port"] == "A"}
    assert "complementary" in (row_a["metering"], row_a["threat"])
    assert release.audit.passed


def test_a_project_below_the_threshold_everywhere_hides_every_non_zero_cell() -> None:
    table = Table("port_tactic", (PORT, TACTIC), {("A", "metering"): 1, ("B", "threat"): 2})
    release = suppress_release([table], threshold=5)
    published = [row for row in release.rows(table) if not row["suppressed"]]
    assert all(row["count"] == "0" for row in published)
    assert release.status[()] == "primary"


def test_the_same_release_gives_the_same_pattern_whatever_order_the_counts_come_in() -> None:
    table = two_by_two()
    backwards = Table(table.name, table.dimensions, dict(reversed(list(table.counts.items()))))
    first = suppress_release([table], threshold=5).pattern.suppressed
    second = suppress_release([backwards], threshold=5).pattern.suppressed
    assert np.array_equal(first, second)


def test_the_audit_intervals_are_ranges_a_reader_cannot_exclude() -> None:
    ports = Dimension.nested("port", {"North": ["A", "B"], "South": ["C"]})
    counts = {
        ("A", "metering"): 3,
        ("A", "threat"): 11,
        ("B", "metering"): 7,
        ("B", "threat"): 1,
        ("C", "metering"): 9,
        ("C", "threat"): 6,
    }
    by_tactic = Table("port_tactic", (ports, TACTIC), counts)
    by_port = Table("ports", (ports,), {("A",): 14, ("B",): 8, ("C",): 15})
    release = suppress_release([by_tactic, by_port], threshold=5)
    assert release.audit.intervals
    for key, (low, high) in release.audit.intervals.items():
        exact_low, exact_high = reader_interval(release.problem, release.pattern.suppressed, key)
        # What the audit shows is reached by a believable table, so it lies within the exact
        # interval, and it covers what the rule asks (0 to k for a small cell).
        assert exact_low - 1e-6 <= low <= high <= exact_high + 1e-6
        if release.status.get(key) == "primary":
            assert low <= 1e-6 and high >= 5 - 1e-6


def _cells(problem_keys: list[tuple[tuple[str, str], ...]], *names: tuple[str, str]) -> np.ndarray:
    wanted = [(("port", port), ("tactic", tactic)) for port, tactic in names]
    return np.array([problem_keys.index(key) for key in wanted], dtype=np.int64)


CYCLE = (("A", "metering"), ("A", "threat"), ("B", "metering"), ("B", "threat"))


def test_an_offered_table_that_breaks_an_equation_or_moves_a_published_cell_proves_nothing() -> (
    None
):
    problem = build_problem([two_by_two()], threshold=5)
    small = (("port", "A"), ("tactic", "metering"))
    only_primary = np.array([key == small for key in problem.keys])
    breaks_rows = (_cells(problem.keys, ("A", "metering")), np.array([3.0]))
    # A true cycle, but three of its cells are published under this pattern.
    moves_published = (_cells(problem.keys, *CYCLE), np.array([3.0, -3.0, -3.0, 3.0]))
    report = audit_pattern(problem, only_primary, [breaks_rows, moves_published])
    assert not report.passed
    assert report.intervals[small] == (2.0, 2.0)


def test_an_offered_table_with_a_negative_count_does_not_widen_the_interval() -> None:
    problem = build_problem([two_by_two()], threshold=5)
    small = (("port", "A"), ("tactic", "metering"))
    inner = np.array([len(key) == 2 for key in problem.keys])
    below_zero = (_cells(problem.keys, *CYCLE), np.array([-3.0, 3.0, 3.0, -3.0]))
    up_to_k = (_cells(problem.keys, *CYCLE), np.array([3.0, -3.0, -3.0, 3.0]))
    report = audit_pattern(problem, inner, [below_zero, up_to_k])
    assert report.passed
    low, high = report.intervals[small]
    assert low >= 0.0 and high == 5.0


def test_feasible_start_leaves_a_table_a_reader_could_believe() -> None:
    """The dual simplex's first solve ends at a feasible basis (every equation kept, no cell
    below its bound) and hands the primal simplex back, whose optimum is unchanged."""
    from scipy import sparse

    from testimonio.reporting.suppression.highs import equality_program, feasible_start

    # The deviations of a 2 x 2 table whose margins are published: a + b = 0, c + d = 0,
    # a + c = 0, b + d = 0; no count may go below zero.
    block = sparse.csr_array(
        np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]], dtype=np.float64)
    )
    counts = np.array([2.0, 10.0, 8.0, 9.0])
    solver = equality_program(block, -counts, np.zeros(4))
    feasible_start(solver)
    assert solver.getBasis().valid
    values = np.asarray(solver.getSolution().col_value)
    assert np.allclose(block @ values, 0.0)
    assert np.all(values >= -counts - 1e-9)
    assert solver.getOptionValue("simplex_strategy")[1] == 4
    # From there, the reader's largest move of the small cell up: b and c give way (8).
    solver.changeColsCost(4, np.arange(4, dtype=np.int32), np.array([-1.0, 0.0, 0.0, 0.0]))
    solver.run()
    assert -solver.getInfo().objective_function_value == pytest.approx(8.0)
