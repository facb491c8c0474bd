"""Every change the analyses app makes: ``do_*`` functions, one transaction, audited.

A linkage run reads the project's records (identities opened in memory only, see
:mod:`.linkage_input`), scores pairs with the core's Splink model, clusters them honouring
reviewers' decisions and the cannot-link pairs of split persons, re-assigns records to
persons, flags the persons whose records disagree strongly (reason codes only), and stores
what is needed to repeat it (input hash, trained model, threshold, seed, versions) with the
pairs left for review. Background runs with progress are in :mod:`.jobs`.

What must always hold: nothing stored or audited here carries an identity value: the run keeps
ids, hashes, parameters, counts and waterfalls of labelled weights.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from testimonio.errors import LinkageError, ValidationError
from testimonio.linkage import (
    DEFAULT_THRESHOLD,
    Clustering,
    LinkageModel,
    LinkageRun,
    RecordFacts,
    cluster_at_thresholds,
    pair_disagreements,
    run_linkage,
)
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.actions import do_flag_persons, do_reassign_persons
from testimonio.web.cases.disagreements import disagreements_by_person, record_facts
from testimonio.web.cases.models import Person, Project, Record
from testimonio.web.linking.linkage_input import (
    cannot_link_pairs,
    decided_pairs,
    input_hash,
    linkable_records,
    standard_records,
)
from testimonio.web.linking.models import Decision, LinkRun, MatchDecision, ReviewPair

#: Pairs scored in this range are queued for a person to review (lower bound inclusive).
REVIEW_BAND = (0.5, 0.95)
#: Thresholds a run also clusters at (besides its own), kept with the run so that a snapshot
#: can show how much each person-count depends on linkage (docs/snapshot.md). The lowest is
#: the lowest probability a run scores pairs down to (``min_pair_probability``).
ALTERNATIVE_THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)
#: Edges of the probability bands the run counts pairs in.
PROBABILITY_BANDS = (0.5, 0.7, 0.9, 0.95, 0.99)

ScoredPair = tuple[int, int, float]
#: Told each stage of a run and how far along it is (percent).
Progress = Callable[[str, int], None]


def do_run_linkage(
    project: Project,
    actor: Actor,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 42,
    repeat_of: LinkRun | None = None,
    progress: Progress | None = None,
) -> LinkRun:
    """Link the project's records into persons; ``repeat_of`` reuses that run's trained model.

    The slow part (opening identities, training, scoring, clustering) only reads; what the run
    changes is applied in one transaction at the end, after checking that its inputs (records,
    decisions, splits) did not change meanwhile. So a run killed at any point leaves the
    project as it was. ``progress(stage, percent)`` is told how far it got.
    """
    if not 0 < threshold < 1:
        raise ValidationError("the threshold must be between 0 and 1", column="threshold")
    report = progress or _silent
    started = time.perf_counter()
    report("reading records", 5)
    inputs = _read_inputs(project)
    report("opening identities in memory", 15)
    birth_dates: dict[int, str] = {}
    standard = standard_records(inputs.records, birth_dates)
    report("training the model and scoring pairs", 30)
    model = _saved_model(repeat_of, standard)
    result = run_linkage(
        standard, threshold=threshold, seed=seed, model=model, min_pair_probability=0.5
    )
    report("clustering", 75)
    scored = _scored_pairs(result.pairs)
    clusterings = cluster_at_thresholds(
        [record.pk for record in inputs.records],
        scored,
        (*ALTERNATIVE_THRESHOLDS, threshold),
        same=_pairs_decided(inputs.decisions, Decision.SAME),
        different=_pairs_decided(inputs.decisions, Decision.DIFFERENT),
        cannot_link=inputs.cannot_link,
    )
    facts = record_facts(inputs.records, birth_dates)
    report("applying the run", 85)
    link_run = _apply_run(project, actor, inputs, result, clusterings, facts, threshold, started)
    report("finished", 100)
    return link_run


@dataclass(frozen=True)
class _Inputs:
    """What a run is given: records, reviewers' decisions, splits' cannot-link pairs."""

    records: list[Record]
    decisions: list[MatchDecision]
    cannot_link: list[tuple[int, int]]
    fingerprint: str


def _read_inputs(project: Project) -> _Inputs:
    records = linkable_records(project)
    if not records:
        raise LinkageError("the project has no records to link")
    decisions = decided_pairs(project)
    apart = cannot_link_pairs(project)
    return _Inputs(records, decisions, apart, input_hash(records, decisions, apart))


def _apply_run(
    project: Project,
    actor: Actor,
    inputs: _Inputs,
    result: LinkageRun,
    clusterings: dict[float, Clustering],
    facts: dict[int, RecordFacts],
    threshold: float,
    started: float,
) -> LinkRun:
    """Move records, flag persons, store the run and its review pairs: all or nothing."""
    clustering = clusterings[threshold]
    with transaction.atomic():
        # One run applied at a time per project, on the inputs it was computed from.
        Project.objects.select_for_update().filter(pk=project.pk).exists()
        if _read_inputs(project).fingerprint != inputs.fingerprint:
            raise LinkageError(
                "records, decisions or splits changed while linkage ran; run it again"
            )
        people_before = Person.objects.filter(project=project).count()
        moved = do_reassign_persons(project, actor, inputs.records, clustering.cluster_of)
        flagged = _flag_persons(project, actor, facts)
        metrics = {
            "records": len(inputs.records),
            "people_before": people_before,
            "people_after": Person.objects.filter(project=project).count(),
            "clusters": len(set(clustering.cluster_of.values())),
            "records_moved": moved,
            "flagged_persons": flagged,
            "pairs_by_band": _pairs_by_band(_scored_pairs(result.pairs)),
            "decisions": {
                "same": _count(inputs.decisions, "same"),
                "different": _count(inputs.decisions),
            },
            "cannot_link_pairs": len(inputs.cannot_link),
            "contradicting_decisions": clustering.contradictions,
            "notes": list(result.model.notes),
        }
        link_run = _store_run(
            project, actor, inputs.records, inputs.fingerprint, result, threshold, metrics
        )
        link_run.alternatives = alternative_clusters(clusterings)
        _store_review_pairs(link_run, result, facts)
        link_run.metrics["review_pairs"] = link_run.review_pairs.count()
        link_run.metrics["seconds"] = round(time.perf_counter() - started, 2)
        link_run.save(update_fields=["metrics", "alternatives"])
        record_event(
            actor,
            "analyses.linkage.run",
            link_run,
            project_id=project.pk,
            details={
                "threshold": threshold,
                "seed": link_run.seed,
                **_audited_metrics(link_run.metrics),
            },
        )
    return link_run


def alternative_clusters(clusterings: dict[float, Clustering]) -> dict[str, Any]:
    """What a run keeps of its clusterings: the thresholds (the run's own among them) and each
    record's cluster number at each, as lists in the order of the records' ids.

    Record ids and cluster numbers only: nothing of a record's content. Lists rather than a
    mapping per threshold keep it small (a number per record and threshold).
    """
    thresholds = sorted(clusterings)
    records = sorted(clusterings[thresholds[0]].cluster_of)
    return {
        "thresholds": thresholds,
        "records": records,
        "clusters": [
            [clusterings[threshold].cluster_of[record] for record in records]
            for threshold in thresholds
        ],
    }


def _silent(stage: str, percent: int) -> None:
    """The progress report of a run nobody watches."""


def _flag_persons(project: Project, actor: Actor, facts: dict[int, RecordFacts]) -> int:
    """Flag the persons whose records, as now assigned, disagree strongly."""
    person_of = {
        record_id: person_id
        for record_id, person_id in Record.objects.filter(project=project).values_list(
            "pk", "person_id"
        )
        if record_id in facts
    }
    return do_flag_persons(project, actor, disagreements_by_person(facts, person_of))


def _saved_model(repeat_of: LinkRun | None, standard: pd.DataFrame) -> LinkageModel | None:
    if repeat_of is None:
        return None
    saved = dict(repeat_of.settings)
    settings = dict(saved["splink_settings"])
    settings.pop("linker_uid", None)
    return LinkageModel(
        standard, seed=int(saved["seed"]), settings=settings, threshold=repeat_of.threshold
    )


def _scored_pairs(pairs: pd.DataFrame) -> list[ScoredPair]:
    """(lower record id, higher record id, probability) of every scored pair."""
    scored = []
    for first, second, probability in zip(
        pairs["record_id_l"], pairs["record_id_r"], pairs["match_probability"], strict=True
    ):
        low, high = sorted((int(first), int(second)))
        scored.append((low, high, float(probability)))
    return scored


def _pairs_decided(decisions: list[MatchDecision], kind: str) -> list[tuple[int, int]]:
    return [(item.record_a_id, item.record_b_id) for item in decisions if item.decision == kind]


def _count(decisions: list[MatchDecision], kind: str = Decision.DIFFERENT) -> int:
    return sum(item.decision == kind for item in decisions)


def _pairs_by_band(scored: list[ScoredPair]) -> dict[str, int]:
    edges = [*PROBABILITY_BANDS, 1.0000001]
    bands = {f"{low}-{min(high, 1.0)}": 0 for low, high in zip(edges, edges[1:], strict=False)}
    for _, _, probability in scored:
        for low, high in zip(edges, edges[1:], strict=False):
            if low <= probability < high:
                bands[f"{low}-{min(high, 1.0)}"] += 1
    return bands


def _audited_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "records",
        "people_before",
        "people_after",
        "records_moved",
        "flagged_persons",
        "review_pairs",
    )
    return {key: metrics[key] for key in keys if key in metrics}


def _store_run(
    project: Project,
    actor: Actor,
    records: list[Record],
    fingerprint: str,
    result: LinkageRun,
    threshold: float,
    metrics: dict[str, Any],
) -> LinkRun:
    saved = result.model.to_dict()
    return LinkRun.objects.create(
        project=project,
        created_by=actor if isinstance(actor, User) else None,
        input_hash=fingerprint,
        settings=saved,
        seed=int(saved["seed"]),
        threshold=threshold,
        metrics=metrics,
        package_versions=saved["versions"],
    )


def _store_review_pairs(
    link_run: LinkRun, result: LinkageRun, facts: dict[int, RecordFacts]
) -> None:
    """Queue the pairs in :data:`REVIEW_BAND`, each with its waterfall and the codes on which
    its records disagree (no values)."""
    low, high = REVIEW_BAND
    rows = result.pairs[
        (result.pairs["match_probability"] >= low) & (result.pairs["match_probability"] < high)
    ]
    review = []
    for row in rows.to_dict("records"):
        first, second = sorted((int(row["record_id_l"]), int(row["record_id_r"])))
        review.append(
            ReviewPair(
                link_run=link_run,
                record_a_id=first,
                record_b_id=second,
                match_probability=float(row["match_probability"]),
                explanation=_waterfall(result.model, row),
                disagreements=_pair_codes(facts, first, second),
            )
        )
    ReviewPair.objects.bulk_create(review)


def _pair_codes(facts: dict[int, RecordFacts], first: int, second: int) -> list[str]:
    if first not in facts or second not in facts:
        return []
    return pair_disagreements(facts[first], facts[second])


def _waterfall(model: LinkageModel, row: dict[Any, Any]) -> list[dict[str, Any]]:
    return [
        {
            "comparison": step["comparison"],
            "level": step["level"],
            "weight": round(step["weight"], 4),
            "bayes_factor": round(2.0 ** step["weight"], 6),
        }
        for step in model.explain(row)
    ]


def do_decide_pair(
    review_pair: ReviewPair, decision: str, actor: Actor, note: str = ""
) -> MatchDecision:
    """Record a reviewer's verdict on a pair; a later verdict on the same pair replaces it.

    The note is not copied into the audit log: a reviewer may have written a name in it.
    """
    if decision not in Decision.values:
        raise ValidationError(
            f"the decision must be one of {', '.join(Decision.values)}", column="decision"
        )
    project_id = review_pair.link_run.project_id
    with transaction.atomic():
        earlier = (
            MatchDecision.objects.select_for_update()
            .filter(record_a_id=review_pair.record_a_id, record_b_id=review_pair.record_b_id)
            .first()
        )
        replaced = earlier.decision if earlier else None
        verdict = earlier or MatchDecision(
            project_id=project_id,
            record_a_id=review_pair.record_a_id,
            record_b_id=review_pair.record_b_id,
        )
        verdict.link_run = review_pair.link_run
        verdict.decision = decision
        verdict.decided_by = actor if isinstance(actor, User) else None
        verdict.decided_at = timezone.now()
        verdict.note = note
        verdict.save()
        record_event(
            actor,
            "analyses.decision.record",
            verdict,
            project_id=project_id,
            details={
                "decision": decision,
                "replaces": replaced,
                "records": [review_pair.record_a_id, review_pair.record_b_id],
                "probability": round(review_pair.match_probability, 4),
                "note": bool(note),
            },
        )
    return verdict
