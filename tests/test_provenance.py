"""A run's provenance: the input's hash, its settings, seed, package versions and UTC time."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from importlib import metadata
from pathlib import Path

import pytest

from testimonio.provenance import RunProvenance, hash_bytes, hash_file, package_versions


def test_a_file_hashes_as_its_bytes_do_even_past_one_read(tmp_path: Path) -> None:
    content = bytes(range(256)) * 10_000  # 2.5 MB: several reads
    path = tmp_path / "histories.csv"
    path.write_bytes(content)
    assert hash_file(path) == hash_bytes(content) == hashlib.sha256(content).hexdigest()


def test_package_versions_are_the_installed_ones_and_unknown_otherwise() -> None:
    versions = package_versions(["numpy", "no-such-package-testimonio"])
    assert versions == {"numpy": metadata.version("numpy"), "no-such-package-testimonio": "unknown"}


def test_a_run_started_now_is_stamped_in_utc_with_its_versions() -> None:
    before = dt.datetime.now(dt.UTC)
    run = RunProvenance.of_run("ab" * 32, {"method": "lcmcr"}, 1234, ["numpy"])
    assert before <= run.created_at <= dt.datetime.now(dt.UTC)
    assert run.created_at.utcoffset() == dt.timedelta(0)
    assert run.package_versions == {"numpy": metadata.version("numpy")}


def test_its_record_is_json_with_an_offset_time() -> None:
    when = dt.datetime(2026, 12, 3, 14, 0, tzinfo=dt.UTC)
    run = RunProvenance("ab" * 32, {"threshold": 0.5}, None, {"splink": "5.0.0"}, when)
    assert json.loads(json.dumps(run.to_dict())) == {
        "input_hash": "ab" * 32,
        "settings": {"threshold": 0.5},
        "seed": None,
        "package_versions": {"splink": "5.0.0"},
        "created_at": "2026-12-03T14:00:00+00:00",
    }


def test_a_time_that_is_not_utc_is_refused() -> None:
    mexico_city = dt.timezone(dt.timedelta(hours=-6))
    with pytest.raises(ValueError, match="UTC"):
        RunProvenance("", {}, None, {}, dt.datetime(2026, 12, 3, 8, tzinfo=mexico_city))
