"""A synthetic world with ground truth: people, encounters at ports, documentation sources.

Real testimonies never enter this repository, so every statistic, linkage and report is tested
against worlds made here, whose truth is known. ``generate_world(SimulationConfig(...), out_dir)``
writes what each organization would hold plus ``truth/``; ``draw_world(config)`` draws the same
world in memory only (for statistical tests). The core never imports Django or the CLI.
"""

from testimonio.simulation.config import (
    ListDependence,
    NoiseRates,
    SimulationConfig,
    SourceSpec,
    TacticRate,
    default_config,
)
from testimonio.simulation.draw import DrawnWorld, draw_world
from testimonio.simulation.reviewer import reviewed_mapping
from testimonio.simulation.world import SourceSummary, WorldSummary, generate_world

__all__ = [
    "DrawnWorld",
    "ListDependence",
    "NoiseRates",
    "SimulationConfig",
    "SourceSpec",
    "SourceSummary",
    "TacticRate",
    "WorldSummary",
    "default_config",
    "draw_world",
    "generate_world",
    "reviewed_mapping",
]
