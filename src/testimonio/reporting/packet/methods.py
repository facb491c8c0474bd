"""The methods appendix's measures of quality: the review queue, coder agreement, exclusions.

Each reads one optional table of a version-2 snapshot (docs/snapshot.md) and says so plainly
when the snapshot does not carry it (a version-1 snapshot, a project without declarations):
a court should read "not measured", never an empty table it could take for perfect agreement.

A term is flagged when its alpha is below the project's minimum (the ``minimum_alpha`` the
snapshot records; :data:`DEFAULT_MINIMUM_ALPHA` when it records none) or undefined: an
undefined alpha means every coder gave every paragraph the same answer, which measures nothing.
"""

from __future__ import annotations

import math

from testimonio.analysis import Snapshot
from testimonio.reporting.labels import TacticLabels
from testimonio.reporting.packet.content import TableBlock

__all__ = [
    "DEFAULT_MINIMUM_ALPHA",
    "agreement_table",
    "declaration_exclusions",
    "review_table",
]

#: Krippendorff's line for tentative conclusions (used when the snapshot gives no minimum).
DEFAULT_MINIMUM_ALPHA = 0.667

REVIEW_ROWS = (
    ("same", "Decided: the same person (match)"),
    ("different", "Decided: different people (non-match)"),
    ("unsure", "Decided: unsure (left apart)"),
    ("pending", "Pending: not decided yet (left apart)"),
)


def review_table(snapshot: Snapshot) -> tuple[TableBlock | None, str]:
    """The review queue's figures and a sentence saying what they mean."""
    if not snapshot.has("linkage_review"):
        return None, "This snapshot does not carry the review queue's figures."
    counts = dict(snapshot.sql("SELECT status, pairs FROM linkage_review").fetchall())
    total = sum(int(value) for value in counts.values())
    rows = [("Pairs sent to review", str(total))]
    rows += [(label, str(int(counts.get(status, 0)))) for status, label in REVIEW_ROWS]
    pending = int(counts.get("pending", 0))
    note = (
        f"{total} pairs were sent to review; {total - pending} were decided and {pending} "
        "are pending. A pending or unsure pair is not merged: its records count as separate "
        "persons until someone decides."
    )
    table = TableBlock(
        "methods_review_queue", "Linkage review queue", ("Measure", "Pairs"), tuple(rows)
    )
    return table, note


def _number(value: float | None) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.3f}"


def _kappa_text(code: str, kappas: dict[str, float | None]) -> str:
    if code not in kappas:
        return "not measured (not two coders)"
    return _number(kappas[code]) or "undefined"


def agreement_table(snapshot: Snapshot, tactics: TacticLabels) -> tuple[TableBlock | None, str]:
    """Krippendorff's alpha per term with its bootstrap interval, flagged terms marked."""
    if not snapshot.has("coder_agreement"):
        if snapshot.has("paragraph_codings"):
            return None, (
                "no paragraph was coded by two coders, so agreement between coders was not "
                "measured."
            )
        return None, "this snapshot carries no coded declarations; agreement was not measured."
    rows = snapshot.sql(
        """SELECT term_code, paragraphs, coders, alpha, alpha_lower, alpha_upper, level,
                  minimum_alpha FROM coder_agreement ORDER BY term_code"""
    ).fetchall()
    kappas: dict[str, float | None] = {}
    if snapshot.has("coder_kappa"):
        kappas = dict(snapshot.sql("SELECT term_code, kappa FROM coder_kappa").fetchall())
    printed, flagged = [], []
    for code, paragraphs, coders, alpha, lower, upper, level, minimum in rows:
        minimum = DEFAULT_MINIMUM_ALPHA if minimum is None else float(minimum)
        low = alpha is None or math.isnan(alpha) or alpha < minimum
        if low:
            flagged.append(str(tactics.get(code, {}).get("en", code)))
        span = f"{_number(lower)} to {_number(upper)}" if lower is not None else ""
        printed.append(
            (str(tactics.get(code, {}).get("en", code)), str(paragraphs), str(coders),
             _number(alpha) or "undefined", span, f"{100 * float(level or 0.95):.0f}%",
             f"below {minimum:.3f}" if low else "", _kappa_text(code, kappas))
        )  # fmt: skip
    minimum_text = {f"{float(row[7] or DEFAULT_MINIMUM_ALPHA):.3f}" for row in rows}
    note = (
        "blind double coding of a sample of paragraphs; Krippendorff's alpha (nominal) per term "
        "over the double-coded paragraphs, with a percentile bootstrap interval over "
        f"paragraphs; terms under the minimum alpha ({', '.join(sorted(minimum_text))}) are "
        f"flagged: {len(flagged)} of {len(rows)}"
        + (f" ({'; '.join(flagged)})." if flagged else ".")
        + " A flagged term's codes are less reliable: its findings rest on codings coders did "
        "not agree on. "
        + (
            "Cohen's kappa is given beside alpha: exactly two coders read the sample."
            if kappas
            else "Cohen's kappa is not given: it measures agreement between exactly two "
            "coders, and this sample was read by more (or the snapshot, older than version "
            "4, does not carry it)."
        )
    )
    table = TableBlock(
        "methods_coder_agreement", "Coder agreement per term",
        ("Term", "Double-coded paragraphs", "Coders", "Alpha", "Interval", "Level", "Flag",
         "Cohen's kappa"),
        tuple(printed),
        "Alpha (and kappa) are undefined when every coder gave every paragraph the same answer.",
    )  # fmt: skip
    return table, note


def declaration_exclusions(snapshot: Snapshot) -> str:
    """What of the declarations the exhibit index leaves out, and why."""
    if not snapshot.has("declarations"):
        return ""
    total, unnumbered, unlinked = snapshot.sql(
        """SELECT count(*), count(*) FILTER (WHERE exhibit = ''),
                  count(*) FILTER (WHERE person_id IS NULL) FROM declarations"""
    ).fetchall()[0]
    uncited = 0
    if snapshot.has("paragraph_codings"):
        uncited = snapshot.sql(
            "SELECT count(*) FROM paragraph_codings WHERE encounter_id IS NULL"
        ).fetchall()[0][0]
    return (
        f"Of {total} declarations, {unnumbered} are not yet numbered as exhibits and are not "
        f"in the exhibit index; {unlinked} are not linked to a person (cited under 'unlinked "
        f"declarant'); {uncited} paragraph codings name no encounter, so they are cited but "
        "do not count in any figure."
    )
