"""The packet as a Word document (python-docx): the same sections as the PDF, editable.

Attorneys paste from it into briefs, so tables are real Word tables and charts real pictures.
The document's core properties (author, dates, revision) are fixed from the snapshot, so the
same snapshot gives the same ``word/document.xml`` and, with fixed ZIP dates, the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
from docx.shared import Cm, Pt

from testimonio.reporting.packet.content import PacketContent, Section, TableBlock
from testimonio.reporting.reproducible import fix_zip_timestamps

__all__ = ["write_docx"]


def write_docx(content: PacketContent, target: Path, when: dt.datetime) -> None:
    document = docx.Document()
    _fix_properties(document, content, when)
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9.5)
    document.add_heading(content.title, level=0)
    document.add_paragraph(f"Project {content.project} · snapshot {content.snapshot_sha256}")
    for section in content.sections:
        _add_section(document, section)
    document.save(str(target))
    fix_zip_timestamps(target, when)


def _fix_properties(document: docx.document.Document, content: PacketContent,
                    when: dt.datetime) -> None:  # fmt: skip
    properties = document.core_properties
    properties.author = "Testimonio"
    properties.last_modified_by = "Testimonio"
    properties.title = content.title
    properties.identifier = content.snapshot_sha256
    properties.created = when.replace(tzinfo=None)
    properties.modified = when.replace(tzinfo=None)
    properties.last_printed = when.replace(tzinfo=None)
    properties.revision = 1


def _add_section(document: docx.document.Document, section: Section) -> None:
    document.add_heading(section.title, level=1)
    for paragraph in section.paragraphs:
        document.add_paragraph(paragraph)
    for chart in section.charts:
        document.add_picture(io.BytesIO(chart.png), width=Cm(16))
        document.add_paragraph(f"{chart.title}. {chart.description}", style="Caption")
    for table in section.tables:
        if table.printed:
            _add_table(document, table)


def _add_table(document: docx.document.Document, block: TableBlock) -> None:
    document.add_heading(block.title, level=2)
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
            run.font.size = Pt(8)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8)
    if block.note:
        document.add_paragraph(block.note)
