"""A workbook inside the unpack limits is read in bounded memory (issue 13, finding 7).

calamine loads a whole sheet first, each cell a copy of its text, so a small file whose cells
all refer to one long shared string used to expand to gigabytes; large sheets are now streamed
with openpyxl and the text of all cells is budgeted.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from testimonio.errors import InputError
from testimonio.ingest.file_checks import Limits, check_file
from testimonio.ingest.readers import read_bytes, spreadsheet
from testimonio.ingest.tables import Rows


def _shared_string_bomb(path: Path, cells: int, length: int = 32_000) -> None:
    """``cells`` cells that all refer to one shared string of ``length`` characters."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Registro")
    sheet.write_row(0, 0, ["Nombre", "Relato"])
    text = "a" * length
    for row in range(1, cells + 1):
        sheet.write_row(row, 0, ["Ana", text])
    workbook.close()


def test_rows_give_back_the_cells_they_were_given() -> None:
    given = [["a", "b"], ["", ""], [], [""], ["x\x1fy", "z"], ["ñ", "日本"]]
    rows = Rows(given)
    assert list(rows) == given and rows[1:3] == given[1:3] and rows[4] == ["x\x1fy", "z"]
    rows[0] = ["q"]
    del rows[1]
    rows.append(["last"])
    assert rows == [["q"], [], [""], ["x\x1fy", "z"], ["ñ", "日本"], ["last"]]


def _mixed_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Registro"
    sheet.append([])  # an empty first row: the header is row 2
    sheet.append(["No.", "Fecha", "Edad", "Nota"])
    sheet.append([1, dt.date(2018, 6, 25), 34.0, "Sí"])
    sheet.append([])
    sheet.append([2, dt.datetime(2019, 1, 2, 3, 4), 2.5, True])  # noqa: DTZ001 - as Excel keeps it
    sheet.append([3, None, None, "  espacios "])
    workbook.create_sheet("Otra").append(["x"])
    workbook["Otra"].append(["y"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_streamed_workbook_reads_exactly_as_calamine_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _mixed_workbook()
    fast = read_bytes(data, "libro.xlsx")
    monkeypatch.setattr(spreadsheet, "FAST_SHEET_BYTES", 0)  # every sheet is "large"
    streamed = read_bytes(data, "libro.xlsx")
    assert [t.sheet for t in streamed.tables] == [t.sheet for t in fast.tables]
    for mine, theirs in zip(streamed.tables, fast.tables, strict=True):
        assert mine.header == theirs.header
        assert mine.row_numbers == theirs.row_numbers
        assert list(mine.rows) == list(theirs.rows)
    assert fast.tables[0].row_numbers == [3, 5, 6]
    assert fast.tables[0].rows[1][:3] == ["2", "2019-01-02T03:04:00", "2.5"]


@pytest.mark.parametrize("streamed", [False, True])
def test_a_cell_longer_than_excel_allows_is_refused_naming_its_row(
    streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """calamine cuts such a cell to 32,767 characters, openpyxl does not: both refuse it."""
    if streamed:
        monkeypatch.setattr(spreadsheet, "FAST_SHEET_BYTES", 0)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nombre", "Relato"])
    sheet.append(["Ana", "corto"])
    sheet.append(["Luis", "b" * 40_000])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(InputError, match="reaches 32,767 characters") as error:
        read_bytes(out.getvalue(), "libro.xlsx")
    assert error.value.row == 3 and "b" * 10 not in str(error.value)


def test_shared_strings_that_expand_past_the_text_budget_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _shared_string_bomb(path, cells=200, length=10_000)  # 2,000,000 characters of text
    with pytest.raises(InputError, match="more than 1,000,000 characters") as error:
        read_bytes(path.read_bytes(), "bomb.xlsx", limits=Limits(max_cell_text=1_000_000))
    assert "bomb.xlsx [Registro]" in str(error.value)
    # Under the budget, the same file reads.
    table = read_bytes(path.read_bytes(), "bomb.xlsx").tables[0]
    assert len(table.rows) == 200 and len(table.rows[0][1]) == 10_000


def test_a_shared_strings_table_over_its_limit_is_refused_before_unpacking(
    tmp_path: Path,
) -> None:
    path = tmp_path / "many.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for row in range(2000):
        sheet.write_string(row, 0, f"texto distinto {row}")
    workbook.close()
    with pytest.raises(InputError, match="shared strings table unpacks to more than"):
        check_file(path.read_bytes(), "many.xlsx", Limits(max_shared_strings_bytes=2**15))


def test_a_small_shared_string_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """20,000 cells referring to one string of 32,000 characters: 640 million characters from a
    file of a few hundred kilobytes. Read whole, that took over a gigabyte; now the reader
    stops at the budget, in a child process whose peak memory stays under 500 MB."""
    path = tmp_path / "bomb.xlsx"
    _shared_string_bomb(path, cells=20_000)
    assert path.stat().st_size < 2**20
    script = textwrap.dedent(
        """
        import re, sys
        from pathlib import Path
        from testimonio.errors import InputError
        from testimonio.ingest.readers import read_bytes
        try:
            read_bytes(Path(sys.argv[1]).read_bytes(), "bomb.xlsx")
            outcome = "read"
        except InputError as error:
            outcome = error.reason
        # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a large
        # test process would report its parent's size.
        status = Path("/proc/self/status").read_text()
        print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
        print(outcome)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    peak, outcome = done.stdout.splitlines()[-2:]
    assert "more than 64,000,000 characters" in outcome
    assert int(peak) < 500, f"peak {peak} MB"
