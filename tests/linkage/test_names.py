"""Names of this population reduce to forms that compare as a Spanish-speaking clerk would."""

import pytest

from testimonio.linkage.names import (
    canonical_given_names,
    normalise_keeping_enye,
    spanish_phonetic_key,
    split_full_name,
    split_surnames,
)


def test_it_drops_accents_and_case_but_keeps_the_enye():
    assert normalise_keeping_enye("  José  MUÑOZ-Pérez ") == "jose muñoz perez"


def test_it_treats_missing_values_as_empty():
    assert normalise_keeping_enye(None) == ""
    assert normalise_keeping_enye(float("nan")) == ""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Villalobos", "Billalobos"),  # b/v
        ("Yolanda", "Llolanda"),  # ll/y
        ("Zúñiga", "Suniga"),  # z/s, ñ/n
        ("Cecilia", "Secilia"),  # c before i
        ("Hernández", "Ernandez"),  # silent h
        ("Quintero", "Kintero"),  # qu/k
        ("Gerardo", "Jerardo"),  # g before e
        ("Jean", "Jan"),  # French spelling
    ],
)
def test_names_that_sound_alike_in_spanish_share_a_phonetic_key(one, other):
    assert spanish_phonetic_key(one) == spanish_phonetic_key(other)


@pytest.mark.parametrize(("one", "other"), [("García", "Gómez"), ("Guerrero", "Herrera")])
def test_names_that_sound_different_keep_different_keys(one, other):
    assert spanish_phonetic_key(one) != spanish_phonetic_key(other)


def test_gue_keeps_a_hard_g():
    assert spanish_phonetic_key("Guerrero") != spanish_phonetic_key("Jerrero")


@pytest.mark.parametrize(
    ("nickname", "name"),
    [("Chuy", "jesus"), ("Lupe", "guadalupe"), ("Pancho", "francisco"), ("Toño", "antonio")],
)
def test_a_nickname_stands_for_its_given_name(nickname, name):
    assert name in canonical_given_names(nickname)


def test_an_ambiguous_nickname_keeps_every_name_it_may_stand_for():
    assert {"alberto", "roberto"} <= set(canonical_given_names("Beto"))


def test_compound_given_names_drop_their_particles():
    assert canonical_given_names("María de la Luz") == ("maria", "luz")


def test_particles_do_not_count_as_surnames():
    assert split_surnames("de la Cruz") == ("cruz", "")
    assert split_surnames("García y López") == ("garcia", "lopez")


def test_a_full_name_with_a_comma_puts_surnames_first():
    name = split_full_name("GARCÍA LÓPEZ, Juan Carlos")
    assert (name.given, name.given_all, name.paternal, name.maternal) == (
        "juan",
        "juan carlos",
        "garcia",
        "lopez",
    )


def test_a_full_name_without_a_comma_ends_with_two_surnames():
    name = split_full_name("Juan Carlos García López")
    assert (name.given, name.paternal, name.maternal) == ("juan", "garcia", "lopez")
