"""Coverage study: how often each method's 95% interval contains the true total N.

Simulated populations with known N and 4 lists, three scenarios: independent lists, two
positively dependent lists, heterogeneous capture (two latent groups). Then the demo's world
(``testimonio.simulation`` with the default ``SimulationConfig``, 5,000 people, the true capture
histories, so no linkage error), estimated as one population and stratified by the US state of
each person's usual port (CA, TX, AZ with NM: New Mexico alone has 10-25 people), with the span of
the whole panel (lowest lower limit to highest upper limit). ``--decompose`` instead switches the
demo world's capture features on one at a time to show which one moves each method.
Small by default (a few minutes); ``--replicates 200`` for a bigger study.
Run: ``python benchmarks/estimation_coverage.py [--scenarios demo] [--decompose]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from testimonio.estimation import (
    CaptureHistories,
    EstimateResult,
    LcmcrSettings,
    capture_histories_from_frame,
    combine_strata,
    dga_estimate,
    lcmcr_estimate,
    loglinear_estimate,
)
from testimonio.estimation.capture_histories import _aggregate
from testimonio.simulation import SimulationConfig
from testimonio.simulation.capture import port_states
from testimonio.simulation.draw import draw_world

Method = Callable[[CaptureHistories], EstimateResult]

TRUE_TOTAL = 2_000
LISTS = 4


def simulate(scenario: str, rng: np.random.Generator) -> CaptureHistories:
    """One population of ``TRUE_TOTAL`` people and who each list documented."""
    if scenario == "independent":
        rates = np.full((TRUE_TOTAL, LISTS), 0.2)
        captures = rng.random(rates.shape) < rates
    elif scenario == "dependent":
        captures = rng.random((TRUE_TOTAL, LISTS)) < 0.2
        # list 2 documents most of the people list 1 documented (referrals between them)
        captures[:, 1] |= captures[:, 0] & (rng.random(TRUE_TOTAL) < 0.5)
    else:  # heterogeneous: a hard-to-reach third of the population
        hidden = rng.random(TRUE_TOTAL) < 1 / 3
        rates = np.where(hidden[:, None], 0.05, 0.35) * np.ones((1, LISTS))
        captures = rng.random(rates.shape) < rates
    patterns, counts = _aggregate(captures.astype(np.int8), np.ones(TRUE_TOTAL, dtype=np.int64))
    return CaptureHistories(tuple("ABCD"), patterns, counts)


def demo_world(seed: int, config: SimulationConfig | None = None) -> tuple[pd.DataFrame, int]:
    """The demo's world: who each list documented (with the state), and the true total."""
    config = dataclasses.replace(config or SimulationConfig(people=5_000, sources=4), seed=seed)
    world = draw_world(config)
    seen = world.captured.any(axis=1)
    frame = pd.DataFrame(world.captured[seen].astype(int), columns=world.source_keys)
    states = port_states(world.population.units.home_port)[world.population.unit][seen]
    frame["state"] = pd.Series(states).replace({"AZ": "AZ+NM", "NM": "AZ+NM"}).to_numpy()
    return frame, int(world.ever_turned_away.sum())


def demo_results(frame: pd.DataFrame, methods_: dict[str, Method]) -> dict[str, EstimateResult]:
    """Each method on the whole world, each summed over states, and the panel's span."""
    whole = capture_histories_from_frame(frame.drop(columns=["state"]))
    strata = capture_histories_from_frame(frame, stratify="state")
    assert isinstance(whole, CaptureHistories) and isinstance(strata, dict)
    results: dict[str, EstimateResult] = {}
    for name, method in methods_.items():
        results[name] = method(whole)
        parts = {stratum: method(histories) for stratum, histories in strata.items()}
        results[f"{name}, summed over states"] = combine_strata(parts)
    for label, chosen in (("", list(methods_)), (", summed over states", list(methods_))):
        panel = [results[name + label] for name in chosen]
        uppers = [r.upper for r in panel]
        results[f"span of the whole panel{label}"] = EstimateResult(
            method="span",
            observed=panel[0].observed,
            estimate=float(np.median([r.estimate for r in panel])),
            lower=min(r.lower for r in panel if r.lower is not None),
            upper=None if None in uppers else max(u for u in uppers if u is not None),
            level=panel[0].level,
            model="lowest lower limit to highest upper limit",
        )
    return results


