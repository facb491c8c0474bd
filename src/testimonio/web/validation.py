"""Turn Django's model validation into Testimonio's errors, for actions called outside forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from testimonio.errors import ValidationError


def clean_or_raise(
    instance: models.Model, *, exclude: list[str] | None = None, validate_unique: bool = True
) -> None:
    """Run ``full_clean``; raise one ValidationError naming the first field at fault.

    ``validate_unique=False`` leaves unique values and constraints to the database (a query
    per unique field saved, for writers that keep their transaction short)."""
    try:
        instance.full_clean(
            exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_unique
        )
    except DjangoValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        column = None if field == "__all__" else field
        raise ValidationError(
            f"{instance._meta.verbose_name}: {' '.join(messages)}", column=column
        ) from None
