"""Record linkage: which records on which lists are the same person, on Splink (DuckDB).

Counting people, not rows, is what makes the statistics and the population estimate true.
This package is plain Python: it never imports Django, ``testimonio.web`` or ``testimonio.cli``.

Steps, each in its own module: recognise the columns of arbitrary tables (:mod:`.columns`),
normalise names and dates of this population into standard records (:mod:`.names`,
:mod:`.dates`, :mod:`.records`), build the Splink model (:mod:`.settings`), train, score and
cluster it (:mod:`.model`, :mod:`.pipeline`), and measure it against truth (:mod:`.evaluation`).
:mod:`.spark` scores and clusters with the same trained model on Spark (extra ``spark``; not
imported here, so the package does not need pyspark).
"""

from testimonio.linkage.columns import FIELDS, parse_column_mapping, read_table, recognise_columns
from testimonio.linkage.dates import PartialDate, parse_birth_date
from testimonio.linkage.evaluation import LinkageQuality, blocking_recall, evaluate_clusters
from testimonio.linkage.model import (
    DEFAULT_THRESHOLD,
    LinkageModel,
    available_columns,
    explain_pair,
    level_labels,
    load_model,
)
from testimonio.linkage.names import canonical_given_names, normalise_text, spanish_phonetic_key
from testimonio.linkage.pipeline import (
    LinkageRun,
    prepare_tables,
    records_from_files,
    run_linkage,
)
from testimonio.linkage.records import prepare_records

__all__ = [
    "DEFAULT_THRESHOLD",
    "FIELDS",
    "LinkageModel",
    "LinkageQuality",
    "LinkageRun",
    "PartialDate",
    "available_columns",
    "blocking_recall",
    "canonical_given_names",
    "evaluate_clusters",
    "explain_pair",
    "level_labels",
    "load_model",
    "normalise_text",
    "parse_birth_date",
    "parse_column_mapping",
    "prepare_records",
    "prepare_tables",
    "read_table",
    "recognise_columns",
    "records_from_files",
    "run_linkage",
    "spanish_phonetic_key",
]
