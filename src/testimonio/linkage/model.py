"""Training, scoring and clustering with Splink on DuckDB, grouped by task as Splink does.

A run is: standard records (:mod:`testimonio.linkage.records`) -> a model trained without labels
(u by random sampling, m by expectation maximisation on blocking passes) -> scored pairs ->
clusters of records at a match-probability threshold. The trained model is saved with the
threshold and the package versions so the run can be repeated to the same clusters.

What must always hold: nothing here logs or returns identity values except in the scored pairs
a caller explicitly asks for; the model file holds parameters, never data.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker

from testimonio.errors import LinkageError
from testimonio.linkage.settings import (
    LARGE_TABLE,
    LISTS,
    create_settings,
    encounter_chance_sql,
    training_rules,
)
from testimonio.provenance import package_versions

if TYPE_CHECKING:
    # Splink 5 has no public name for the table type its linker returns (predict, cluster):
    # `splink` re-exports only Linker, SettingsCreator, block_on, the database APIs and the
    # comparison libraries. Used for annotations only, never at run time.
    from splink.internals.splink_dataframe import SplinkDataFrame

__all__ = [
    "DEFAULT_THRESHOLD",
    "LinkageModel",
    "available_columns",
    "best_links_sql",
    "explain_pair",
    "level_labels",
    "load_model",
    "renumber_clusters",
]

#: Match probability at or above which two records are joined, by a decision rule rather than
#: a fit to any world's truth: a false link spoils two people's clusters (both lose their exact
#: set of records), a missed link spoils one, so linking pays when a match is at least twice as
#: likely as not: p / (1 - p) >= 2, i.e. p >= 2/3 (docs/linkage.md).
DEFAULT_THRESHOLD = 2 / 3

#: Version of our model file layout; bump when the keys below change meaning.
MODEL_FORMAT = 1
#: The packages whose versions a saved model records (they decide its scores).
PACKAGES = ("testimonio", "splink", "duckdb")
_DEFAULT_PRIOR = 1e-4
#: Fewer pairs than this in an EM pass teach nothing reliable (and crash Splink when zero).
_MINIMUM_EM_PAIRS = 20

#: EM steps for the lists comparison after the other parameters are trained (each one scores
#: the training records once); the shares settle within a few.
_LISTS_STEPS = 3

_OPTIONAL_COLUMNS = (
    "given_name", "surname1", "birth_year", "birth_date", "birth_first", "sex", "nationality",
    "address", "locality", "postcode", "phone", "port",
)  # fmt: skip


def available_columns(records: pd.DataFrame) -> set[str]:
    """Standard columns holding at least one value: only these get comparisons and rules."""
    return {column for column in _OPTIONAL_COLUMNS if records[column].notna().any()}


def _quiet_splink() -> None:
    """Splink logs progress and advice (e.g. a level too rare to train in a small file) that a
    paralegal cannot act on; our CLI shows its own progress. Errors still come through."""
    logging.getLogger("splink").setLevel(logging.ERROR)


@dataclass
class LinkageModel:
    """A Splink linker over one standard table, with the seed that makes training repeatable."""

    records: pd.DataFrame
    seed: int = 42
    settings: dict[str, Any] | None = None
    threshold: float = DEFAULT_THRESHOLD
    trained: bool = False
    available: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    #: Whether to block as for a large table (None: when it has more than LARGE_TABLE records).
    large: bool | None = None

    def __post_init__(self) -> None:
        _quiet_splink()
        if self.records.empty:
            raise LinkageError("there are no records to link")
        self.available = available_columns(self.records)
        if not {"given_name", "surname1"} & self.available:
            raise LinkageError("no record has a name: nothing to link on")
        self.connection = duckdb.connect()
        self.connection.execute("SET threads TO 2")
        api = DuckDBAPI(connection=self.connection)
        table = api.register(self._copy_into_duckdb(), dataset_display_name="records")
        self.table_name = table.physical_name
        spec: Any = self.settings
        if spec is None:
            if self.large is None:
                self.large = len(self.records) > LARGE_TABLE
            sources = sorted(self.records["source"].dropna().unique())
            spec = create_settings(
                self.available, self._encounter_chance(), sources, large=self.large
            )
        self.linker = Linker(table, spec, log_level=None)
        self.trained = self.settings is not None

    def _copy_into_duckdb(self) -> str:
        """The records as a DuckDB table, read from the data frame once.

        Registered as a data frame, the records were a view that DuckDB converted from Python
        objects on every query that read them (training passes, the blocking joins, scoring):
        each list column row by row, on one thread. The copy holds the same values with the
        same column types, so scores are unchanged; at a million records scoring is faster.
        """
        self.connection.register("testimonio_input", self.records)
        self.connection.execute("CREATE TABLE testimonio_records AS SELECT * FROM testimonio_input")
        self.connection.unregister("testimonio_input")
        return "testimonio_records"

    def _encounter_chance(self) -> list[float] | None:
        """How often random records share a port and attempt days (see settings)."""
        if "port" not in self.available:
            return None
        self.connection.register("encounter_fields", self.records[["port", "encounter_day"]])
        row = self.connection.execute(encounter_chance_sql("encounter_fields")).fetchall()[0]
        self.connection.unregister("encounter_fields")
        return [float(share or 0.0) for share in row]

    def train(self, *, max_pairs: float = 5e6) -> None:
        """Estimate u from random pairs and m by EM, without any labelled pairs.

        Random pairs are almost all non-matches, so they measure how often fields agree by
        chance (u). EM on pairs that share name keys, then on pairs that share a birth date,
        learns how often true matches agree on the other fields (m).
        """
        training = self.linker.training
        deterministic: list[Any] = ["l.given_key = r.given_key AND l.surname1_key = r.surname1_key"]
        if "birth_date" in self.available:
            deterministic = [f"{deterministic[0]} AND l.birth_date = r.birth_date"]
        try:
            training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
        except ValueError:
            # Small tables where nearly every pair is a match: keep Splink's default prior.
            self.notes.append("prior not estimated (too few records); default used")
        self._keep_prior_inside_zero_and_one()
        training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=self.seed)
        self._hold_lists_neutral()
        for rule in training_rules(self.available):
            if not self._leaves_a_comparison_to_learn(rule):
                # Blocked on every compared column (a list of names alone): nothing is left
                # for EM, and Splink would fail building an empty query.
                self.notes.append("an EM pass had nothing left to learn; defaults used")
                continue
            if not self._has_pairs(rule):
                # Splink fails, and can leave the linker half-changed, on a pass without
                # pairs; the m values of that pass keep Splink's defaults instead.
                self.notes.append("an EM pass found too few pairs to learn from; defaults used")
                continue
            try:
                training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=max_pairs
                )
            except ValueError as error:
                # EM drove some level's m to zero (a disagreement never seen among this pass's
                # matches), which Splink refuses; the pass is trained on a copy of the
                # settings, so the model keeps the other passes' values.
                if "below the minimum allowed" not in str(error):
                    raise
                self.notes.append("an EM pass drove a level to zero and was left out")
        self.trained = True
        for _ in range(_LISTS_STEPS):
            self._estimate_lists_from_scores()

    def _lists_comparison(self) -> Any | None:
        for comparison in self.linker._settings_obj.comparisons:
            if comparison.output_column_name == LISTS:
                return comparison
        return None

    def _hold_lists_neutral(self) -> None:
        """Keep the lists comparison out of EM (m = u, fixed): in an EM pass blocked on the
        whole name, pairs with a name-only record (a declaration) have nothing else to agree
        on, and EM can talk itself into their list pairs never matching (m falling to zero
        over the iterations), which then forbids every such link. It is estimated after EM
        instead, by :meth:`_estimate_lists_from_scores`."""
        comparison = self._lists_comparison()
        if comparison is None:
            return
        for level in comparison.comparison_levels:
            if not level.is_null_level and level._u_is_trained:
                level.m_probability = level.u_probability
                level._fix_m_probability = True

    def _estimate_lists_from_scores(self) -> None:
        """m of each pair of lists by one EM step over every pair the blocking rules score: the
        share of the expected matches (the sum of match probabilities) that fall on that pair of
        lists. The first step starts from the lists counted as no evidence (m = u)."""
        comparison = self._lists_comparison()
        if comparison is None:
            return
        scored = self.linker.inference.predict(threshold_match_probability=0.01)
        sql = f"""
            SELECT gamma_{LISTS} AS level, sum(match_probability) AS expected
            FROM {scored.physical_name} GROUP BY 1
        """  # noqa: S608 - Splink's own table name and our column
        expected = dict(self.connection.execute(sql).fetchall())
        scored.drop_table_from_database_and_remove_from_cache()
        total = sum(expected.values())
        for level in comparison.comparison_levels:
            share = expected.get(level.comparison_vector_value, 0.0) / total if total else 0.0
            if level.is_null_level or level._fix_u_probability or share <= 0.0:
                continue  # the neutral level for unknown lists, or no pair seen: m = u stays
            level.m_probability = share

    def _leaves_a_comparison_to_learn(self, rule: str) -> bool:
        """Whether some comparison other than the lists one (held fixed) uses no column of
        ``rule``: Splink leaves out of an EM pass every comparison that shares a column with
        its blocking rule, and the name comparisons share given name and surname (swaps)."""
        blocked = set(re.findall(r"\b[lr]\.(\w+)", rule))
        for comparison in self.linker._settings_obj.comparisons:
            if comparison.output_column_name == LISTS:
                continue
            conditions = " ".join(
                str(level.get("sql_condition", ""))
                for level in comparison.as_dict()["comparison_levels"]
            )
            if not blocked & set(re.findall(r"\b(\w+)_[lr]\b", conditions)):
                return True
        return False

    def _has_pairs(self, rule: str, minimum: int = _MINIMUM_EM_PAIRS) -> bool:
        """Whether ``rule`` yields at least ``minimum`` pairs (stops counting there)."""
        sql = f"""
            SELECT 1 FROM {self.table_name} AS l JOIN {self.table_name} AS r
              ON ({rule}) AND l.unique_id < r.unique_id
            LIMIT {minimum}
        """  # noqa: S608 - rules are our own constants
        return len(self.connection.execute(sql).fetchall()) >= minimum

    def _keep_prior_inside_zero_and_one(self) -> None:
        """No exact-agreement pair in a small table gives a prior of 0, which cannot score;
        fall back to Splink's default (1 in 10,000 pairs) and say so in the notes."""
        settings = self.linker._settings_obj
        if not 0 < settings._probability_two_random_records_match < 1:
            settings._probability_two_random_records_match = _DEFAULT_PRIOR
            self.notes.append("no pair agreed exactly; default prior used")

    def predict(self, min_probability: float = 0.01) -> SplinkDataFrame:
        """Score every pair the blocking rules produce; keep those above ``min_probability``."""
        if not self.trained:
            raise LinkageError("the model must be trained (or loaded) before predicting")
        return self.linker.inference.predict(threshold_match_probability=min_probability)

    def cluster(self, predictions: SplinkDataFrame, threshold: float) -> pd.DataFrame:
        """Records joined into people: connected components of pairs at or above ``threshold``,
        where a record with nothing but a name keeps only its best link (see
        :meth:`_best_links_of_name_only_records`)."""
        self.threshold = threshold
        links = self._best_links_of_name_only_records(predictions, threshold)
        clusters = self.linker.clustering.cluster_pairwise_predictions_at_threshold(
            links, threshold_match_probability=threshold
        )
        # Only the four columns kept: converting every column (the name lists included) of a
        # million rows to pandas took seconds.
        sql = f"SELECT unique_id, cluster_id, source, record_id FROM {clusters.physical_name}"  # noqa: S608 - Splink's name
        return renumber_clusters(self.connection.execute(sql).df())

    def _best_links_of_name_only_records(
        self, predictions: SplinkDataFrame, threshold: float
    ) -> SplinkDataFrame:
        """The pairs at or above ``threshold``, where a record with a name and nothing else (no
        birth date, year or age, no encounter: a declaration's index entry) keeps only its most
        probable link. Such a record cannot tell namesakes apart; it may join the person it most
        likely is, but must not be the bridge that joins two namesakes into one person (in a
        large table a common name's declaration would otherwise chain hundreds of people)."""
        select = best_links_sql(predictions.physical_name, self.table_name, threshold)
        sql = f"CREATE OR REPLACE TABLE testimonio_links AS {select}"
        self.connection.execute(sql)
        return self.linker._db_api.table_to_splink_dataframe("testimonio_links", "testimonio_links")

    def trained_settings(self) -> dict[str, Any]:
        """Splink settings with the trained parameters, to score other records the same way."""
        settings = self.linker.misc.save_model_to_json()
        settings.pop("linker_uid", None)
        return settings

    def to_dict(self) -> dict[str, Any]:
        """The model as saved: Splink settings with trained parameters, threshold, versions."""
        return {
            "format": MODEL_FORMAT,
            "threshold": self.threshold,
            "seed": self.seed,
            "splink_settings": self.linker.misc.save_model_to_json(),
            "versions": package_versions(PACKAGES),
        }

    def explain(self, pair: dict[str, Any]) -> list[dict[str, Any]]:
        """The waterfall of one scored pair (a row of :meth:`predict`): see :func:`explain_pair`."""
        return explain_pair(pair, level_labels(self.linker.misc.save_model_to_json()))

    def save(self, path: Path) -> None:
        """Write :meth:`to_dict` as JSON so the run can be repeated with :func:`load_model`."""
        path.write_text(json.dumps(self.to_dict(), indent=2, sort_keys=True), encoding="utf-8")


