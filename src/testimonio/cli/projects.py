"""The project a command names with ``--project SLUG``: Django set up, the project found, or
one line saying there is none (exit code 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from testimonio.errors import InputError

if TYPE_CHECKING:
    from testimonio.web.cases.models import Project


def project_named(slug: str) -> Project:
    """Set Django up (the commands that need it import it late) and return project ``slug``."""
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.cases.models import Project

    project = Project.objects.select_related("vocabulary").filter(slug=slug).first()
    if project is None:
        raise InputError(f"there is no project {slug!r}", column="--project")
    return project
