"""A bounded load test in make test: 5 intake users for about 15 s against `testimonio serve`.

They list and filter cases, open persons, enter testimonies through the intake form and look
them up. No error, and every testimony a user was told was saved is in the database once, as
the pseudonym shown; no timing is asserted (timings are in ``benchmarks/load_intake.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.backups.conftest import DATABASE_URL
from tests.web.load.driver import load, prepare

pytestmark = pytest.mark.skipif(
    DATABASE_URL.startswith("postgres"), reason="the served instance is SQLite (see the benchmark)"
)


def test_five_users_entering_and_finding_testimonies_at_once_lose_nothing(
    tmp_path: Path,
) -> None:
    instance = prepare(tmp_path, base_rows=200)
    results = load(instance, users=5, seconds=15, threads=4)
    assert not results.errors, results.errors
    assert len(results.acknowledged) >= 3, "too few submissions to tell anything"
    assert results.timings["cases"] and results.timings["person"]
    assert results.timings["intake: form"]
