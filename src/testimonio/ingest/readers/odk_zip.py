"""ODK Central's usual download: a ZIP of the form's CSV and one CSV per repeat group.

The archive holds ``<form>.csv`` (one row per submission), ``<form>-<repeat>.csv`` for each
repeat group (joined by ``PARENT_KEY`` to ``KEY``) and, when submissions have attachments, a
``media/`` folder. We recognise it by what it holds, not by its name: exactly one CSV with ODK
Central's metadata columns (``KEY``, ``meta-instanceID``, ``SubmissionDate``) and no
``PARENT_KEY`` is the form's file. Its repeat files are then read exactly as when they sit beside
the form's CSV on disk, so a profile written for one works for the other. Attachments (photos,
audio, signatures) are not imported: the main table's notes say how many were left out.

The archive has already passed :func:`testimonio.ingest.file_checks.check_file` (size, ratio,
member count, nesting); each member is unpacked by
:func:`~testimonio.ingest.file_checks.read_member`, which refuses an archive inside.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from testimonio.errors import InputError
from testimonio.ingest.file_checks import Limits, open_archive, read_member
from testimonio.ingest.tables import SourceFile

__all__ = ["OdkExport", "find_odk_export"]

#: Reads one CSV member's bytes (its shown name second) as the readers read any CSV.
ReadCsv = Callable[[bytes, str], SourceFile]

NOT_AN_EXPORT = (
    "this ZIP archive is not an ODK Central export (no CSV file in it has ODK Central's KEY, "
    "meta-instanceID or SubmissionDate columns); accepted: a CSV, an Excel workbook, or the "
    "ZIP that ODK Central downloads"
)
#: Columns every ODK Central form CSV has (the brief's test of "is this an ODK export").
ODK_MAIN_MARKERS = ("KEY", "meta-instanceID", "SubmissionDate")


@dataclass
class OdkExport:
    """The form's file and its repeat files (stem, as read), not yet joined."""

    main: SourceFile
    repeats: list[tuple[str, SourceFile]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Member:
    path: PurePosixPath
    shown: str
    data: bytes
    read: SourceFile | None = None
    error: InputError | None = None


def find_odk_export(data: bytes, name: str, limits: Limits, read_csv: ReadCsv) -> OdkExport:
    """The export's main CSV (read) and its repeat files; InputError if it is not one."""
    archive = open_archive(data, name)
    members, media, others = _sort_members(archive, name, limits)
    for member in members:
        try:
            member.read = read_csv(member.data, member.shown)
        except InputError as error:  # judged below: it matters only if it is the form's
            member.error = error
    main, form = _main_member(members, name)
    stem = main.path.stem
    repeats, unrelated = [], []
    for member in sorted(members, key=lambda item: item.path.name):  # as a folder lists them
        if member is main:
            continue
        if member.path.parent == main.path.parent and member.path.stem.startswith(f"{stem}-"):
            if member.read is None:
                raise member.error or InputError("the file could not be read", file=member.shown)
            repeats.append((member.path.stem, member.read))
        else:
            unrelated.append(member)
    export = OdkExport(main=form, repeats=repeats)
    if media:
        export.notes.append(
            f"left out the {media} file(s) in the export's media/ folder: attachments "
            "(photos, audio, signatures) are not imported"
        )
    if unrelated or others:
        export.notes.append(
            f"left out {len(unrelated) + others} other file(s) of the archive that are not "
            "this form's CSV files"
        )
    return export


def _sort_members(
    archive: zipfile.ZipFile, name: str, limits: Limits
) -> tuple[list[_Member], int, int]:
    """The CSV members (unpacked), and how many media and other files were left packed."""
    members: list[_Member] = []
    media = others = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        path = PurePosixPath(info.filename)
        if "media" in path.parts[:-1]:  # attachments: left packed (names checked for nesting)
            media += 1
            continue
        if path.parts[0] == "__MACOSX" or path.name.startswith("."):  # a Mac's re-zipping
            others += 1
            continue
        if path.suffix.lower() != ".csv":  # left packed; a look at its first bytes refuses an
            read_member(archive, info, name, limits, head=4096)  # archive, whatever its name
            others += 1
            continue
        shown = f"{name}/{info.filename}"  # CSVs are named after the form: shown in errors
        members.append(_Member(path, shown, read_member(archive, info, shown, limits)))
    return members, media, others


def _main_member(members: list[_Member], name: str) -> tuple[_Member, SourceFile]:
    """The one ODK CSV without ``PARENT_KEY``: the form's file."""
    forms = [(m, m.read) for m in members if m.read is not None and m.read.format == "odk"]
    mains = [(m, read) for m, read in forms if "PARENT_KEY" not in read.tables[0].header]
    if len(mains) == 1:
        return mains[0]
    if len(mains) > 1:
        files = ", ".join(str(m.path) for m, _ in mains)
        raise InputError(
            f"this ZIP archive holds more than one form ({files}); upload one form's export "
            "at a time",
            file=name,
        )
    if forms:
        raise InputError(
            "this ZIP archive holds ODK Central repeat files but not the form's own CSV "
            "(the one without PARENT_KEY); download the form's export again",
            file=name,
        )
    for member in members:  # the form's file is there but unreadable: say why, not "not ODK"
        if member.error is not None and _header_names_odk(member.data):
            raise member.error
    raise InputError(NOT_AN_EXPORT, file=name)


def _header_names_odk(data: bytes) -> bool:
    """Whether a CSV's first line names ODK Central's metadata, however it is encoded."""
    first = data[:65536].split(b"\n", 1)[0].replace(b"\x00", b"").decode("latin-1")
    return any(marker in first for marker in ODK_MAIN_MARKERS)
