"""`testimonio import`, run as a paralegal would: propose, review, import; bad rows stop it."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.bad_uploads import bad_uploads
from tests.cli.conftest import Runner

GOOD = (
    "record_id,first_name,last_name,date_of_birth,port_of_entry,encounter_date\n"
    "R-1,Ana,Pérez,1990-03-02,2504-SYS,2017-05-14\n"
    "R-2,Luis,Gómez,1985,2503-CXW,2018-06\n"
)
BAD_ROW = "R-3,Eva,Ruiz,1990-02-31,2504-SYS,2017-01-01\n"


def test_a_file_with_a_bad_row_imports_nothing_and_reports_row_and_column(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "lista.csv"
    data.write_text(GOOD + BAD_ROW, encoding="utf-8")
    report = tmp_path / "report.xlsx"
    args = ("import", str(data), "--project", "example-turnbacks", "--source", "Lista")
    result = run_testimonio(*args, "--report", str(report))
    assert result.returncode == 2
    assert "1 row(s) failed validation, so nothing was imported" in result.stderr
    sheet = openpyxl.load_workbook(report).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2:4] == (4, "date_of_birth")
    assert "Eva" not in str(rows)
    imported = run_testimonio(*args, "--skip-invalid", "--report", str(report), check=True)
    assert "2 new, 0 updated, 0 unchanged, 1 left out" in imported.stdout


def test_a_mapping_can_be_saved_for_review_then_used(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "lista.csv"
    data.write_text(GOOD, encoding="utf-8")
    profile = tmp_path / "lista.yaml"
    args = ("import", str(data), "--project", "example-turnbacks", "--source", "Lista")
    proposed = run_testimonio(*args, "--save-mapping", str(profile), check=True)
    assert "review it" in proposed.stdout and profile.exists()
    first = run_testimonio(*args, "--mapping", str(profile), check=True)
    assert "2 new" in first.stdout
    second = run_testimonio(*args, "--mapping", str(profile), check=True)
    assert "0 new, 0 updated, 2 unchanged" in second.stdout


def audit_events(run_testimonio: Runner) -> int:
    """How many events the (whole) audit chain holds: the database's write count."""
    verified = run_testimonio("audit", "verify", check=True).stdout
    return int(verified.split(":")[1].split()[0])


def bad_files() -> dict[str, bytes]:
    return {
        **bad_uploads(GOOD),
        "too-big.csv": GOOD.encode() + b"R-9,A,B,1990,2504-SYS,2018\n" * 60_000,
        "formula.csv": (GOOD + 'R-4,"=HYPERLINK(""http://x"")",Ruiz,1990,2504-SYS,2018\n').encode(),
    }


def test_each_bad_file_gives_one_clear_line_and_leaves_the_database_untouched(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    before = audit_events(run_testimonio)
    for name, data in bad_files().items():
        path = tmp_path / name
        path.write_bytes(data)
        result = run_testimonio(
            "import",
            str(path),
            "--project",
            "example-turnbacks",
            "--source",
            "Lista",
            "--report",
            str(tmp_path / "report.csv"),
            TESTIMONIO_MAX_UPLOAD_MB="1",
        )
        assert result.returncode == 2, name
        error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(error_lines) == 1 and name in error_lines[0], (name, result.stderr)
        assert "Traceback" not in result.stderr, name
    assert audit_events(run_testimonio) == before
    assert "looks like a spreadsheet formula" in (tmp_path / "report.csv").read_text()


def test_killing_an_import_midway_leaves_no_partial_batch(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    run_testimonio("demo", "--skip-world", check=True)
    before = audit_events(run_testimonio)
    # Enough rows that the import is still writing at the last kill, on a machine with more
    # cores too: 150,000 rows take about 10 s with two workers on an idle two-core machine.
    rows = "".join(f"R-{n},Ana,Pérez,1990,2504-SYS,2018-01\n" for n in range(400_000))
    path = tmp_path / "large.csv"
    path.write_text(GOOD.splitlines(keepends=True)[0] + rows, encoding="utf-8")
    # The instance's own keys, as run_testimonio uses them: not the test run's from the
    # environment (a different audit key is refused, rightly, before anything is written).
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TESTIMONIO_") and key != "DATABASE_URL"
    }
    env["TESTIMONIO_HOME"] = str(tmp_path / "home")
    for delay in (1.5, 3.0, 5.0):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "testimonio",
                "import",
                str(path),
                "--project",
                "example-turnbacks",
                "--source",
                "Lista",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        workers = children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, "the import finished before the kill"
        assert audit_events(run_testimonio) == before
        # Its worker processes (holding the file's rows) do not outlive it.
        assert workers_gone(workers), workers


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux; none known elsewhere)."""
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in listing.read_text().split()] if listing.exists() else []


def workers_gone(pids: list[int], seconds: float = 10.0) -> bool:
    """Whether every process in ``pids`` has ended (or is a zombie) within ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            status = Path(f"/proc/{pid}/stat")
            try:
                state = status.read_text().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError):
                continue
            if state != "Z":
                alive.append(pid)
        if not alive:
            return True
        time.sleep(0.1)
    return False


