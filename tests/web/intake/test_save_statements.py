"""The save's write transaction stays short: its statements are counted and guarded.

Why: a save holds the project's row and the audit chain's head (on SQLite the database's
write lock) from its first write to its commit, so every other save waits that long. It ran
~97 statements (134 here, with the test's savepoints) before the rows were built ahead of it.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testimonio.web.audit.log import verify_chain
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Coding, Encounter, Project
from testimonio.web.intake.actions import do_record_testimony
from tests.web.intake.testimonies import sample_testimony

pytestmark = pytest.mark.django_db

#: Statements of the second testimony of a project (person, child, two encounters, two
#: codings each) from the lock of the project's row to the end: lock, pseudonyms, a bulk
#: insert per table, the drafts, the chain's head (read, ids, update) and the savepoint's
#: release. The events' one insert is seen only on SQLite (on PostgreSQL it is a prepared
#: statement the capture does not see).
WRITE_STATEMENTS = 15
#: Every statement of the save, the reads before the transaction included.
ALL_STATEMENTS = 23


def _events_insert() -> int:
    return 1 if connection.vendor == "sqlite" else 0


def _lock_onwards(sql: list[str]) -> list[str]:
    first = next(
        n for n, text in enumerate(sql) if text.startswith('SELECT 1 AS "a" FROM "cases_project"')
    )
    return sql[first:]


def test_the_save_writes_in_a_few_statements_whatever_its_size(
    project: Project, intake_officer: User
) -> None:
    do_record_testimony(project, sample_testimony(), intake_officer)
    with CaptureQueriesContext(connection) as queries:
        do_record_testimony(project, sample_testimony(), intake_officer)
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == ALL_STATEMENTS + _events_insert()
    assert len(_lock_onwards(sql)) == WRITE_STATEMENTS + _events_insert()


def test_more_encounters_add_no_statement_to_the_write(
    project: Project, intake_officer: User
) -> None:
    do_record_testimony(project, sample_testimony(), intake_officer)
    testimony = sample_testimony()
    many = tuple(
        dataclasses.replace(testimony.encounters[0], attempt_number=n) for n in range(1, 7)
    )
    child = dataclasses.replace(testimony.family[0], shared_encounters=True)
    with CaptureQueriesContext(connection) as queries:
        intake = do_record_testimony(
            project, sample_testimony(encounters=many, family=(child,)), intake_officer
        )
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(_lock_onwards(sql)) == WRITE_STATEMENTS + _events_insert()
    assert Encounter.objects.filter(person=intake.person).count() == 6
    assert Coding.objects.filter(encounter__person=intake.person).count() == 12


def test_the_audit_chain_verifies_after_bulk_saves_with_one_event_per_row(
    project: Project, intake_officer: User
) -> None:
    for _ in range(3):
        do_record_testimony(project, sample_testimony(), intake_officer)
    assert verify_chain() == []
    counts = {
        action: AuditEvent.objects.filter(action=action).count()
        for action in ("cases.person.create", "cases.record.create", "cases.encounter.create")
    }
    assert counts == {
        "cases.person.create": 6,
        "cases.record.create": 6,
        "cases.encounter.create": 6,
    }
    assert AuditEvent.objects.filter(action="cases.coding.create").count() == 6
    assert AuditEvent.objects.filter(action="intake.testimony.create").count() == 3
