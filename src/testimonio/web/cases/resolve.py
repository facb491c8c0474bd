"""Resolve codes given as text (ports, languages, nationalities, terms) to rows, or say why not."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from testimonio.errors import ValidationError
from testimonio.web.cases.models import Project, Term

CodedModel = TypeVar("CodedModel", bound=models.Model)


def resolve_code(model: type[CodedModel], code: str, column: str) -> CodedModel | None:
    """The row of ``model`` with this code; None for an empty code; an error for an unknown one."""
    code = (code or "").strip()
    if not code:
        return None
    row = model._default_manager.filter(code=code).first()
    if row is None:
        raise ValidationError(f"unknown {column} code {code!r}", column=column)
    return row


def resolve_term(project: Project, code: str, column: str) -> Term:
    """The term with this code in the project's vocabulary version."""
    term = Term.objects.filter(version_id=project.vocabulary_id, code=code.strip()).first()
    if term is None:
        raise ValidationError(
            f"{code!r} is not a code of this project's vocabulary ({project.vocabulary})",
            column=column,
        )
    return term
