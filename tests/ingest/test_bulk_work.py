"""The garbage collector pause around bulk work always ends."""

from __future__ import annotations

import gc

import pytest

from testimonio.ingest.bulk_work import collector_paused


def test_the_collector_is_paused_inside_and_running_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_runs_again_even_when_the_work_fails() -> None:
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_outer_one_in_place() -> None:
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
