"""Bulk inserts: prepared once from the model's own fields, always inside a transaction."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction

from testimonio.web.cases.models import Person, Project
from testimonio.web.db.bulk_insert import RowInserter, reserve_ids


@pytest.mark.django_db
def test_rows_get_the_given_values_and_the_models_defaults(project: Project) -> None:
    with transaction.atomic():
        ids = reserve_ids(Person, 2)
        written = RowInserter(Person, ["id", "project_id", "pseudonym", "uuid"]).insert(
            [(pk, project.pk, f"P-9{n:05d}", uuid.uuid4()) for n, pk in enumerate(ids)]
        )
    assert written == 2
    people = list(Person.objects.filter(pk__in=ids).order_by("pk"))
    assert [p.pseudonym for p in people] == ["P-900000", "P-900001"]
    assert all(not p.legal_hold and p.erased_at is None and p.created_at for p in people)


@pytest.mark.django_db
def test_reserved_ids_are_new_and_in_order(project: Project) -> None:
    with transaction.atomic():
        before = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ids = reserve_ids(Person, 3)
    assert ids == sorted(ids) and len(set(ids)) == 3 and ids[0] > before


def test_inserting_outside_a_transaction_is_refused_before_touching_the_database() -> None:
    # No django_db mark: any query here would fail the test, so the refusal comes first.
    inserter = RowInserter(Person, ["project_id", "pseudonym", "uuid"])
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        inserter.insert([(1, "P-999999", uuid.uuid4())])


def test_a_field_without_a_default_must_be_given() -> None:
    with pytest.raises(TypeError, match="has no default"):
        RowInserter(Person, ["uuid"])  # project has no default
