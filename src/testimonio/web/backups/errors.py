"""The one error a backup or restore raises for something the operator can fix."""

from __future__ import annotations

from testimonio.errors import TestimonioError


class BackupError(TestimonioError):
    """A backup cannot be made or restored as asked (wrong key, non-empty instance, ...)."""
