"""The project's blind double-coding sample, paragraph by paragraph.

Which paragraphs are in it is :func:`testimonio.declarations.in_double_sample` of the
project's own salt and the paragraph's id at the project's share (docs/declarations.md):
reproducible, and raising the share only adds paragraphs. Blind means a coder does not see
another coder's codes on a sampled paragraph before coding it themselves: the declaration
page hides them (:func:`visible_codings`), and the coding screen shows only one's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from testimonio.declarations import in_double_sample
from testimonio.web.declarations.models import CodingPolicy, ParagraphCoding, policy_for
from testimonio.web.evidence.models import DocumentParagraph

__all__ = ["SampleProgress", "in_sample", "sample_progress", "visible_codings"]


def _salt(project_id: int) -> str:
    return f"testimonio-double-coding-{project_id}"


def in_sample(policy: CodingPolicy, paragraph_id: int) -> bool:
    return in_double_sample(_salt(policy.project_id), str(paragraph_id),
                            policy.double_coding_share)  # fmt: skip


@dataclass(frozen=True)
class SampleProgress:
    paragraphs: int  # the project's declaration paragraphs
    sampled: int  # in the double-coding sample
    double_coded: int  # sampled and read by two coders or more
    to_code: list[tuple[int, int, int]]  # (declaration, paragraph number, paragraph id) for me


def sample_progress(project_id: int, user_id: int | None, limit: int = 50) -> SampleProgress:
    """How far the sample is coded, and the sampled paragraphs ``user_id`` has not coded yet
    (at most ``limit``): paragraph ids and numbers only, no text is opened."""
    policy = policy_for(project_id)
    rows = DocumentParagraph.objects.filter(
        document__declaration__project_id=project_id
    ).values_list("pk", "document__declaration__pk", "number")
    sampled = [(pk, declaration, number) for pk, declaration, number in rows
               if in_sample(policy, pk)]  # fmt: skip
    readers = dict(
        ParagraphCoding.objects.filter(declaration__project_id=project_id, coder__isnull=False)
        .values("paragraph_id")
        .annotate(coders=Count("coder_id", distinct=True))
        .values_list("paragraph_id", "coders")
    )
    mine = set(
        ParagraphCoding.objects.filter(
            declaration__project_id=project_id, coder_id=user_id
        ).values_list("paragraph_id", flat=True)
    )
    to_code = sorted((declaration, number, pk) for pk, declaration, number in sampled
                     if pk not in mine and readers.get(pk, 0) < 2)  # fmt: skip
    return SampleProgress(
        paragraphs=len(rows),
        sampled=len(sampled),
        double_coded=sum(1 for pk, _, _ in sampled if readers.get(pk, 0) >= 2),
        to_code=to_code[:limit],
    )


def visible_codings(
    codings: Iterable[ParagraphCoding], policy: CodingPolicy, user_id: int | None
) -> list[ParagraphCoding]:
    """``codings`` less other coders' codes on sampled paragraphs ``user_id`` has not coded."""
    codings = list(codings)
    mine = {c.paragraph_id for c in codings if c.coder_id == user_id}
    return [
        c for c in codings
        if c.coder_id == user_id or c.paragraph_id in mine or not in_sample(policy, c.paragraph_id)
    ]  # fmt: skip
