"""Custody verification: every stored document still decrypts and hashes to its intake SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from testimonio.errors import TestimonioError
from testimonio.web.evidence.models import Document
from testimonio.web.evidence.store import read_document


@dataclass(frozen=True)
class CustodyProblem:
    document_id: int
    reason: str


def verify_custody() -> tuple[int, list[CustodyProblem]]:
    """Re-read and re-hash every document; returns how many were checked and the problems."""
    problems: list[CustodyProblem] = []
    checked = 0
    for document in Document.objects.order_by("pk").iterator():
        checked += 1
        try:
            data = read_document(document)
        except FileNotFoundError:
            problems.append(CustodyProblem(document.pk, "the stored file is missing"))
            continue
        except TestimonioError as error:
            problems.append(CustodyProblem(document.pk, str(error)))
            continue
        if hashlib.sha256(data).hexdigest() != document.sha256:
            problems.append(CustodyProblem(document.pk, "its content no longer matches its hash"))
    return checked, problems
