"""Two English-language lists of a different shape from our simulator's, with their truth.

The simulator (:mod:`testimonio.simulation.world`) writes the lists of our own population, so a
linkage tuned on its worlds may fail on anything else. This generator writes what a new user
might bring instead: two lists of ``records`` rows each (a share ``overlap`` of them the same
people), English names from Faker (``en_US``), nicknames (Bob for Robert), initials and typos,
addresses split over six columns (street number, street, second line, locality, postcode,
state), households that share an address and a surname, people who moved, and birth dates
written ``19151111`` in one list and ``1915-11-11`` or ``11/11/1915`` (month first) in the
other. Its nickname table is its own, not the linkage's, and knows a few forms the linkage's
table does not (Sally, Molly, Jake): a test on it is not a test of a table against itself.

What must always hold: the same arguments give the same lists on every run (Faker and NumPy
are both seeded from ``seed``); every person is synthetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from faker import Faker

__all__ = ["EnglishLists", "english_lists", "write_english_lists"]

#: Given name -> short forms a clerk may write (the generator's own table).
_SHORT_FORMS = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Betty"), "James": ("Jim", "Jimmy"), "John": ("Jack", "Johnny"),
    "Michael": ("Mike", "Mick"), "David": ("Dave",), "Richard": ("Rick", "Dick"),
    "Thomas": ("Tom", "Tommy"), "Joseph": ("Joe",), "Charles": ("Charlie", "Chuck"),
    "Christopher": ("Chris", "Kit"), "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",),
    "Anthony": ("Tony",), "Steven": ("Steve",), "Andrew": ("Andy", "Drew"),
    "Joshua": ("Josh",), "Kenneth": ("Ken",), "Edward": ("Ed", "Ted"), "Jacob": ("Jake",),
    "Nicholas": ("Nick",), "Jennifer": ("Jen", "Jenny"), "Patricia": ("Pat", "Patty"),
    "Margaret": ("Maggie", "Peggy"), "Katherine": ("Kate", "Kathy"), "Susan": ("Sue",),
    "Deborah": ("Debbie",), "Rebecca": ("Becky",), "Sarah": ("Sally",), "Mary": ("Molly",),
    "Samantha": ("Sam",), "Victoria": ("Vicky",), "Amanda": ("Mandy",),
    "Timothy": ("Tim",), "Gregory": ("Greg",), "Jeffrey": ("Jeff",), "Ronald": ("Ron",),
}  # fmt: skip

_SUFFIXES = {"Street": "St", "Road": "Rd", "Avenue": "Ave", "Drive": "Dr", "Lane": "Ln"}

FIRST_COLUMNS = (
    "rec_id", "given_name", "surname", "street_number", "address_1", "address_2", "suburb",
    "postcode", "state", "date_of_birth",
)  # fmt: skip
SECOND_COLUMNS = (
    "Record ID", "First Name", "Last Name", "House Number", "Street", "Address Line 2", "City",
    "ZIP Code", "State", "DOB",
)  # fmt: skip


@dataclass(frozen=True)
class EnglishLists:
    """The two lists (text columns) and the truth: ``source``, ``record_id``, ``person_id``."""

    first: pd.DataFrame
    second: pd.DataFrame
    truth: pd.DataFrame


#: Street number, street, second line, locality, postcode, state.
_Address = tuple[str, str, str, str, str, str]


@dataclass
class _Person:
    given: str
    surname: str
    number: str
    street: str
    line2: str
    locality: str
    postcode: str
    state: str
    birth: dt.date


def english_lists(records: int = 5000, *, overlap: float = 0.5, seed: int = 0) -> EnglishLists:
    """Two lists of ``records`` rows each; ``round(records * overlap)`` people are on both."""
    if records < 1 or not 0 <= overlap <= 1:
        raise ValueError("records must be positive and overlap between 0 and 1")
    faker = Faker("en_US")
    faker.seed_instance(seed)
    rng = np.random.default_rng(seed)
    shared = round(records * overlap)
    people = _population(2 * records - shared, faker, rng)
    first_ids = np.arange(records)
    second_ids = np.concatenate([np.arange(shared), np.arange(records, 2 * records - shared)])
    first = _write_list(people, first_ids, faker, rng, noise=0.5)
    second = _write_list(people, second_ids, faker, rng, noise=1.0)
    first = _format_first(first)
    second = _format_second(second, rng)
    truth = pd.concat(
        [
            pd.DataFrame({"source": "first", "record_id": first["rec_id"], "person_id": 0}),
            pd.DataFrame({"source": "second", "record_id": second["Record ID"], "person_id": 0}),
        ],
        ignore_index=True,
    )
    truth["person_id"] = np.concatenate([first.pop("_person"), second.pop("_person")])
    return EnglishLists(first, second, truth)


def write_english_lists(
    out: Path, records: int = 5000, *, overlap: float = 0.5, seed: int = 0
) -> dict[str, Path]:
    """Write ``first.csv``, ``second.csv`` and ``truth.csv`` into ``out``; their paths."""
    lists = english_lists(records, overlap=overlap, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.csv" for name in ("first", "second", "truth")}
    lists.first.to_csv(paths["first"], index=False)
    lists.second.to_csv(paths["second"], index=False)
    lists.truth.to_csv(paths["truth"], index=False)
    return paths


def _population(size: int, faker: Faker, rng: np.random.Generator) -> list[_Person]:
    """People, a quarter of them in the household of someone drawn before them (same
    address, mostly the same surname, another given name and birth date). Households are
    joined through their first member, so they stay small (about 1.3 people on average)."""
    people: list[_Person] = []
    heads: list[int] = []
    for _ in range(size):
        female = rng.random() < 0.5
        given = faker.first_name_female() if female else faker.first_name_male()
        birth = dt.date(1920, 1, 1) + dt.timedelta(days=int(rng.integers(0, 31_000)))
        if heads and rng.random() < 0.25:
            host = people[heads[int(rng.integers(0, len(heads)))]]
            while given == host.given:
                given = faker.first_name_female() if female else faker.first_name_male()
            surname = host.surname if rng.random() < 0.8 else faker.last_name()
            people.append(_Person(given, surname, *_address_of(host), birth))
        else:
            heads.append(len(people))
            people.append(_Person(given, faker.last_name(), *_new_address(faker, rng), birth))
    return people


def _address_of(person: _Person) -> _Address:
    return (
        person.number,
        person.street,
        person.line2,
        person.locality,
        person.postcode,
        person.state,
    )


def _new_address(faker: Faker, rng: np.random.Generator) -> _Address:
    line2 = faker.secondary_address() if rng.random() < 0.3 else ""
    return (
        faker.building_number(),
        faker.street_name(),
        line2,
        faker.city(),
        faker.postcode(),
        faker.state_abbr(),
    )


def _write_list(
    people: list[_Person], ids: np.ndarray, faker: Faker, rng: np.random.Generator, noise: float
) -> pd.DataFrame:
    """One list's rows in a shuffled order, each with errors at ``noise`` times the base rates."""
    rows = []
    for person_id in rng.permutation(ids):
        person = people[int(person_id)]
        given, surname = _written_name(person, rng, noise)
        address = list(_address_of(person))
        if rng.random() < 0.08 * noise:  # moved since
            address = list(_new_address(faker, rng))
        address = _written_address(address, rng, noise)
        birth = _written_birth(person.birth, rng, noise)
        rows.append([given, surname, *address, birth, int(person_id)])
    return pd.DataFrame(
        rows,
        columns=[
            "given", "surname", "number", "street", "line2", "locality", "postcode", "state",
            "birth", "_person",
        ],
    )  # fmt: skip


