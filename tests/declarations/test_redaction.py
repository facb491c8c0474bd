"""Redacted copies for filing hold none of the declarant's identity, in their text layer."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pypdf
import pytest

from testimonio.declarations import (
    Identity,
    RedactedDeclaration,
    RedactionIncomplete,
    read_declaration,
    redact_declaration,
    redact_pdf,
    redacted_copy,
)
from testimonio.declarations.redaction import identity_terms
from testimonio.simulation.sources.declaration_text import long_date
from tests.declarations.conftest import SimulatedDeclaration, SimulatedWorld

#: Words inside names that are ordinary words too ("Ana Arteaga del Ángel"): not identity.
PARTICLES = {"de", "del", "la", "las", "los"}
HAND_WRITTEN = """DECLARATION OF MARIA JOSE PEREZ LOPEZ
1. I, María José Pérez López, declare as follows.
2. I travelled with my son Carlos Andrés Pérez and my sister Lucía Pérez López.
3. My phone number is (619) 555-0134 and I lived at 1234 Calle Sol, Tijuana.
4. I was born on March 3, 1990. The officers wrote my name as Maria Perez.
I declare under penalty of perjury that the foregoing is true and correct.
/s/ Maria Jose Perez Lopez
"""


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def assert_absent(value: str, text: str) -> None:
    assert value.casefold() not in text.casefold()
    assert without_accents(value) not in without_accents(text)


def identity_of(declaration: SimulatedDeclaration) -> Identity:
    return Identity(
        names=[declaration.index["declarant_name"]],
        pseudonym=declaration.index["pseudonym"],
        birth_dates=[date.fromisoformat(declaration.birth_date)],
    )


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_redacted_copy_holds_no_name_or_birth_date_of_its_declarant(
    world: SimulatedWorld, kind: str
) -> None:
    for declaration in world.of_format(kind):
        identity = identity_of(declaration)
        copy = redact_pdf(declaration.path.read_bytes(), declaration.path.name, identity)
        text = pdf_text(copy.pdf)
        name = declaration.index["declarant_name"]
        assert_absent(name, text)
        pseudonym_words = {without_accents(w) for w in identity.pseudonym.split()}
        for word in name.replace("-", " ").split():
            if len(word) > 2 and without_accents(word) not in pseudonym_words | PARTICLES:
                assert without_accents(word) not in without_accents(text).split()
        born = identity.birth_dates[0]
        assert_absent(long_date(born, "en"), text)
        assert_absent(long_date(born, "es"), text)
        assert identity.pseudonym in text


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_redacted_copy_keeps_every_paragraph_number_and_the_rest_of_the_text(
    world: SimulatedWorld, kind: str
) -> None:
    declaration = world.of_format(kind)[0]
    copy = redact_pdf(
        declaration.path.read_bytes(), declaration.path.name, identity_of(declaration)
    )
    again = read_declaration(copy.pdf, "redacted.pdf")
    assert [p.number for p in again.paragraphs] == [n for n, _ in declaration.true_paragraphs()]
    last = declaration.true_paragraphs()[-1][1]
    assert again.paragraphs[-1].text == last


def test_the_log_counts_kinds_per_paragraph_and_holds_no_value(world: SimulatedWorld) -> None:
    declaration = world.of_format("pdf")[0]
    copy = redact_pdf(
        declaration.path.read_bytes(), declaration.path.name, identity_of(declaration)
    )
    kinds = {(entry.kind, entry.where) for entry in copy.log}
    assert ("declarant name", "2") in kinds and ("birth date", "3") in kinds
    log = repr(copy.log)
    for word in declaration.index["declarant_name"].split():
        assert without_accents(word) not in without_accents(log)


def test_names_the_declaration_states_are_removed_even_when_no_record_gives_them() -> None:
    identity = Identity(
        pseudonym="Carmen Doe",
        phones=["+1 619 555 0134"],
        addresses=["1234 Calle Sol, Tijuana"],
        birth_dates=[date(1990, 3, 3)],
    )
    copy = redact_pdf(HAND_WRITTEN.encode(), "exhibit-20.txt", identity)
    text = pdf_text(copy.pdf)
    for value in ("María José Pérez López", "Maria", "Perez", "Lopez", "José", "Carlos", "Andrés",
                  "Lucía", "555-0134", "619", "Calle Sol", "March 3, 1990"):  # fmt: skip
        assert_absent(value, text)
    assert "DECLARATION OF Carmen Doe" in text
    assert "my son C.A.P. and my sister L.P.L." in text
    assert "[phone]" in text and "[address]" in text and "[birth date]" in text
    assert "/s/ Carmen Doe" in text


def test_a_copy_that_still_holds_a_name_is_refused_not_returned() -> None:
    declaration = read_declaration(HAND_WRITTEN.encode(), "exhibit-21.txt")
    identity = Identity(pseudonym="Carmen Doe")
    unredacted = RedactedDeclaration(declaration, [], identity_terms(identity, declaration))
    with pytest.raises(RedactionIncomplete) as raised:
        redacted_copy(unredacted)
    assert "declarant name" in str(raised.value)
    assert "Perez" not in str(raised.value) and "Pérez" not in str(raised.value)


def test_redacting_paragraphs_changes_only_identity() -> None:
    declaration = read_declaration(HAND_WRITTEN.encode(), "exhibit-22.txt")
    redacted = redact_declaration(declaration, Identity(pseudonym="Carmen Doe")).declaration
    assert redacted.paragraphs[0].text == "I, Carmen Doe, declare as follows."
    assert [p.number for p in redacted.paragraphs] == ["1", "2", "3", "4"]
    assert declaration.paragraphs[0].text.startswith("I, María")


def test_a_copy_that_still_holds_a_birth_date_or_phone_is_refused() -> None:
    for line, kind in (("My papers say 03/03/1990.", "birth date"),
                       ("Call me at 619.555.0134.", "phone")):  # fmt: skip
        declaration = read_declaration(
            f"1. I, Carmen Doe, declare.\n2. {line}\n".encode(), "exhibit-23.txt"
        )
        identity = Identity(
            pseudonym="Carmen Doe", birth_dates=[date(1990, 3, 3)], phones=["6195550134"]
        )
        unredacted = RedactedDeclaration(declaration, [], identity_terms(identity, declaration))
        with pytest.raises(RedactionIncomplete, match=kind):
            redacted_copy(unredacted)
        assert "[" in redact_declaration(declaration, identity).declaration.paragraphs[1].text
