"""Record linkage: which records on which lists are the same person, on Splink (DuckDB).

Counting people, not rows, is what makes the statistics and the population estimate true.
This package is plain Python: it never imports Django, ``testimonio.web`` or ``testimonio.cli``.

Steps, each in its own module: recognise the columns of arbitrary tables (:mod:`.columns`),
normalise names and dates of this population into standard records (:mod:`.names`,
:mod:`.dates`, :mod:`.records`), build the Splink model (:mod:`.settings`), train, score and
cluster it (:mod:`.model`, :mod:`.pipeline`), and measure it against truth (:mod:`.evaluation`).
:mod:`.spark` scores and clusters with the same trained model on Spark (extra ``spark``; not
imported here, so the package does not need pyspark).

Names are loaded on first use (:mod:`testimonio.lazy_names`): ``import testimonio.linkage``, or
a light submodule such as :mod:`.names`, does not import Splink, DuckDB or pandas;
``LinkageModel`` or ``run_linkage`` does. Birth dates are read in :mod:`testimonio.partial_dates`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from testimonio.lazy_names import lazy_names

if TYPE_CHECKING:
    from testimonio.linkage.clustering import Clustering, cluster_at_thresholds, cluster_records
    from testimonio.linkage.columns import (
        FIELDS,
        parse_column_mapping,
        read_table,
        recognise_columns,
        report_columns,
    )
    from testimonio.linkage.disagreement import (
        DISAGREEMENT_REASONS,
        RecordFacts,
        describe_disagreements,
        disagreements,
        pair_disagreements,
    )
    from testimonio.linkage.duplicates import (
        SHOW_THRESHOLD,
        DuplicateScore,
        IdentityFacts,
        ScoringParameters,
        parameters_from_settings,
        score_pair,
        surname_sound_keys,
    )
    from testimonio.linkage.evaluation import LinkageQuality, blocking_recall, evaluate_clusters
    from testimonio.linkage.model import (
        DEFAULT_THRESHOLD,
        LinkageModel,
        available_columns,
        explain_pair,
        level_labels,
        load_model,
    )
    from testimonio.linkage.names import (
        canonical_given_names,
        normalise_keeping_enye,
        spanish_phonetic_key,
    )
    from testimonio.linkage.pipeline import (
        LinkageRun,
        prepare_tables,
        records_from_files,
        run_linkage,
        source_names,
        train_model,
    )
    from testimonio.linkage.records import prepare_records
    from testimonio.partial_dates import PartialDate, parse_birth_date

__all__ = [
    "Clustering",
    "DEFAULT_THRESHOLD",
    "DISAGREEMENT_REASONS",
    "DuplicateScore",
    "FIELDS",
    "IdentityFacts",
    "LinkageModel",
    "LinkageQuality",
    "LinkageRun",
    "PartialDate",
    "RecordFacts",
    "SHOW_THRESHOLD",
    "ScoringParameters",
    "available_columns",
    "blocking_recall",
    "canonical_given_names",
    "cluster_at_thresholds",
    "cluster_records",
    "describe_disagreements",
    "disagreements",
    "evaluate_clusters",
    "explain_pair",
    "level_labels",
    "load_model",
    "normalise_keeping_enye",
    "pair_disagreements",
    "parameters_from_settings",
    "parse_birth_date",
    "parse_column_mapping",
    "prepare_records",
    "prepare_tables",
    "read_table",
    "recognise_columns",
    "records_from_files",
    "report_columns",
    "run_linkage",
    "score_pair",
    "source_names",
    "spanish_phonetic_key",
    "surname_sound_keys",
    "train_model",
]

#: Where each public name lives; its module is imported the first time the name is used.
_HOMES = {
    "SHOW_THRESHOLD": "testimonio.linkage.duplicates",
    "DuplicateScore": "testimonio.linkage.duplicates",
    "IdentityFacts": "testimonio.linkage.duplicates",
    "ScoringParameters": "testimonio.linkage.duplicates",
    "parameters_from_settings": "testimonio.linkage.duplicates",
    "score_pair": "testimonio.linkage.duplicates",
    "surname_sound_keys": "testimonio.linkage.duplicates",
    "Clustering": "testimonio.linkage.clustering",
    "cluster_at_thresholds": "testimonio.linkage.clustering",
    "cluster_records": "testimonio.linkage.clustering",
    "DEFAULT_THRESHOLD": "testimonio.linkage.model",
    "DISAGREEMENT_REASONS": "testimonio.linkage.disagreement",
    "FIELDS": "testimonio.linkage.columns",
    "LinkageModel": "testimonio.linkage.model",
    "LinkageQuality": "testimonio.linkage.evaluation",
    "LinkageRun": "testimonio.linkage.pipeline",
    "PartialDate": "testimonio.partial_dates",
    "RecordFacts": "testimonio.linkage.disagreement",
    "available_columns": "testimonio.linkage.model",
    "blocking_recall": "testimonio.linkage.evaluation",
    "canonical_given_names": "testimonio.linkage.names",
    "describe_disagreements": "testimonio.linkage.disagreement",
    "disagreements": "testimonio.linkage.disagreement",
    "evaluate_clusters": "testimonio.linkage.evaluation",
    "explain_pair": "testimonio.linkage.model",
    "level_labels": "testimonio.linkage.model",
    "load_model": "testimonio.linkage.model",
    "normalise_keeping_enye": "testimonio.linkage.names",
    "pair_disagreements": "testimonio.linkage.disagreement",
    "parse_birth_date": "testimonio.partial_dates",
    "parse_column_mapping": "testimonio.linkage.columns",
    "prepare_records": "testimonio.linkage.records",
    "prepare_tables": "testimonio.linkage.pipeline",
    "read_table": "testimonio.linkage.columns",
    "recognise_columns": "testimonio.linkage.columns",
    "records_from_files": "testimonio.linkage.pipeline",
    "report_columns": "testimonio.linkage.columns",
    "run_linkage": "testimonio.linkage.pipeline",
    "source_names": "testimonio.linkage.pipeline",
    "spanish_phonetic_key": "testimonio.linkage.names",
    "train_model": "testimonio.linkage.pipeline",
}

__getattr__, __dir__ = lazy_names(__name__, _HOMES)
