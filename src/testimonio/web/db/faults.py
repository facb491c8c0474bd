"""Storage faults (a full disk, a read-only database, a lost connection) as one clear line.

Why: these are not bugs and not bad input, but the operator's to fix, and the person at the
keyboard needs to know two things at once: that nothing was half-written (every write runs in
one transaction, which the database rolls back whole when it fails: SQLite's journal, or
PostgreSQL's aborted transaction), and what to do next. A traceback tells them neither.

The database's own message is never shown: PostgreSQL's may quote a row's values. The fault is
recognised by its type, its SQLSTATE or SQLite's fixed wording, and described in our words.
Nothing here imports Django at module level, so the command line can ask cheaply.
"""

from __future__ import annotations

import errno
import sqlite3
import sys

from testimonio.errors import StorageError

__all__ = ["storage_fault"]

FULL = (
    "the disk holding the database or the documents is full; nothing was written (the change "
    "was rolled back whole). Free space, then do it again"
)
READ_ONLY = (
    "the database is read-only (file permissions, or a disk mounted read-only); nothing was "
    "written. Make the database file and its folder writable by this user, then do it again"
)
LOST = (
    "the connection to the database was lost; nothing was written (the change was rolled "
    "back whole). Check that the database server is running, then do it again"
)
CANNOT_OPEN = (
    "the database file cannot be opened for writing (a read-only file or disk, a missing "
    "folder or the wrong owner); nothing was written. Make the database file and its folder "
    "writable by this user, then do it again"
)
IO_ERROR = (
    "the disk reported an input/output error; nothing was written. Check the disk (dmesg, "
    "smartctl) and the database (PRAGMA integrity_check, or restore the last backup)"
)

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY_ERRNOS = {errno.EROFS}
#: SQLite's fixed messages (sqlite3_errstr), which hold no values.
_SQLITE = {
    "database or disk is full": FULL,
    "attempt to write a readonly database": READ_ONLY,
    "disk i/o error": IO_ERROR,
    "unable to open database file": CANNOT_OPEN,
}
#: PostgreSQL SQLSTATEs: disk full and out of resources (class 53), the server shutting
#: down or a backend terminated (57P01-57P03), connection failures (class 08).
_SQLSTATE_PREFIXES = {"53": FULL, "57P0": LOST, "08": LOST, "25006": READ_ONLY}


def storage_fault(error: BaseException) -> StorageError | None:
    """The :class:`StorageError` that ``error`` (or what it was raised from) stands for, or
    None when it is not a storage fault (a bug keeps its traceback)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        message = _describe(current)
        if message is not None:
            return StorageError(message)
        current = current.__cause__ or current.__context__
    return None


def _describe(error: BaseException) -> str | None:
    if isinstance(error, OSError) and not isinstance(error, ConnectionError):
        if error.errno in _FULL_ERRNOS:
            return FULL
        if error.errno in _READ_ONLY_ERRNOS:
            return READ_ONLY
        return None
    if isinstance(error, sqlite3.Error):
        text = str(error).lower()
        return next((message for key, message in _SQLITE.items() if key in text), None)
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str):
        for prefix, message in _SQLSTATE_PREFIXES.items():
            if sqlstate.startswith(prefix):
                return message
    return _lost_connection(error)


def _lost_connection(error: BaseException) -> str | None:
    """psycopg's errors for a connection that is gone carry no SQLSTATE; Django's
    InterfaceError says a connection was already closed."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        if isinstance(error, psycopg.OperationalError) and error.sqlstate is None:
            return LOST
        if isinstance(error, psycopg.InterfaceError):
            return LOST
    django_db = sys.modules.get("django.db.utils")
    if django_db is not None and isinstance(error, django_db.InterfaceError):
        return LOST
    return None
