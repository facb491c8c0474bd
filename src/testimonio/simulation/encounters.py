"""Attempts to seek asylum at ports of entry, with the true turn-back tactics of each.

A family unit attempts together, so an encounter belongs to a unit and happened to every member.
Attempts repeat (a Poisson number after the first, days apart) until the unit is processed or
the period ends. Whether an attempt is turned back, and which tactics officers used, depends on
whether the port was metering on that day (from ``metering_start``, earlier at some ports), on
port-specific practice (``port_tactic_multipliers``) and on who the unit is (families, people who
said they were afraid, people who speak neither Spanish nor English).

What must always hold: tactics are only ever set on turned-back encounters, and a unit has no
attempt after the one where it was processed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from testimonio.simulation.config import SimulationConfig
from testimonio.simulation.population import UNIT_FAMILY, Units, port_distribution

FEAR_EXPRESSED_MODES = (
    ("FEAR.MODE.ASKED_ASYLUM", 0.50),
    ("FEAR.MODE.STATED_FEAR", 0.30),
    ("FEAR.MODE.ANSWERED_QUESTIONS", 0.05),
    ("FEAR.MODE.WRITTEN", 0.05),
    ("FEAR.MODE.DOCUMENTS", 0.05),
    ("FEAR.MODE.VIA_ADVOCATE", 0.05),
)
AMERICAS = frozenset({"MX", "HN", "GT", "SV", "NI", "CU", "VE", "CO", "EC", "HT", "BR"})


@dataclass
class Encounters:
    """Per encounter (index = encounter number), ordered by unit then attempt."""

    unit: np.ndarray
    attempt: np.ndarray
    day: np.ndarray  # datetime64[D]
    port: np.ndarray
    metering: np.ndarray  # the port was metering that day
    turned_back: np.ndarray
    fear_mode: np.ndarray  # a FEAR.MODE.* code
    fear_expressed: np.ndarray
    fear_language: np.ndarray  # ISO 639-3, "" when no fear was expressed
    tactic_codes: tuple[str, ...]
    tactics: np.ndarray  # bool, encounters x tactic_codes
    outcome: np.ndarray  # an OUT.* code

    def __len__(self) -> int:
        return len(self.unit)

    def tactics_of(self, index: int) -> list[str]:
        return [
            code for code, used in zip(self.tactic_codes, self.tactics[index], strict=True) if used
        ]

    def unit_ranges(self, unit_count: int) -> tuple[np.ndarray, np.ndarray]:
        """Start and end (exclusive) of every unit's encounters."""
        starts = np.searchsorted(self.unit, np.arange(unit_count), side="left")
        ends = np.searchsorted(self.unit, np.arange(unit_count), side="right")
        return starts, ends


def metering_days(config: SimulationConfig, ports: np.ndarray) -> np.ndarray:
    """The day each port began metering."""
    start = np.full(len(ports), np.datetime64(config.metering_start), dtype="datetime64[D]")
    for port, day in config.early_metering:
        start[ports == port] = np.datetime64(day)
    return start


