"""Capture histories: who was documented by which list, as a table of 0/1 patterns and counts.

Multiple systems estimation only ever sees, for each combination of lists, how many people were
documented by exactly that combination. This module turns a CSV or a data frame (one row per
person, or one row per pattern with a ``count`` column) into :class:`CaptureHistories` and checks
what every method needs: at least three lists, no empty list, 0/1 values only.

Invariant: a :class:`CaptureHistories` never holds the all-zero pattern (nobody is documented by no
list: that cell is what we estimate) and never holds a pattern twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from testimonio.errors import EstimationError, InputError

__all__ = [
    "CaptureHistories",
    "capture_histories_from_frame",
    "read_capture_histories",
]

COUNT_COLUMN = "count"


@dataclass(frozen=True)
class CaptureHistories:
    """Observed capture patterns of ``J`` lists with how many people had each.

    ``patterns`` is an ``(m, J)`` array of 0/1 and ``counts`` its ``m`` counts (all positive).
    """

    list_names: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray
    source: str | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def n_lists(self) -> int:
        """Number of lists (sources)."""
        return len(self.list_names)

    @property
    def observed(self) -> int:
        """Number of distinct people documented by at least one list."""
        return int(self.counts.sum())

    def list_totals(self) -> dict[str, int]:
        """How many people each list documented."""
        totals = self.patterns.T @ self.counts
        return {name: int(total) for name, total in zip(self.list_names, totals, strict=True)}

    def overlap(self, first: int, second: int) -> int:
        """People documented by both lists ``first`` and ``second`` (whatever else)."""
        both = self.patterns[:, first] * self.patterns[:, second]
        return int((both * self.counts).sum())

    def non_overlapping_pairs(self) -> list[tuple[int, int]]:
        """Pairs of lists that share nobody: their interaction cannot be estimated."""
        pairs = itertools.combinations(range(self.n_lists), 2)
        return [(i, j) for i, j in pairs if self.overlap(i, j) == 0]

    def full_table(self) -> tuple[np.ndarray, np.ndarray]:
        """All ``2**J - 1`` observable patterns (zero counts included), in a fixed order.

        Log-linear models must see the patterns nobody had as zeros, not as missing.
        """
        full = all_patterns(self.n_lists)
        index = pattern_index(self.patterns)
        counts = np.zeros(len(full), dtype=np.int64)
        counts[index - 1] = self.counts
        return full, counts

    def with_counts(self, counts: np.ndarray) -> CaptureHistories:
        """The same patterns with other counts (bootstrap, jackknife); zero rows are dropped."""
        keep = counts > 0
        return CaptureHistories(
            self.list_names, self.patterns[keep], np.asarray(counts)[keep], self.source
        )

    def as_frame(self) -> pd.DataFrame:
        """A data frame with one 0/1 column per list and a ``count`` column."""
        frame = pd.DataFrame(self.patterns, columns=list(self.list_names))
        frame[COUNT_COLUMN] = self.counts
        return frame


def all_patterns(n_lists: int) -> np.ndarray:
    """The ``2**J - 1`` non-empty patterns; row ``r`` has binary code ``r + 1`` (list 1 = MSB)."""
    codes = np.arange(1, 2**n_lists)
    shifts = np.arange(n_lists - 1, -1, -1)
    return ((codes[:, None] >> shifts) & 1).astype(np.int8)


def pattern_index(patterns: np.ndarray) -> np.ndarray:
    """Binary code of each pattern, list 1 being the most significant digit."""
    n_lists = patterns.shape[1]
    weights = 2 ** np.arange(n_lists - 1, -1, -1)
    return np.asarray(patterns, dtype=np.int64) @ weights


def read_capture_histories(
    path: str | Path, *, stratify: str | None = None
) -> CaptureHistories | dict[str, CaptureHistories]:
    """Read a CSV of list membership; with ``stratify``, one set of histories per stratum."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found; give the path of a CSV file", file=str(path))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise InputError(f"cannot be read as CSV ({error})", file=str(path)) from None
    return capture_histories_from_frame(frame, source=str(path), stratify=stratify)


def capture_histories_from_frame(
    frame: pd.DataFrame, *, source: str | None = None, stratify: str | None = None
) -> CaptureHistories | dict[str, CaptureHistories]:
    """Capture histories from a frame of 0/1 list columns (and optionally ``count``)."""
    frame = frame.rename(columns=lambda name: str(name).strip())
    if stratify is not None:
        if stratify not in frame.columns:
            raise InputError(f"no column named {stratify!r} to stratify by", file=source)
        return {
            str(stratum): _build(
                part.drop(columns=[stratify]), source, row_offset=0, stratum=str(stratum)
            )
            for stratum, part in frame.groupby(stratify, sort=True)
        }
    return _build(frame, source, row_offset=0)


