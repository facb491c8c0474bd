"""Word search over paragraphs: case and accents folded, every word, phrases whole, word starts."""

from __future__ import annotations

import pytest

from testimonio.declarations.search import MAX_QUERY, ParagraphQuery, fold, search_paragraphs
from testimonio.errors import InputError

PARAGRAPHS = [
    (1, "Los agentes me dijeron que no había asilo en México."),
    (2, "Me AMENAZARON con la separación de mis hijos."),
    (3, "Temía volver; se lo dije al oficial, que se rió."),
    (4, "Nos separaron en la garita de San Ysidro."),
]


def found(text: str) -> list[int]:
    return list(search_paragraphs(PARAGRAPHS, ParagraphQuery.parse(text)))


def test_case_and_accents_are_ignored_on_both_sides() -> None:
    assert fold("Separación MÉXICO") == "separacion mexico"
    assert found("separacion") == [2] and found("SEPARACIÓN") == [2]
    assert found("mexico") == [1] and found("había") == [1]


def test_every_word_must_be_in_the_paragraph_in_any_order() -> None:
    assert found("hijos amenazaron") == [2]
    assert found("hijos garita") == []


def test_a_word_finds_longer_words_it_begins_but_not_words_it_is_inside_of() -> None:
    assert found("amenaz") == [2]
    assert found("separ") == [2, 4]
    assert found("naza") == [] and found("aron") == []


def test_a_quoted_phrase_must_appear_whole_and_in_order() -> None:
    assert found('"san ysidro"') == [4]
    assert found('"ysidro san"') == []
    assert found('"garita de san" nos') == [4]
    assert found('"garita de sa"') == []  # a phrase matches whole words only


def test_an_empty_or_over_long_query_is_an_input_error_that_quotes_nothing() -> None:
    for text in ("", "  ", '""', "¿?"):
        with pytest.raises(InputError, match="at least one word"):
            ParagraphQuery.parse(text)
    with pytest.raises(InputError, match=str(MAX_QUERY)):
        ParagraphQuery.parse("a" * (MAX_QUERY + 1))
    assert "Martínez" not in repr(ParagraphQuery.parse("Martínez"))
