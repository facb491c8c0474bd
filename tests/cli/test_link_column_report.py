"""`testimonio link` says which column it read for what, and refuses to link on too little.

The lists here are shaped unlike our simulator's: English headers, the address split over
several columns, and birth dates written ``19151111``.
"""

import csv
import random

import pandas as pd
import pytest
from click.testing import CliRunner

from testimonio.cli.main import cli

GIVEN = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
         "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
         "Sarah", "Charles", "Karen"]  # fmt: skip
SURNAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
            "Harris", "Clark", "Lewis", "Walker"]  # fmt: skip
SUBURBS = ["Kingston", "Belconnen", "Fitzroy", "Carlton", "Glebe", "Newtown", "Bondi", "Manly"]
PEOPLE = 150


def _people(seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    people = []
    for number in range(PEOPLE):
        people.append(
            {
                "id": f"rec-{number}",
                "given_name": rng.choice(GIVEN),
                "surname": rng.choice(SURNAMES),
                "date_of_birth": f"{rng.randint(1915, 2005)}{rng.randint(1, 12):02d}"
                f"{rng.randint(1, 28):02d}",
                "street_number": str(rng.randint(1, 300)),
                "address_1": f"{rng.choice(SURNAMES)} street",
                "suburb": rng.choice(SUBURBS),
                "postcode": str(rng.randint(2000, 2999)),
                "state": rng.choice(["nsw", "vic", "act"]),
            }
        )
    return people


def _typo(text: str, rng: random.Random) -> str:
    position = rng.randrange(len(text))
    return text[:position] + text[position + 1 :]


@pytest.fixture
def english_lists(tmp_path):
    """The same people on two lists; the second has typos in a fifth of the surnames."""
    people = _people()
    rng = random.Random(11)
    second = []
    for person in people:
        copy = dict(person, id=person["id"].replace("rec", "dup"))
        if rng.random() < 0.2:
            copy["surname"] = _typo(copy["surname"], rng)
        second.append(copy)
    rng.shuffle(second)
    pd.DataFrame(people).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame(second).to_csv(tmp_path / "b.csv", index=False)
    return tmp_path


def _invoke(*args):
    return CliRunner().invoke(cli, ["link", *map(str, args)])


def _clusters(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            (row["source"], row["record_id"]): row["cluster_id"] for row in csv.DictReader(handle)
        }


def test_compact_birth_dates_are_read_reported_and_the_lists_linked(english_lists):
    out = english_lists / "out.csv"
    result = _invoke(english_lists / "a.csv", english_lists / "b.csv", "--out", out)
    assert result.exit_code == 0, result.output
    assert f"birth_date <- 'date_of_birth': {PEOPLE} written, {PEOPLE} readable (100%)" in (
        result.output
    )
    assert f"given_name <- 'given_name': {PEOPLE} written, {PEOPLE} readable (100%)" in (
        result.output
    )
    assert "Warning" not in result.output
    clusters = _clusters(out)
    found = sum(clusters[("a", f"rec-{n}")] == clusters[("b", f"dup-{n}")] for n in range(PEOPLE))
    assert found >= 0.95 * PEOPLE


def test_the_report_gives_counts_and_never_values(english_lists):
    result = _invoke(english_lists / "a.csv", "--out", english_lists / "out.csv")
    assert result.exit_code == 0, result.output
    person = _people()[0]
    for value in (person["surname"], person["date_of_birth"]):
        assert value not in result.output


@pytest.fixture
def unreadable_dates(english_lists):
    frame = pd.read_csv(english_lists / "a.csv", dtype=str)
    frame["date_of_birth"] = "born " + frame["date_of_birth"]  # no layout we read
    frame.to_csv(english_lists / "bad.csv", index=False)
    return english_lists / "bad.csv"


def test_a_list_whose_birth_dates_cannot_be_read_stops_with_exit_2_naming_the_column(
    unreadable_dates,
):
    out = unreadable_dates.parent / "out.csv"
    result = _invoke(unreadable_dates, "--out", out)
    assert result.exit_code == 2
    assert f"birth_date <- 'date_of_birth': {PEOPLE} written, 0 readable (0%)" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert "column 'date_of_birth' (birth_date)" in errors[0]
    assert "--allow-weak" in errors[0]
    assert not out.exists()


def test_allow_weak_links_anyway_and_still_warns(unreadable_dates):
    out = unreadable_dates.parent / "out.csv"
    readable = unreadable_dates.parent / "a.csv"
    refused = _invoke(readable, unreadable_dates, "--out", out)
    assert refused.exit_code == 2 and "bad, column 'date_of_birth'" in refused.output
    result = _invoke(readable, unreadable_dates, "--out", out, "--allow-weak")
    assert result.exit_code == 0, result.output
    assert "Warning: bad, column 'date_of_birth'" in result.output
    assert "names alone" in result.output
    assert len(_clusters(out)) == 2 * PEOPLE


def test_names_alone_stop_the_run_unless_columns_are_named(tmp_path):
    frame = pd.DataFrame({"given_name": ["Ann", "Ann", "Bob"], "surname": ["Lee", "Lee", "Ray"]})
    frame.to_csv(tmp_path / "names.csv", index=False)
    refused = _invoke(tmp_path / "names.csv", "--out", tmp_path / "out.csv")
    assert refused.exit_code == 2
    assert "names: only 0 of 3 rows have a readable birth date" in refused.output
    named = _invoke(
        tmp_path / "names.csv", "--columns", "given_name=given_name", "--out", tmp_path / "o.csv"
    )
    assert named.exit_code == 0, named.output


def test_a_list_of_names_alone_deduplicates_with_allow_weak_instead_of_crashing(tmp_path):
    # Splink leaves out of an EM pass every comparison that shares a column with its
    # blocking rule; on names alone every pass was blocked on names and Splink failed
    # building an empty query. Such passes are now skipped (the model keeps its defaults).
    people = _people()
    frame = pd.DataFrame(
        {"given_name": [p["given_name"] for p in people], "surname": [p["surname"] for p in people]}
    )
    frame.to_csv(tmp_path / "names.csv", index=False)
    out = tmp_path / "out.csv"
    result = _invoke(tmp_path / "names.csv", "--out", out, "--allow-weak")
    assert result.exit_code == 0, result.output
    assert "names alone" in result.output
    clusters = _clusters(out)
    assert len(clusters) == PEOPLE
