"""Strong disagreement among a person's records: reason codes, never values."""

from __future__ import annotations

from testimonio.linkage import (
    DISAGREEMENT_REASONS,
    RecordFacts,
    describe_disagreements,
    disagreements,
    pair_disagreements,
)

MOTHER = RecordFacts(1, source_id=10, birth_date="1986-04-02", sex="female")
DAUGHTER = RecordFacts(2, source_id=11, birth_date="2015", sex="female")


def test_a_mother_and_her_daughter_are_flagged_for_their_birth_years() -> None:
    assert disagreements([MOTHER, DAUGHTER]) == ["birth_years_apart"]


def test_records_that_agree_are_not_flagged() -> None:
    typo = RecordFacts(3, source_id=11, birth_date="1987-02-04", sex="female")
    unknown = RecordFacts(4, source_id=12)
    assert disagreements([MOTHER, typo, unknown]) == []


def test_different_sexes_or_gender_identities_disagree() -> None:
    man = RecordFacts(3, source_id=11, sex="male")
    assert pair_disagreements(MOTHER, man) == ["sexes_differ"]
    woman = RecordFacts(4, source_id=11, gender_identity="woman")
    trans_man = RecordFacts(5, source_id=12, gender_identity="transgender_man")
    assert pair_disagreements(woman, trans_man) == ["sexes_differ"]


def test_sex_and_gender_identity_are_not_compared_with_each_other() -> None:
    # A transgender woman's record may say "male" as sex and "woman" as gender identity.
    one = RecordFacts(3, source_id=11, sex="male", gender_identity="transgender_woman")
    other = RecordFacts(4, source_id=12, gender_identity="woman")
    assert pair_disagreements(one, other) == []


def test_one_list_with_two_birth_years_for_the_person_is_flagged() -> None:
    twice = RecordFacts(3, source_id=10, birth_date="1988")
    assert pair_disagreements(MOTHER, twice) == ["same_source_twice"]


def test_one_list_naming_a_person_at_each_attempt_is_not_flagged() -> None:
    # Logs of attempts list a person once per attempt, with the same birth date (or none).
    again = RecordFacts(3, source_id=10, birth_date="1986-04-02")
    unknown = RecordFacts(4, source_id=10)
    assert disagreements([MOTHER, again, unknown]) == []


def test_the_same_day_at_two_ports_is_an_encounter_conflict() -> None:
    here = RecordFacts(3, source_id=11, encounters=(("2017-06-02", "2504-SYS"),))
    there = RecordFacts(4, source_id=12, encounters=(("2017-06-02", "2506-OTM"),))
    again = RecordFacts(5, source_id=13, encounters=(("2017-06-02", "2504-SYS"),))
    assert pair_disagreements(here, there) == ["encounters_conflict"]
    assert pair_disagreements(here, again) == []


def test_reasons_are_said_in_words_that_carry_no_value() -> None:
    words = describe_disagreements(disagreements([MOTHER, DAUGHTER]))
    assert words == [DISAGREEMENT_REASONS["birth_years_apart"]]
    assert "1986" not in " ".join(words) and "2015" not in " ".join(words)
    assert "1986" not in repr(MOTHER)
