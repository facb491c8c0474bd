from testimonio.crypto import Key, phone_index, surname_year_index
from testimonio.crypto.blind_index import index_key, normalise_text

KEY = index_key(Key.generate())


def test_spellings_that_differ_only_in_case_and_accents_share_an_index() -> None:
    assert surname_year_index("PÉREZ López", "1990-03", KEY) == surname_year_index(
        "perez", "1990", KEY
    )


def test_another_year_or_surname_gives_another_index() -> None:
    base = surname_year_index("Pérez", "1990", KEY)
    assert surname_year_index("Pérez", "1991", KEY) != base
    assert surname_year_index("Perea", "1990", KEY) != base


def test_the_index_depends_on_the_key_and_does_not_contain_the_value() -> None:
    other = index_key(Key.generate())
    index = surname_year_index("Pérez", "1990", KEY)
    assert index != surname_year_index("Pérez", "1990", other)
    assert "perez" not in index


def test_unknown_parts_give_no_index_rather_than_a_shared_one() -> None:
    assert surname_year_index("Pérez", "", KEY) == ""
    assert phone_index("", KEY) == ""


def test_phone_numbers_match_whatever_their_formatting() -> None:
    assert phone_index("+52 (664) 555-0199", KEY) == phone_index("6645550199", KEY)


def test_normalisation_drops_punctuation_and_extra_spaces() -> None:
    assert normalise_text("  De la  Cruz-Ñúñez ") == "de la cruz nunez"
