"""Create projects and their sources."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify

from testimonio.errors import ValidationError
from testimonio.web.accounts.models import Membership, Role
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project, Source, VocabularyVersion
from testimonio.web.cases.models.project import SourceKind
from testimonio.web.validation import clean_or_raise


def do_create_project(
    name: str,
    vocabulary: VocabularyVersion,
    actor: Actor,
    *,
    slug: str = "",
    publication_threshold: int = 5,
) -> Project:
    """Create a project on a vocabulary version; its creator (if a user) becomes its admin."""
    project = Project(
        name=name,
        slug=slug or slugify(name)[:64],
        vocabulary=vocabulary,
        publication_threshold=publication_threshold,
    )
    clean_or_raise(project)
    with transaction.atomic():
        project.save()
        record_event(
            actor,
            "cases.project.create",
            project,
            project_id=project.pk,
            details={"vocabulary": str(vocabulary), "k": publication_threshold},
        )
        if isinstance(actor, User):
            membership = Membership.objects.create(user=actor, project=project, role=Role.ADMIN)
            record_event(
                actor,
                "accounts.membership.create",
                membership,
                project_id=project.pk,
                details={"role": Role.ADMIN.value, "user_id": actor.pk},
            )
    return project


def do_create_source(
    project: Project,
    name: str,
    actor: Actor,
    *,
    kind: str = SourceKind.OTHER,
    description: str = "",
) -> Source:
    """Add a documentation source (a list) to a project."""
    if kind not in SourceKind.values:
        raise ValidationError(
            f"unknown source kind {kind!r}; use one of {', '.join(SourceKind.values)}",
            column="kind",
        )
    source = Source(project=project, name=name, kind=kind, description=description)
    clean_or_raise(source)
    with transaction.atomic():
        source.save()
        record_event(
            actor,
            "cases.source.create",
            source,
            project_id=project.pk,
            details={"name": name, "kind": kind},
        )
    return source