def decompose(replicates: int, settings: LcmcrSettings) -> None:
    """Median estimate / truth and coverage with one capture feature of the world at a time."""
    base = SimulationConfig(people=5_000, sources=4)
    none = dict(capture_heterogeneity=0.0, turn_back_log_odds=0.0, list_dependence=())

    def specs(**changes: object) -> tuple[object, ...]:
        return tuple(dataclasses.replace(spec, **changes) for spec in base.source_specs)

    plain = specs(state_log_odds=(), minimum_age=0)
    variants = {
        "default (all features)": base,
        "none (independent, homogeneous)": dataclasses.replace(base, **none, source_specs=plain),
        "only latent visibility": dataclasses.replace(
            base, **{**none, "capture_heterogeneity": 0.8}, source_specs=plain
        ),
        "only lists tied to states": dataclasses.replace(
            base, **none, source_specs=specs(minimum_age=0)
        ),
        "only direct list dependence": dataclasses.replace(
            base, **{**none, "list_dependence": base.list_dependence}, source_specs=plain
        ),
        "only turn-backs raise capture": dataclasses.replace(
            base, **{**none, "turn_back_log_odds": 0.3}, source_specs=plain
        ),
        "only declarations from age 16": dataclasses.replace(
            base, **none, source_specs=specs(state_log_odds=())
        ),
    }
    chosen = methods(settings)
    print("| demo world with | " + " | ".join(chosen) + " |")
    print("|---" * (len(chosen) + 1) + "|")
    for label, config in variants.items():
        ratios: dict[str, list[float]] = {name: [] for name in chosen}
        covered: dict[str, int] = dict.fromkeys(chosen, 0)
        for seed in range(1, replicates + 1):
            frame, truth = demo_world(seed, config)
            histories = capture_histories_from_frame(frame.drop(columns=["state"]))
            assert isinstance(histories, CaptureHistories)
            for name, method in chosen.items():
                result = method(histories)
                ratios[name].append(result.estimate / truth)
                covered[name] += _covers(result, truth)
        cells = [f"{np.median(ratios[n]):.2f} ({covered[n]}/{replicates})" for n in chosen]
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)


def _covers(result: EstimateResult, truth: int) -> bool:
    lower = result.lower if result.lower is not None else 0.0
    return lower <= truth <= (result.upper if result.upper is not None else np.inf)


def methods(settings: LcmcrSettings) -> dict[str, Method]:
    return {
        "loglinear main effects (profile)": lambda h: loglinear_estimate(h, "main"),
        "loglinear stepwise (SparseMSE)": lambda h: loglinear_estimate(h, "stepwise"),
        "loglinear stepwise (SparseMSE), bootstrap BCa": lambda h: loglinear_estimate(
            h, "stepwise", bootstrap=1000
        ),
        "loglinear AIC stepwise (profile)": lambda h: loglinear_estimate(h, "aic"),
        "loglinear best BIC (profile)": lambda h: loglinear_estimate(h, "bic"),
        "lcmcr": lambda h: lcmcr_estimate(h, settings),
        "dga": dga_estimate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--scenarios", default="independent,dependent,heterogeneous,demo", help="comma-separated"
    )
    parser.add_argument(
        "--decompose", action="store_true", help="the demo world, feature by feature"
    )
    arguments = parser.parse_args()
    rng = np.random.default_rng(arguments.seed)
    settings = LcmcrSettings(classes=10, burn_in=10_000, samples=500, thinning=20, seeds=(1, 2))
    started = time.perf_counter()
    if arguments.decompose:
        decompose(arguments.replicates, settings)
        print(f"\n({time.perf_counter() - started:.0f} s)")
        return
    print(
        f"True N = {TRUE_TOTAL}, {LISTS} lists, {arguments.replicates} populations per scenario\n"
    )
    print("| scenario | method | coverage of 95% interval | median estimate | median width |")
    print("|---|---|---|---|---|")
    for scenario in arguments.scenarios.split(","):
        if scenario == "demo":
            _demo_rows(arguments.replicates, settings)
            continue
        populations = [simulate(scenario, rng) for _ in range(arguments.replicates)]
        for name, method in methods(settings).items():
            results = [method(histories) for histories in populations]
            _row(scenario, name, results, [TRUE_TOTAL] * len(results))
    print(f"\n({time.perf_counter() - started:.0f} s)")


def _demo_rows(replicates: int, settings: LcmcrSettings) -> None:
    """The demo world (seeds 2017, 2018, ...), estimates relative to each world's truth."""
    collected: dict[str, list[EstimateResult]] = {}
    truths = []
    for seed in range(2017, 2017 + replicates):
        frame, truth = demo_world(seed)
        truths.append(truth)
        for name, result in demo_results(frame, methods(settings)).items():
            collected.setdefault(name, []).append(result)
    for name, results in collected.items():
        _row("demo world (estimate / truth)", name, results, truths)


def _row(scenario: str, name: str, results: list[EstimateResult], truths: list[int]) -> None:
    covered = [_covers(r, truth) for r, truth in zip(results, truths, strict=True)]
    relative = scenario.startswith("demo")
    scale = [truth if relative else 1 for truth in truths]
    estimates = [r.estimate / k for r, k in zip(results, scale, strict=True)]
    widths = [
        ((r.upper if r.upper is not None else np.inf) - (r.lower or 0.0)) / k
        for r, k in zip(results, scale, strict=True)
    ]
    shown = "{:.2f}" if relative else "{:,.0f}"
    print(
        f"| {scenario} | {name} | {np.mean(covered):.0%} | "
        f"{shown.format(np.median(estimates))} | {shown.format(np.median(widths))} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
