"""How far coders agree on which paragraphs are evidence of which term.

Plain data in, plain data out (no Django): a list of :class:`Mark` (a coder said this unit,
a paragraph, is evidence of this term) and the units each coder read. For every term each
coder's reading of each unit is 1 (marked) or 0 (read, not marked); a unit a coder did not
read is missing. Agreement is measured on the units read by two coders or more (the blind
double-coded sample):

- Krippendorff's alpha, nominal (the ``krippendorff`` package), with a percentile bootstrap
  interval over units (units resampled with replacement, a fixed seed so the figure repeats);
- Cohen's kappa (statsmodels) when exactly two coders read the sample;
- the disagreements, unit by unit, for the coders to resolve.

Alpha is undefined (NaN) when every reading of a term is the same (nobody ever marked it, or
everyone marked every unit): there is nothing to disagree about, and saying "1.0" would claim
a reliability nobody measured.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import krippendorff
import numpy as np

__all__ = ["Disagreement", "Mark", "TermAgreement", "measure_agreement"]


@dataclass(frozen=True)
class Mark:
    """A coder marked ``unit`` (a paragraph id) as evidence of ``term``."""

    unit: str
    coder: str
    term: str


@dataclass(frozen=True)
class Disagreement:
    unit: str
    term: str
    marked_by: tuple[str, ...]
    not_marked_by: tuple[str, ...]


@dataclass
class TermAgreement:
    term: str
    units: int
    coders: int
    alpha: float
    lower: float
    upper: float
    level: float
    kappa: float | None = None
    #: alpha below the project's minimum (or undefined while a minimum is set)
    flagged: bool = False
    disagreements: list[Disagreement] = field(default_factory=list)


def measure_agreement(
    marks: Iterable[Mark],
    read: Iterable[tuple[str, str]] | None = None,
    *,
    terms: Sequence[str] | None = None,
    minimum_alpha: float | None = None,
    replicates: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> list[TermAgreement]:
    """Agreement per term (sorted by term) over the units read by at least two coders.

    ``read`` lists (unit, coder) pairs a coder read; by default a coder read exactly the
    units they marked something on. ``terms`` defaults to every term marked.
    """
    marks = list(marks)
    readings = set(read) if read is not None else {(m.unit, m.coder) for m in marks}
    readings |= {(m.unit, m.coder) for m in marks}
    readers: dict[str, set[str]] = defaultdict(set)
    for unit, coder in readings:
        readers[unit].add(coder)
    sample = sorted(unit for unit, coders in readers.items() if len(coders) >= 2)
    coders = sorted({coder for unit in sample for coder in readers[unit]})
    marked = {(m.unit, m.coder, m.term) for m in marks}
    chosen = sorted(set(terms) if terms is not None else {m.term for m in marks})
    rng = np.random.default_rng(seed)
    results = []
    for term in chosen:
        matrix = _matrix(term, sample, coders, readers, marked)
        alpha = _alpha(matrix)
        lower, upper = _bootstrap(matrix, replicates, level, rng)
        results.append(
            TermAgreement(
                term=term,
                units=len(sample),
                coders=len(coders),
                alpha=alpha,
                lower=lower,
                upper=upper,
                level=level,
                kappa=_kappa(matrix) if len(coders) == 2 else None,
                flagged=minimum_alpha is not None and (math.isnan(alpha) or alpha < minimum_alpha),
                disagreements=_disagreements(term, matrix, sample, coders),
            )
        )
    return results


def _matrix(
    term: str,
    units: list[str],
    coders: list[str],
    readers: dict[str, set[str]],
    marked: set[tuple[str, str, str]],
) -> np.ndarray:
    """Coders x units: 1 marked, 0 read and not marked, NaN not read."""
    matrix = np.full((len(coders), len(units)), np.nan)
    for column, unit in enumerate(units):
        for row, coder in enumerate(coders):
            if coder in readers[unit]:
                matrix[row, column] = 1.0 if (unit, coder, term) in marked else 0.0
    return matrix


def _alpha(matrix: np.ndarray) -> float:
    if matrix.shape[1] == 0:
        return math.nan
    values = matrix[~np.isnan(matrix)]
    if values.size == 0 or np.all(values == values[0]):
        return math.nan  # one value only: alpha is 0/0
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(
            krippendorff.alpha(
                reliability_data=matrix, level_of_measurement="nominal", value_domain=[0.0, 1.0]
            )
        )


def _bootstrap(
    matrix: np.ndarray, replicates: int, level: float, rng: np.random.Generator
) -> tuple[float, float]:
    units = matrix.shape[1]
    if units == 0 or replicates <= 0:
        return math.nan, math.nan
    draws = [_alpha(matrix[:, rng.integers(0, units, units)]) for _ in range(replicates)]
    finite = np.array([d for d in draws if not math.isnan(d)])
    if finite.size == 0:
        return math.nan, math.nan
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)


def _kappa(matrix: np.ndarray) -> float:
    """Cohen's kappa of the two coders over the units both read."""
    both = ~np.isnan(matrix).any(axis=0)
    first, second = matrix[0, both].astype(int), matrix[1, both].astype(int)
    table = np.zeros((2, 2))
    for a, b in zip(first, second, strict=True):
        table[a, b] += 1
    if table.sum() == 0 or table[0, 0] == table.sum() or table[1, 1] == table.sum():
        return math.nan  # all in one cell: chance agreement is 1 and kappa 0/0
    from statsmodels.stats.inter_rater import cohens_kappa  # heavy: only when measured

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(cohens_kappa(table).kappa)


def _disagreements(
    term: str, matrix: np.ndarray, units: list[str], coders: list[str]
) -> list[Disagreement]:
    found = []
    for column, unit in enumerate(units):
        marked = tuple(c for row, c in enumerate(coders) if matrix[row, column] == 1.0)
        unmarked = tuple(c for row, c in enumerate(coders) if matrix[row, column] == 0.0)
        if marked and unmarked:
            found.append(Disagreement(unit, term, marked, unmarked))
    return found
