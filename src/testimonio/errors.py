"""The exception hierarchy of Testimonio: messages a paralegal can act on.

Every error a user can cause by what they give us (a file, an argument, a setting) is a
:class:`TestimonioError`. The command line prints its message on one line and exits with
code 2; the web shows it as a form error. Anything else is a bug and may show a traceback.

Messages never contain identity values (names, birth dates, phone numbers, narratives):
they name the file, row and column and what was expected, not what was found.

::

    TestimonioError
    ├── ConfigurationError      a setting is missing or malformed
    ├── InputError              a file, row or column we were given is wrong
    │   ├── ValidationError     a value breaks a rule of the domain (date precision, port code, ...)
    │   └── VocabularyError     a vocabulary file or code is wrong
    ├── EstimationError         the data cannot support the estimate asked for
    ├── LinkageError            linkage cannot run on what it was given
    ├── PermissionDenied        the user's role does not allow this
    └── StorageError            the disk is full, the database read-only or its connection lost
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "EstimationError",
    "InputError",
    "LinkageError",
    "PermissionDenied",
    "StorageError",
    "TestimonioError",
    "ValidationError",
    "VocabularyError",
]


class TestimonioError(Exception):
    """Base of every error caused by what a user gave us (never a bug)."""


class ConfigurationError(TestimonioError):
    """A setting is missing or malformed; the message says which variable to set."""


class InputError(TestimonioError):
    """Something in a file or argument is wrong; names file, row and column where known."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = message
        super().__init__(self._compose(message))

    def _compose(self, message: str) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {message}" if where else message


class ValidationError(InputError):
    """A value breaks a rule of the domain (a date finer than its precision, an unknown port)."""


class VocabularyError(InputError):
    """A vocabulary file is malformed, or a code is not in the project's vocabulary version."""


class EstimationError(TestimonioError):
    """The capture data cannot support the estimate asked for (too few lists, an empty list)."""


class LinkageError(TestimonioError):
    """Linkage cannot run on the tables given (no identifying columns, unknown mapping)."""


class PermissionDenied(TestimonioError):
    """The user's role in this project does not allow the action."""


class StorageError(TestimonioError):
    """The disk is full, the database is read-only or its connection was lost: the operator's
    to fix, not a bug; the message says that nothing was written and what to do."""
