"""Names look like this population's, and the noise is the noise intake workers make."""

from __future__ import annotations

import random

import pytest

from testimonio.errors import ConfigurationError
from testimonio.simulation.config import NoiseRates, default_config
from testimonio.simulation.draw import draw_world
from testimonio.simulation.names import NAME_GROUPS, name_group_for
from testimonio.simulation.noise import creole_spelling, misspell, noisy_name, strip_accents


def test_a_kiche_speaker_from_guatemala_gets_a_mayan_naming_tradition() -> None:
    assert name_group_for("GT", "quc") == "mayan"
    assert name_group_for("HT", "hat") == "haitian"
    assert name_group_for("HN", "spa") == "hispanic"


def test_every_name_in_the_tables_renders_in_latin_1() -> None:
    for group in NAME_GROUPS.values():
        for name in group.given_male + group.given_female + group.surnames:
            name.encode("latin-1")


def test_hispanic_people_carry_two_surnames_and_some_compound_given_names() -> None:
    world = draw_world(default_config(people=20_000, seed=9))
    population = world.population
    hispanic = population.units.name_group[population.unit] == "hispanic"
    assert (population.maternal_surname[hispanic] != "").all()
    assert any(
        " de" in surname or surname.startswith("de")
        for surname in population.paternal_surname[hispanic]
    )
    compound = sum(" " in given for given in population.given_names[hispanic]) / hispanic.sum()
    assert 0.15 < compound < 0.6
    haitian = population.units.name_group[population.unit] == "haitian"
    assert (population.maternal_surname[haitian] == "").all()


def test_children_of_two_parents_carry_each_parents_first_surname() -> None:
    world = draw_world(default_config(people=5_000, seed=10))
    population = world.population
    roles = population.role
    hispanic = population.units.name_group[population.unit] == "hispanic"
    for person in range(len(population) - 2):
        if (
            hispanic[person]
            and roles[person] == 1
            and roles[person + 1] == 2
            and roles[person + 2] == 3
        ):
            child = person + 2
            assert population.paternal_surname[child] == population.paternal_surname[person]
            assert population.maternal_surname[child] in (
                population.paternal_surname[person + 1],
                "",
            )


def test_dropping_accents_keeps_the_letters() -> None:
    assert strip_accents("José Peña Núñez") == "Jose Pena Nunez"


def test_a_misspelling_changes_a_name_only_a_little() -> None:
    rnd = random.Random(1)
    for name in ("Hernández", "Velásquez", "Guillermo", "Yesenia"):
        wrong = misspell(name, rnd)
        assert abs(len(wrong) - len(name)) <= 2
        assert wrong[0].lower() == name[0].lower() or wrong[1:] == name[1:]


def test_a_volunteer_may_write_chuy_for_jesus() -> None:
    rates = NoiseRates(
        typo=0,
        drop_accents=0,
        swap_surnames=0,
        swap_given_and_surname=0,
        nickname=1.0,
        drop_maternal_surname=0,
    )
    name = noisy_name("Jesús", "García", "López", rates, random.Random(3))
    assert name.given in ("Chuy", "Chucho") and name.surnames == "García López"


def test_haitian_names_can_be_written_in_creole_spelling() -> None:
    assert creole_spelling("Jean-Pierre") == "Jan-Pyè"
    assert creole_spelling("Joseph") == "Jozèf"


def test_a_config_that_makes_no_sense_is_refused_with_the_parameter_named() -> None:
    with pytest.raises(ConfigurationError, match="sources"):
        default_config(sources=9)
    with pytest.raises(ConfigurationError, match="turn_back_after_metering"):
        default_config(turn_back_after_metering=1.5)