def _written_name(person: _Person, rng: np.random.Generator, noise: float) -> tuple[str, str]:
    given, surname = person.given, person.surname
    draw = rng.random()
    if draw < 0.12 * noise and given in _SHORT_FORMS:
        forms = _SHORT_FORMS[given]
        given = forms[int(rng.integers(0, len(forms)))]
    elif draw < 0.16 * noise:
        given = f"{given[0]}."
    elif draw < 0.22 * noise:
        given = _typo(given, rng)
    if rng.random() < 0.08 * noise:
        surname = _typo(surname, rng)
    elif rng.random() < 0.01 * noise:
        surname = ""
    return given, surname


def _written_address(address: list[str], rng: np.random.Generator, noise: float) -> list[str]:
    number, street, line2, locality, postcode, state = address
    if rng.random() < 0.05 * noise:
        number = ""
    if rng.random() < 0.3:
        words = street.split(" ")
        words[-1] = _SUFFIXES.get(words[-1], words[-1])
        street = " ".join(words)
    if rng.random() < 0.08 * noise:
        street = _typo(street, rng)
    if rng.random() < 0.5 * noise:
        line2 = ""
    if rng.random() < 0.05 * noise:
        locality = ""
    if rng.random() < 0.03 * noise:
        postcode = _typo(postcode, rng, digits=True)
    return [number, street, line2, locality, postcode, state]


