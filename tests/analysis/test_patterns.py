"""Disparities, commonality and typicality find the patterns the simulator put in."""

from __future__ import annotations

import pytest

from testimonio.analysis import AnalysisData, commonality, disparities, standard_panel, typicality
from testimonio.errors import InputError


def test_a_tactic_used_only_on_people_without_spanish_or_english_shows_as_a_disparity(
    data: AnalysisData,
) -> None:
    found = {
        (d.figure_id, d.group): d
        for d in disparities(data, "vulnerability", ["tactic:TAC.LANGUAGE.NO_INTERPRETER"])
    }
    barrier = found[("tactic:TAC.LANGUAGE.NO_INTERPRETER", "VUL.LIMITED_SPANISH_ENGLISH")]
    assert barrier.risk_ratio > 2 and barrier.ratio_lower > 1
    assert barrier.difference_lower > 0 and barrier.p_holm < 0.01


def test_holm_adjusted_p_values_are_never_below_the_raw_ones(data: AnalysisData) -> None:
    found = disparities(data, "nationality")
    assert found and all(d.p_holm >= d.p_value for d in found)
    assert all(d.ratio_lower <= d.risk_ratio <= d.ratio_upper for d in found if d.count > 0)


def test_disparities_between_ports_are_refused_since_people_cross_at_several(
    data: AnalysisData,
) -> None:
    with pytest.raises(InputError, match="field of events"):
        disparities(data, "port")


def test_a_port_with_its_own_practice_makes_the_rate_differ_across_ports(
    data: AnalysisData,
) -> None:
    rows, consistency = commonality(data, seed=1)
    redirect = next(row for row in rows if row.tactic == "TAC.DENY.REDIRECT")
    assert redirect.port_p_value < 0.05
    assert (
        consistency.loc["TAC.DENY.REDIRECT", "2604-DEC"]
        > consistency.loc["TAC.DENY.REDIRECT", "2504-SYS"]
    )
    assert 1 <= redirect.ports_documented <= redirect.ports_with_turn_backs


def test_a_tactic_that_came_with_metering_trends_upward(data: AnalysisData) -> None:
    rows, _ = commonality(data)
    waitlist = next(row for row in rows if row.tactic == "TAC.DENY.WAITLIST")
    assert waitlist.trend_lower > 0 and waitlist.trend_p_value < 0.001


def test_typicality_gives_each_named_plaintiff_the_class_share_of_their_experiences(
    data: AnalysisData,
) -> None:
    rows = typicality(data)
    panel = {f.id: f for f in standard_panel(data) if not f.by}
    plaintiffs = set(data.persons.loc[data.persons["named_plaintiff"], "person_id"])
    assert {row.person_id for row in rows} == plaintiffs
    for row in rows:
        assert row.denominator == panel["persons_turned_away"].count
        if row.experience.startswith("tactic:"):
            assert row.share == panel[row.experience].share