def test_a_large_file_imported_by_worker_processes_is_whole_audited_and_found_again(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    # 12,000 rows: three chunks of 5,000, validated and built by two workers the command forks.
    run_testimonio("demo", "--skip-world", check=True)
    rows = "".join(
        f"R-{n},Ana{n},Pérez,19{50 + n % 40},{('2504-SYS', '2503-CXW')[n % 2]},2018-0{1 + n % 9}\n"
        for n in range(12_000)
    )
    data = tmp_path / "large.csv"
    data.write_text(GOOD.splitlines(keepends=True)[0] + rows, encoding="utf-8")
    args = ("import", str(data), "--project", "example-turnbacks", "--source", "Lista")
    first = run_testimonio(*args, check=True, TESTIMONIO_IMPORT_WORKERS="2")
    assert "12,000 new, 0 updated, 0 unchanged" in first.stdout
    assert "whole" in run_testimonio("audit", "verify", check=True).stdout
    again = run_testimonio(*args, check=True, TESTIMONIO_IMPORT_WORKERS="2")
    assert "0 new, 0 updated, 12,000 unchanged" in again.stdout
    alone = run_testimonio(*args, check=True, TESTIMONIO_IMPORT_WORKERS="0")
    assert "0 new, 0 updated, 12,000 unchanged" in alone.stdout


PROPOSAL_FILE = (
    "record_id,first_name,last_name,date_of_birth,port_of_entry,encounter_date,phone\n"
    "R-1,Ana,Pérez,1990-03-02,Garita Vieja,2017-05-14,555-0101\n"
    "R-2,Luis,Gómez,1985-07-08,Tijuana Airport,2018-06-01,555-0102\n"
)


def test_a_mapping_proposal_prints_no_cell_of_the_file(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "lista.csv"
    data.write_text(PROPOSAL_FILE, encoding="utf-8")
    args = ("import", str(data), "--project", "example-turnbacks", "--source", "Lista")
    proposed = run_testimonio(*args, "--save-mapping", str(tmp_path / "p.yaml"), check=True)
    assert "review: port" in proposed.stderr and "'port_of_entry'" in proposed.stderr
    cells = {cell for line in PROPOSAL_FILE.splitlines()[1:] for cell in line.split(",")}
    printed = proposed.stdout + proposed.stderr
    assert [cell for cell in sorted(cells) if cell in printed] == []


def test_a_file_with_no_recognised_column_imports_nothing_and_says_why(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "other.csv"
    data.write_text("Shoe size,Colour\n42,red\n43,blue\n", encoding="utf-8")
    result = run_testimonio(
        "import", str(data), "--project", "example-turnbacks", "--source", "Other"
    )
    assert result.returncode == 2
    assert "no column of the file was recognised" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
