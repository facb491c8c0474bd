"""Draw the whole true world in memory: people, encounters and who is on which list.

No file is written here; :mod:`testimonio.simulation.world` writes the sources and the truth.
Statistical tests call :func:`draw_world` directly on large populations. Each step draws from its
own generator spawned from the seed, so changing how one step draws leaves the others unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

from testimonio.simulation.capture import capture_lists
from testimonio.simulation.config import SimulationConfig
from testimonio.simulation.encounters import Encounters, draw_encounters, turn_backs_per_unit
from testimonio.simulation.population import Population, draw_population

#: ``progress(step, done, total)``: called as long steps advance.
ProgressCallback = Callable[[str, int, int], None]


@dataclass
class DrawnWorld:
    """The truth, in memory."""

    config: SimulationConfig
    population: Population
    encounters: Encounters
    turn_backs: np.ndarray  # per person
    captured: np.ndarray  # bool, people x active sources
    encounter_starts: np.ndarray  # per unit: its first encounter
    encounter_ends: np.ndarray  # per unit: one past its last encounter

    @property
    def source_keys(self) -> list[str]:
        return [spec.key for spec in self.config.active_sources]

    @property
    def ever_turned_away(self) -> np.ndarray:
        return self.turn_backs > 0

    @cached_property
    def last_turned_back(self) -> np.ndarray:
        """Per person: the index of the unit's last turned-back encounter, or -1."""
        encounters = self.encounters
        turned_back = np.flatnonzero(encounters.turned_back)
        last = np.full(len(self.population.units), -1, dtype=np.int64)
        # encounters are ordered by unit then attempt, so a unit's last one ends its run
        ends = np.searchsorted(encounters.unit[turned_back], np.arange(len(last)), side="right")
        starts = np.searchsorted(encounters.unit[turned_back], np.arange(len(last)), side="left")
        has = ends > starts
        last[has] = turned_back[ends[has] - 1]
        result: np.ndarray = last[self.population.unit]
        return result

    @cached_property
    def turned_back_ranges(self) -> tuple[np.ndarray, np.ndarray]:
        """All turned-back encounter indices (ordered), and per unit where its own start."""
        encounters = self.encounters
        turned_back = np.flatnonzero(encounters.turned_back)
        units = np.arange(len(self.population.units))
        starts = np.searchsorted(encounters.unit[turned_back], units, side="left")
        return turned_back, starts

    def encounters_of(self, person: int) -> range:
        unit = int(self.population.unit[person])
        return range(int(self.encounter_starts[unit]), int(self.encounter_ends[unit]))

    def turned_back_encounters_of(self, person: int) -> list[int]:
        return [index for index in self.encounters_of(person) if self.encounters.turned_back[index]]

    def day(self, encounter: int) -> date:
        day: date = self.encounters.day[encounter].astype(object)
        return day


def step_generators(seed: int, count: int = 8) -> list[np.random.Generator]:
    """Independent generators for the steps of the simulation, all from one seed."""
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(count)]


def draw_world(config: SimulationConfig, progress: ProgressCallback | None = None) -> DrawnWorld:
    """Draw people, their encounters and the lists that captured them."""
    generators = step_generators(config.seed)
    report = progress or (lambda step, done, total: None)
    report("Drawing people", 0, 3)
    population = draw_population(generators[0], config)
    report("Drawing encounters", 1, 3)
    encounters = draw_encounters(generators[1], config, population.units)
    turn_backs = turn_backs_per_unit(encounters, len(population.units))[population.unit]
    report("Drawing lists", 2, 3)
    captured = capture_lists(generators[2], config, population, turn_backs)
    starts, ends = encounters.unit_ranges(len(population.units))
    report("Drawing lists", 3, 3)
    return DrawnWorld(config, population, encounters, turn_backs, captured, starts, ends)
