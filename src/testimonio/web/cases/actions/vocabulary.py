"""Load a vocabulary bundle as a new version, and its reference tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from testimonio.vocab import Bundle, check_codes_keep_their_meaning
from testimonio.vocab import Term as BundleTerm
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Language, Nationality, Port, Term, VocabularyVersion


@dataclass(frozen=True)
class LoadedVocabulary:
    version: VocabularyVersion
    created: bool
    terms: int


def do_load_vocabulary(bundle: Bundle, actor: Actor) -> LoadedVocabulary:
    """Load ``bundle`` as the next version of its name, unless that content is already loaded.

    Codes used by an earlier version must keep their meaning; reference tables (ports,
    languages, nationalities) are added to or updated, never deleted from.
    """
    existing = VocabularyVersion.objects.filter(name=bundle.name, checksum=bundle.checksum).first()
    if existing is not None:
        return LoadedVocabulary(existing, created=False, terms=existing.terms.count())
    earlier = [_as_bundle_term(term) for term in Term.objects.filter(version__name=bundle.name)]
    check_codes_keep_their_meaning(earlier, bundle.terms)
    with transaction.atomic():
        version = _create_version(bundle)
        _load_reference_tables(bundle)
        record_event(
            actor,
            "cases.vocabulary.load",
            version,
            details={
                "name": bundle.name,
                "number": version.number,
                "terms": len(bundle.terms),
                "checksum": bundle.checksum,
            },
        )
    return LoadedVocabulary(version, created=True, terms=len(bundle.terms))


def _create_version(bundle: Bundle) -> VocabularyVersion:
    last = VocabularyVersion.objects.filter(name=bundle.name).aggregate(Max("number"))
    version = VocabularyVersion.objects.create(
        name=bundle.name,
        number=(last["number__max"] or 0) + 1,
        title=bundle.title,
        checksum=bundle.checksum,
    )
    Term.objects.bulk_create(
        Term(
            version=version,
            code=term.code,
            parent_code=term.parent,
            label_en=term.label_en,
            label_es=term.label_es,
            definition=term.definition,
            definition_es=term.definition_es,
            source=term.source,
        )
        for term in bundle.terms
    )
    return version


def _load_reference_tables(bundle: Bundle) -> None:
    for row in bundle.tables.get("ports", []):
        Port.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "state": row.get("state", ""),
                "mexican_city": row.get("mexican_city", ""),
                "latitude": _float(row.get("lat")),
                "longitude": _float(row.get("lon")),
            },
        )
    for model, table in ((Language, "languages"), (Nationality, "nationalities")):
        for row in bundle.tables.get(table, []):
            model.objects.update_or_create(
                code=row["code"],
                defaults={"label_en": row["label_en"], "label_es": row["label_es"]},
            )


def _as_bundle_term(term: Term) -> BundleTerm:
    return BundleTerm(
        term.code,
        term.parent_code,
        term.label_en,
        term.label_es,
        term.definition,
        term.source,
        term.definition_es,
    )


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
