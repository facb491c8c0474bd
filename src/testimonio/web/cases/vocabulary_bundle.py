"""A project's vocabulary version as the core's :class:`~testimonio.vocab.bundle.Bundle`.

Validation in ``testimonio.ingest`` checks codes against a Bundle; inside a project that must be
the version the project uses (which may differ from the file shipped today), read from the
database with the reference tables as loaded.
"""

from __future__ import annotations

from testimonio.vocab import Bundle
from testimonio.vocab import Term as BundleTerm
from testimonio.web.cases.models import Language, Nationality, Port, VocabularyVersion


def bundle_of(version: VocabularyVersion) -> Bundle:
    terms = tuple(
        BundleTerm(
            t.code, t.parent_code, t.label_en, t.label_es, t.definition, t.source, t.definition_es
        )
        for t in version.terms.all()
    )
    tables: dict[str, list[dict[str, str]]] = {
        "ports": [
            {"code": p.code, "name": p.name, "state": p.state, "mexican_city": p.mexican_city}
            for p in Port.objects.all()
        ],
        "languages": [_labels(row) for row in Language.objects.all()],
        "nationalities": [_labels(row) for row in Nationality.objects.all()],
    }
    return Bundle(version.name, version.title, "", terms, tables, version.checksum)


def _labels(row: Language | Nationality) -> dict[str, str]:
    return {"code": row.code, "label_en": row.label_en, "label_es": row.label_es}
