"""Read any file a team brings into :class:`~testimonio.ingest.tables.Table` objects.

The file is judged by its bytes first (:func:`testimonio.ingest.file_checks.check_file`: size
limit, real type, zip bombs), then read as delimited text or as a workbook, then recognised as a
KoboToolbox or ODK Central export and tidied (:mod:`.forms`). A ZIP is read only when it is ODK
Central's export of a form (:mod:`.odk_zip`): the form's CSV and its repeat files, exactly as
when they sit side by side on disk. Every refusal is one :class:`~testimonio.errors.InputError`
naming the file, and the row where there is one.
"""

from __future__ import annotations

import glob
from pathlib import Path

from testimonio.errors import InputError
from testimonio.ingest.file_checks import Limits, check_file
from testimonio.ingest.readers.forms import (
    detect_form_format,
    link_repeat,
    prepare_form_table,
    skip_hxl_row,
)
from testimonio.ingest.readers.odk_zip import find_odk_export
from testimonio.ingest.readers.spreadsheet import read_workbook
from testimonio.ingest.readers.text import decode_text, detect_delimiter, read_delimited
from testimonio.ingest.tables import Rows, SourceFile, Table

__all__ = ["link_repeat", "read_bytes", "read_path", "skip_hxl_row"]

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def read_path(
    path: Path, *, encoding: str | None = None, limits: Limits | None = None
) -> SourceFile:
    """Read a file from disk; see :func:`read_bytes`. An ODK Central form's CSV brings the
    repeat files beside it (``<form>-<repeat>.csv``)."""
    if not path.is_file():
        raise InputError("file not found", file=path.name)
    limits = limits or Limits()
    if path.stat().st_size > limits.max_bytes:  # refuse before reading it into memory
        raise InputError(f"the file is larger than {limits.max_bytes // 2**20} MB", file=path.name)
    data = path.read_bytes()
    kind = _file_kind(data, path.name, limits)
    source = _read_kind(kind, data, path.name, encoding, limits)
    if kind == "csv" and source.format == "odk":
        siblings = sorted(path.parent.glob(f"{glob.escape(path.stem)}-*.csv"))
        for sibling in siblings:
            if sibling.stat().st_size > limits.max_bytes:
                raise InputError(
                    f"the file is larger than {limits.max_bytes // 2**20} MB", file=sibling.name
                )
            child = read_bytes(sibling.read_bytes(), sibling.name, encoding=encoding, limits=limits)
            _attach_repeat_file(source, child, sibling.stem)
    return source


def read_bytes(
    data: bytes, name: str, *, encoding: str | None = None, limits: Limits | None = None
) -> SourceFile:
    """Read a CSV or workbook (plain, KoboToolbox or ODK Central), or ODK Central's ZIP export
    of a form, into tables."""
    limits = limits or Limits()
    return _read_kind(_file_kind(data, name, limits), data, name, encoding, limits)


def _read_kind(
    kind: str, data: bytes, name: str, encoding: str | None, limits: Limits
) -> SourceFile:
    if kind == "zip":
        return _read_odk_zip(data, name, encoding, limits)
    if kind in {"xlsx", "xls"}:
        source = SourceFile(name=name, format=kind, tables=read_workbook(data, name, limits))
    else:
        source = _read_text(data, name, encoding)
    _recognise_forms(source)
    return source


def _read_odk_zip(data: bytes, name: str, encoding: str | None, limits: Limits) -> SourceFile:
    """The form's CSV in the archive, with its repeat CSVs attached as :func:`read_path` does
    for files on disk; the source keeps the archive's name."""

    def read_csv(member: bytes, shown: str) -> SourceFile:
        return _read_kind(_file_kind(member, shown, limits), member, shown, encoding, limits)

    export = find_odk_export(data, name, limits, read_csv)
    source = export.main
    source.name = name
    for stem, child in export.repeats:
        _attach_repeat_file(source, child, stem)
    source.tables[0].notes.extend(export.notes)
    return source


def _attach_repeat_file(source: SourceFile, child: SourceFile, stem: str) -> None:
    """ODK Central exports each repeat group as ``<form>-<repeat>.csv``: file one that joins by
    ``PARENT_KEY`` under the main table's repeats, named by its stem."""
    main = source.tables[0]
    repeat = child.tables[0]
    if "PARENT_KEY" in repeat.header and "KEY" in main.header:
        repeat.sheet = stem
        link_repeat(main, repeat)
        source.tables.append(repeat)


def _file_kind(data: bytes, name: str, limits: Limits) -> str:
    kind = check_file(data, name, limits, zip_archives=True).extension
    if kind in {"csv", "txt"} and not name.lower().endswith(TEXT_SUFFIXES):
        kind = "other text"
    if kind not in {"csv", "txt", "xlsx", "xls", "zip"}:
        raise InputError(
            f"this is a {kind} file, not a table; expected a CSV, an Excel workbook or "
            "ODK Central's ZIP export",
            file=name,
        )
    return kind if kind in {"xlsx", "xls", "zip"} else "csv"


def _read_text(data: bytes, name: str, encoding: str | None) -> SourceFile:
    text, used = decode_text(data, name, encoding)
    if not text.strip():
        raise InputError("the file has no text", file=name)
    delimiter = detect_delimiter(text)
    rows, numbers = read_delimited(text.lstrip("\ufeff"), name, delimiter)
    header = [cell.strip() for cell in rows[0]]
    table = Table(file=name, sheet="", header=header, rows=Rows(), row_numbers=[])
    for position in range(1, len(rows)):  # one row at a time: a slice would unpack them all
        number = numbers[position]
        table.rows.append(_fit(rows[position], len(header), name, number))
        table.row_numbers.append(number)
    del rows
    return SourceFile(name=name, format="csv", tables=[table], encoding=used, delimiter=delimiter)


def _fit(row: list[str], width: int, name: str, number: int) -> list[str]:
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        raise InputError(
            f"this row has {len(row)} cells but the header has {width} columns",
            file=name,
            row=number,
        )
    return (row + [""] * width)[:width]


def _recognise_forms(source: SourceFile) -> None:
    form = detect_form_format(source.tables[0].header)
    if form is None:
        for table in source.tables:
            skip_hxl_row(table)
        return
    source.format = form
    for table in source.tables:
        prepare_form_table(table)
    main = source.tables[0]
    for repeat in source.tables[1:]:
        if "_parent_index" in repeat.header:
            link_repeat(main, repeat)
