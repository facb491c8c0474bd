"""The DuckDB-trained model gives the same clusters on Spark (local mode) as on DuckDB.

Spark starts a JVM: about half a minute even for a few hundred records, so this stays small
and behind the ``spark`` marker (``make test`` runs it: the Makefile installs the ``spark``
extra and a Java runtime).
"""

import pytest

from testimonio.errors import LinkageError
from testimonio.linkage import LinkageModel, prepare_tables
from testimonio.linkage.spark import to_spark_sql
from tests.linkage.factories import make_world

pytestmark = pytest.mark.spark


def _partition(clusters):
    """The clusters as a set of sets of (source, record_id): ids aside, who is with whom."""
    groups = clusters.groupby("cluster_id")[["source", "record_id"]]
    return {frozenset(map(tuple, group.to_numpy())) for _, group in groups}


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    from testimonio.linkage.spark import local_spark_session

    session = local_spark_session(cores=2)
    yield session
    session.stop()


@pytest.mark.slow
def test_spark_gives_the_same_clusters_as_duckdb(spark):
    from testimonio.linkage.spark import cluster_on_spark

    world = make_world(220, sources=3, seed=23)
    records = prepare_tables(world.tables)
    model = LinkageModel(records, seed=3)
    model.train()
    on_duckdb = model.cluster(model.predict(min_probability=0.5), 0.5)
    on_spark = cluster_on_spark(records, model, spark, threshold=0.5)
    assert len(on_spark) == len(records) > 200
    # Not a trivial partition: some records are joined, and not all of them.
    assert 1 < on_duckdb["cluster_id"].nunique() < len(records)
    assert _partition(on_spark) == _partition(on_duckdb)


def test_duckdb_functions_are_rewritten_for_spark():
    assert (
        to_spark_sql("jaro_winkler_similarity(a_l, a_r) >= 0.9") == "jaro_winkler(a_l, a_r) >= 0.9"
    )
    assert (
        to_spark_sql("list_has_all(t_l, t_r) AND len(t_l) >= 3")
        == "(size(array_except(t_r, t_l)) = 0) AND size(t_l) >= 3"
    )
    assert to_spark_sql("source_l = 'o''brien'") == "source_l = 'o\\'brien'"


def test_an_unknown_function_is_refused_rather_than_scored_differently():
    with pytest.raises(LinkageError, match="list_reverse"):
        to_spark_sql("list_reverse(t_l) = t_r")
