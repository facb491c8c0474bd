"""The one shape every reader returns: a table of text cells with its provenance.

Whatever a team sends (a CSV in Windows-1252, an Excel workbook, a KoboToolbox or ODK Central
export), mapping and validation see the same thing: a header, rows of strings, and for each row
the 1-based row number a paralegal would see when opening the file. What must always hold:
``len(rows) == len(row_numbers)`` and every row is as long as the header.

The readers keep rows in :class:`Rows`, one string per row rather than a list of strings: a
sheet of 460,000 rows by 7 columns takes about 60 MB that way instead of about 420 MB as
Python lists (measured in ``benchmarks/import_memory.py``), and every row comes back as the
list of cells it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableSequence
from dataclasses import dataclass, field
from typing import overload

__all__ = ["Rows", "SourceFile", "Table"]

#: Joins a row's cells in :class:`Rows`: the ASCII unit separator, which XML 1.0 (so XLSX)
#: cannot hold; a row whose cells contain it is kept as its list.
_SEPARATOR = "\x1f"


class Rows(MutableSequence[list[str]]):
    """A table's rows, each held as one string of its cells joined (about 50 bytes of
    overhead per row rather than about 60 per cell); indexing gives a fresh list of cells,
    a slice a list of them. A returned row is a copy: to change one, assign it back."""

    def __init__(self, rows: Iterable[list[str]] = ()) -> None:
        self._rows: list[str | list[str]] = []
        self.extend(rows)

    @staticmethod
    def _pack(row: list[str]) -> str | list[str]:
        if any(_SEPARATOR in cell for cell in row):
            return list(row)
        # An empty row and a row of one empty cell must stay apart.
        return _SEPARATOR.join(row) if row else []

    @staticmethod
    def _unpack(packed: str | list[str]) -> list[str]:
        return list(packed) if isinstance(packed, list) else packed.split(_SEPARATOR)

    @overload
    def __getitem__(self, index: int) -> list[str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[list[str]]: ...
    def __getitem__(self, index: int | slice) -> list[str] | list[list[str]]:
        if isinstance(index, slice):
            return [self._unpack(packed) for packed in self._rows[index]]
        return self._unpack(self._rows[index])

    @overload
    def __setitem__(self, index: int, value: list[str]) -> None: ...
    @overload
    def __setitem__(self, index: slice, value: Iterable[list[str]]) -> None: ...
    def __setitem__(self, index: int | slice, value: object) -> None:
        if isinstance(index, slice):
            self._rows[index] = [self._pack(row) for row in value]  # type: ignore[attr-defined]
        else:
            self._rows[index] = self._pack(value)  # type: ignore[arg-type]

    def __delitem__(self, index: int | slice) -> None:
        del self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[list[str]]:
        unpack = self._unpack
        return (unpack(packed) for packed in self._rows)

    def insert(self, index: int, value: list[str]) -> None:
        self._rows.insert(index, self._pack(value))

    def append(self, value: list[str]) -> None:
        self._rows.append(self._pack(value))

    def extend(self, values: Iterable[list[str]]) -> None:
        pack = self._pack
        self._rows.extend(pack(row) for row in values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows)"


@dataclass
class Table:
    """One sheet (or one CSV file): header, text rows and where each row came from."""

    file: str
    sheet: str
    header: list[str]
    rows: MutableSequence[list[str]]  # Rows from the readers; a list will do
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
            yield self.row_numbers[start : start + size], list(self.rows[start : start + size])


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
