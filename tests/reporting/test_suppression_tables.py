"""The table model: margins summed from the finest cells, equations, links between tables."""

from __future__ import annotations

import pytest

from testimonio.errors import InputError
from testimonio.reporting.suppression import (
    TOTAL,
    Constraint,
    Dimension,
    Table,
    cell_key,
    linear_constraints,
)
from testimonio.reporting.suppression.tables import release_counts

PLACE = Dimension.nested("port", {"North": ["A", "B"], "South": ["C"]})
TACTIC = Dimension.flat("tactic", ["metering", "threat"])
NATIONALITY = Dimension.flat("nationality", ["HN", "GT"])


def port_by_tactic() -> Table:
    counts = {("A", "metering"): 4, ("B", "metering"): 6, ("B", "threat"): 1, ("C", "threat"): 9}
    return Table("port_tactic", (PLACE, TACTIC), counts)


def test_margins_are_summed_from_the_finest_cells_up_the_hierarchy() -> None:
    cells = port_by_tactic().cells()
    assert cells[("North", "metering")] == 10
    assert cells[("North", TOTAL)] == 11
    assert cells[(TOTAL, "threat")] == 10
    assert cells[(TOTAL, TOTAL)] == 20
    assert cells[("C", "metering")] == 0


def test_a_hierarchy_lists_each_group_before_its_members() -> None:
    assert PLACE.values() == [TOTAL, "North", "A", "B", "South", "C"]


def test_a_region_equals_the_sum_of_its_ports_and_the_total_the_sum_of_regions() -> None:
    found = linear_constraints([Table("ports", (PLACE,), {("A",): 1})])
    assert Constraint((("port", "North"),), ((("port", "A"),), (("port", "B"),))) in found
    assert Constraint((), ((("port", "North"),), (("port", "South"),))) in found
    assert Constraint((("port", "South"),), ((("port", "C"),),)) in found
    assert len(found) == 3


def test_a_two_way_table_has_an_equation_per_row_column_and_margin() -> None:
    table = Table("t", (Dimension.flat("a", ["1", "2"]), Dimension.flat("b", ["x", "y", "z"])), {})
    # 3 + Total columns summed over a, 2 + Total rows summed over b.
    assert len(linear_constraints([table])) == 4 + 3


def test_linked_tables_share_the_margin_cell_they_have_in_common() -> None:
    by_nationality = Table("port_nationality", (PLACE, NATIONALITY), {("A", "HN"): 4})
    port_a = cell_key(port_by_tactic().dimensions, ("A", TOTAL))
    assert port_a == cell_key(by_nationality.dimensions, ("A", TOTAL)) == (("port", "A"),)


def test_linked_tables_that_count_different_people_are_refused() -> None:
    by_nationality = Table("port_nationality", (PLACE, NATIONALITY), {("A", "HN"): 5})
    with pytest.raises(InputError, match="shared with another table"):
        release_counts([port_by_tactic(), by_nationality])


def test_a_count_given_for_a_margin_is_refused() -> None:
    with pytest.raises(InputError, match="finest values"):
        Table("t", (PLACE,), {("North",): 3}).cells()


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(InputError, match="count >= 0"):
        Table("t", (PLACE,), {("A",): -1}).cells()


def test_a_value_twice_in_a_hierarchy_is_refused() -> None:
    with pytest.raises(InputError, match="appears twice"):
        Dimension.nested("port", {"North": ["A"], "South": ["A"]})
