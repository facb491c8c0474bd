"""Office files (DOCX, XLSX) with fixed ZIP timestamps, so the same content gives the same bytes.

python-docx and openpyxl stamp every ZIP member with the time of writing; a packet whose
SHA-256 goes into the audit chain must not depend on when it was made. Members are rewritten
in their order, with one fixed date and fixed permissions.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

__all__ = ["fix_zip_timestamps"]


def fix_zip_timestamps(path: Path, when: dt.datetime) -> None:
    """Rewrite the ZIP at ``path`` with every member dated ``when`` (ZIP dates start in 1980)."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member.filename))
    path.write_bytes(buffer.getvalue())
