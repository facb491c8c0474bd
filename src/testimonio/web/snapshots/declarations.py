"""The snapshot's version-2 tables: declarations, their paragraph codings, review, agreement.

What the evidence packet cites (exhibit, pseudonym, date signed, ports, language, whether an
interpreter read it, which paragraph says which term) and how well the evidence was read (the
linkage review queue's figures, coders' agreement). Only clear columns of
:class:`~testimonio.web.declarations.models.Declaration` and ids are selected: the paragraphs'
sealed text, the sealed preamble and closing, the interpreter's name (a plain column: only
whether there is one leaves), the document's file name and the coders are never read into a
table. Declarations get ids that mean nothing outside the snapshot (``D-…``, in primary-key
order), like records and encounters.

Why here and not in ``web/declarations``: the snapshot is one consistent read of a project,
made in one transaction by :func:`~testimonio.web.snapshots.tables.build_snapshot_tables`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from testimonio.analysis import TABLES, padded_ids
from testimonio.analysis.agreement_tables import agreement_frames
from testimonio.web.cases.models import Project
from testimonio.web.declarations.agreement import project_agreement
from testimonio.web.declarations.models import Declaration, ParagraphCoding, policy_for
from testimonio.web.linking.models import Decision, LinkRun, MatchDecision, ReviewPair

__all__ = [
    "DEFAULT_MINIMUM_ALPHA",
    "agreement_tables",
    "declaration_tables",
    "linkage_review_table",
]

#: Krippendorff's own line for drawing tentative conclusions: a project's minimum until it
#: sets its own (declarations.CodingPolicy).
DEFAULT_MINIMUM_ALPHA = 0.667
#: Replicates of the bootstrap interval of alpha (a fixed seed, so the snapshot repeats).
AGREEMENT_REPLICATES = 1000


def declaration_tables(
    project: Project, encounter_ids: dict[int, str], encounters: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """``declarations`` and ``paragraph_codings`` of the project ({} when it has none).

    ``encounter_ids`` maps encounter primary keys to their snapshot ids and ``encounters`` is
    the snapshot's encounters table: a declaration's ports are those of the encounters its
    paragraphs are coded on, else those of its declarant's encounters.
    """
    rows = list(
        Declaration.objects.filter(project=project).order_by("pk").values_list(
            "pk", "exhibit", "ecf_reference", "person__pseudonym", "date_signed", "language",
            "interpreter", "translation_of_id", "paragraph_count",
        )
    )  # fmt: skip
    if not rows:
        return {}
    ids = dict(zip((row[0] for row in rows), padded_ids("D-", np.arange(len(rows))), strict=True))
    codings = _paragraph_codings(project, ids, encounter_ids)
    ports = _ports(rows, ids, codings, encounters)
    frame = pd.DataFrame(
        {
            "declaration_id": [str(ids[row[0]]) for row in rows],
            "exhibit": [row[1] for row in rows],
            "ecf_reference": [row[2] for row in rows],
            "person_id": [row[3] for row in rows],
            "date_signed": pd.to_datetime(pd.Series([row[4] for row in rows]), errors="coerce"),
            "ports": [ports.get(str(ids[row[0]]), "") for row in rows],
            "language": [row[5] or None for row in rows],
            "interpreter": [bool(row[6]) for row in rows],
            "translation_of": [str(ids[row[7]]) if row[7] in ids else None for row in rows],
            "paragraphs": [int(row[8]) for row in rows],
        },
        columns=list(TABLES["declarations"].column_names),
    )
    return {"declarations": frame, "paragraph_codings": codings}


def _paragraph_codings(
    project: Project, ids: dict[int, str], encounter_ids: dict[int, str]
) -> pd.DataFrame:
    """One row per paragraph, term and encounter, with how many coders marked it."""
    coders: dict[tuple[str, str, str, str | None], int] = defaultdict(int)
    for declaration, number, code, encounter in ParagraphCoding.objects.filter(
        declaration__project=project
    ).values_list("declaration_id", "paragraph__number", "term__code", "encounter_id"):
        key = (str(ids[declaration]), str(number), code, encounter_ids.get(encounter))
        coders[key] += 1
    return pd.DataFrame(
        [(*key, count) for key, count in sorted(coders.items(), key=lambda item: str(item[0]))],
        columns=list(TABLES["paragraph_codings"].column_names),
    )


def _ports(
    rows: list[tuple[Any, ...]],
    ids: dict[int, str],
    codings: pd.DataFrame,
    encounters: pd.DataFrame,
) -> dict[str, str]:
    port_of = dict(zip(encounters["encounter_id"], encounters["port"], strict=True))
    coded: dict[str, set[str]] = defaultdict(set)
    for declaration, encounter in zip(
        codings["declaration_id"], codings["encounter_id"], strict=True
    ):
        if encounter is not None and port_of.get(encounter):
            coded[declaration].add(str(port_of[encounter]))
    known = encounters.dropna(subset=["person_id", "port"])
    of_person: dict[str, set[str]] = defaultdict(set)
    for person, port in zip(known["person_id"], known["port"], strict=True):
        of_person[str(person)].add(str(port))
    result = {}
    for row in rows:
        declaration, person = str(ids[row[0]]), row[3]
        found = coded.get(declaration) or (of_person.get(person, set()) if person else set())
        result[declaration] = " ".join(sorted(found))
    return result


def linkage_review_table(project: Project, run: LinkRun) -> pd.DataFrame:
    """The run's review queue: pairs still pending and pairs decided, by decision.

    A pair is decided when a reviewer's decision on the same two records exists (a decision
    outlives the run that queued the pair: later runs honour it).
    """
    decisions = dict(
        (((a, b), decision) for a, b, decision in MatchDecision.objects.filter(
            project=project
        ).values_list("record_a_id", "record_b_id", "decision"))
    )  # fmt: skip
    counts = {"pending": 0, Decision.SAME.value: 0, Decision.DIFFERENT.value: 0,
              Decision.UNSURE.value: 0}  # fmt: skip
    for pair in ReviewPair.objects.filter(link_run=run).values_list("record_a_id", "record_b_id"):
        decision = decisions.get(pair) or decisions.get((pair[1], pair[0]))
        counts[str(decision) if decision else "pending"] += 1
    return pd.DataFrame(list(counts.items()), columns=list(TABLES["linkage_review"].column_names))


def agreement_tables(project: Project) -> dict[str, pd.DataFrame]:
    """``coder_agreement`` (alpha per term, held to the project's minimum) and, for two
    coders, ``coder_kappa``; {} when nothing is double-coded."""
    minimum_alpha = policy_for(project.pk).minimum_alpha
    results = project_agreement(
        project, minimum_alpha=minimum_alpha, replicates=AGREEMENT_REPLICATES
    )
    return agreement_frames(results, minimum_alpha)
