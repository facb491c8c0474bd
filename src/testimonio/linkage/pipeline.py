"""One linkage run from tables to clusters: the sequence of named steps the CLI shows.

read tables -> recognise columns -> standard records -> train (or load) -> score pairs ->
cluster. Each step is a function so the command line can show progress between them and tests
can call them one by one.

What must always hold: records keep their source file and record id from start to end, and
error messages name files and columns, never values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from testimonio.errors import InputError
from testimonio.linkage.columns import read_table, recognise_columns
from testimonio.linkage.model import DEFAULT_THRESHOLD, LinkageModel
from testimonio.linkage.records import prepare_records
from testimonio.linkage.settings import LARGE_TABLE

__all__ = [
    "LinkageRun",
    "MAX_TRAINING_RECORDS",
    "prepare_tables",
    "records_from_files",
    "run_linkage",
    "source_names",
    "train_model",
]


@dataclass
class LinkageRun:
    """What a run produced: one row per record with its cluster, and the scored pairs."""

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    model: LinkageModel


def source_names(paths: Sequence[Path]) -> list[str]:
    """Each file's name as its source label (the stem; the full name if stems repeat)."""
    stems = [path.stem for path in paths]
    if len(set(stems)) == len(stems):
        return stems
    return [str(path) for path in paths]


def prepare_tables(
    tables: Mapping[str, pd.DataFrame],
    *,
    explicit: Mapping[str, str] | None = None,
    id_column: str | None = None,
) -> pd.DataFrame:
    """Standard records of all tables, numbered together; keys of ``tables`` name the sources."""
    prepared = []
    for source, frame in tables.items():
        columns = recognise_columns(frame.columns, file=source, explicit=explicit)
        if id_column is not None:
            if id_column not in frame.columns:
                raise InputError(
                    "the --id column is not in this file", file=source, column=id_column
                )
            _check_unique_ids(frame, id_column, source)
            columns["record_id"] = id_column
        elif "record_id" in columns and not _ids_are_unique(frame[columns["record_id"]]):
            del columns["record_id"]  # a recognised id that repeats is no id: use row numbers
        prepared.append(prepare_records(frame, columns, source))
    records = pd.concat(prepared, ignore_index=True)
    records.insert(0, "unique_id", range(1, len(records) + 1))
    return records


def _ids_are_unique(ids: pd.Series) -> bool:
    text = ids.fillna("").astype(str).str.strip()
    return bool(text.is_unique and (text != "").all())


def _check_unique_ids(frame: pd.DataFrame, id_column: str, source: str) -> None:
    duplicated = frame[id_column].duplicated(keep="first")
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0]) + 2  # 1-based, after the header line
        raise InputError("record id repeats an earlier row", file=source, row=row, column=id_column)
    blank = frame[id_column].fillna("").astype(str).str.strip() == ""
    if blank.any():
        row = int(blank.to_numpy().nonzero()[0][0]) + 2
        raise InputError("record id is empty", file=source, row=row, column=id_column)


def records_from_files(
    paths: Sequence[Path],
    *,
    explicit: Mapping[str, str] | None = None,
    id_column: str | None = None,
) -> pd.DataFrame:
    """Read every file and build the standard records (see :func:`prepare_tables`)."""
    tables = {name: read_table(path) for name, path in zip(source_names(paths), paths, strict=True)}
    return prepare_tables(tables, explicit=explicit, id_column=id_column)


#: Most records the model is trained on; a larger table is trained on a random sample of this
#: many. Training needs only enough pairs to estimate m and u (its sampled pairs are capped
#: anyway), and the prior it learns, the chance that two records picked at random match, is the
#: same in a random sample of records as in the whole table.
MAX_TRAINING_RECORDS = 100_000


def train_model(
    records: pd.DataFrame, *, seed: int = 42, max_training_records: int = MAX_TRAINING_RECORDS
) -> LinkageModel:
    """A model trained on ``records`` (or a random sample of them), ready to score them all."""
    if len(records) <= max_training_records:
        model = LinkageModel(records, seed=seed)
        model.train()
        return model
    # The sample is trained with the blocking rules the whole table will be scored with.
    large = len(records) > LARGE_TABLE
    sample = records.sample(n=max_training_records, random_state=seed)
    trainer = LinkageModel(sample.reset_index(drop=True), seed=seed, large=large)
    trainer.train()
    model = LinkageModel(records, seed=seed, settings=trainer.trained_settings(), large=large)
    model.notes.extend(trainer.notes)
    model.notes.append(f"trained on a random sample of {max_training_records:,} records")
    return model


def run_linkage(
    records: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 42,
    model: LinkageModel | None = None,
    min_pair_probability: float = 0.01,
    max_training_records: int = MAX_TRAINING_RECORDS,
) -> LinkageRun:
    """Train (unless a loaded ``model`` is given), score pairs and cluster at ``threshold``."""
    if model is None:
        model = train_model(records, seed=seed, max_training_records=max_training_records)
    predictions = model.predict(min_probability=min(min_pair_probability, threshold))
    clusters = model.cluster(predictions, threshold)
    pairs = predictions.as_pandas_dataframe()
    return LinkageRun(clusters=clusters, pairs=pairs, model=model)
