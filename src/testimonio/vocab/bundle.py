"""Vocabulary bundles: the documented file format a team uses to describe its kind of case.

A bundle is a folder (see ``docs/vocabulary.md``)::

    bundle.yaml         name, title, description
    vocabulary.csv      code,parent,label_en,label_es,definition,source   (required)
                        definition_es: the definition in Spanish        (optional column)
    ports.csv           code,name,state,...                               (optional)
    languages.csv       code,label_en,label_es,...                        (optional)
    nationalities.csv   code,label_en,label_es,...                        (optional)
    sources.csv         key,citation,url                                  (optional)

Reading a bundle checks it completely and names file, row and column of the first problem;
nothing half-read is ever returned.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from testimonio.errors import VocabularyError

__all__ = ["Bundle", "Term", "bundled_path", "read_bundle"]

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)*$")
TERM_COLUMNS = ("code", "parent", "label_en", "label_es", "definition", "source")
#: Columns a bundle may leave out (an older bundle has no Spanish definitions).
OPTIONAL_TERM_COLUMNS = ("definition_es",)
REFERENCE_TABLES = {
    "ports": ("code", "name"),
    "languages": ("code", "label_en", "label_es"),
    "nationalities": ("code", "label_en", "label_es"),
    "sources": ("key", "citation"),
}


@dataclass(frozen=True)
class Term:
    """One code of a controlled vocabulary."""

    code: str
    parent: str
    label_en: str
    label_es: str
    definition: str
    source: str
    #: The same definition in Spanish (the English one is the reference, see versioning).
    definition_es: str = ""

    @property
    def scheme(self) -> str:
        return self.code.split(".", 1)[0]


@dataclass(frozen=True)
class Bundle:
    """A checked vocabulary bundle: terms, reference tables and a checksum of its content."""

    name: str
    title: str
    description: str
    terms: tuple[Term, ...]
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    checksum: str = ""

    def term(self, code: str) -> Term | None:
        return next((term for term in self.terms if term.code == code), None)


def bundled_path(name: str = "turnbacks") -> Path:
    """Folder of a bundle shipped with Testimonio."""
    path = Path(str(resources.files("testimonio.vocab") / "data" / name))
    if not path.is_dir():
        raise VocabularyError(f"there is no shipped vocabulary bundle called {name!r}")
    return path


def read_bundle(folder: Path) -> Bundle:
    """Read and check a bundle folder; raise VocabularyError naming file, row and column."""
    if not (folder / "vocabulary.csv").is_file():
        raise VocabularyError("a vocabulary bundle needs a vocabulary.csv", file=str(folder))
    meta = _read_meta(folder)
    terms = _read_terms(folder / "vocabulary.csv")
    tables = {
        name: _read_csv(folder / f"{name}.csv", required)
        for name, required in REFERENCE_TABLES.items()
        if (folder / f"{name}.csv").is_file()
    }
    return Bundle(
        name=meta.get("name", folder.name),
        title=meta.get("title", folder.name),
        description=meta.get("description", ""),
        terms=terms,
        tables=tables,
        checksum=_checksum(folder),
    )


def _read_meta(folder: Path) -> dict[str, str]:
    path = folder / "bundle.yaml"
    if not path.is_file():
        return {}
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise VocabularyError(
            f"not valid YAML ({error.__class__.__name__})", file=str(path)
        ) from None
    if not isinstance(meta, dict):
        raise VocabularyError("expected name, title and description keys", file=str(path))
    return {str(key): str(value) for key, value in meta.items()}


def _read_terms(path: Path) -> tuple[Term, ...]:
    rows = _read_csv(path, TERM_COLUMNS)
    codes: set[str] = set()
    terms = []
    for row_number, row in enumerate(rows, start=2):
        columns = (*TERM_COLUMNS, *OPTIONAL_TERM_COLUMNS)
        term = Term(**{column: (row.get(column) or "").strip() for column in columns})
        _check_term(term, codes, str(path), row_number)
        codes.add(term.code)
        terms.append(term)
    return tuple(terms)


def _check_term(term: Term, earlier_codes: set[str], file: str, row: int) -> None:
    if not CODE_PATTERN.match(term.code):
        raise VocabularyError(
            "a code is upper-case words joined by dots, e.g. TAC.DENY",
            file=file,
            row=row,
            column="code",
        )
    if term.code in earlier_codes:
        raise VocabularyError(f"code {term.code} appears twice", file=file, row=row, column="code")
    expected_parent = term.code.rpartition(".")[0]
    if term.parent != expected_parent:
        raise VocabularyError(
            f"parent of {term.code} must be {expected_parent or '(empty)'}",
            file=file,
            row=row,
            column="parent",
        )
    if term.parent and term.parent not in earlier_codes:
        raise VocabularyError(
            f"parent {term.parent} must be listed before {term.code}",
            file=file,
            row=row,
            column="parent",
        )
    for column in ("label_en", "label_es"):
        if not getattr(term, column):
            raise VocabularyError(f"{term.code} has no label", file=file, row=row, column=column)
    if term.definition_es and not term.definition:
        raise VocabularyError(
            f"{term.code} has a Spanish definition but no definition (in English)",
            file=file,
            row=row,
            column="definition",
        )


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise VocabularyError("the file is not UTF-8 text", file=str(path)) from None
    reader = csv.DictReader(text.splitlines())
    missing = [column for column in required if column not in (reader.fieldnames or [])]
    if missing:
        raise VocabularyError(
            f"missing column(s) {', '.join(missing)} in the header", file=str(path), row=1
        )
    return list(reader)


def _checksum(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix in {".csv", ".yaml"}:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
