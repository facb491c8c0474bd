"""Read every sheet of an Excel workbook as text, in bounded memory.

Cells become the text a person would type: whole numbers without ``.0`` (so a year of birth
stays ``1994``, an id ``12`` not ``12.0``), dates as ISO ``YYYY-MM-DD`` (with the time only
when there is one).

Two readers, one result. python-calamine (Rust) reads a 100,000-row sheet about ten times
faster than openpyxl, but it loads a whole sheet into memory first, every cell a copy of its
text: a shared string of 30,000 characters referenced by a million cells becomes 30 GB, and a
199 MB sheet inside the unpack limits took 1.4 GB. So calamine reads only a workbook whose
sheets are small (:data:`FAST_SHEET_BYTES` of XML) and whose shared strings cannot expand past
the text budget; anything larger is streamed row by row with openpyxl's ``read_only`` mode,
which never holds more than a row's cells. Either way the rows are kept compact
(:class:`~testimonio.ingest.tables.Rows`), no cell may be longer than Excel's own limit and the
cells' text together may not pass ``Limits.max_cell_text`` characters (a refusal naming the file,
sheet and row).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from testimonio.errors import InputError
from testimonio.ingest.file_checks import Limits
from testimonio.ingest.tables import Rows, Table

__all__ = ["FAST_SHEET_BYTES", "cell_text", "read_workbook"]

#: Sheets' XML (unpacked) up to which calamine reads the workbook whole: about 150,000 rows of
#: 7 columns; calamine holds them in well under 200 MB.
FAST_SHEET_BYTES = 64 * 2**20
_SHARED_REFERENCE = re.compile(rb'\bt="s"')


def read_workbook(data: bytes, name: str, limits: Limits | None = None) -> list[Table]:
    """One table per non-empty sheet; InputError naming the file if it cannot be read."""
    budget = _Budget(limits or Limits())
    try:
        # A legacy .xls is not a ZIP; its size limit bounds what calamine makes of it.
        if data.startswith(b"PK") and not _small_enough(data, budget.limits):
            tables = _streamed(data, name, budget)
        else:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            tables = [
                _table(workbook.get_sheet_by_name(sheet).iter_rows(), name, sheet, budget)
                for sheet in workbook.sheet_names
            ]
    except (CalamineError, ValueError, OSError, KeyError, zipfile.BadZipFile) as error:
        raise InputError(
            f"the workbook is damaged or truncated and cannot be read ({type(error).__name__})",
            file=name,
        ) from None
    tables = [table for table in tables if table.header]
    if not tables:
        raise InputError("the workbook has no data in any sheet", file=name)
    return tables


def _small_enough(data: bytes, limits: Limits) -> bool:
    """Whether calamine may load this XLSX whole: small sheets, and shared strings that cannot
    expand past the text budget (cells referring to one × the longest shared string)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        sheets = [m for m in members if m.filename.startswith("xl/worksheets/")]
        if sum(member.file_size for member in sheets) > FAST_SHEET_BYTES:
            return False
        strings = [m for m in members if m.filename == "xl/sharedStrings.xml"]
        if not strings:
            return True
        longest = _longest_shared_string(archive.read(strings[0]))
        references = sum(len(_SHARED_REFERENCE.findall(archive.read(member))) for member in sheets)
    return references * longest <= min(limits.max_cell_text, FAST_SHEET_BYTES * 4)


def _longest_shared_string(xml: bytes) -> int:
    """The length in characters of the longest entry of a shared strings table (an upper
    bound: rich-text runs are counted together)."""
    from lxml import etree

    longest = 0
    for _, item in etree.iterparse(io.BytesIO(xml), tag="{*}si", huge_tree=False):
        longest = max(longest, sum(len(text) for text in item.itertext()))
        item.clear()
    return longest


class _Budget:
    """The characters of text the workbook's sheets may still hold, all sheets together."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.left = limits, limits.max_cell_text


def _streamed(data: bytes, name: str, budget: _Budget) -> list[Table]:
    # Imported here: openpyxl takes half a second to load, and most workbooks never need it.
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [
            _table(sheet.iter_rows(values_only=True), name, sheet.title, budget)
            for sheet in workbook.worksheets
            if hasattr(sheet, "iter_rows")  # a chartsheet has no cells
        ]
    finally:
        workbook.close()


def _table(values: Iterable[Iterable[Any]], name: str, sheet: str, budget: _Budget) -> Table:
    """A sheet's rows as text, refused as soon as a cell or the workbook's text is too long."""
    header: list[str] = []
    rows = Rows()
    numbers: list[int] = []
    limits = budget.limits
    for number, row in enumerate(values, start=1):
        # Most cells are text already: take them as they are, without a call each.
        cells = [value if type(value) is str else cell_text(value) for value in row]
        if not any(cells):
            continue
        length = sum(map(len, cells))
        budget.left -= length
        if budget.left < 0 or length >= limits.max_cell_chars:
            _check_text(cells, name, sheet, number, budget)
        if not header:
            header = [cell.strip() for cell in cells]
            continue
        rows.append(cells)
        numbers.append(number)
    return Table(file=name, sheet=sheet, header=header, rows=rows, row_numbers=numbers)


def _check_text(cells: list[str], name: str, sheet: str, number: int, budget: _Budget) -> None:
    """Refuse a row with a cell over Excel's limit, or once the workbook's text is over its
    budget (called only for a row that may be either)."""
    limits, where = budget.limits, f"{name} [{sheet}]"
    for cell in cells:
        if len(cell) >= limits.max_cell_chars:
            # calamine cuts a longer cell to Excel's limit: one that reaches it may have been.
            raise InputError(
                f"a cell of this row reaches {limits.max_cell_chars:,} characters, Excel's "
                "limit (a longer one would be cut short); shorten it or split it",
                file=where,
                row=number,
            )
    if budget.left >= 0:
        return
    raise InputError(
        f"the workbook holds more than {limits.max_cell_text:,} characters of text, more than an "
        "import reads at once; split the file",
        file=where,
        row=number,
    )


def cell_text(value: object) -> str:
    """The text a person would have typed for a cell value (calamine's or openpyxl's)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
