"""Every change the analyses app makes: ``do_*`` functions, one transaction, audited.

A linkage run reads the project's records (identities opened in memory only, see
:mod:`.linkage_input`), scores pairs with the core's Splink model, clusters them honouring
reviewers' decisions, re-assigns records to persons, and stores what is needed to repeat it
(input hash, trained model, threshold, seed, versions) with the pairs left for review.

What must always hold: nothing stored or audited here carries an identity value: the run keeps
ids, hashes, parameters, counts and waterfalls of labelled weights.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from testimonio.errors import LinkageError, ValidationError
from testimonio.linkage import DEFAULT_THRESHOLD, LinkageModel, LinkageRun, run_linkage
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.actions import do_reassign_persons
from testimonio.web.cases.models import Person, Project, Record
from testimonio.web.linking.clustering import cluster_records
from testimonio.web.linking.linkage_input import (
    decided_pairs,
    input_hash,
    linkable_records,
    standard_records,
)
from testimonio.web.linking.models import Decision, LinkRun, MatchDecision, ReviewPair

#: Pairs scored in this range are queued for a person to review (lower bound inclusive).
REVIEW_BAND = (0.5, 0.95)
#: Edges of the probability bands the run counts pairs in.
PROBABILITY_BANDS = (0.5, 0.7, 0.9, 0.95, 0.99)

ScoredPair = tuple[int, int, float]


def do_run_linkage(
    project: Project,
    actor: Actor,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 42,
    repeat_of: LinkRun | None = None,
) -> LinkRun:
    """Link the project's records into persons; ``repeat_of`` reuses that run's trained model."""
    if not 0 < threshold < 1:
        raise ValidationError("the threshold must be between 0 and 1", column="threshold")
    started = time.perf_counter()
    with transaction.atomic():
        # One run at a time per project: records must not change under it.
        Project.objects.select_for_update().filter(pk=project.pk).exists()
        records = linkable_records(project)
        if not records:
            raise LinkageError("the project has no records to link")
        decisions = decided_pairs(project)
        people_before = Person.objects.filter(project=project).count()
        standard = standard_records(records)
        model = _saved_model(repeat_of, standard)
        result = run_linkage(
            standard, threshold=threshold, seed=seed, model=model, min_pair_probability=0.5
        )
        scored = _scored_pairs(result.pairs)
        clustering = cluster_records(
            [record.pk for record in records],
            scored,
            threshold,
            same=_pairs_decided(decisions, Decision.SAME),
            different=_pairs_decided(decisions, Decision.DIFFERENT),
        )
        moved = do_reassign_persons(project, actor, records, clustering.cluster_of)
        metrics = {
            "records": len(records),
            "people_before": people_before,
            "people_after": Person.objects.filter(project=project).count(),
            "clusters": len(set(clustering.cluster_of.values())),
            "records_moved": moved,
            "pairs_by_band": _pairs_by_band(scored),
            "decisions": {"same": _count(decisions, "same"), "different": _count(decisions)},
            "contradicting_decisions": clustering.contradictions,
            "notes": list(result.model.notes),
        }
        link_run = _store_run(project, actor, records, decisions, result, threshold, metrics)
        _store_review_pairs(link_run, result)
        link_run.metrics["review_pairs"] = link_run.review_pairs.count()
        link_run.metrics["seconds"] = round(time.perf_counter() - started, 2)
        link_run.save(update_fields=["metrics"])
        record_event(
            actor,
            "analyses.linkage.run",
            link_run,
            project_id=project.pk,
            details={"threshold": threshold, "seed": seed, **_audited_metrics(link_run.metrics)},
        )
    return link_run


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
    keys = ("records", "people_before", "people_after", "records_moved", "review_pairs")
    return {key: metrics[key] for key in keys if key in metrics}


def _store_run(
    project: Project,
    actor: Actor,
    records: list[Record],
    decisions: list[MatchDecision],
    result: LinkageRun,
    threshold: float,
    metrics: dict[str, Any],
) -> LinkRun:
    saved = result.model.to_dict()
    return LinkRun.objects.create(
        project=project,
        created_by=actor if isinstance(actor, User) else None,
        input_hash=input_hash(records, decisions),
        settings=saved,
        seed=int(saved["seed"]),
        threshold=threshold,
        metrics=metrics,
        package_versions=saved["versions"],
    )


def _store_review_pairs(link_run: LinkRun, result: LinkageRun) -> None:
    """Queue the pairs in :data:`REVIEW_BAND`, each with its waterfall (no values)."""
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
            )
        )
    ReviewPair.objects.bulk_create(review)


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
