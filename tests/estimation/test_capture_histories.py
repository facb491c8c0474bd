"""Reading list membership into capture histories, and refusing what cannot be estimated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from testimonio.errors import EstimationError, InputError
from testimonio.estimation import CaptureHistories, read_capture_histories


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lists.csv"
    path.write_text(text)
    return path


def test_it_counts_one_row_per_person(tmp_path: Path) -> None:
    path = write(tmp_path, "A,B,C\n1,0,0\n1,0,0\n1,1,0\n0,0,1\n")
    histories = read_capture_histories(path)
    assert isinstance(histories, CaptureHistories)
    assert histories.observed == 4
    assert histories.list_totals() == {"A": 3, "B": 1, "C": 1}


def test_it_sums_aggregated_patterns_and_drops_the_all_zero_row(tmp_path: Path) -> None:
    path = write(tmp_path, "A,B,C,count\n1,0,0,5\n1,0,0,2\n0,1,1,3\n0,0,0,9\n0,1,0,0\n")
    histories = read_capture_histories(path)
    assert isinstance(histories, CaptureHistories)
    assert histories.observed == 10
    assert sorted(histories.counts.tolist()) == [3, 7]


def test_it_reads_every_reference_dataset(reference_directory: Path) -> None:
    expected = {
        "sparsemse_UKdat": 2744,
        "sparsemse_Ned_5": 8234,
        "sparsemse_NewOrl": 185,
        "madiganyork_5list": 537,
        "rcapture_hare": 68,
        "rcapture_lesbian": 2185,
    }
    files = sorted(reference_directory.glob("*.csv"))
    assert len(files) == 13
    observed = {path.stem: read_capture_histories(path).observed for path in files}  # type: ignore[union-attr]
    assert {name: observed[name] for name in expected} == expected


def test_it_names_the_row_and_column_of_a_value_that_is_not_zero_or_one(tmp_path: Path) -> None:
    path = write(tmp_path, "A,B,C\n1,0,0\n1,yes,0\n")
    with pytest.raises(InputError) as caught:
        read_capture_histories(path)
    assert (caught.value.row, caught.value.column) == (3, "B")


def test_it_refuses_fewer_than_three_lists(tmp_path: Path) -> None:
    with pytest.raises(EstimationError, match="at least 3 lists"):
        read_capture_histories(write(tmp_path, "A,B,count\n1,0,4\n1,1,2\n"))


def test_it_refuses_a_list_that_documents_nobody(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_capture_histories(write(tmp_path, "A,B,C,count\n1,0,0,4\n1,1,0,2\n"))
    assert caught.value.column == "C"


def test_it_warns_about_lists_that_share_nobody(tmp_path: Path) -> None:
    histories = read_capture_histories(write(tmp_path, "A,B,C,count\n1,0,0,4\n1,1,0,2\n0,0,1,3\n"))
    assert isinstance(histories, CaptureHistories)
    assert any("'C' shares nobody" in warning for warning in histories.warnings)


def test_it_splits_the_histories_by_stratum(tmp_path: Path) -> None:
    path = write(
        tmp_path, "A,B,C,port\n1,0,0,Tijuana\n1,1,1,Tijuana\n0,1,1,Nogales\n1,1,1,Nogales\n"
    )
    strata = read_capture_histories(path, stratify="port")
    assert isinstance(strata, dict)
    assert {name: histories.observed for name, histories in strata.items()} == {
        "Nogales": 2,
        "Tijuana": 2,
    }


def test_its_full_table_lists_every_pattern_with_zeros(tmp_path: Path) -> None:
    histories = read_capture_histories(write(tmp_path, "A,B,C,count\n1,0,0,4\n0,1,1,2\n0,0,1,1\n"))
    assert isinstance(histories, CaptureHistories)
    patterns, counts = histories.full_table()
    assert patterns.shape == (7, 3)
    assert counts.sum() == 7 and np.count_nonzero(counts) == 3


def test_linked_clusters_become_one_individual_per_person_on_each_list_they_touch() -> None:
    import pandas as pd

    from testimonio.estimation import capture_histories_from_clusters

    clusters = pd.DataFrame(
        {
            "source": ["intake", "survey", "intake", "decl", "survey", "intake", "decl"],
            "cluster_id": [1, 1, 1, 2, 3, 4, 4],  # person 1 twice on intake: counted once
        }
    )
    histories = capture_histories_from_clusters(clusters, lists=["intake", "survey", "decl"])
    assert histories.observed == 4
    assert histories.list_names == ("intake", "survey", "decl")
    patterns = {tuple(p): int(c) for p, c in zip(histories.patterns, histories.counts, strict=True)}
    assert patterns == {(1, 1, 0): 1, (0, 0, 1): 1, (0, 1, 0): 1, (1, 0, 1): 1}
