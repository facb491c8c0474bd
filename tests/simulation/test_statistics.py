"""The synthetic world reproduces the truth it was configured with, over a large sample.

Tolerances are four standard errors of the estimated proportion (or of the log odds ratio),
so each check fails by chance less than once in ten thousand runs; seeds are fixed anyway.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest

from testimonio.simulation.config import ListDependence, SimulationConfig, default_config
from testimonio.simulation.draw import DrawnWorld, draw_world
from testimonio.simulation.encounters import tactic_probabilities
from testimonio.simulation.names import ROLE_UNACCOMPANIED
from testimonio.simulation.population import UNIT_FAMILY, UNIT_MINOR


def plain_capture(config: SimulationConfig) -> SimulationConfig:
    """No heterogeneity, no regional or turn-back effects, no age limits: capture is the rate."""
    specs = tuple(
        dataclasses.replace(spec, state_log_odds=(), minimum_age=0) for spec in config.source_specs
    )
    return dataclasses.replace(
        config, source_specs=specs, capture_heterogeneity=0.0, turn_back_log_odds=0.0
    )


def assert_close(observed: float, expected: float, count: int) -> None:
    standard_error = np.sqrt(max(expected * (1 - expected), 1e-6) / count)
    assert abs(observed - expected) < 4 * standard_error + 1e-9, (observed, expected, count)


def log_odds_ratio(first: np.ndarray, second: np.ndarray) -> tuple[float, float]:
    table = np.array(
        [[np.sum(~first & ~second), np.sum(~first & second)],
         [np.sum(first & ~second), np.sum(first & second)]], dtype=float,
    )  # fmt: skip
    value = np.log(table[0, 0] * table[1, 1] / (table[0, 1] * table[1, 0]))
    return float(value), float(np.sqrt((1 / table).sum()))


@pytest.fixture(scope="module")
def independent_world() -> DrawnWorld:
    config = plain_capture(default_config(people=200_000, seed=101, list_dependence=()))
    return draw_world(config)


@pytest.fixture(scope="module")
def default_world() -> DrawnWorld:
    return draw_world(default_config(people=200_000, seed=202))


def test_the_population_has_exactly_the_configured_size(default_world: DrawnWorld) -> None:
    assert len(default_world.population) == 200_000


def test_capture_rates_match_the_configured_probabilities(independent_world: DrawnWorld) -> None:
    eligible = independent_world.ever_turned_away
    for column, spec in enumerate(independent_world.config.active_sources):
        observed = independent_world.captured[eligible, column].mean()
        assert_close(observed, spec.capture_probability, int(eligible.sum()))


def test_people_never_turned_away_are_on_no_list(default_world: DrawnWorld) -> None:
    assert not default_world.captured[~default_world.ever_turned_away].any()


def test_independent_lists_have_an_odds_ratio_of_one(independent_world: DrawnWorld) -> None:
    eligible = independent_world.ever_turned_away
    captured = independent_world.captured[eligible]
    value, standard_error = log_odds_ratio(captured[:, 0], captured[:, 1])
    assert abs(value) < 4 * standard_error


def test_the_odds_ratio_between_dependent_lists_is_the_configured_one() -> None:
    link = ListDependence("legal_aid", "shelter_survey", 1.2)
    config = plain_capture(default_config(people=200_000, seed=303, list_dependence=(link,)))
    world = draw_world(config)
    captured = world.captured[world.ever_turned_away]
    value, standard_error = log_odds_ratio(captured[:, 0], captured[:, 1])
    assert abs(value - 1.2) < 4 * standard_error
    unrelated, unrelated_error = log_odds_ratio(captured[:, 0], captured[:, 2])
    assert abs(unrelated) < 4 * unrelated_error


def test_heterogeneous_visibility_makes_lists_positively_dependent() -> None:
    config = dataclasses.replace(
        plain_capture(default_config(people=100_000, seed=404, list_dependence=())),
        capture_heterogeneity=1.5,
    )
    world = draw_world(config)
    captured = world.captured[world.ever_turned_away]
    value, standard_error = log_odds_ratio(captured[:, 0], captured[:, 2])
    assert value > 0.5 and value > 4 * standard_error


def test_declarants_are_at_least_sixteen(default_world: DrawnWorld) -> None:
    column = default_world.source_keys.index("declarations")
    assert default_world.population.age[default_world.captured[:, column]].min() >= 16


def turned_back_rate(world: DrawnWorld, code: str, mask: np.ndarray) -> tuple[float, int]:
    encounters = world.encounters
    column = encounters.tactic_codes.index(code)
    selected = mask & encounters.turned_back
    return float(encounters.tactics[selected, column].mean()), int(selected.sum())


@pytest.mark.parametrize(
    ("port", "code"),
    [
        ("2402-PDN", "TAC.PHYS_ABUSE.PUSH"),
        ("2604-DEC", "TAC.DENY.REDIRECT"),
        ("2504-SYS", "TAC.MISINFO.NO_ASYLUM"),
        ("2301-GAT", "TAC.MISINFO.NO_ASYLUM"),
    ],
)
def test_tactic_rates_match_the_configuration_by_port_and_period(
    default_world: DrawnWorld, port: str, code: str
) -> None:
    encounters = default_world.encounters
    for metering in (False, True):
        mask = (encounters.port == port) & (encounters.metering == metering)
        observed, count = turned_back_rate(default_world, code, mask)
        expected = tactic_probabilities(
            default_world.config, np.array([port], dtype=object), np.array([metering])
        )[code][0]
        assert_close(observed, expected, count)


def test_metering_at_the_limit_line_begins_in_mid_2018(default_world: DrawnWorld) -> None:
    encounters = default_world.encounters
    late_ports = ~np.isin(
        encounters.port, [port for port, _ in default_world.config.early_metering]
    )
    before = late_ports & (encounters.day < np.datetime64(date(2018, 6, 1)))
    after = late_ports & (encounters.day >= np.datetime64(date(2018, 6, 1)))
    observed_before, count_before = turned_back_rate(default_world, "TAC.DENY.LIMIT_LINE", before)
    observed_after, count_after = turned_back_rate(default_world, "TAC.DENY.LIMIT_LINE", after)
    assert_close(observed_before, 0.03, count_before)
    assert_close(observed_after, 0.65, count_after)


def test_turn_back_probability_rises_with_metering(default_world: DrawnWorld) -> None:
    encounters = default_world.encounters
    first = encounters.attempt == 1  # later attempts exist only for people turned back before
    for metering, expected in ((False, 0.35), (True, 0.80)):
        mask = first & (encounters.metering == metering)
        assert_close(float(encounters.turned_back[mask].mean()), expected, int(mask.sum()))


def test_tactics_are_only_ever_set_on_turned_back_encounters(default_world: DrawnWorld) -> None:
    encounters = default_world.encounters
    assert not encounters.tactics[~encounters.turned_back].any()


def test_threats_of_family_separation_are_made_only_to_families(default_world: DrawnWorld) -> None:
    encounters = default_world.encounters
    column = encounters.tactic_codes.index("TAC.THREAT.FAMILY_SEP")
    kinds = default_world.population.units.kind[encounters.unit[encounters.tactics[:, column]]]
    assert set(kinds.tolist()) == {UNIT_FAMILY}


def test_no_unit_attempts_again_after_being_processed(default_world: DrawnWorld) -> None:
    encounters = default_world.encounters
    processed = ~encounters.turned_back
    last_of_unit = np.append(encounters.unit[1:] != encounters.unit[:-1], True)
    assert np.all(last_of_unit[processed])


def test_repeated_attempts_are_common(default_world: DrawnWorld) -> None:
    repeated = default_world.turn_backs[default_world.ever_turned_away] > 1
    assert 0.2 < repeated.mean() < 0.8


def test_unaccompanied_minors_are_minors_travelling_alone(default_world: DrawnWorld) -> None:
    population = default_world.population
    minors = population.role == ROLE_UNACCOMPANIED
    assert population.age[minors].min() >= 12 and population.age[minors].max() <= 17
    assert np.all(population.units.kind[population.unit[minors]] == UNIT_MINOR)
    assert np.all(population.units.size[population.unit[minors]] == 1)


def test_transgender_women_are_present_at_the_configured_share(default_world: DrawnWorld) -> None:
    population = default_world.population
    adult_men_at_birth = (population.age >= 18) & ~population.female
    observed = float((population.gender_identity[adult_men_at_birth] == 2).mean())
    # non-binary identities are drawn afterwards and replace a few
    expected = default_world.config.transgender_woman_share * (
        1 - default_world.config.nonbinary_share
    )
    assert_close(observed, expected, int(adult_men_at_birth.sum()))


def test_birth_dates_are_known_to_the_configured_precision(default_world: DrawnWorld) -> None:
    precision = default_world.population.birth_precision
    count = len(precision)
    assert_close(
        float((precision == 1).mean()), default_world.config.birth_date_known_year_only, count
    )
    assert_close(float((precision == 2).mean()), default_world.config.birth_date_unknown, count)