def capture_histories_from_clusters(
    clusters: pd.DataFrame, *, lists: Sequence[str] | None = None, source: str | None = None
) -> CaptureHistories:
    """Capture histories of linked people: one individual per cluster, on each list it touches.

    ``clusters`` has one row per record with ``source`` (the list) and ``cluster_id`` (the
    person), as ``testimonio link`` writes. ``lists`` fixes the order of the lists (default:
    sorted); a list no record comes from is an error, as an empty list would be.
    """
    missing = {"source", "cluster_id"} - set(clusters.columns)
    if missing:
        raise InputError(f"needs columns {', '.join(sorted(missing))}", file=source)
    membership = pd.crosstab(clusters["cluster_id"], clusters["source"]).clip(upper=1)
    order = list(lists) if lists is not None else sorted(membership.columns)
    membership = membership.reindex(columns=order, fill_value=0)
    return _build(membership.reset_index(drop=True).astype(str), source, row_offset=0)


def _build(
    frame: pd.DataFrame, source: str | None, row_offset: int, stratum: str | None = None
) -> CaptureHistories:
    """Validate and aggregate; in a stratum, a list that documents nobody there is left out.

    A list empty in one stratum (an organisation that works elsewhere) says nothing about that
    stratum, so it is dropped with a warning there; the whole file must still have no empty list.
    """
    list_names = tuple(name for name in frame.columns if name != COUNT_COLUMN)
    memberships = (
        np.column_stack([_zero_one_column(frame, name, source) for name in list_names])
        if list_names
        else np.zeros((len(frame), 0), dtype=np.int8)
    )
    counts = (
        _count_column(frame, source)
        if COUNT_COLUMN in frame.columns
        else np.ones(len(frame), dtype=np.int64)
    )
    _require_enough_lists(list_names, source)
    notes: list[str] = []
    if stratum is not None:
        used = (memberships.T @ counts) > 0
        dropped = [name for name, keep in zip(list_names, used, strict=True) if not keep]
        if dropped:
            notes.append(
                f"stratum {stratum!r}: left out lists that document nobody in it: "
                + ", ".join(dropped)
            )
            list_names = tuple(name for name, keep in zip(list_names, used, strict=True) if keep)
            memberships = memberships[:, used]
            label = f"{source}, stratum {stratum!r}" if source else f"stratum {stratum!r}"
            _require_enough_lists(list_names, label)
    patterns, totals = _aggregate(memberships, counts)
    histories = CaptureHistories(list_names, patterns, totals, source)
    _require_no_empty_list(histories)
    return CaptureHistories(
        list_names, patterns, totals, source, (*notes, *describe_sparse_overlaps(histories))
    )


def _zero_one_column(frame: pd.DataFrame, name: str, source: str | None) -> np.ndarray:
    text = frame[name].astype(str).str.strip()
    bad = ~text.isin(["0", "1", "0.0", "1.0"])
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            "expected 0 or 1 (1 = documented by this list)",
            file=source,
            row=_spreadsheet_row(frame, position),
            column=name,
        )
    return (text.isin(["1", "1.0"])).to_numpy().astype(np.int8)


def _count_column(frame: pd.DataFrame, source: str | None) -> np.ndarray:
    values = pd.to_numeric(frame[COUNT_COLUMN].astype(str).str.strip(), errors="coerce")
    valid = values.notna() & (values >= 0) & (values == values.round())
    if not valid.all():
        position = int(np.flatnonzero(~valid.to_numpy())[0])
        raise InputError(
            "expected a whole number of people (0 or more)",
            file=source,
            row=_spreadsheet_row(frame, position),
            column=COUNT_COLUMN,
        )
    return values.to_numpy().astype(np.int64)


def _spreadsheet_row(frame: pd.DataFrame, position: int) -> int:
    """Row number as a spreadsheet shows it: the header is row 1."""
    label = frame.index[position]
    return int(label) + 2 if isinstance(label, int | np.integer) else position + 2


def _aggregate(memberships: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum counts per distinct pattern; drop the all-zero pattern and zero counts."""
    codes = pattern_index(memberships)
    keep = (codes > 0) & (counts > 0)
    unique_codes, inverse = np.unique(codes[keep], return_inverse=True)
    totals = np.bincount(inverse, weights=counts[keep]).astype(np.int64)
    full = all_patterns(memberships.shape[1])
    return full[unique_codes - 1], totals


def _require_enough_lists(list_names: tuple[str, ...], source: str | None) -> None:
    if len(list_names) < 3:
        raise EstimationError(
            f"{source + ': ' if source else ''}multiple systems estimation needs at least 3 "
            f"lists (0/1 columns); found {len(list_names)}"
        )


def _require_no_empty_list(histories: CaptureHistories) -> None:
    for name, total in histories.list_totals().items():
        if total == 0:
            raise InputError(
                "this list documents nobody; remove the column or fix the export",
                file=histories.source,
                column=name,
            )


def describe_sparse_overlaps(histories: CaptureHistories) -> list[str]:
    """Warnings for lists that share nobody with another list (or with any list)."""
    names = histories.list_names
    messages = []
    for i in range(histories.n_lists):
        partners = [j for j in range(histories.n_lists) if j != i and histories.overlap(i, j)]
        if not partners:
            messages.append(f"list {names[i]!r} shares nobody with any other list")
    pairs = histories.non_overlapping_pairs()
    if pairs:
        described = ", ".join(f"{names[i]}&{names[j]}" for i, j in pairs)
        messages.append(f"{len(pairs)} pairs of lists share nobody: {described}")
    return messages