def best_links_sql(predictions: str, records: str, threshold: float) -> str:
    """SELECT of the pairs of table ``predictions`` at or above ``threshold``, where a record of
    table ``records`` with nothing but a name keeps only its most probable pair (ties broken by
    ids, so every engine keeps the same one). Written in SQL that DuckDB and Spark both read."""
    return f"""
        WITH pairs AS (
            SELECT * FROM {predictions} WHERE match_probability >= {float(threshold)!r}
        ),
        thin AS (
            SELECT unique_id FROM {records}
            WHERE birth_first IS NULL AND encounter_day IS NULL AND port IS NULL
        ),
        ends AS (
            SELECT thin.unique_id AS thin_id, pairs.unique_id_l, pairs.unique_id_r,
                   pairs.match_probability
            FROM pairs JOIN thin ON pairs.unique_id_l = thin.unique_id
            UNION ALL
            SELECT thin.unique_id AS thin_id, pairs.unique_id_l, pairs.unique_id_r,
                   pairs.match_probability
            FROM pairs JOIN thin ON pairs.unique_id_r = thin.unique_id
        ),
        ranked AS (
            SELECT unique_id_l, unique_id_r, row_number() OVER (
                PARTITION BY thin_id ORDER BY match_probability DESC, unique_id_l, unique_id_r
            ) AS rank
            FROM ends
        ),
        best AS (SELECT DISTINCT unique_id_l, unique_id_r FROM ranked WHERE rank = 1)
        SELECT pairs.* FROM pairs
        LEFT JOIN thin AS thin_l ON pairs.unique_id_l = thin_l.unique_id
        LEFT JOIN thin AS thin_r ON pairs.unique_id_r = thin_r.unique_id
        LEFT JOIN best
          ON pairs.unique_id_l = best.unique_id_l AND pairs.unique_id_r = best.unique_id_r
        WHERE (thin_l.unique_id IS NULL AND thin_r.unique_id IS NULL)
           OR best.unique_id_l IS NOT NULL
    """  # noqa: S608 - table names from Splink, a float we format ourselves