def _attempt_schedule(
    rng: np.random.Generator, config: SimulationConfig, units: Units
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    attempts = np.minimum(
        1 + rng.poisson(config.mean_extra_attempts, len(units)), config.max_attempts
    )
    unit = np.repeat(np.arange(len(units)), attempts)
    starts = np.cumsum(attempts) - attempts
    attempt = np.arange(len(unit)) - starts[unit] + 1
    gaps = np.where(
        attempt > 1, 1 + rng.exponential(config.mean_days_between_attempts, len(unit)), 0
    )
    elapsed = np.cumsum(gaps.astype(int))
    elapsed -= elapsed[starts][unit]
    day = units.first_day[unit] + elapsed.astype("timedelta64[D]")
    within = day <= np.datetime64(config.end)
    return unit[within], attempt[within], day[within]


def _ports(
    rng: np.random.Generator,
    config: SimulationConfig,
    units: Units,
    unit: np.ndarray,
    attempt: np.ndarray,
) -> np.ndarray:
    codes, weights = port_distribution(config)
    port = units.home_port[unit].copy()
    elsewhere = (attempt > 1) & (rng.random(len(unit)) >= config.same_port_again)
    port[elsewhere] = codes[rng.choice(len(codes), size=int(elsewhere.sum()), p=weights)]
    return port


def _until_processed(turned_back: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Keep each unit's attempts up to and including the first one where it was processed."""
    processed = (~turned_back).astype(np.int64)
    before = np.cumsum(processed) - processed
    first = np.searchsorted(unit, unit, side="left")
    before_in_unit = before - (np.cumsum(processed) - processed)[first]
    return before_in_unit == 0


def _fear(
    rng: np.random.Generator, config: SimulationConfig, units: Units, unit: np.ndarray,
    turned_back: np.ndarray, metering: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    size = len(unit)
    expressed = rng.random(size) < config.fear_expressed
    modes = np.asarray([mode for mode, _ in FEAR_EXPRESSED_MODES], dtype=object)
    weights = np.asarray([weight for _, weight in FEAR_EXPRESSED_MODES])
    mode = modes[rng.choice(len(modes), size=size, p=weights / weights.sum())]
    prevented = turned_back & metering & (rng.random(size) < 0.5)
    mode[~expressed] = np.where(
        prevented[~expressed], "FEAR.MODE.PREVENTED", "FEAR.MODE.NOT_EXPRESSED"
    )
    own = units.language[unit]
    fallback = np.where(np.isin(units.nationality[unit], list(AMERICAS)), "spa", "eng")
    in_own = np.isin(own, ["spa", "eng"]) | (rng.random(size) < config.fear_in_own_language)
    language = np.where(in_own, own, fallback).astype(object)
    language[~expressed] = ""
    return mode, expressed, language


def tactic_probabilities(
    config: SimulationConfig, port: np.ndarray, metering: np.ndarray
) -> dict[str, np.ndarray]:
    """P(tactic | turned back) for each encounter, before the ``applies_to`` restriction."""
    probabilities = {}
    for rate in config.tactics:
        probability = np.where(metering, rate.after_metering, rate.before_metering)
        for port_code, code, multiplier in config.port_tactic_multipliers:
            if code == rate.code:
                probability = np.where(port == port_code, probability * multiplier, probability)
        probabilities[rate.code] = np.clip(probability, 0.0, 1.0)
    return probabilities


def _tactics(
    rng: np.random.Generator, config: SimulationConfig, units: Units, unit: np.ndarray,
    port: np.ndarray, metering: np.ndarray, turned_back: np.ndarray, fear_expressed: np.ndarray,
) -> np.ndarray:  # fmt: skip
    eligible = {
        "all": turned_back,
        "families": turned_back & (units.kind[unit] == UNIT_FAMILY),
        "fear_expressed": turned_back & fear_expressed,
        "language_barrier": turned_back & ~np.isin(units.language[unit], ["spa", "eng"]),
    }
    tactics = np.zeros((len(unit), len(config.tactics)), dtype=bool)
    probabilities = tactic_probabilities(config, port, metering)
    for column, rate in enumerate(config.tactics):
        draw = rng.random(len(unit)) < probabilities[rate.code]
        tactics[:, column] = draw & eligible[rate.applies_to]
    return tactics


def _outcomes(
    rng: np.random.Generator, config: SimulationConfig, day: np.ndarray, turned_back: np.ndarray,
    tactics: np.ndarray, codes: tuple[str, ...],
) -> np.ndarray:  # fmt: skip
    size = len(day)
    draw = rng.random(size)
    outcome = np.full(size, "OUT.TURNED_BACK", dtype=object)
    if "TAC.COERCION.SIGN" in codes:
        outcome[tactics[:, codes.index("TAC.COERCION.SIGN")]] = "OUT.WITHDREW"
    if "TAC.DENY.WAITLIST" in codes:
        listed = tactics[:, codes.index("TAC.DENY.WAITLIST")]
        closed = day >= np.datetime64(config.waitlist_closed_after)
        closed &= draw < config.waitlist_closed_share
        outcome[listed] = np.where(closed[listed], "OUT.METERED.LIST_CLOSED", "OUT.METERED.LISTED")
    processed = np.asarray(
        ["OUT.PROCESSED.CFI_REFERRAL", "OUT.PROCESSED.NTA", "OUT.PROCESSED.PAROLE"]
    )
    kind = processed[rng.choice(3, size=size, p=[0.65, 0.30, 0.05])]
    mpp = (day >= np.datetime64(config.mpp_start)) & (draw < config.mpp_share)
    kind = np.where(mpp, "OUT.PROCESSED.MPP", kind)
    outcome[~turned_back] = kind[~turned_back]
    return outcome


def draw_encounters(rng: np.random.Generator, config: SimulationConfig, units: Units) -> Encounters:
    """Every unit's attempts, turn-backs, fear, tactics and outcomes."""
    unit, attempt, day = _attempt_schedule(rng, config, units)
    port = _ports(rng, config, units, unit, attempt)
    metering = day >= metering_days(config, port)
    probability = np.where(
        metering, config.turn_back_after_metering, config.turn_back_before_metering
    )
    turned_back = rng.random(len(unit)) < probability
    kept = _until_processed(turned_back, unit)
    unit, attempt, day, port = unit[kept], attempt[kept], day[kept], port[kept]
    metering, turned_back = metering[kept], turned_back[kept]
    mode, expressed, language = _fear(rng, config, units, unit, turned_back, metering)
    tactics = _tactics(rng, config, units, unit, port, metering, turned_back, expressed)
    codes = tuple(rate.code for rate in config.tactics)
    return Encounters(
        unit=unit,
        attempt=attempt,
        day=day,
        port=port,
        metering=metering,
        turned_back=turned_back,
        fear_mode=mode,
        fear_expressed=expressed,
        fear_language=language,
        tactic_codes=codes,
        tactics=tactics,
        outcome=_outcomes(rng, config, day, turned_back, tactics, codes),
    )


def turn_backs_per_unit(encounters: Encounters, unit_count: int) -> np.ndarray:
    """How many times each unit was turned back."""
    return np.bincount(encounters.unit[encounters.turned_back], minlength=unit_count)
