"""Agreement written as snapshot tables: alpha always, Cohen's kappa only for two coders."""

from __future__ import annotations

from testimonio.analysis.agreement_tables import agreement_frames
from testimonio.declarations import Mark, measure_agreement

# Krippendorff's example (10 units, two observers): alpha 0.095, kappa 0.0909 (see
# tests/declarations/test_agreement.py, where both are checked by hand).
FIRST = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
SECOND = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def _marks(coders: dict[str, list[int]]) -> tuple[list[Mark], list[tuple[str, str]]]:
    marks = [
        Mark(f"u{unit}", coder, "threat")
        for coder, values in coders.items()
        for unit, value in enumerate(values)
        if value
    ]
    read = [(f"u{unit}", coder) for coder, values in coders.items() for unit in range(len(values))]
    return marks, read


def test_two_coders_give_both_tables_with_the_measured_values() -> None:
    marks, read = _marks({"a": FIRST, "b": SECOND})
    tables = agreement_frames(
        measure_agreement(marks, read, minimum_alpha=0.667, replicates=50), 0.667
    )
    assert set(tables) == {"coder_agreement", "coder_kappa"}
    kappa = tables["coder_kappa"].set_index("term_code").loc["threat"]
    assert kappa["paragraphs"] == 10 and round(kappa["kappa"], 4) == 0.0909
    alpha = tables["coder_agreement"].set_index("term_code").loc["threat"]
    assert round(alpha["alpha"], 3) == 0.095 and bool(alpha["flagged"])


def test_three_coders_give_alpha_and_no_kappa_table() -> None:
    marks, read = _marks({"a": FIRST, "b": SECOND, "c": FIRST})
    tables = agreement_frames(
        measure_agreement(marks, read, minimum_alpha=0.667, replicates=50), 0.667
    )
    assert set(tables) == {"coder_agreement"}


def test_nothing_double_coded_gives_no_table() -> None:
    marks, read = _marks({"a": FIRST})
    assert (
        agreement_frames(measure_agreement(marks, read, minimum_alpha=0.667, replicates=50), 0.667)
        == {}
    )
