"""The English-language list generator: its own shape, its truth, and the same lists every run."""

import re

from testimonio.simulation.english_lists import FIRST_COLUMNS, SECOND_COLUMNS, english_lists


def test_the_same_seed_gives_the_same_lists():
    first, again = english_lists(60, seed=3), english_lists(60, seed=3)
    assert first.first.equals(again.first)
    assert first.second.equals(again.second)
    assert first.truth.equals(again.truth)


def test_another_seed_gives_other_people():
    assert not english_lists(60, seed=3).first.equals(english_lists(60, seed=4).first)


def test_the_truth_says_which_people_are_on_both_lists():
    lists = english_lists(200, overlap=0.25, seed=1)
    assert list(lists.first.columns) == list(FIRST_COLUMNS)
    assert list(lists.second.columns) == list(SECOND_COLUMNS)
    by_source = lists.truth.groupby("source")["person_id"].apply(set)
    assert len(by_source["first"]) == len(by_source["second"]) == 200
    assert len(by_source["first"] & by_source["second"]) == 50


def test_the_lists_write_dates_in_different_layouts():
    lists = english_lists(300, seed=2)
    first = lists.first["date_of_birth"].loc[lambda dates: dates != ""]
    second = lists.second["DOB"].loc[lambda dates: dates != ""]
    assert first.str.fullmatch(r"\d{8}").all()
    assert second.str.fullmatch(r"\d{4}-\d{2}-\d{2}").any()
    assert second.str.fullmatch(r"\d{2}/\d{2}/\d{4}").any()


def test_clerks_write_nicknames_and_initials():
    lists = english_lists(2000, seed=2)
    given = set(lists.second["First Name"])
    assert given & {"Bob", "Bill", "Liz", "Mike", "Jim", "Dave", "Tom"}
    assert any(re.fullmatch(r"[A-Z]\.", name) for name in given)
