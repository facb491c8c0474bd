import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testimonio.crypto import (
    Key,
    birth_date_index,
    given_surname_index,
    phone_index,
    surname_year_index,
)
from testimonio.crypto.blind_index import index_key, normalise_folding_enye

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


def test_the_given_name_index_takes_the_first_word_of_each_name() -> None:
    assert given_surname_index("ROSALBA María", "Quíntero Ávila", KEY) == given_surname_index(
        "rosalba", "quintero", KEY
    )
    assert given_surname_index("Rosalba", "Quintero", KEY) != given_surname_index(
        "Rosa", "Quintero", KEY
    )
    assert given_surname_index("Rosalba", "", KEY) == given_surname_index("", "Quintero", KEY) == ""


def test_only_a_real_full_birth_date_has_an_index() -> None:
    assert len(birth_date_index("1990-04-02", KEY)) == 64
    assert birth_date_index("1990-04-02", KEY) != birth_date_index("1990-04-03", KEY)
    assert [birth_date_index(value, KEY) for value in ("1990", "1990-04", "1990-02-30")] == [
        "",
        "",
        "",
    ]
    # Not the surname+year index of anyone: the purposes differ.
    assert birth_date_index("1990-04-02", KEY) != surname_year_index("x", "1990-04-02", KEY)


def test_phone_numbers_match_whatever_their_formatting() -> None:
    assert phone_index("+52 (664) 555-0199", KEY) == phone_index("6645550199", KEY)


def test_normalisation_drops_punctuation_and_extra_spaces() -> None:
    assert normalise_folding_enye("  De la  Cruz-Ñúñez ") == "de la cruz nunez"


def reference_normalise(value: str) -> str:
    """The definition ``normalise_folding_enye`` must keep (its first, plainer implementation):
    stored blind indexes were computed with it."""
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    cleaned = "".join(char if char.isalnum() else " " for char in letters.casefold())
    return re.sub(r"\s+", " ", cleaned).strip()


NAMES = [
    "Pérez",
    "PÉREZ López",
    "María José",
    "Núñez Ñañez",
    "Peña y Lillo",
    "de la Cruz",
    "De Los Santos",
    "del Río",
    "García-Márquez",
    "Hernández  Hernández",
    "O'Brien",
    "Jean-Baptiste",
    "Roselène Pierre-Louis",
    "Dieujuste",
    "Célestin Saint-Fleur",
    "Tziquin Ixcoy",
    "Xuc Tzoc",
    "Ajpop Q'eq",
    "Kʼicheʼ",
    "Ixb'alam Tz'unun",
    "ZOÉ  MÜLLER",
    "İlkay Öztürk",
    "Straße",
    "ﬁliberto",
    "Ⅻ Juan",
    "  _Ana__María_  ",
    "José\u0301",
    "Nguyễn Thị Minh",
    "\t\nLuis\u00a0Ángel\u2003Gómez ",
    "Юлия",
    "محمد",
    "123 Gómez",
    "",
    " ",
    "-'",
]


@pytest.mark.parametrize("name", NAMES)
def test_normalising_a_name_keeps_the_definition(name: str) -> None:
    assert normalise_folding_enye(name) == reference_normalise(name)


@settings(max_examples=500)
@given(st.text())
def test_normalising_any_text_keeps_the_definition(value: str) -> None:
    assert normalise_folding_enye(value) == reference_normalise(value)


@settings(max_examples=300)
@given(st.text(st.characters(max_codepoint=127)))
def test_normalising_ascii_text_keeps_the_definition(value: str) -> None:
    assert normalise_folding_enye(value) == reference_normalise(value)


def test_normalising_every_character_keeps_the_definition() -> None:
    """Every code point, in blocks of 128 (the first is ASCII): each between two letters (where
    words split or join), and all side by side."""
    points = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
    for start in range(0, len(points), 128):
        block = points[start : start + 128]
        for value in ("a" + "a".join(block) + "b", "".join(block)):
            assert normalise_folding_enye(value) == reference_normalise(value), hex(ord(block[0]))
