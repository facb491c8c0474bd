"""Plain factories of synthetic people and the noisy lists organisations keep of them.

Only invented people: names are drawn from pools of common given names and surnames and
combined at random. Each person may appear on several lists, sometimes twice on one, spelled
the way intake forms spell people here: accents dropped, nicknames, one surname missing,
given name and surname swapped, year-only or day/month-swapped birth dates, typos.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pandas as pd


def _words(text: str) -> list[str]:
    return text.split()


GIVEN_MALE = _words("""
jesús josé juan luis carlos jorge miguel francisco antonio alejandro manuel pedro
ricardo roberto alberto eduardo fernando guillermo ignacio javier sergio raúl héctor arturo
gerardo enrique óscar rafael daniel david mario víctor andrés pablo diego ángel hugo rubén
gustavo marco julio césar armando ramón salvador alfredo joel adrián iván edgar felipe emilio
jean pierre jacques joseph louis wilson frantz ricardo nelson yonathan kevin brayan wilmer
santiago sebastián mateo samuel gabriel rodrigo ernesto tomás agustín vicente""")
GIVEN_FEMALE = _words("""
maría guadalupe rosa ana juana margarita verónica elizabeth alejandra leticia
gabriela patricia adriana martha yolanda sandra laura claudia silvia mónica araceli norma
alicia gloria teresa concepción dolores rosario graciela consuelo mercedes pilar lucía
carmen isabel sofía valentina camila daniela andrea paola karla diana fernanda jessica
marie rose nadège fabiola mirlande wideline esther yesenia yadira xiomara dayana yuliana
beatriz cecilia irma lourdes susana angélica evelyn estefanía natalia""")
SURNAMES = _words("""garcía hernández martínez lópez gonzález rodríguez pérez sánchez ramírez cruz
flores gómez morales vázquez reyes jiménez torres díaz gutiérrez ruiz mendoza aguilar ortiz
moreno castillo romero álvarez méndez chávez rivera juárez ramos domínguez herrera medina
castro vargas guzmán velázquez muñoz rojas contreras salazar luna ortega guerrero estrada
bautista cortés soto alvarado espinoza lara ávila ríos cervantes silva delgado vega márquez
sandoval fernández león carrillo mejía solís núñez campos santiago cabrera navarro zamora
villalobos quintero zúñiga valencia escobar figueroa maldonado ibarra pacheco cárdenas
jean-baptiste pierre joseph louis charles saint-fleur dorval étienne michel baptiste
lafortune desir augustin francois celestin valcourt toussaint""")
NATIONALITIES = {
    "mexico": ["México", "mexicana", "MEX", "Mexico", "mexicano"],
    "guatemala": ["Guatemala", "guatemalteca", "GTM", "guatemalteco"],
    "honduras": ["Honduras", "hondureña", "HND", "hondureño"],
    "el salvador": ["El Salvador", "salvadoreña", "SLV"],
    "venezuela": ["Venezuela", "venezolana", "VEN", "venezolano"],
    "haiti": ["Haití", "haitiana", "HTI", "Haïti", "haitien"],
}
NICKNAME_OF = {
    "jesús": "Chuy", "guadalupe": "Lupe", "francisco": "Pancho", "guillermo": "Memo",
    "ignacio": "Nacho", "eduardo": "Lalo", "antonio": "Toño", "alberto": "Beto",
    "roberto": "Beto", "josé": "Pepe", "concepción": "Concha", "dolores": "Lola",
    "rosario": "Chayo", "enrique": "Quique", "rafael": "Rafa", "manuel": "Manolo",
}  # fmt: skip
SPELLINGS = [("v", "b"), ("b", "v"), ("z", "s"), ("s", "z"), ("ll", "y"), ("y", "ll"),
             ("h", ""), ("c", "s"), ("j", "g"), ("ie", "ye")]  # fmt: skip
ACCENTS = str.maketrans("áéíóúüÁÉÍÓÚ", "aeiouuAEIOU")


@dataclass(frozen=True)
class Person:
    """A synthetic person: the truth every record of theirs is a noisy copy of."""

    person_id: int
    given: str
    paternal: str
    maternal: str
    birth: dt.date
    sex: str
    nationality: str


def _zipf_choice(rng: random.Random, pool: list[str], exponent: float = 0.9) -> str:
    weights = [1 / (rank + 1) ** exponent for rank in range(len(pool))]
    return rng.choices(pool, weights)[0]


def make_people(count: int, seed: int = 1) -> list[Person]:
    """``count`` people with heavy-tailed name frequencies (many Garcías, few Valcourts)."""
    rng = random.Random(seed)
    people = []
    for person_id in range(1, count + 1):
        sex = rng.choice("mf")
        pool = GIVEN_MALE if sex == "m" else GIVEN_FEMALE
        given = _zipf_choice(rng, pool, 0.6)
        if rng.random() < 0.25:
            given = f"{given} {_zipf_choice(rng, pool, 0.6)}"
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 58))
        people.append(
            Person(
                person_id,
                given,
                _zipf_choice(rng, SURNAMES),
                _zipf_choice(rng, SURNAMES),
                birth,
                sex,
                rng.choice(list(NATIONALITIES)),
            )
        )
    return people


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    position = rng.randrange(1, len(text) - 1)
    operation = rng.choice(["drop", "swap", "replace"])
    if operation == "drop":
        return text[:position] + text[position + 1 :]
    if operation == "swap":
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text[:position] + rng.choice("aeiourlnst") + text[position + 1 :]


def _respell(rng: random.Random, text: str) -> str:
    for old, new in rng.sample(SPELLINGS, len(SPELLINGS)):
        if old in text[1:]:
            return text[0] + text[1:].replace(old, new, 1)
    return text


def _noisy_name(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.04:
        text = _typo(rng, text)
    elif roll < 0.08:
        text = _respell(rng, text)
    if rng.random() < 0.5:
        text = text.translate(ACCENTS)
    return text.upper() if rng.random() < 0.3 else text.title()


def _noisy_given(rng: random.Random, given: str) -> str:
    first = given.split(" ")[0]
    if first in NICKNAME_OF and rng.random() < 0.15:
        return NICKNAME_OF[first]
    if " " in given and rng.random() < 0.35:
        given = first
    return _noisy_name(rng, given)


def _noisy_birth(rng: random.Random, birth: dt.date) -> str:
    roll = rng.random()
    if roll < 0.04:
        return ""
    if roll < 0.12:
        return str(birth.year)
    day, month = birth.day, birth.month
    if roll < 0.15 and day <= 12:
        day, month = month, day
    elif roll < 0.18:
        day = min(28, max(1, day + rng.choice([-1, 1, 10, -10])))
    if rng.random() < 0.5:
        return f"{day:02d}/{month:02d}/{birth.year}"
    return f"{birth.year}-{month:02d}-{day:02d}"


def noisy_record(rng: random.Random, person: Person) -> dict[str, str]:
    """One organisation's record of ``person``: what its intake form would hold."""
    given = _noisy_given(rng, person.given)
    paternal, maternal = _noisy_name(rng, person.paternal), _noisy_name(rng, person.maternal)
    roll = rng.random()
    if roll < 0.2:
        maternal = ""
    elif roll < 0.23:
        paternal, maternal = maternal, ""
    if rng.random() < 0.02:
        given, paternal, maternal = paternal, given, ""
    return {
        "given": given,
        "paternal": paternal,
        "maternal": maternal,
        "birth": _noisy_birth(rng, person.birth),
        "sex": "" if rng.random() < 0.05 else rng.choice([person.sex.upper(), person.sex]),
        "nationality": "" if rng.random() < 0.1 else rng.choice(NATIONALITIES[person.nationality]),
    }


