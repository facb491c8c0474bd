"""A small example project built through the actions, so the web app has something to show.

The people here are invented. Their names are obviously fictional and exist only to show
that identity fields are sealed and revealed on an audited request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from testimonio.web.accounts.actions import do_add_member
from testimonio.web.cases.actions import (
    do_code_encounter,
    do_create_person,
    do_create_project,
    do_create_record,
    do_create_source,
    do_record_encounter,
)
from testimonio.web.cases.models import Person, Project, Source, VocabularyVersion
from testimonio.web.evidence.actions import do_register_document
from testimonio.web.keys.identity import IdentityFields

EXAMPLE_SLUG = "example-turnbacks"
EXAMPLE_DECLARATION = """DECLARATION OF P-000001 (an invented example)
1. I am a citizen of Honduras. I make this declaration of my own personal knowledge.
2. On May 14, 2017, I went to the San Ysidro port of entry and said I was afraid to return.
3. The officer told me the port was full and that there was no asylum for people like me.
4. I declare under penalty of perjury under the laws of the United States of America that
   the foregoing is true and correct.
"""


@dataclass(frozen=True)
class ExampleEncounter:
    date: str
    port: str
    attempt_number: int
    fear_expressed: str
    codes: tuple[str, ...]
    fear_language: str = ""


@dataclass(frozen=True)
class ExamplePerson:
    given_names: str
    surnames: str
    birth_date: str
    attributes: dict[str, str]
    encounters: tuple[ExampleEncounter, ...]


EXAMPLE_PEOPLE = (
    ExamplePerson(
        "Ejemplo María José",
        "Muestra Prueba",
        "1990-03",
        {
            "sex": "female",
            "gender_identity": "woman",
            "age_band": "18-29",
            "nationality": "HN",
            "language": "spa",
        },
        (
            ExampleEncounter(
                "2017-05-14", "2504-SYS", 1, "yes", ("TAC.DENY.CAPACITY", "TAC.MISINFO"), "spa"
            ),
            ExampleEncounter("2017-06", "2504-PEDW", 2, "yes", ("TAC.THREAT",), "spa"),
        ),
    ),
    ExamplePerson(
        "Ejemplo Jean",
        "Fictif",
        "1985",
        {
            "sex": "male",
            "gender_identity": "man",
            "age_band": "30-44",
            "nationality": "HT",
            "language": "hat",
        },
        (ExampleEncounter("2016-10-02", "2504-SYS", 1, "unknown", ("TAC.DENY",)),),
    ),
    ExamplePerson(
        "Ejemplo Ana Lucía",
        "Demostración",
        "",
        {
            "sex": "male",
            "gender_identity": "transgender_woman",
            "age_band": "18-29",
            "nationality": "SV",
            "language": "spa",
        },
        (
            ExampleEncounter(
                "2018-07-21",
                "2503-CXW",
                1,
                "yes",
                ("TAC.DENY.LIMIT_LINE", "TAC.VERBAL_ABUSE"),
                "spa",
            ),
        ),
    ),
)


def create_example_project(vocabulary: VocabularyVersion, admin: User | None) -> Project:
    """Create (once) the example project with two sources and a few invented people."""
    existing = Project.objects.filter(slug=EXAMPLE_SLUG).first()
    if existing is not None:
        return existing
    project = do_create_project(
        "Example: turn-backs at ports of entry", vocabulary, None, slug=EXAMPLE_SLUG
    )
    if admin is not None:
        do_add_member(project, admin, "admin", None)
    intake = do_create_source(project, "Legal-aid intake log", None, kind="intake_log")
    for number, example in enumerate(EXAMPLE_PEOPLE, start=1):
        _add_example_person(project, intake, example, number)
    first = Person.objects.get(project=project, pseudonym="P-000001")
    do_register_document(
        project,
        EXAMPLE_DECLARATION.encode(),
        "example-declaration.txt",
        None,
        source=intake,
        person=first,
    )
    return project


def _add_example_person(project: Project, source: Source, example: ExamplePerson, row: int) -> None:
    person = do_create_person(project, None)
    record = do_create_record(
        source,
        None,
        person=person,
        identity=IdentityFields(example.given_names, example.surnames, example.birth_date),
        attributes=dict(example.attributes),
        provenance=("example", "", row),
    )
    for details in example.encounters:
        encounter = do_record_encounter(
            person,
            None,
            record=record,
            date=details.date,
            port=details.port,
            attempt_number=details.attempt_number,
            fear_expressed=details.fear_expressed,
            fear_language=details.fear_language,
        )
        for code in details.codes:
            do_code_encounter(encounter, code, None, evidence=f"intake row {row}")
