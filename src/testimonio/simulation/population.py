"""The true population: people travelling alone or in family units, with who they are.

Everything is drawn unit by unit and then person by person with vectorised numpy, so a million
people take seconds. A *unit* is a group that seeks asylum together: a lone adult, a couple, one
or two parents with children, or an unaccompanied minor. Nationality, language, naming tradition,
usual port, first arrival and latent visibility (how findable the unit is by documenters) belong
to the unit; sex, gender identity, age, birth date and names to each person.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from testimonio.simulation.config import SimulationConfig
from testimonio.simulation.names import (
    ROLE_ALONE,
    ROLE_CHILD,
    ROLE_HEAD,
    ROLE_PARTNER,
    ROLE_UNACCOMPANIED,
    adapt_to_tradition,
    compose_surnames,
    draw_given_names,
    draw_unit_surnames,
    name_group_for,
)
from testimonio.vocab.reference import read_table

UNIT_SINGLE, UNIT_COUPLE, UNIT_FAMILY, UNIT_MINOR = 0, 1, 2, 3
UNIT_KIND_NAMES = ("single_adult", "couple", "family", "unaccompanied_minor")
GENDER_IDENTITIES = ("man", "woman", "transgender woman", "transgender man", "non-binary")
BIRTH_PRECISIONS = ("day", "year", "unknown")


@dataclass
class Units:
    """Per family unit (index = unit number)."""

    kind: np.ndarray
    size: np.ndarray
    single_parent: np.ndarray
    nationality: np.ndarray
    language: np.ndarray
    name_group: np.ndarray
    home_port: np.ndarray
    first_day: np.ndarray  # datetime64[D] of the first attempt
    visibility: np.ndarray  # latent, standard normal; scaled by capture_heterogeneity

    def __len__(self) -> int:
        return len(self.kind)


@dataclass
class Population:
    """Per person (index = person number); ``unit`` points into ``units``."""

    units: Units
    unit: np.ndarray
    role: np.ndarray
    female: np.ndarray  # sex assigned at birth
    gender_identity: np.ndarray  # index into GENDER_IDENTITIES
    age: np.ndarray  # at the first attempt
    birth_date: np.ndarray  # datetime64[D], the true date
    birth_precision: np.ndarray  # index into BIRTH_PRECISIONS: what the person can tell
    pregnant: np.ndarray
    medical: np.ndarray
    disability: np.ndarray
    given_names: np.ndarray
    paternal_surname: np.ndarray
    maternal_surname: np.ndarray

    def __len__(self) -> int:
        return len(self.unit)

    @cached_property
    def presents_female(self) -> np.ndarray:
        """Women and transgender women (used for names and for 'woman alone'); computed once."""
        return np.isin(self.gender_identity, (1, 2))


def weighted_codes(pairs: tuple[tuple[str, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    codes = np.asarray([code for code, _ in pairs], dtype=object)
    weights = np.asarray([weight for _, weight in pairs], dtype=float)
    return codes, weights / weights.sum()


def port_distribution(config: SimulationConfig) -> tuple[np.ndarray, np.ndarray]:
    """Every port in ``ports.csv`` with its configured (or the default small) weight."""
    configured = dict(config.port_weights)
    codes = [row["code"] for row in read_table("ports")]
    return weighted_codes(
        tuple((code, configured.get(code, config.other_port_weight)) for code in codes)
    )


def draw_arrival_days(rng: np.random.Generator, config: SimulationConfig, size: int) -> np.ndarray:
    """First-attempt days, with arrivals growing linearly by ``arrival_trend`` over the period."""
    months = np.arange(
        np.datetime64(config.start, "M"), np.datetime64(config.end, "M") + 1, dtype="datetime64[M]"
    )
    weights = np.linspace(1.0, config.arrival_trend, len(months))
    month = months[rng.choice(len(months), size=size, p=weights / weights.sum())]
    first_day = month.astype("datetime64[D]")
    length = ((month + 1).astype("datetime64[D]") - first_day).astype(int)
    days = first_day + (rng.random(size) * length).astype(int)
    return np.clip(days, np.datetime64(config.start), np.datetime64(config.end))


def draw_units(rng: np.random.Generator, config: SimulationConfig) -> Units:
    """Draw family units until they hold exactly ``config.people`` people."""
    shares = np.array(
        [
            config.unit_single_adult,
            config.unit_couple,
            config.unit_family,
            config.unit_unaccompanied_minor,
        ]
    )
    count = int(config.people / 1.8) + 16
    kind = rng.choice(4, size=count, p=shares)
    single_parent = (kind == UNIT_FAMILY) & (rng.random(count) < config.single_parent_share)
    children = 1 + rng.binomial(3, 0.35, size=count)
    size = np.select(
        [kind == UNIT_COUPLE, kind == UNIT_FAMILY], [2, np.where(single_parent, 1, 2) + children], 1
    )
    kept = np.cumsum(size) <= config.people
    kind, size, single_parent = kind[kept], size[kept], single_parent[kept]
    shortfall = config.people - int(size.sum())
    if shortfall > 0:  # fill the tail with lone adults rather than cutting a family in two
        kind = np.concatenate([kind, np.full(shortfall, UNIT_SINGLE)])
        size = np.concatenate([size, np.ones(shortfall, dtype=size.dtype)])
        single_parent = np.concatenate([single_parent, np.zeros(shortfall, dtype=bool)])
    return _unit_attributes(rng, config, kind, size, single_parent)


def _unit_attributes(
    rng: np.random.Generator,
    config: SimulationConfig,
    kind: np.ndarray,
    size: np.ndarray,
    single_parent: np.ndarray,
) -> Units:
    count = len(kind)
    codes, weights = weighted_codes(config.nationality_weights)
    nationality = codes[rng.choice(len(codes), size=count, p=weights)]
    language = np.full(count, "spa", dtype=object)
    for code, pairs in config.languages:
        members = np.flatnonzero(nationality == code)
        options, probabilities = weighted_codes(pairs)
        language[members] = options[rng.choice(len(options), size=len(members), p=probabilities)]
    groups = np.asarray(
        [name_group_for(n, lang) for n, lang in zip(nationality, language, strict=True)],
        dtype=object,
    )
    ports, port_weights = port_distribution(config)
    return Units(
        kind=kind,
        size=size,
        single_parent=single_parent,
        nationality=nationality,
        language=language,
        name_group=groups,
        home_port=ports[rng.choice(len(ports), size=count, p=port_weights)],
        first_day=draw_arrival_days(rng, config, count),
        visibility=rng.standard_normal(count),
    )


def _roles(units: Units, unit: np.ndarray, position: np.ndarray) -> np.ndarray:
    kind = units.kind[unit]
    parents = np.where(units.single_parent[unit], 1, 2)
    role = np.full(len(unit), ROLE_ALONE, dtype=np.int8)
    role[kind == UNIT_MINOR] = ROLE_UNACCOMPANIED
    grouped = (kind == UNIT_COUPLE) | (kind == UNIT_FAMILY)
    role[grouped & (position == 0)] = ROLE_HEAD
    role[grouped & (position == 1) & (parents == 2)] = ROLE_PARTNER
    role[(kind == UNIT_FAMILY) & (position >= parents)] = ROLE_CHILD
    return role


def _sexes(
    rng: np.random.Generator, units: Units, unit: np.ndarray, role: np.ndarray
) -> np.ndarray:
    draw = rng.random(len(unit))
    female = draw < 0.5
    female[role == ROLE_ALONE] = draw[role == ROLE_ALONE] < 0.35
    female[role == ROLE_UNACCOMPANIED] = draw[role == ROLE_UNACCOMPANIED] < 0.3
    lone_parent = (role == ROLE_HEAD) & units.single_parent[unit]
    female[role == ROLE_HEAD] = False
    female[lone_parent] = draw[lone_parent] < 0.75
    female[role == ROLE_PARTNER] = True
    return female


def _gender_identities(
    rng: np.random.Generator, config: SimulationConfig, female: np.ndarray, adult: np.ndarray
) -> np.ndarray:
    identity = np.where(female, 1, 0).astype(np.int8)
    draw = rng.random(len(female))
    identity[adult & ~female & (draw < config.transgender_woman_share)] = 2
    identity[adult & female & (draw < config.transgender_man_share)] = 3
    nonbinary = adult & (rng.random(len(female)) < config.nonbinary_share)
    identity[nonbinary] = 4
    return identity


def _ages(rng: np.random.Generator, unit: np.ndarray, role: np.ndarray) -> np.ndarray:
    size = len(unit)
    age = np.zeros(size)
    alone = role == ROLE_ALONE
    age[alone] = 18 + rng.gamma(2.2, 7.0, size=int(alone.sum()))
    parent_age = 18 + rng.gamma(3.0, 4.0, size=size)  # one draw per person, used by unit head
    head_age = np.zeros(unit.max() + 1 if size else 0)
    heads = role == ROLE_HEAD
    head_age[unit[heads]] = parent_age[heads]
    age[heads] = parent_age[heads]
    partner = role == ROLE_PARTNER
    age[partner] = np.maximum(18, head_age[unit[partner]] + rng.normal(-2, 3, int(partner.sum())))
    child = role == ROLE_CHILD
    span = np.clip(head_age[unit[child]] - 15, 1, 18)
    age[child] = np.floor(rng.random(int(child.sum())) * span)
    minor = role == ROLE_UNACCOMPANIED
    weights = np.array([1, 1, 2, 3, 4, 4], dtype=float)
    age[minor] = 12 + rng.choice(6, size=int(minor.sum()), p=weights / weights.sum())
    return np.clip(np.floor(age), 0, 85).astype(np.int16)


def draw_population(rng: np.random.Generator, config: SimulationConfig) -> Population:
    """Draw the whole population: units, then people with their names and birth dates."""
    units = draw_units(rng, config)
    unit = np.repeat(np.arange(len(units)), units.size)
    starts = np.cumsum(units.size) - units.size
    position = np.arange(len(unit)) - starts[unit]
    role = _roles(units, unit, position)
    female = _sexes(rng, units, unit, role)
    adult = (role != ROLE_CHILD) & (role != ROLE_UNACCOMPANIED)
    identity = _gender_identities(rng, config, female, adult)
    age = _ages(rng, unit, role)
    days_old = (age * 365.25 + rng.random(len(unit)) * 364).astype(int)
    birth_date = units.first_day[unit] - days_old.astype("timedelta64[D]")
    precision = rng.choice(
        3,
        size=len(unit),
        p=[
            1 - config.birth_date_known_year_only - config.birth_date_unknown,
            config.birth_date_known_year_only,
            config.birth_date_unknown,
        ],
    ).astype(np.int8)
    groups = units.name_group[unit]
    presents_female = np.isin(identity, (1, 2))
    given = draw_given_names(rng, groups, presents_female)
    paternal, maternal = compose_surnames(
        draw_unit_surnames(rng, units.name_group), unit, role, units.single_parent
    )
    adapt_to_tradition(groups, presents_female, paternal, maternal)
    draw = rng.random((3, len(unit)))
    return Population(
        units=units,
        unit=unit,
        role=role,
        female=female,
        gender_identity=identity,
        age=age,
        birth_date=birth_date,
        birth_precision=precision,
        pregnant=female & adult & (age < 45) & (draw[0] < config.pregnant_share),
        medical=draw[1] < config.medical_condition_share,
        disability=draw[2] < config.disability_share,
        given_names=given,
        paternal_surname=paternal,
        maternal_surname=maternal,
    )
