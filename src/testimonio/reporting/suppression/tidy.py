"""The published tables as tidy rows: what the report writer turns into ``tables/*.csv``.

One row per cell, a column per dimension (``Total`` on margins), ``count`` empty where
suppressed, and ``suppressed`` = ``primary`` (under the threshold), ``complementary`` (hidden
so that the primary cells cannot be worked out) or empty. Anyone can re-add the published
rows and check that nothing hidden can be recovered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from testimonio.errors import InputError
from testimonio.reporting.suppression.tables import CellKey, Table

__all__ = ["column_names", "tidy_rows"]


def tidy_rows(table: Table, status: Mapping[CellKey, str]) -> list[dict[str, str]]:
    """The rows of one table; ``status`` gives each suppressed cell's kind, by key."""
    reserved = {"count", "suppressed"} & {dimension.name for dimension in table.dimensions}
    if reserved:
        raise InputError(f"table {table.name!r}: a dimension cannot be called {sorted(reserved)}")
    counts = table.cells()
    rows = []
    for values, key in table.addresses():
        kind = status.get(key, "")
        row = {
            dimension.name: value for dimension, value in zip(table.dimensions, values, strict=True)
        }
        row["count"] = "" if kind else str(counts[values])
        row["suppressed"] = kind
        rows.append(row)
    return rows


def column_names(table: Table) -> Sequence[str]:
    """The header of the table's CSV."""
    return [*(dimension.name for dimension in table.dimensions), "count", "suppressed"]
