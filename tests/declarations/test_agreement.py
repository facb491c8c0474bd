"""Agreement between coders, on codings whose alpha and kappa are known by hand."""

from __future__ import annotations

import math

from testimonio.declarations.agreement import Mark, measure_agreement

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", binary data of two
# observers over ten units: alpha = 0.095. Cohen's kappa of the same table (5, 3 / 1, 1) is
# (0.6 - 0.56) / 0.44 = 0.0909.
FIRST = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
SECOND = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def _marks(term: str, *coders: tuple[str, list[int]]) -> tuple[list[Mark], list[tuple[str, str]]]:
    marks = [
        Mark(f"u{unit}", coder, term)
        for coder, values in coders
        for unit, value in enumerate(values)
        if value
    ]
    read = [(f"u{unit}", coder) for coder, values in coders for unit in range(len(values))]
    return marks, read


def test_it_reproduces_krippendorffs_published_binary_example() -> None:
    marks, read = _marks("TAC.THREAT", ("ana", FIRST), ("beto", SECOND))
    [result] = measure_agreement(marks, read, replicates=200)
    assert round(result.alpha, 3) == 0.095
    assert result.kappa is not None and round(result.kappa, 4) == 0.0909
    assert result.units == 10 and result.coders == 2


def test_perfect_agreement_has_alpha_one_and_no_disagreements() -> None:
    marks, read = _marks("TAC.THREAT", ("ana", FIRST), ("beto", FIRST))
    [result] = measure_agreement(marks, read, replicates=200)
    assert result.alpha == 1.0
    assert result.lower == 1.0 and result.upper == 1.0
    assert result.disagreements == []


def test_the_bootstrap_interval_contains_the_estimate_and_repeats_with_the_seed() -> None:
    marks, read = _marks("T", ("ana", FIRST * 3), ("beto", SECOND * 3))
    [one] = measure_agreement(marks, read, replicates=300, seed=7)
    [two] = measure_agreement(marks, read, replicates=300, seed=7)
    assert one.lower <= one.alpha <= one.upper
    assert one.lower < one.upper
    assert (one.lower, one.upper) == (two.lower, two.upper)


def test_it_lists_each_disagreement_with_who_marked_it() -> None:
    marks, read = _marks("T", ("ana", FIRST), ("beto", SECOND))
    [result] = measure_agreement(marks, read, replicates=10)
    units = {d.unit: d for d in result.disagreements}
    assert sorted(units) == ["u0", "u2", "u5", "u8"]
    assert units["u8"].marked_by == ("ana",) and units["u8"].not_marked_by == ("beto",)


def test_units_read_by_one_coder_only_are_left_out_of_the_sample() -> None:
    marks, read = _marks("T", ("ana", FIRST), ("beto", SECOND))
    marks.append(Mark("single", "ana", "T"))
    read.append(("single", "ana"))
    [result] = measure_agreement(marks, read, replicates=10)
    assert result.units == 10
    assert round(result.alpha, 3) == 0.095


def test_a_term_nobody_marked_has_no_alpha_and_is_flagged_under_a_minimum() -> None:
    marks, read = _marks("T", ("ana", FIRST), ("beto", SECOND))
    results = measure_agreement(
        marks, read, terms=["T", "NEVER"], minimum_alpha=0.667, replicates=10
    )
    by_term = {r.term: r for r in results}
    assert math.isnan(by_term["NEVER"].alpha) and by_term["NEVER"].flagged
    assert by_term["T"].flagged  # 0.095 < 0.667


def test_three_coders_give_alpha_but_no_kappa() -> None:
    marks, read = _marks("T", ("ana", FIRST), ("beto", FIRST), ("cris", SECOND))
    [result] = measure_agreement(marks, read, replicates=10)
    assert result.kappa is None
    assert result.coders == 3 and 0 < result.alpha < 1
