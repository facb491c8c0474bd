"""Read delimited text files whatever their encoding and delimiter, and say what was found.

Volunteers' CSVs come from Excel on Windows (Windows-1252, ``;`` in Spanish locales), from
Google Sheets (UTF-8), from KoboToolbox (``;``, every value quoted) and sometimes as UTF-16
"Unicode text". We try, in order: a byte-order mark, UTF-16 without one (NUL bytes in every other
position), strict UTF-8, and then a legacy single-byte encoding (charset-normalizer's guess when
it is installed, Windows-1252 otherwise). A file that decodes to control characters is refused:
it is not text, and guessing would turn names into garbage.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from testimonio.errors import InputError
from testimonio.ingest.tables import Rows

__all__ = ["decode_text", "detect_delimiter", "read_delimited"]

DELIMITERS = ",;\t|"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and the encoding it was read in; InputError if it is not text."""
    if encoding is not None:
        return _decode_as(data, name, encoding), encoding
    detected = _detect_encoding(data)
    if detected is None:
        raise InputError(
            "the file is not text in an encoding we can read (UTF-8, UTF-16, Windows-1252); "
            "save it from the spreadsheet as 'CSV UTF-8'",
            file=name,
        )
    text = _decode_as(data, name, detected)
    if _CONTROL.search(text[:65536]):
        raise InputError(
            "the file contains control characters, so it is not a text table; "
            "save it from the spreadsheet as 'CSV UTF-8'",
            file=name,
        )
    return text, detected


def _detect_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy_encoding(data)


def _legacy_encoding(data: bytes) -> str | None:
    try:  # optional: a well-kept detector does better than our single guess when present
        from charset_normalizer import from_bytes  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        from_bytes = None
    if from_bytes is not None:
        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding not in {"utf_8", "ascii"}:
            return str(best.encoding)
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return None


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(f"{encoding!r} is not a known text encoding", file=name) from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"the file is not in {encoding}; save it from the spreadsheet as 'CSV UTF-8' "
            "or say which encoding it uses",
            file=name,
            row=line,
        ) from None


def detect_delimiter(text: str) -> str:
    """``,`` ``;`` tab or ``|``: the standard library's sniffer, then the header's counts."""
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        return max(DELIMITERS, key=header.count)


def read_delimited(text: str, name: str, delimiter: str) -> tuple[Rows, list[int]]:
    """Rows (kept compact, :class:`~testimonio.ingest.tables.Rows`) and each row's 1-based
    line number in the file.

    Strict: an unbalanced quote would otherwise swallow every later row into one cell, so the
    rest of the file (names, birth dates, phones) would be read as one value of a column and
    end up in a mapping proposal. Such a file is refused at the row where the quote opens.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = Rows()
    numbers: list[int] = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                numbers.append(start)
            start = reader.line_num + 1
    except csv.Error:  # its message is not ours to show: say what to fix, never a cell
        raise InputError(
            'the file is not a well-formed table: a quote (") in this row or a later one is '
            "not closed where its cell ends; fix that cell in the spreadsheet and save it again",
            file=name,
            row=start,
        ) from None
    return rows, numbers
