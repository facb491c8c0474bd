"""Changes to a project's settings and sources made from its setup pages. Each is audited.

Settings and source names are not identities, so an event may hold the old and new values
(an auditor can then see what k was when a report was published).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from testimonio.errors import InputError, ValidationError
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project, Record, Source, VocabularyVersion
from testimonio.web.validation import clean_or_raise

#: Smallest publication threshold a project may set: a cell of 1 or 2 people in a public
#: table can point at them (the model accepts 2 for older projects; new settings need 3).
MIN_PUBLICATION_THRESHOLD = 3


def do_update_project_settings(
    project: Project,
    actor: Actor,
    *,
    name: str,
    vocabulary: VocabularyVersion,
    publication_threshold: int,
) -> dict[str, dict[str, Any]]:
    """Change a project's name, vocabulary version and k; returns what changed (old, new).

    The vocabulary may change only while the project has no record: codings and
    vulnerabilities must stay in the project's one version, and records never move version.
    """
    if publication_threshold < MIN_PUBLICATION_THRESHOLD:
        raise ValidationError(
            f"the publication threshold must be at least {MIN_PUBLICATION_THRESHOLD}",
            column="publication_threshold",
        )
    if vocabulary.pk != project.vocabulary_id and has_records(project):
        raise InputError("the vocabulary version cannot change once the project has records")
    wanted = {"name": name, "vocabulary": vocabulary,
              "publication_threshold": publication_threshold}  # fmt: skip
    changes = {
        field: {"old": _shown(getattr(project, field)), "new": _shown(value)}
        for field, value in wanted.items()
        if getattr(project, field) != value
    }
    if not changes:
        return changes
    for field, value in wanted.items():
        setattr(project, field, value)
    clean_or_raise(project)
    with transaction.atomic():
        project.save(update_fields=list(changes))
        record_event(actor, "projects.settings.update", project, project_id=project.pk,
                     details={"changes": changes})  # fmt: skip
    return changes


def has_records(project: Project) -> bool:
    return Record.objects.filter(project=project).exists()


def _shown(value: object) -> object:
    """A value as the audit event keeps it (a vocabulary by its name and number)."""
    return str(value) if isinstance(value, VocabularyVersion) else value


def do_update_source(
    source: Source, actor: Actor, *, name: str, description: str
) -> dict[str, dict[str, str]]:
    """Rename a source or change its description; returns what changed (old, new)."""
    wanted = {"name": name, "description": description}
    changes = {
        field: {"old": getattr(source, field), "new": value}
        for field, value in wanted.items()
        if getattr(source, field) != value
    }
    if not changes:
        return changes
    for field, value in wanted.items():
        setattr(source, field, value)
    clean_or_raise(source)
    with transaction.atomic():
        source.save(update_fields=list(changes))
        record_event(actor, "cases.source.update", source, project_id=source.project_id,
                     details={"changes": changes})  # fmt: skip
    return changes


def do_record_refusal(actor: Actor, project: Project | None, what: str) -> None:
    """Audit that ``actor`` was refused a setup page or action, in its own transaction so
    the refusal stays on record whatever the response."""
    target: Project | str = project if project is not None else "instance"
    with transaction.atomic():
        record_event(actor, "projects.refused", target,
                     project_id=project.pk if project is not None else None,
                     details={"what": what})  # fmt: skip
