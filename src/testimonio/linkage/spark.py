"""The same linkage model on Spark, for lists that outgrow one machine (extra ``spark``).

A model is trained once with DuckDB (:class:`testimonio.linkage.model.LinkageModel`): training
needs only a sample of pairs, and one machine does it in seconds. Its settings, with every m
and u value and the prior, are then rewritten from DuckDB's SQL to Spark's and used unchanged to
score and cluster on Spark, so the two engines judge the same pairs with the same weights and
give the same clusters.

What must always hold: the rewrite changes function names only, never the parameters; a
comparison that uses a function we do not know how to rewrite fails loudly rather than scoring
differently. pyspark is imported only here, so the rest of the package does not need it.
"""

from __future__ import annotations

import copy
import re
import tempfile
from typing import TYPE_CHECKING, Any

import pandas as pd

from testimonio.errors import LinkageError
from testimonio.linkage.model import (
    DEFAULT_THRESHOLD,
    LinkageModel,
    best_links_sql,
    renumber_clusters,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["cluster_on_spark", "local_spark_session", "spark_settings", "to_spark_sql"]

#: DuckDB functions our settings use, and how Spark (with Splink's similarity jar) says them.
#: Arguments are always plain column names in our settings, so patterns can be simple.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bjaro_winkler_similarity\(", "jaro_winkler("),
        (r"\blist_has_any\(", "arrays_overlap("),
        (r"\blist_contains\(", "array_contains("),
        (r"\blist_has_all\((\w+), (\w+)\)", r"(size(array_except(\2, \1)) = 0)"),
        (r"\blen\((\w+)\)", r"size(\1)"),
    )
)
#: Functions that mean the same in both dialects (Spark has them built in; `length` of a
#: string: `len` is kept for lists, which Spark calls `size`).
_SHARED_FUNCTIONS = frozenset(
    {"levenshtein", "greatest", "least", "abs", "left", "length", "lower", "floor"}
)
_FUNCTION_CALL = re.compile(r"\b([a-z_]+)\(", re.IGNORECASE)
_SPARK_FUNCTIONS = frozenset(
    {"jaro_winkler", "arrays_overlap", "array_contains", "array_except", "size", *_SHARED_FUNCTIONS}
)
_KEYWORDS = frozenset({"and", "or", "not", "in"})


def to_spark_sql(sql: str) -> str:
    """One condition of our DuckDB settings in Spark SQL (see :data:`_REWRITES`)."""
    for pattern, replacement in _REWRITES:
        sql = pattern.sub(replacement, sql)
    # Spark escapes a quote in a string literal with a backslash, DuckDB by doubling it.
    sql = sql.replace("''", "\\'")
    unknown = {name.lower() for name in _FUNCTION_CALL.findall(sql)} - _SPARK_FUNCTIONS - _KEYWORDS
    if unknown:
        raise LinkageError(
            f"no Spark form known for the SQL function(s) {', '.join(sorted(unknown))}"
        )
    return sql


def spark_settings(model: LinkageModel) -> dict[str, Any]:
    """The trained ``model``'s Splink settings with every SQL condition in Spark's dialect."""
    if not model.trained:
        raise LinkageError("the model must be trained (or loaded) before it runs on Spark")
    settings = copy.deepcopy(model.linker.misc.save_model_to_json())
    settings.pop("linker_uid", None)
    settings["sql_dialect"] = "spark"
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = to_spark_sql(level["sql_condition"])
    rules = []
    for rule in settings["blocking_rules_to_generate_predictions"]:
        rule = dict(rule) if isinstance(rule, dict) else {"blocking_rule": rule}
        rule["blocking_rule"] = to_spark_sql(rule["blocking_rule"])
        rule["sql_dialect"] = "spark"
        rules.append(rule)
    settings["blocking_rules_to_generate_predictions"] = rules
    return settings


def local_spark_session(cores: int = 2) -> SparkSession:
    """A Spark session on this machine only, with Splink's similarity functions loaded.

    The web UI is off and the driver listens on the loopback address: nothing is served to the
    network. Splink's jar (Jaro-Winkler and friends as Spark UDFs) must be on the class path,
    else ``jaro_winkler`` is unresolved.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("testimonio-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(max(2, cores * 2)))
        .config("spark.default.parallelism", str(max(2, cores * 2)))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="testimonio-spark-"))
    return session


def _spark_frame(records: pd.DataFrame, spark: SparkSession) -> DataFrame:
    """The standard records as a Spark DataFrame with an explicit schema (pandas' nullable
    integers and lists of names do not cross to Spark reliably by inference)."""
    from pyspark.sql import types

    schema_of: dict[str, types.DataType] = {}
    for column in records.columns:
        dtype = records[column].dtype
        if column == "unique_id":
            schema_of[column] = types.LongType()
        elif pd.api.types.is_integer_dtype(dtype):
            schema_of[column] = types.IntegerType()
        elif column in ("given_forms", "name_tokens"):
            schema_of[column] = types.ArrayType(types.StringType())
        else:
            schema_of[column] = types.StringType()
    rows = []
    for values in records.astype(object).itertuples(index=False, name=None):
        rows.append(tuple(None if _missing(value) else value for value in values))
    schema = types.StructType([types.StructField(name, kind) for name, kind in schema_of.items()])
    return spark.createDataFrame(rows, schema=schema)


def _missing(value: object) -> bool:
    if isinstance(value, list):
        return False
    return bool(pd.isna(value))  # type: ignore[call-overload]


def cluster_on_spark(
    records: pd.DataFrame,
    model: LinkageModel,
    spark: SparkSession,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """Score and cluster ``records`` on Spark with ``model`` (trained on DuckDB).

    Returns one row per record (unique_id, cluster_id, source, record_id), cluster ids
    numbered as :meth:`LinkageModel.cluster` numbers them, so the two can be compared row by row.
    """
    from splink import Linker
    from splink.backends.spark import SparkAPI

    api = SparkAPI(spark_session=spark)
    table = api.register(_spark_frame(records, spark), dataset_display_name="records")
    linker = Linker(table, spark_settings(model), log_level=None)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    # The same rule as on DuckDB: a name-only record keeps only its best link.
    select = best_links_sql(predictions.physical_name, table.physical_name, threshold)
    spark.sql(select).createOrReplaceTempView("testimonio_links")
    links = api.table_to_splink_dataframe("testimonio_links", "testimonio_links")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        links, threshold_match_probability=threshold
    )
    columns = ["unique_id", "cluster_id", "source", "record_id"]
    # Rows are collected rather than converted with toPandas(), which warns that pyspark does
    # not yet support pandas 3 (and fails the test suite, where warnings are errors).
    rows = clusters.as_spark_dataframe().select(*columns).collect()
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=columns)
    return renumber_clusters(frame)
