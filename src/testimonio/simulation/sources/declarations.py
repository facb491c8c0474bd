"""Class counsel's filed declarations: an exhibit index (CSV) and one DOCX or PDF per declarant.

Only the first ``max_declaration_documents`` declarations get a document (writing tens of
thousands of PDFs for a million-person world would take far longer than everything else);
the index lists every declarant, with an empty ``file`` beyond the cap.
"""

from __future__ import annotations

import csv
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import docx
from faker import Faker
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.noise import RecordedName
from testimonio.simulation.sources.common import (
    SourceOutput,
    SourceRecord,
    freeze_zip_timestamps,
    language_labels,
    plan_records,
    recorded_names,
    source_random,
    source_rng,
    tick,
)
from testimonio.simulation.sources.declaration_text import DeclarationText, build_declaration

INDEX_COLUMNS = (
    "exhibit", "declarant_name", "pseudonym", "date_signed", "document_language",
    "declarant_language", "interpreter", "format", "file",
)  # fmt: skip
FROZEN_TIME = datetime(2020, 1, 1, tzinfo=UTC)
LATIN1_REPLACEMENTS = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"'})


def write_declarations(
    world: DrawnWorld,
    column: int,
    spec: SourceSpec,
    out_dir: Path,
    progress: ProgressCallback | None,
) -> SourceOutput:
    """Write ``<key>/exhibit_index.csv`` and the documents; return each declaration's truth."""
    seed = world.config.seed
    rng, rnd = source_rng(seed, spec.key), source_random(seed, spec.key)
    faker = Faker("en_US")
    faker.seed_instance(seed)
    plan = plan_records(world, column, spec, rng, max_delay_days=400)
    given, paternal, maternal = recorded_names(world, plan.person, spec, rng, rnd)
    config = world.config
    spanish = rng.random(len(plan)) < config.declaration_spanish_share
    as_docx = rng.random(len(plan)) < config.declaration_docx_share
    folder = out_dir / spec.key
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    index_path = folder / "exhibit_index.csv"
    output = SourceOutput(spec.key, spec.kind, spec.organization, files=[index_path])
    population = world.population
    rows = []
    for number, person in enumerate(plan.person.tolist(), start=1):
        exhibit = f"Ex. {number}"
        row = number - 1
        name = RecordedName(given[row], paternal[row], maternal[row])
        language = "es" if spanish[row] else "en"
        signed = plan.day[row].astype(object)
        text = build_declaration(world, person, name, language, rnd, signed)
        declarant_language = str(population.units.language[population.unit[person]])
        needs_interpreter = declarant_language != {"en": "eng", "es": "spa"}[language]
        interpreter = faker.name() if needs_interpreter else ""
        if interpreter:
            text.certificate = _certificate(interpreter, declarant_language, text)
        kind = "docx" if as_docx[row] else "pdf"
        relative = ""
        if number <= config.max_declaration_documents:
            relative = f"{spec.key}/documents/declaration_{number:04d}.{kind}"
            (_write_docx if kind == "docx" else _write_pdf)(text, out_dir / relative)
            output.files.append(out_dir / relative)
        rows.append(
            [
                exhibit,
                name.full,
                _pseudonym_of(text),
                signed.isoformat(),
                language,
                declarant_language,
                interpreter,
                kind if relative else "",
                relative,
            ]  # fmt: skip
        )
        output.records.append(
            SourceRecord(
                spec.key,
                exhibit,
                person,
                -1,
                "",
                relative or f"{spec.key}/exhibit_index.csv",
                f"row {number + 1}",
            )  # fmt: skip
        )
        output.paragraphs.extend(
            (exhibit, paragraph, encounter, " ".join(told))
            for paragraph, encounter, told in text.encounter_paragraphs
        )
        tick(progress, f"Writing {spec.key}", number, len(plan))
    with index_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(INDEX_COLUMNS)
        writer.writerows(rows)
    return output


def _pseudonym_of(text: DeclarationText) -> str:
    return text.closing[-1].split(" ", 1)[1]


def _certificate(interpreter: str, declarant_language: str, text: DeclarationText) -> list[str]:
    labels = language_labels().get(declarant_language, (declarant_language, declarant_language))
    if text.language == "es":
        return [
            "CERTIFICADO DE TRADUCCIÓN",
            f"Yo, {interpreter}, certifico que domino el inglés y el {labels[1]}, y que leí esta "
            f"declaración a la persona declarante en {labels[1]} antes de que la firmara.",
        ]
    return [
        "CERTIFICATE OF TRANSLATION",
        f"I, {interpreter}, certify that I am competent in English and {labels[0]}, and that I "
        f"read this declaration to the declarant in {labels[0]} before it was signed.",
    ]


def _numbered(text: DeclarationText) -> list[str]:
    return [f"{number}. {paragraph}" for number, paragraph in enumerate(text.paragraphs, start=1)]


def _write_docx(text: DeclarationText, path: Path) -> None:
    document = docx.Document()
    for line in text.caption:
        document.add_paragraph(line)
    document.add_heading(text.title, level=1)
    for paragraph in _numbered(text):
        document.add_paragraph(paragraph)
    for line in [*text.closing, *text.certificate]:
        document.add_paragraph(line)
    properties = document.core_properties
    properties.created = properties.modified = properties.last_printed = FROZEN_TIME.replace(
        tzinfo=None
    )
    properties.author = properties.last_modified_by = ""
    document.save(str(path))
    freeze_zip_timestamps(path)


def latin1(text: str) -> str:
    """Text the PDF core fonts can draw: latin-1 keeps Spanish and French accents."""
    text = text.translate(LATIN1_REPLACEMENTS)
    return text.encode("latin-1", "replace").decode("latin-1")


def _write_pdf(text: DeclarationText, path: Path) -> None:
    # Lines are wrapped here rather than by multi_cell, whose line breaking costs ~0.1 s a page.
    pdf = FPDF(format="Letter")
    pdf.set_creation_date(FROZEN_TIME)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in text.caption:
        _lines(pdf, line, 95, align="C")
    pdf.ln(4)
    pdf.set_font("Helvetica", style="B", size=11)
    _lines(pdf, text.title, 75, align="C")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=11)
    for paragraph in [*_numbered(text), *text.closing, *text.certificate]:
        _lines(pdf, paragraph, 88)
        pdf.ln(2)
    pdf.output(str(path))


def _lines(pdf: FPDF, text: str, width: int, align: str = "L") -> None:
    for line in textwrap.wrap(latin1(text), width):
        pdf.cell(0, 6, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
