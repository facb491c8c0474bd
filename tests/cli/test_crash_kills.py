"""SIGKILL at random moments during an import, a project's linkage and a backup (issue 19).

At least 30 kills in all (more in ``benchmarks/crash_kills.py``), each against a fresh copy of
one prepared instance: after each, the batch is all or nothing, the app starts and the audit
chain verifies (custody too after a backup), no worker process is left, and a killed command
run again completes. What is checked is in :mod:`tests.cli.crash`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.cli.crash import Prepared, kill_many, prepare, recovers

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

#: Kills per command: 30 in all.
KILLS = {"import": 12, "link": 10, "backup": 8}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    return prepare(tmp_path_factory.mktemp("crash"), base_rows=600, import_rows=8_000)


@pytest.mark.parametrize("name", sorted(KILLS))
def test_a_command_killed_at_random_moments_leaves_all_or_nothing(
    prepared: Prepared, name: str, tmp_path: Path
) -> None:
    outcomes = kill_many(prepared, name, KILLS[name], seed=19, lane=tmp_path / "lane")
    problems = [(o.delay, o.problems) for o in outcomes if o.problems]
    assert not problems, problems
    # The kills landed while the command was running, not after it had finished.
    killed = [o for o in outcomes if o.killed]
    assert len(killed) >= KILLS[name] // 2, [(o.delay, o.killed) for o in outcomes]
    if name != "backup":  # a backup writes no rows: its counts are the same either way
        # Some kills landed before the commit, and the batch was rolled back whole.
        assert any(o.state == "before" for o in killed)
    if name == "import":  # some kills hit the import's forked workers, and none outlived it
        assert any(o.workers for o in killed)
    assert not recovers(prepared, prepared.scenarios[name], tmp_path / "again")


def test_the_prepared_commands_change_the_tables_they_should(prepared: Prepared) -> None:
    """The checks above can fail: an import and a linkage really add rows."""
    table = "cases_record"
    imported = prepared.scenarios["import"]
    assert imported.after[table] == imported.before[table] + 8_000
    linked = prepared.scenarios["link"]
    assert linked.after != linked.before
