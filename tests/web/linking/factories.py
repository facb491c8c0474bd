"""A small project with known truth: synthetic people, each with noisy records on two lists.

Every record starts as its own person (as an import leaves it), so linkage has to find who is
who. ``truth`` maps each record's id to the synthetic person it was made from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from testimonio.web.cases.actions import do_create_person, do_create_record, do_create_source
from testimonio.web.cases.models import Project, Record
from testimonio.web.keys.identity import IdentityFields

GIVEN = [
    "José Luis", "María", "Jesús", "Guadalupe", "Francisco", "Ana Lucía", "Carlos", "Rosa",
    "Juan", "Marta", "Pedro", "Lucía", "Miguel", "Elena", "Rafael", "Sofía", "Andrés",
    "Isabel", "Héctor", "Beatriz",
]  # fmt: skip
SURNAMES = [
    "Hernández", "Villalobos", "Ramírez", "de la Cruz", "Gutiérrez", "Mejía", "Castillo",
    "Orellana", "Pérez", "Zelaya", "Morales", "Chávez", "Reyes", "Aguilar", "Domínguez",
    "Ixcoy", "Tzul", "Velásquez", "Quispe", "Barrios",
]  # fmt: skip
NATIONALITIES = ["HN", "GT", "SV", "MX"]


@dataclass(frozen=True)
class SyntheticPerson:
    given: str
    paternal: str
    maternal: str
    birth: str
    sex: str
    nationality: str


@dataclass
class World:
    project: Project
    records: list[Record]
    truth: dict[int, int]  # record id -> synthetic person number


def synthetic_people(count: int, rng: random.Random) -> list[SyntheticPerson]:
    people, seen = [], set()
    while len(people) < count:
        given, paternal, maternal = (
            rng.choice(GIVEN),
            rng.choice(SURNAMES),
            rng.choice(SURNAMES),
        )
        if (given, paternal) in seen:
            continue
        seen.add((given, paternal))
        birth = f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(13, 28):02d}"
        sex = "female" if given in {"María", "Guadalupe", "Ana Lucía", "Rosa", "Marta"} else "male"
        people.append(
            SyntheticPerson(given, paternal, maternal, birth, sex, rng.choice(NATIONALITIES))
        )
    return people


def noisy_identity(person: SyntheticPerson, rng: random.Random) -> IdentityFields:
    """How one list might have written this person: accents lost, maternal surname dropped,
    nickname, year-only or day/month-swapped birth date."""
    given, surnames = person.given, f"{person.paternal} {person.maternal}"
    birth = person.birth
    noise = rng.random()
    if noise < 0.2:
        given, surnames = given.upper(), surnames.upper()
    elif noise < 0.35:
        surnames = person.paternal
    elif noise < 0.45:
        given = {"Jesús": "Chuy", "Guadalupe": "Lupe", "Francisco": "Pancho"}.get(given, given)
    elif noise < 0.55:
        birth = birth[:4]
    elif noise < 0.6:
        year, month, day = birth.split("-")
        birth = f"{year}-{day}-{month}" if int(day) <= 12 else birth
    plain = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")
    if rng.random() < 0.3:
        given, surnames = given.translate(plain), surnames.translate(plain)
    return IdentityFields(given_names=given, surnames=surnames, birth_date=birth)


def vague_identity(person: SyntheticPerson, number: int) -> IdentityFields:
    """A record too thin to be sure of: first given name and one surname, little or no birth
    date. Linkage scores it between 0.5 and 0.95 against the person's other records."""
    if number % 2:
        return IdentityFields(
            given_names=person.given, surnames=person.maternal, birth_date=person.birth[:4]
        )
    return IdentityFields(given_names=person.given.split(" ")[0], surnames=person.paternal)


def make_world(project: Project, *, people: int = 40, vague: int = 0, seed: int = 7) -> World:
    """``people`` synthetic people with 2-3 records each, spread over two sources; the first
    ``vague`` of them also have one thin record that linkage cannot be sure of."""
    rng = random.Random(seed)
    sources = [
        do_create_source(project, "Shelter survey", None, kind="survey"),
        do_create_source(project, "Legal-aid intake", None, kind="intake_log"),
    ]
    records, truth = [], {}
    for number, synthetic in enumerate(synthetic_people(people, rng)):
        for copy in range(rng.choice([2, 2, 3])):
            record = do_create_record(
                sources[copy % 2],
                None,
                identity=noisy_identity(synthetic, rng),
                person=do_create_person(project, None),
                attributes={"sex": synthetic.sex, "nationality": synthetic.nationality},
            )
            records.append(record)
            truth[record.pk] = number
        if number < vague:
            record = do_create_record(
                sources[1],
                None,
                identity=vague_identity(synthetic, number),
                person=do_create_person(project, None),
            )
            records.append(record)
            truth[record.pk] = number
    return World(project, records, truth)


def persons_by_truth(world: World) -> dict[int, set[int]]:
    """For each synthetic person, the ids of the Persons their records now belong to."""
    found: dict[int, set[int]] = {}
    for record in Record.objects.filter(pk__in=world.truth):
        assert record.person_id is not None
        found.setdefault(world.truth[record.pk], set()).add(record.person_id)
    return found
