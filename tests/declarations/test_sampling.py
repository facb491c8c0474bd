"""The double-coding sample: reproducible, about the share asked, nested as the share grows."""

from __future__ import annotations

import pytest

from testimonio.declarations import in_double_sample, sample_draw


def test_the_sample_is_about_the_share_and_the_same_every_time() -> None:
    units = [str(n) for n in range(20_000)]
    drawn = [u for u in units if in_double_sample("project-1", u, 0.2)]
    assert 0.19 < len(drawn) / len(units) < 0.21  # binomial sd 0.0028: five sd either side
    assert drawn == [u for u in units if in_double_sample("project-1", u, 0.2)]
    other = {u for u in units if in_double_sample("project-2", u, 0.2)}
    assert 0.15 < len(other & set(drawn)) / len(drawn) < 0.25  # another project, another draw


def test_raising_the_share_only_adds_paragraphs() -> None:
    units = [str(n) for n in range(5_000)]
    fifth = {u for u in units if in_double_sample("s", u, 0.2)}
    half = {u for u in units if in_double_sample("s", u, 0.5)}
    assert fifth < half
    assert not any(in_double_sample("s", u, 0.0) for u in units)
    assert all(in_double_sample("s", u, 1.0) for u in units)
    assert all(0.0 <= sample_draw("s", u) < 1.0 for u in units)


def test_a_share_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        in_double_sample("s", "1", 1.5)
