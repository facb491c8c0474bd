"""Each person's true vulnerabilities, as ``VUL.*`` vocabulary codes."""

from __future__ import annotations

import numpy as np

from testimonio.simulation.names import MAYAN_LANGUAGES, ROLE_ALONE, ROLE_CHILD, ROLE_HEAD
from testimonio.simulation.population import UNIT_FAMILY, Population

INDIGENOUS_LANGUAGES = MAYAN_LANGUAGES | {"zap", "nah", "ppl", "cab", "miq"}
BLACK_MIGRANT_NATIONALITIES = ("HT", "CM", "CD", "ER", "ET", "GH", "GN")
SPANISH_SPEAKING = ("MX", "HN", "GT", "SV", "NI", "CU", "VE", "CO", "EC")


def vulnerability_flags(population: Population) -> dict[str, np.ndarray]:
    """``VUL.*`` code -> boolean per person."""
    units = population.units
    kind = units.kind[population.unit]
    language = units.language[population.unit]
    nationality = units.nationality[population.unit]
    minor = population.age < 18
    woman = population.presents_female & ~minor
    lone_mother = (population.role == ROLE_HEAD) & units.single_parent[population.unit] & woman
    return {
        "VUL.UNACCOMPANIED_MINOR": minor & (kind != UNIT_FAMILY),
        "VUL.ACCOMPANIED_MINOR": minor & (kind == UNIT_FAMILY),
        "VUL.FAMILY_WITH_CHILDREN": (kind == UNIT_FAMILY) & (population.role != ROLE_CHILD),
        "VUL.PREGNANT": population.pregnant,
        "VUL.WOMAN_ALONE": woman & ((population.role == ROLE_ALONE) | lone_mother),
        "VUL.LGBTQ.TRANSGENDER": np.isin(population.gender_identity, (2, 3, 4)),
        "VUL.INDIGENOUS": np.isin(language, list(INDIGENOUS_LANGUAGES)),
        "VUL.LIMITED_SPANISH_ENGLISH": ~np.isin(language, ["spa", "eng"]),
        "VUL.DISABILITY": population.disability,
        "VUL.MEDICAL": population.medical,
        "VUL.ELDERLY": population.age >= 65,
        "VUL.BLACK_MIGRANT": np.isin(nationality, BLACK_MIGRANT_NATIONALITIES),
        "VUL.NON_SPANISH_NATIONAL": ~np.isin(nationality, SPANISH_SPEAKING),
    }


def vulnerability_codes(flags: dict[str, np.ndarray], person: int) -> list[str]:
    return [code for code, flag in flags.items() if flag[person]]