def renumber_clusters(frame: pd.DataFrame) -> pd.DataFrame:
    """Cluster ids 1..N in input order, so output files are stable and carry no Splink ids."""
    frame = frame.sort_values("unique_id", kind="stable").reset_index(drop=True)
    first_seen = pd.unique(frame["cluster_id"])
    numbering = {cluster: number for number, cluster in enumerate(first_seen, start=1)}
    frame["cluster_id"] = frame["cluster_id"].map(numbering).astype("int64")
    return frame


def load_model(path: Path, records: pd.DataFrame) -> LinkageModel:
    """A trained model from a file written by :meth:`LinkageModel.save`, over new records."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        settings = saved["splink_settings"]
        threshold = float(saved["threshold"])
        seed = int(saved.get("seed", 42))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise LinkageError(
            f"{path}: not a Testimonio linkage model ({type(error).__name__})"
        ) from None
    settings.pop("linker_uid", None)
    return LinkageModel(records, seed=seed, settings=settings, threshold=threshold)


def level_labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """For each comparison, its agreement levels by gamma value (-1 not recorded, 0 else)."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        names = {
            len(levels) - 1 - index: level["label_for_charts"] for index, level in enumerate(levels)
        }
        labels[comparison["output_column_name"]] = {-1: "not recorded", **names}
    return labels


def explain_pair(pair: dict[str, Any], labels: dict[str, dict[int, str]]) -> list[dict[str, Any]]:
    """The match weight of one scored pair split by comparison: a waterfall as plain data.

    The first step is the prior (how likely two records picked at random are the same person);
    then each comparison adds (or takes away) bits of evidence for the level the pair fell in,
    term-frequency adjustment included (a shared rare surname says more than a shared common
    one). The steps sum to the pair's match weight. Values of the records are not included, so
    a reviewer's screen decides separately what identity fields to show.
    """
    steps: list[dict[str, Any]] = []
    for name, by_gamma in labels.items():
        gamma = int(pair[f"gamma_{name}"])
        weight = float(pair.get(f"mw_{name}") or 0.0) + float(pair.get(f"mw_tf_adj_{name}") or 0.0)
        steps.append(
            {"comparison": name, "level": by_gamma.get(gamma, str(gamma)), "weight": weight}
        )
    prior = float(pair["match_weight"]) - sum(step["weight"] for step in steps)
    return [{"comparison": "prior", "level": "", "weight": prior}, *steps]
