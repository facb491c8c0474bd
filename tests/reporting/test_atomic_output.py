"""A report's folder is replaced whole: the old report or the new one, never a mix (issue 19).

The kills themselves are in tests/cli/test_crash_kills.py; here, what each step leaves when the
block fails, when a killed run left something behind, and what of the old folder is kept.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

import pytest

from testimonio.errors import InputError
from testimonio.reporting import atomic_output
from testimonio.reporting.atomic_output import replaced_folder, write_text_atomically

OWNED = frozenset({"report.txt", "exhibits"})


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` with its content's hash ("dir" for a folder)."""
    return {
        path.relative_to(folder).as_posix(): "dir"
        if path.is_dir()
        else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
    }


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def old(tmp_path: Path) -> Path:
    """A folder holding an earlier report (with an exhibit), an operator's note, and the
    staging folder the earlier file-by-file writer left when it was killed."""
    out = tmp_path / "packet"
    (out / "exhibits").mkdir(parents=True)
    (out / "report.txt").write_text("old report")
    (out / "exhibits" / "001.pdf").write_text("old exhibit")
    (out / "notes.txt").write_text("the operator's own notes")
    (out / ".packet-x1y2").mkdir()
    (out / ".packet-x1y2" / "report.txt").write_text("half")
    out.chmod(0o751)
    return out


def test_a_new_report_replaces_the_old_one_whole_and_keeps_what_is_not_its_own(
    old: Path,
) -> None:
    note = (old / "notes.txt").stat().st_ino
    with replaced_folder(old, OWNED, legacy=".packet-") as work:
        assert work.parent == old.parent and not work.name.startswith("packet")
        (work / "report.txt").write_text("new report")
        assert (old / "report.txt").read_text() == "old report"  # nothing under a final name
    assert tree(old) == {
        "notes.txt": hashlib.sha256(b"the operator's own notes").hexdigest(),
        "report.txt": hashlib.sha256(b"new report").hexdigest(),
    }  # the dropped exhibit and the stale staging folder are gone
    assert (old / "notes.txt").stat().st_ino == note  # linked, not copied
    assert (old.stat().st_mode & 0o777) == 0o751
    assert siblings(old) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "rename-aside"])
def test_a_failure_while_writing_leaves_the_old_folder_exactly_as_it_was(
    old: Path, exchange: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not exchange:
        monkeypatch.setattr(atomic_output, "_exchange", lambda first, second: False)
    before = tree(old)
    with pytest.raises(RuntimeError), replaced_folder(old, OWNED, legacy=".packet-") as work:
        (work / "report.txt").write_text("new report")
        raise RuntimeError("WeasyPrint failed")
    assert tree(old) == before
    assert siblings(old) == []
    with replaced_folder(old, OWNED, legacy=".packet-") as work:
        (work / "report.txt").write_text("new report")
    assert (old / "report.txt").read_text() == "new report"
    assert (old / "notes.txt").exists() and not (old / "exhibits").exists()
    assert siblings(old) == []


def test_a_failed_first_report_leaves_no_folder(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "public"
    with pytest.raises(RuntimeError), replaced_folder(out, OWNED, legacy=".public-"):
        raise RuntimeError("the audit failed")
    assert not out.exists()
    assert list((tmp_path / "deep").iterdir()) == []


def test_what_a_killed_run_left_beside_the_folder_is_removed_or_put_back(old: Path) -> None:
    half = old.parent / f".{old.name}.staging-dead"  # killed while writing
    half.mkdir()
    (half / "report.txt").write_text("half")
    with replaced_folder(old, OWNED, legacy=".packet-") as work:
        assert not half.exists()
        (work / "report.txt").write_text("new")
    # Killed between the two renames of the fallback: the old folder is aside, none in place.
    aside = old.parent / f".{old.name}.previous-dead"
    old.rename(aside)
    with pytest.raises(RuntimeError), replaced_folder(old, OWNED, legacy=".packet-"):
        raise RuntimeError("failed too")
    assert (old / "report.txt").read_text() == "new"  # put back before the run started
    assert siblings(old) == []


def test_a_symlinked_folder_is_followed_and_stays_a_symlink(old: Path, tmp_path: Path) -> None:
    link = tmp_path / "served"
    link.symlink_to(old)
    with replaced_folder(link, OWNED, legacy=".packet-") as work:
        (work / "report.txt").write_text("new")
    assert link.is_symlink() and (link / "report.txt").read_text() == "new"


def test_the_current_folder_and_a_file_are_refused(
    old: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(old)
    with (
        pytest.raises(InputError, match="current folder"),
        replaced_folder(Path("."), OWNED, legacy=".packet-"),
    ):
        pass
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("x")
    with (
        pytest.raises(InputError, match="a-file: the output folder is not a folder"),
        replaced_folder(Path("a-file"), OWNED, legacy=".packet-"),
    ):
        pass


def test_a_second_run_into_the_same_folder_at_once_is_refused(old: Path) -> None:
    descriptor = os.open(old.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        before = tree(old)
        with (
            pytest.raises(InputError, match="another report is being written"),
            replaced_folder(old, OWNED, legacy=".packet-"),
        ):
            pass
        assert tree(old) == before
    finally:
        os.close(descriptor)


def test_a_file_written_atomically_replaces_the_old_and_clears_a_killed_write(
    tmp_path: Path,
) -> None:
    history = tmp_path / "releases.json"
    history.write_text("old")
    (tmp_path / ".releases.json.tmp-dead").write_text("half")
    write_text_atomically(history, "new")
    assert history.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["releases.json"]
