"""Scoring one testimony against one candidate with the linkage model's levels."""

from __future__ import annotations

from testimonio.linkage import (
    SHOW_THRESHOLD,
    IdentityFacts,
    ScoringParameters,
    parameters_from_settings,
    score_pair,
    surname_sound_keys,
)

DEFAULTS = ScoringParameters()
ROSALBA = IdentityFacts("Rosalba", "Quintero Ávila", "1990-04-02")


def score(entry: IdentityFacts, candidate: IdentityFacts = ROSALBA) -> float:
    return score_pair(entry, candidate, DEFAULTS).probability


def test_a_typo_in_the_given_name_with_the_same_birth_date_is_a_likely_duplicate() -> None:
    found = score_pair(IdentityFacts("Rosalva", "Quintero Avila", "1990-04-02"), ROSALBA, DEFAULTS)
    assert found.band == "high"
    assert found.levels["given_name"] == "sounds alike (Spanish phonetic key)"
    assert found.agreeing == ("given_name", "surnames", "birth_date")


def test_swapped_surnames_are_a_likely_duplicate() -> None:
    found = score_pair(IdentityFacts("Rosalba", "Ávila Quintero", "1990-04-02"), ROSALBA, DEFAULTS)
    assert found.levels["surnames"] == "both surnames, in the other order"
    assert found.probability >= 0.9


def test_a_dropped_maternal_surname_and_day_and_month_swapped_are_shown() -> None:
    found = score_pair(IdentityFacts("Rosalba", "Quintero", "1990-02-04"), ROSALBA, DEFAULTS)
    assert found.levels["birth_date"] == "day and month swapped"
    assert found.probability >= SHOW_THRESHOLD


def test_another_person_with_the_same_common_surname_and_birth_year_is_not_shown() -> None:
    other = IdentityFacts("Marcos", "Quintero Ávila", "1990-09-17")
    assert score(other) < SHOW_THRESHOLD


def test_a_parent_with_the_same_name_born_decades_earlier_is_not_shown() -> None:
    assert score(IdentityFacts("Rosalba", "Quintero Ávila", "1962-04-02")) < SHOW_THRESHOLD


def test_a_missing_field_is_neither_for_nor_against() -> None:
    without_date = score_pair(IdentityFacts("Rosalba", "Quintero Ávila"), ROSALBA, DEFAULTS)
    assert without_date.levels["birth_date"] == "not recorded"
    assert "birth_date" not in without_date.agreeing


def test_a_link_runs_trained_levels_replace_the_defaults() -> None:
    settings = {
        "probability_two_random_records_match": 0.001,
        "comparisons": [
            {
                "output_column_name": "given_name",
                "comparison_levels": [
                    {"label_for_charts": "same", "m_probability": 0.9, "u_probability": 0.9},
                ],
            }
        ],
    }
    trained = parameters_from_settings(settings, origin="link run 7")
    assert trained.prior == 0.001 and trained.origin == "link run 7"
    assert trained.bayes_factor("given_name", "same") == 1.0
    assert trained.bayes_factor("surnames", "both surnames the same") == 550.0  # a default
    assert score_pair(ROSALBA, ROSALBA, trained).probability != score(ROSALBA)


def test_surname_sound_keys_ignore_spelling_and_particles() -> None:
    assert surname_sound_keys("Gonzalez de la Cruz") == surname_sound_keys("Gonsales Cruz")
    assert surname_sound_keys("Quintero") == (surname_sound_keys("Kintero")[0], "")


def test_a_score_never_shows_a_value() -> None:
    found = score_pair(ROSALBA, ROSALBA, DEFAULTS)
    text = repr(found) + repr(ROSALBA)
    assert "Rosalba" not in text and "Quintero" not in text and "1990" not in text
