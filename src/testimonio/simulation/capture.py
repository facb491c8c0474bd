"""Who each documentation source captures: heterogeneous probabilities and list dependence.

For person *i* and list *k* (lists taken in configured order) the model is::

    logit P(on list k) = logit(capture_probability_k)
                         + capture_heterogeneity * visibility_loading_k * z_unit(i)
                         + state_log_odds_k[state of the unit's usual port]
                         + turn_back_log_odds * (turn-backs of i - 1)
                         + sum over earlier lists j of log_odds_ratio(j -> k) * [i on list j]

``z`` is one standard-normal draw per family unit, so relatives tend to be documented together
and lists are positively dependent through heterogeneity; ``list_dependence`` adds direct
dependence (a referral, or a list that avoids another's clients). With heterogeneity, state
and turn-back effects set to zero, list k's capture rate is exactly ``capture_probability_k``
and the odds ratio between two directly dependent lists is ``exp(log_odds_ratio)``.
People younger than a list's ``minimum_age`` are never on it (children do not sign declarations).
"""

from __future__ import annotations

import numpy as np

from testimonio.simulation.config import SimulationConfig
from testimonio.simulation.population import Population
from testimonio.vocab.reference import read_table


def _logit(probability: float) -> float:
    return float(np.log(probability / (1.0 - probability)))


def port_states(ports: np.ndarray) -> np.ndarray:
    """The US state (CA, AZ, NM, TX) of each port code."""
    state_of = {row["code"]: row["state"] for row in read_table("ports")}
    return np.asarray([state_of.get(port, "") for port in ports], dtype=object)


def capture_lists(
    rng: np.random.Generator,
    config: SimulationConfig,
    population: Population,
    turn_backs: np.ndarray,
) -> np.ndarray:
    """A boolean matrix people x active sources: who is on which list.

    ``turn_backs`` counts each person's turn-backs; only people turned back at least once can be
    captured when ``config.capture_only_turned_away`` (documenters record turned-away people).
    """
    specs = config.active_sources
    keys = [spec.key for spec in specs]
    eligible = turn_backs > 0 if config.capture_only_turned_away else np.ones(len(population), bool)
    visibility = population.units.visibility[population.unit]
    states = port_states(population.units.home_port)[population.unit]
    extra_turn_backs = np.maximum(turn_backs - 1, 0)
    captured = np.zeros((len(population), len(specs)), dtype=bool)
    for column, spec in enumerate(specs):
        logit = np.full(len(population), _logit(spec.capture_probability))
        logit += config.capture_heterogeneity * spec.visibility_loading * visibility
        logit += config.turn_back_log_odds * extra_turn_backs
        for state, shift in spec.state_log_odds:
            logit[states == state] += shift
        for link in config.list_dependence:
            if link.later == spec.key and link.earlier in keys[:column]:
                logit += link.log_odds_ratio * captured[:, keys.index(link.earlier)]
        probability = 1.0 / (1.0 + np.exp(-logit))
        old_enough = population.age >= spec.minimum_age
        captured[:, column] = eligible & old_enough & (rng.random(len(population)) < probability)
    return captured
