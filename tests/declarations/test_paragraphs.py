"""The paragraph rules: the declaration's own marks, joined lines, furniture kept out."""

from __future__ import annotations

import io

import docx
from fpdf import FPDF

from testimonio.declarations import read_declaration
from testimonio.declarations.ocr import tidy_ocr_text
from testimonio.declarations.paragraphs import remove_page_furniture, split_paragraphs


def numbers_and_texts(lines: list[str]) -> list[tuple[str, str, str]]:
    return [(p.number, p.marker, p.text) for p in split_paragraphs(lines).paragraphs]


def test_each_style_of_mark_is_recognised_and_kept_as_written() -> None:
    for first, second in (("1.", "2."), ("¶ 1", "¶ 2"), ("(1)", "(2)"), ("1)", "2)")):
        found = numbers_and_texts([f"{first} I came.", f"{second} I left."])
        assert found == [("1", first, "I came."), ("2", second, "I left.")]


def test_lines_are_joined_and_a_hyphen_at_a_line_end_is_kept_without_a_space() -> None:
    found = numbers_and_texts(
        ["1. I was referred for a credible-", "fear interview and", "waited."]
    )
    assert found == [("1", "1.", "I was referred for a credible-fear interview and waited.")]


def test_a_number_that_wraps_to_the_start_of_a_line_is_not_a_paragraph() -> None:
    lines = ["1. I put my name on the list. I was given number", "4521. Then I waited.",
             "2. I went back."]  # fmt: skip
    found = numbers_and_texts(lines)
    assert [number for number, _, _ in found] == ["1", "2"]
    assert found[0][2].endswith("number 4521. Then I waited.")


def test_an_inner_list_in_another_style_stays_inside_its_paragraph() -> None:
    found = numbers_and_texts(["1. The officer said two things:", "(1) go away;", "(2) come back.",
                               "2. I left."])  # fmt: skip
    assert [number for number, _, _ in found] == ["1", "2"]
    assert "(1) go away; (2) come back." in found[0][2]


def test_text_before_the_first_mark_is_preamble_and_the_attestation_starts_the_closing() -> None:
    split = split_paragraphs(["DECLARATION OF A. B.", "1. I came.", "2. I left.",
                              "Declaro bajo pena de perjurio que lo anterior es verdad.",
                              "/f/ A. B."])  # fmt: skip
    assert split.preamble == ["DECLARATION OF A. B."]
    assert [p.text for p in split.paragraphs] == ["I came.", "I left."]
    assert split.closing == [
        "Declaro bajo pena de perjurio que lo anterior es verdad.",
        "/f/ A. B.",
    ]


def test_running_headers_footers_and_page_numbers_are_taken_out_and_kept_once() -> None:
    pages = [["Decl. of Roberto Doe", "1. I came to the", "Page 1 of 2"],
             ["Decl. of Roberto Doe", "border.", "2. I left.", "Page 2 of 2"]]  # fmt: skip
    body, furniture = remove_page_furniture(pages)
    assert body == ["1. I came to the", "border.", "2. I left."]
    assert furniture == ["Decl. of Roberto Doe"]


def header_footer_pdf() -> bytes:
    class Declaration(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 6, "Declaration of Pedro Doe - Case No. 3:17-cv-00000", align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    pdf = Declaration(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for number in range(1, 31):
        pdf.multi_cell(
            0, 6, f"{number}. " + "I waited at the bridge for many days. " * 4,
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip
    return bytes(pdf.output())


def test_a_multi_page_pdf_keeps_headers_and_footers_out_of_its_paragraphs() -> None:
    found = read_declaration(header_footer_pdf(), "exhibit-12.pdf")
    assert found.pages > 1
    assert [p.number for p in found.paragraphs] == [str(n) for n in range(1, 31)]
    expected = ("I waited at the bridge for many days. " * 4).strip()
    assert all(p.text == expected for p in found.paragraphs)
    assert found.preamble == ["Declaration of Pedro Doe - Case No. 3:17-cv-00000"]


def test_a_plain_text_declaration_is_read_with_its_paragraphs() -> None:
    text = "DECLARACIÓN\n\n1) Yo, Juana Doe, declaro lo siguiente.\n\n2) Crucé el puente en 2018.\n"
    found = read_declaration(text.encode("utf-8"), "exhibit-3.txt")
    assert found.format == "txt"
    assert [(p.marker, p.text) for p in found.paragraphs] == [
        ("1)", "Yo, Juana Doe, declaro lo siguiente."),
        ("2)", "Crucé el puente en 2018."),
    ]
    assert found.preamble == ["DECLARACIÓN"]


def test_tesseracts_misread_pronoun_is_put_back_before_paragraphs_are_found() -> None:
    text = tidy_ocr_text("1.1, Roberto Doe, declare.\n| said | was afraid.\n1.1 The rules")
    assert text == "1. I, Roberto Doe, declare.\nI said I was afraid.\n1.1 The rules"


def test_a_short_last_page_with_only_a_signature_is_text_not_a_scan() -> None:
    pdf = FPDF(format="Letter")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "1. I waited at the bridge for many days.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.cell(0, 6, "/s/ Pedro Doe")
    found = read_declaration(bytes(pdf.output()), "exhibit-15.pdf")
    assert (found.format, found.ocr_pages, found.pages) == ("pdf", (), 2)
    assert found.closing == ["/s/ Pedro Doe"]


def test_word_automatic_numbering_is_read_as_the_numbers_word_draws() -> None:
    document = docx.Document()
    document.add_paragraph("DECLARATION OF PEDRO DOE")
    for text in ("I came to the bridge.", "I was turned back.", "I waited in Tijuana."):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("I declare under penalty of perjury that the foregoing is true.")
    document.add_paragraph("- a bullet that is not a paragraph", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    found = read_declaration(buffer.getvalue(), "exhibit-17.docx")
    assert [(p.marker, p.text) for p in found.paragraphs] == [
        ("1.", "I came to the bridge."),
        ("2.", "I was turned back."),
        ("3.", "I waited in Tijuana."),
    ]
    assert found.preamble == ["DECLARATION OF PEDRO DOE"]
    assert found.closing[-1] == "- a bullet that is not a paragraph"