def _layout(source_index: int, rows: list[dict[str, str]], ids: list[str]) -> pd.DataFrame:
    """Each organisation names its columns its own way (Spanish, English, one surname field)."""
    frame = pd.DataFrame(rows)
    if source_index % 4 == 0:
        return pd.DataFrame(
            {"folio": ids, "Nombre(s)": frame["given"], "Apellido paterno": frame["paternal"],
             "Apellido materno": frame["maternal"], "Fecha de nacimiento": frame["birth"],
             "Sexo": frame["sex"], "Nacionalidad": frame["nationality"]}
        )  # fmt: skip
    if source_index % 4 == 1:
        surnames = (frame["paternal"] + " " + frame["maternal"]).str.strip()
        return pd.DataFrame(
            {"id": ids, "first_name": frame["given"], "last_name": surnames,
             "date_of_birth": frame["birth"], "gender": frame["sex"],
             "nationality": frame["nationality"]}
        )  # fmt: skip
    if source_index % 4 == 2:
        full = (frame["given"] + " " + frame["paternal"] + " " + frame["maternal"]).str.strip()
        return pd.DataFrame(
            {"id": ids, "Nombre completo": full.str.replace(r"\s+", " ", regex=True),
             "DOB": frame["birth"], "Sexo": frame["sex"], "País de origen": frame["nationality"]}
        )  # fmt: skip
    surnames = (frame["paternal"] + " " + frame["maternal"]).str.strip()
    return pd.DataFrame(
        {"id": ids, "Nombre": frame["given"], "Apellidos": surnames,
         "Fecha nacimiento": frame["birth"], "Sexo": frame["sex"]}
    )  # fmt: skip


@dataclass
class World:
    """Lists by source name, and the true person of every (source, record_id)."""

    tables: dict[str, pd.DataFrame]
    truth: pd.DataFrame


def make_world(people: int, sources: int = 4, seed: int = 1, coverage: float = 0.45) -> World:
    """Lists of ``people`` synthetic people; each list covers about ``coverage`` of them.

    About 5% of the people on a list appear twice on it (repeated encounters).
    """
    rng = random.Random(seed + 1000)
    everyone = make_people(people, seed)
    tables, truth_rows = {}, []
    for index in range(sources):
        name = f"org_{chr(ord('a') + index)}"
        listed = [person for person in everyone if rng.random() < coverage * rng.uniform(0.7, 1.3)]
        listed += [person for person in listed if rng.random() < 0.05]
        rng.shuffle(listed)
        ids = [f"{name}-{number}" for number in range(1, len(listed) + 1)]
        tables[name] = _layout(index, [noisy_record(rng, person) for person in listed], ids)
        truth_rows += [
            (name, rid, person.person_id) for rid, person in zip(ids, listed, strict=True)
        ]
    truth = pd.DataFrame(truth_rows, columns=["source", "record_id", "person_id"])
    return World(tables, truth)
