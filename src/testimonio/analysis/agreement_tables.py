"""Coders' agreement as snapshot tables: ``coder_agreement`` and, for two coders, ``coder_kappa``.

One function shared by the web app's snapshot and the simulated one, so the evidence packet's
agreement figures are always read from tables made the same way. Kappa has its own optional
table (version 4) rather than a column of ``coder_agreement``, so a version 2 or 3 snapshot is
still read as it is: its reader says kappa was not measured.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from testimonio.analysis.snapshot_schema import TABLES
from testimonio.declarations import TermAgreement

__all__ = ["agreement_frames"]


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def agreement_frames(
    results: Sequence[TermAgreement], minimum_alpha: float
) -> dict[str, pd.DataFrame]:
    """The tables for ``results`` (terms no double-coded paragraph measured are left out).

    ``coder_kappa`` is written only when exactly two coders read the sample: Cohen's kappa is
    a two-coder measure (:func:`testimonio.declarations.measure_agreement` gives none else).
    """
    measured = [r for r in results if r.units > 0]
    if not measured:
        return {}
    tables = {
        "coder_agreement": pd.DataFrame(
            [
                (
                    r.term,
                    r.units,
                    r.coders,
                    _finite(r.alpha),
                    _finite(r.lower),
                    _finite(r.upper),
                    r.level,
                    minimum_alpha,
                    bool(r.flagged),
                )
                for r in measured
            ],
            columns=list(TABLES["coder_agreement"].column_names),
        )  # fmt: skip
    }
    two = [r for r in measured if r.coders == 2]
    if two:
        tables["coder_kappa"] = pd.DataFrame(
            [(r.term, r.units, _finite(r.kappa)) for r in two],
            columns=list(TABLES["coder_kappa"].column_names),
        )
    return tables
