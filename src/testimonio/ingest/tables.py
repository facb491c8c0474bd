"""The one shape every reader returns: a table of text cells with its provenance.

Whatever a team sends (a CSV in Windows-1252, an Excel workbook, a KoboToolbox or ODK Central
export), mapping and validation see the same thing: a header, rows of strings, and for each row
the 1-based row number a paralegal would see when opening the file. What must always hold:
``len(rows) == len(row_numbers)`` and every row is as long as the header.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["SourceFile", "Table"]


@dataclass
class Table:
    """One sheet (or one CSV file): header, text rows and where each row came from."""

    file: str
    sheet: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    #: Kobo/ODK select_multiple question -> its one-0/1-column-per-choice columns.
    select_multiple: dict[str, list[str]] = field(default_factory=dict)
    #: For a repeat group: the parent sheet and, per row, the parent's row number.
    parent_sheet: str | None = None
    parent_rows: list[int | None] = field(default_factory=list)
    #: For a main sheet: its repeat groups joined to it, by sheet name (or repeat file stem).
    repeats: dict[str, Table] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def column(self, name: str) -> list[str]:
        """Every value of one column, in row order."""
        index = self.header.index(name)
        return [row[index] for row in self.rows]

    def chunks(self, size: int = 5000) -> Iterator[tuple[list[int], list[list[str]]]]:
        """Rows in batches (with their row numbers), so callers can insert in batches."""
        for start in range(0, len(self.rows), size):
            yield self.row_numbers[start : start + size], self.rows[start : start + size]


@dataclass
class SourceFile:
    """A file as read: its tables and what we detected about it (reported to the user)."""

    name: str
    format: str  # csv, xlsx, xls, kobo, odk
    tables: list[Table]
    encoding: str | None = None
    delimiter: str | None = None

    def table(self, sheet: str | None = None) -> Table:
        """The named sheet, or the first one."""
        if sheet is None:
            return self.tables[0]
        for table in self.tables:
            if table.sheet == sheet:
                return table
        from testimonio.errors import InputError

        names = ", ".join(repr(table.sheet) for table in self.tables)
        raise InputError(f"there is no sheet {sheet!r}; the sheets are {names}", file=self.name)