def _written_birth(birth: dt.date, rng: np.random.Generator, noise: float) -> dt.date | None:
    """The birth date as written: sometimes missing (None), day and month swapped, or with a
    mistyped digit."""
    draw = rng.random()
    if draw < 0.03 * noise:
        return None
    if draw < 0.05 * noise and birth.day <= 12:
        return birth.replace(month=birth.day, day=birth.month)
    if draw < 0.09 * noise:
        return _mistyped_digit(birth, rng)
    return birth


def _mistyped_digit(birth: dt.date, rng: np.random.Generator) -> dt.date:
    """The date with one digit of its day or its year's last digit mistyped (a real date)."""
    for _ in range(20):
        digit = int(rng.integers(0, 10))
        if rng.random() < 0.5:
            year, day = birth.year - birth.year % 10 + digit, birth.day
        else:
            year, day = birth.year, birth.day - birth.day % 10 + digit
        try:
            typed = birth.replace(year=year, day=day)
        except ValueError:  # 30 February, day 0
            continue
        if typed != birth:
            return typed
    return birth


def _typo(text: str, rng: np.random.Generator, *, digits: bool = False) -> str:
    """One insertion, deletion, substitution or transposition at a random place."""
    if len(text) < 2:
        return text
    alphabet = "0123456789" if digits else "abcdefghijklmnopqrstuvwxyz"
    position = int(rng.integers(1, len(text)))
    letter = alphabet[int(rng.integers(0, len(alphabet)))]
    kind = 2 if digits else int(rng.integers(0, 4))  # a postcode keeps its length
    if kind == 0:
        return text[:position] + letter + text[position:]
    if kind == 1:
        return text[:position] + text[position + 1 :]
    if kind == 2:
        return text[:position] + letter + text[position + 1 :]
    left = position - 1
    return text[:left] + text[position] + text[left] + text[position + 1 :]


def _format_first(rows: pd.DataFrame) -> pd.DataFrame:
    """The first list's layout: FEBRL-like headers, compact dates (``19151111``)."""
    dates = [date.strftime("%Y%m%d") if date else "" for date in rows["birth"]]
    return _laid_out(rows, FIRST_COLUMNS, "a", dates)


def _format_second(rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The second list's layout: form headers, ISO or month-first slashed dates."""
    dates = [
        ("" if not date else date.isoformat() if rng.random() < 0.5 else date.strftime("%m/%d/%Y"))
        for date in rows["birth"]
    ]
    return _laid_out(rows, SECOND_COLUMNS, "b", dates)


def _laid_out(
    rows: pd.DataFrame, columns: tuple[str, ...], prefix: str, dates: list[str]
) -> pd.DataFrame:
    parts = ("given", "surname", "number", "street", "line2", "locality", "postcode", "state")
    out = pd.DataFrame({columns[0]: [f"{prefix}{index:06d}" for index in range(len(rows))]})
    for column, part in zip(columns[1:-1], parts, strict=True):
        out[column] = rows[part].to_numpy()
    out[columns[-1]] = dates
    out["_person"] = rows["_person"].to_numpy()
    return out
