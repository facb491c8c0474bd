"""The persons and events behind a figure, and a panel restricted to one stratum.

From any figure an attorney can list who it counts (pseudonyms) and which events: this module
recomputes them from the figure's id and group on demand, so a panel over a million people
does not carry a million ids per figure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from testimonio.analysis.data import AnalysisData
from testimonio.errors import EstimationError, InputError


def event_mask(data: AnalysisData, scope: Mapping[str, str]) -> np.ndarray:
    """Events inside the scope (an event field's value, or the person's attribute or flag)."""
    from testimonio.analysis.panel import BY_FIELDS, EVENT_FIELDS

    mask = np.ones(len(data.events), dtype=bool)
    person = data.events["person"].to_numpy()
    for key, value in scope.items():
        if key not in BY_FIELDS:
            raise InputError(f"cannot filter by {key!r}; choose one of {', '.join(BY_FIELDS)}")
        if key in EVENT_FIELDS:
            mask &= data.events[key].to_numpy() == value
        elif key == "vulnerability":
            if value not in data.vulnerabilities.columns:
                mask &= False
            else:
                mask &= data.vulnerabilities[value].to_numpy()[person]
        else:
            mask &= data.persons[key].to_numpy()[person] == value
    return mask


def _counted_events(data: AnalysisData, figure_id: str, mask: np.ndarray) -> np.ndarray:
    turned = data.events["turned"].to_numpy() & mask
    if figure_id in {"persons_turned_away", "encounters_turned_away"}:
        return turned
    if figure_id == "persons_fear_expressed_then_turned_away":
        return turned & data.events["fear"].to_numpy()
    if figure_id == "persons_turned_away_repeatedly":
        person = data.events["person"].to_numpy()
        times = np.bincount(person[turned], minlength=len(data.persons))
        return turned & (times[person] >= 2)
    if figure_id.startswith("tactic:"):
        code = figure_id.removeprefix("tactic:")
        if code not in data.tactic_codes:
            raise InputError(f"no tactic {code!r} is coded in this snapshot")
        return turned & data.tactics[:, data.tactic_codes.index(code)]
    raise InputError(f"unknown figure id {figure_id!r}")


def behind(
    data: AnalysisData, figure_id: str, scope: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """(person pseudonyms, event ids) counted by the figure in the scope, sorted."""
    counted = _counted_events(data, figure_id, event_mask(data, scope))
    person = np.unique(data.events["person"].to_numpy()[counted])
    pseudonyms = data.persons["person_id"].to_numpy()[person]
    return sorted(pseudonyms.tolist()), sorted(data.events["event_id"][counted].tolist())


def restrict(data: AnalysisData, where: Mapping[str, str]) -> AnalysisData:
    """The same data with only the events of the stratum; an empty stratum is an error."""
    mask = event_mask(data, where)
    if not mask.any():
        scope = ", ".join(f"{key}={value}" for key, value in where.items())
        raise EstimationError(f"no one in the stratum {scope}: there is nothing to count there")
    return dataclasses.replace(
        data, events=data.events[mask].reset_index(drop=True), tactics=data.tactics[mask]
    )


__all__ = ["behind", "event_mask", "restrict"]
