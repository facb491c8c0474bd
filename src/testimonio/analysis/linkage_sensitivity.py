"""Linkage matters: every person-count over the linkage run's alternative clusterings.

A count of *people* is only as good as the linkage that decided which records are one person:
link too eagerly (a low threshold) and two people become one, too cautiously (a high one) and
one person told by three lists becomes three. The snapshot's ``linkage_alternatives`` table
(schema version 5) holds the cluster of every record at each of the run's alternative
thresholds, the run's own among them; here each clustering is taken in turn as the persons,
the reports are resolved into events again (a merge can join two reports of one attempt into
one event; :func:`~testimonio.analysis.events.resolve_events`, the rule of the panel), and the
person-level figures of the panel are counted, so an attorney sees how much a count depends
on linkage. At the run's own threshold the figures are the panel's, exactly.

What can be said of the direction (docs/methods.md, "How much the counts depend on
linkage"): a higher threshold's clusters are a split of a lower one's
(:func:`testimonio.linkage.clustering.cluster_at_thresholds`), so the number of persons and
the number of persons turned away never fall as the threshold rises; the repeatedly turned
away and the fear-then-turned-away counts can move either way (a merge makes two single
turn-backs one repeated one; a split can separate the report of fear from the report of the
turn-back of one attempt).

Plain Python (no Django); pseudonymous ids and cluster numbers only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np
import pandas as pd

from testimonio.analysis.events import DEFAULT_TOLERANCE_DAYS, resolve_events
from testimonio.analysis.ids import padded_ids
from testimonio.analysis.intervals import LEVEL, share_intervals
from testimonio.analysis.panel import DEFINITIONS, PERSON_FIGURES
from testimonio.analysis.snapshot import Snapshot, to_frame

#: The figures shown at each clustering: every person-count of the panel and the persons.
SENSITIVITY_FIGURES = ("persons", *PERSON_FIGURES)
COLUMNS = (
    "threshold", "own", "id", "count", "denominator", "share", "lower", "upper", "level",
    "method",
)  # fmt: skip


def alternatives_table(
    record_ids: np.ndarray, clusters: Mapping[float, np.ndarray], own: float
) -> pd.DataFrame:
    """The ``linkage_alternatives`` table: each record's cluster at each threshold.

    ``clusters[threshold][i]`` is the cluster number of ``record_ids[i]`` at that threshold;
    a negative number is a record the run did not see (imported after it): it is a cluster of
    its own, as it is a person of its own until the next run. ``own`` is the run's threshold.
    """
    if own not in clusters:
        raise ValueError("the run's own threshold must be one of the clusterings")
    frames = []
    for threshold in sorted(clusters):
        numbers = np.asarray(clusters[threshold], dtype=np.int64).copy()
        unseen = numbers < 0
        start = int(numbers.max(initial=0)) + 1
        numbers[unseen] = np.arange(start, start + int(unseen.sum()))
        frames.append(
            pd.DataFrame(
                {
                    "threshold": float(threshold),
                    "own": threshold == own,
                    "record_id": np.asarray(record_ids, dtype=object),
                    "cluster": padded_ids("C-", numbers),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["threshold", "own", "record_id", "cluster"])
    return pd.concat(frames, ignore_index=True)


def _person_counts(events: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """(count, denominator) of each figure, from events with their person (the panel's rules:
    persons with an event; turned away once or more; twice or more; fear then turned)."""
    linked = events[events["person_id"].notna()]
    person, _ = pd.factorize(linked["person_id"])
    persons = int(person.max()) + 1 if len(person) else 0
    turned = linked["turned_away"].to_numpy() == "yes"
    fear = linked["fear_expressed"].to_numpy() == "yes"
    turned_n = np.bincount(person[turned], minlength=persons)
    fear_n = np.bincount(person[fear], minlength=persons)
    fear_turned_n = np.bincount(person[fear & turned], minlength=persons)
    counts = {
        "persons": persons,
        "turned_persons": int((turned_n >= 1).sum()),
        "repeated": int((turned_n >= 2).sum()),
        "fear_persons": int((fear_n > 0).sum()),
        "fear_turned_persons": int((fear_turned_n > 0).sum()),
    }
    found = {"persons": (counts["persons"], 0)}
    for figure_id in PERSON_FIGURES:
        count, denominator, _ = DEFINITIONS[figure_id]
        found[figure_id] = (counts[count], counts[denominator])
    return found


def linkage_sensitivity(
    snapshot: Snapshot, tolerance_days: int = DEFAULT_TOLERANCE_DAYS
) -> pd.DataFrame | None:
    """The person-level figures at every clustering of ``linkage_alternatives`` (one row per
    threshold and figure, in :data:`COLUMNS`); ``None`` when the snapshot does not carry them
    (a version 3 snapshot, or a run made before runs kept them)."""
    if not snapshot.has("linkage_alternatives"):
        return None
    alternatives = to_frame(snapshot.relation("linkage_alternatives"))
    if alternatives.empty:
        return None
    records = snapshot.frame("records")
    encounters = snapshot.frame("encounters")
    linked = records.set_index("record_id")["person_id"].notna()
    rows = []
    for key, clustering in alternatives.groupby(["threshold", "own"], sort=True):
        threshold, own = cast(tuple[float, bool], key)
        cluster = clustering.set_index("record_id")["cluster"]
        person = cluster.reindex(records["record_id"]).where(linked.to_numpy())
        persons_of = pd.Series(person.to_numpy(), index=records["record_id"].to_numpy())
        relinked = encounters.assign(
            person_id=persons_of.reindex(encounters["record_id"]).to_numpy()
        )
        relinked_records = records.assign(person_id=person.to_numpy())
        events = resolve_events(relinked, relinked_records, tolerance_days).events
        counts = _person_counts(events)
        ids = list(SENSITIVITY_FIGURES)
        count = np.asarray([counts[item][0] for item in ids])
        denominator = np.asarray([counts[item][1] for item in ids])
        # "persons" has no denominator: no share (a zero count keeps the intervals quiet).
        share, lower, upper, method = share_intervals(
            np.where(denominator > 0, count, 0), denominator
        )
        for index, figure_id in enumerate(ids):
            empty = denominator[index] == 0
            rows.append(
                {
                    "threshold": float(threshold), "own": bool(own), "id": figure_id,
                    "count": int(count[index]), "denominator": int(denominator[index]),
                    "share": None if empty else float(share[index]),
                    "lower": None if empty else float(lower[index]),
                    "upper": None if empty else float(upper[index]),
                    "level": LEVEL, "method": "" if empty else str(method[index]),
                }
            )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLUMNS))


_WIDTH = 32


def sensitivity_lines(table: pd.DataFrame | None) -> list[str]:
    """The table as text for ``analyze``: one line per threshold, a column per figure."""
    if table is None:
        return ["How the counts depend on linkage: this snapshot does not carry the linkage "
                "run's alternative clusterings (run linkage again to keep them)."]  # fmt: skip
    lines = ["How the counts depend on linkage (persons at each linkage threshold):"]
    names = [item.removeprefix("persons_") or item for item in SENSITIVITY_FIGURES]
    header = f"  {'threshold':<10}  " + "  ".join(f"{item[:_WIDTH]:>{_WIDTH}}" for item in names)
    lines.append(header)
    for threshold, rows in table.groupby("threshold", sort=True):
        cells = []
        for figure_id in SENSITIVITY_FIGURES:
            row = rows[rows["id"] == figure_id].iloc[0]
            cell = f"{row['count']:,}"
            if row["share"] is not None and not pd.isna(row["share"]):
                cell += f" / {row['denominator']:,} ({row['share']:.1%})"
            cells.append(f"{cell:>{_WIDTH}}")
        own = " (run)" if bool(rows["own"].iloc[0]) else ""
        lines.append(f"  {threshold:>4.2f}{own:<6}  " + "  ".join(cells))
    return lines


__all__ = [
    "COLUMNS",
    "SENSITIVITY_FIGURES",
    "alternatives_table",
    "linkage_sensitivity",
    "sensitivity_lines",
]
