"""The declarant a declaration states, and citations as courts write them."""

from __future__ import annotations

from testimonio.declarations.declarant import citation, declarant_of
from testimonio.declarations.model import Declaration, Paragraph


def _declaration(*texts: str) -> Declaration:
    paragraphs = [Paragraph(str(n), f"{n}.", t) for n, t in enumerate(texts, start=1)]
    return Declaration("d.txt", "txt", "text", "text", "\n".join(texts), paragraphs)


def test_it_finds_the_stated_name_and_birth_year_in_english() -> None:
    declarant = declarant_of(
        _declaration("I, Rosa María Quintero Lara, declare as follows:", "I was born in 1988.")
    )
    assert declarant.names == ("Rosa María Quintero Lara",)
    assert declarant.birth_year == 1988
    assert declarant.surname_candidates() == [
        "María Quintero Lara",
        "Quintero Lara",
        "Lara",
    ]


def test_it_finds_them_in_spanish_with_a_full_birth_date() -> None:
    declarant = declarant_of(
        _declaration(
            "Yo, Juan de la Cruz Peña, declaro lo siguiente:", "Nací el 3 de mayo de 1979."
        )
    )
    assert declarant.names == ("Juan de la Cruz Peña",)
    assert declarant.birth_year == 1979
    assert "Cruz Peña" in declarant.surname_candidates()


def test_without_a_stated_birth_year_there_is_none() -> None:
    declarant = declarant_of(_declaration("I, Ana Ruiz, declare:", "I fled in 2018."))
    assert declarant.birth_year is None


def test_citations_read_as_courts_write_them() -> None:
    assert citation("12", "P-000123", ["7"]) == "Ex. 12 (Decl. of P-000123) ¶ 7"
    assert citation("12", "P-000123", ["9", "7", "8", "11"]) == (
        "Ex. 12 (Decl. of P-000123) ¶¶ 7-9, 11"
    )
    assert citation("3", "P-000001", ["2"], "45-3") == (
        "Ex. 3 (Decl. of P-000001), ECF No. 45-3, ¶ 2"
    )
    assert citation("", "P-000001") == "Decl. of P-000001"
