"""Kill a real ``testimonio`` process with SIGKILL at random moments, and check what it leaves.

Why: a power cut, the OOM killer or an operator's ``kill -9`` can stop an import, a linkage run,
a backup or a report at any instruction. What must hold afterwards is what a team relies on:
each batch is all or nothing (every table's row count is the count before the command or the
count after it, never one between), the app starts and its audit chain (and, where documents
are involved, custody) verifies, nothing is half-written, and no worker process the command
forked outlives it (they hold the file's rows in memory). A report's folder (the evidence
packet, the public report) must hold exactly the earlier complete report or exactly the new
one: every entry and every byte, compared with both.

Used by ``tests/cli/test_crash_kills.py`` (a bounded number of kills in ``make test``) and by
``benchmarks/crash_kills.py`` (many more). One instance is prepared once; every kill runs
against a fresh copy of it, so kills are independent and cheap. Delays are drawn from a seeded
generator, spread over the whole measured duration of the command (start-up included).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyrage

PROJECT = "example-turnbacks"
HEADER = "record_id,first_name,last_name,date_of_birth,port_of_entry,encounter_date\n"
FIRST = ("Ana", "Luis", "Eva", "María", "José", "Carmen", "Jorge", "Rosa", "Pedro", "Lucía")
LAST = ("Pérez", "Gómez", "Ruiz", "López", "Díaz", "Torres", "Flores", "Vargas", "Castro")

#: Runs every check of a killed instance in one process (each start of Python and Django
#: costs about a second): the app starts, the audit chain verifies, custody verifies.
CHECKER = """
import sys
from testimonio.cli.main import cli
failed = []
for args in sys.argv[1:]:
    try:
        cli.main(args=args.split(), prog_name="testimonio", standalone_mode=False)
    except SystemExit as stop:
        if stop.code:
            failed.append(args)
    except Exception as error:
        failed.append(f"{args}: {type(error).__name__}")
print("; ".join(failed))
sys.exit(1 if failed else 0)
"""

Counts = dict[str, int]
Tree = dict[str, str]

#: The report commands, killed on a folder that holds an earlier complete report, an
#: operator's note and the staging folder a killed file-by-file writer left inside it. The old
#: packet has an exhibit and another Bates prefix; the old public report another threshold (a
#: higher one: a lower one first would publish cells the later release must hide, refused).
REPORTS = {
    "report-evidence": (
        "packet",
        ["report", "evidence", "--snapshot", "{files}/snap.duckdb", "--out", "{files}/packet",
         "--bates-prefix", "CASE"],
        ["--bates-prefix", "OLD", "--exhibit", "{files}/exhibit.pdf"],
    ),
    "report-public": (
        "public",
        ["report", "public", "--snapshot", "{files}/snap.duckdb", "--out", "{files}/public",
         "--threshold", "5"],
        ["--threshold", "8"],
    ),
}  # fmt: skip


def fictitious_rows(count: int, prefix: str, seed: int) -> str:
    """``count`` CSV rows of fictitious people; repeated name pairs give linkage work."""
    rng = random.Random(seed)
    return "".join(
        f"{prefix}-{n},{rng.choice(FIRST)},{rng.choice(LAST)},"
        f"19{50 + rng.randrange(50)}-0{1 + rng.randrange(9)}-1{rng.randrange(10)},"
        f"{rng.choice(('2504-SYS', '2503-CXW'))},2018-0{1 + rng.randrange(9)}\n"
        for n in range(count)
    )


def clean_environment(home: Path) -> dict[str, str]:
    """This process's environment without the test run's instance settings: the instance's
    own keys, as an operator's command would use them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TESTIMONIO_") and key != "DATABASE_URL"
    }
    env["TESTIMONIO_HOME"] = str(home)
    return env


@dataclass
class Scenario:
    """One command to kill, and the instance's row counts before and after it completes."""

    name: str
    args: list[str]
    before: Counts
    after: Counts
    duration: float
    checks: tuple[str, ...] = ("audit verify",)
    folder: str = ""  # a report's folder, relative to the lane (reports only)
    tree_before: Tree = field(default_factory=dict)
    tree_after: Tree = field(default_factory=dict)


def tree(folder: Path) -> Tree:
    """Every entry under ``folder`` (hidden ones too) with its content's SHA-256."""
    if not folder.exists():
        return {}
    entries = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            entries[path.relative_to(folder).as_posix()] = f"link:{os.readlink(path)}"
        elif path.is_dir():
            entries[path.relative_to(folder).as_posix()] = "dir"
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            entries[path.relative_to(folder).as_posix()] = digest
    return entries


def leftovers(folder: Path) -> list[str]:
    """Staging folders a report run left beside ``folder`` or (the old writer's) inside it."""
    beside = [p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.")]
    inside = [p.name for p in folder.glob(".*-*") if p.is_dir()] if folder.is_dir() else []
    return sorted(beside + inside)


def lane_args(args: list[str], lane: Path) -> list[str]:
    return [
        arg.replace("{out}", str(lane / "out.age")).replace("{files}", str(lane / "files"))
        for arg in args
    ]


@dataclass
class Prepared:
    """A prepared instance (never run against itself) and the commands to kill on copies."""

    folder: Path
    home: Path
    identity: pyrage.x25519.Identity
    scenarios: dict[str, Scenario] = field(default_factory=dict)

    def env(self, home: Path) -> dict[str, str]:
        env = clean_environment(home)
        env["TESTIMONIO_BACKUP_RECIPIENT"] = str(self.identity.to_public())
        return env

    def copy(self, lane: Path) -> Path:
        """A fresh copy of the prepared instance in ``lane`` (removed first)."""
        shutil.rmtree(lane, ignore_errors=True)
        lane.mkdir(parents=True)
        home = lane / "home"
        shutil.copytree(self.home, home, symlinks=True)
        if (files := self.folder / "files").is_dir():
            shutil.copytree(files, lane / "files", symlinks=True)
        return home

    def run(self, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "testimonio", *args],
            env=self.env(home),
            capture_output=True,
            text=True,
            timeout=300,
        )


def prepare(
    folder: Path, *, base_rows: int = 600, import_rows: int = 8_000, reports: bool = True
) -> Prepared:
    """A demo instance holding ``base_rows`` records to link, a file of ``import_rows`` new
    rows to import (more than one chunk, so the import forks workers where it can), and each
    command's counts after it completes and its duration, measured once on a copy. With
    ``reports``, also a snapshot of the linked project and the earlier reports (``REPORTS``)."""
    folder.mkdir(parents=True, exist_ok=True)
    prepared = Prepared(folder, folder / "prepared", pyrage.x25519.Identity.generate())
    base, lista = folder / "base.csv", folder / "lista.csv"
    base.write_text(HEADER + fictitious_rows(base_rows, "B", seed=1), encoding="utf-8")
    lista.write_text(HEADER + fictitious_rows(import_rows, "N", seed=2), encoding="utf-8")
    home = prepared.home
    for args in (
        ("demo", "--skip-world"),
        ("import", str(base), "--project", PROJECT, "--source", "Base"),
    ):
        result = prepared.run(home, *args)
        assert result.returncode == 0, result.stderr
    before = table_counts(home)
    commands = {
        "import": (["import", str(lista), "--project", PROJECT, "--source", "Lista"], ()),
        "link": (["link", "--project", PROJECT], ()),
        "backup": (["backup", "--out", "{out}"], ("custody verify",)),
    }
    for name, (args, checks) in commands.items():
        home = prepared.copy(folder / "measure" / name)
        command = [arg.replace("{out}", str(home.parent / "out.age")) for arg in args]
        started = time.perf_counter()
        result = prepared.run(home, *command)
        duration = time.perf_counter() - started
        assert result.returncode == 0, (name, result.stderr)
        prepared.scenarios[name] = Scenario(
            name, args, before, table_counts(home), duration, ("audit verify", *checks)
        )
    if reports:
        _prepare_reports(prepared, before)
    shutil.rmtree(folder / "measure")
    return prepared


def _prepare_reports(prepared: Prepared, counts: Counts) -> None:
    """The snapshot and the earlier reports every report kill starts from, then each report
    command's folder before and after it completes, measured once on a copy."""
    from testimonio.reporting.pdf import html_to_pdf

    files = prepared.folder / "files"
    files.mkdir()
    linked = prepared.copy(prepared.folder / "measure" / "linked")
    snapshot = ["snapshot", "--project", PROJECT, "--out", str(files / "snap.duckdb")]
    for args in (["link", "--project", PROJECT], snapshot):
        result = prepared.run(linked, *args)
        assert result.returncode == 0, (args, result.stderr)
    html_to_pdf("<p>Exhibit: a fictitious declaration.</p>", files / "exhibit.pdf")
    for name, (folder, args, earlier) in REPORTS.items():
        old = [*args[: args.index("--out") + 2], *earlier]
        result = prepared.run(linked, *lane_args(old, prepared.folder))
        assert result.returncode == 0, (name, result.stderr)
        (files / folder / "notes.txt").write_text("The team's own notes, kept.\n")
        stale = files / folder / f".{folder}-killed"  # the file-by-file writer's staging
        stale.mkdir()
        (stale / "half.pdf").write_bytes(b"%PDF-1.7 half")
        lane = prepared.folder / "measure" / name
        home = prepared.copy(lane)
        before = tree(lane / "files" / folder)
        started = time.perf_counter()
        result = prepared.run(home, *lane_args(args, lane))
        duration = time.perf_counter() - started
        assert result.returncode == 0, (name, result.stderr)
        _check_complete(lane / "files" / folder)
        prepared.scenarios[name] = Scenario(
            name, args, counts, counts, duration, folder=f"files/{folder}",
            tree_before=before, tree_after=tree(lane / "files" / folder),
        )  # fmt: skip


def _check_complete(folder: Path) -> None:
    """A complete report, read from its own files: a packet's files match its manifest; a
    public report's history holds the earlier release and this one."""
    if (folder / "packet-manifest.json").exists():
        manifest = json.loads((folder / "packet-manifest.json").read_text(encoding="utf-8"))
        found = tree(folder)
        assert manifest["files"] and all(
            found.get(path) == digest for path, digest in manifest["files"].items()
        ), "the packet's files do not match its manifest"
    else:
        history = json.loads((folder / "releases.json").read_text(encoding="utf-8"))
        assert sorted(entry["threshold"] for entry in history["releases"]) == [5, 8], history


def database_path(home: Path) -> Path:
    return home / "db" / "testimonio.sqlite3"


def table_counts(home: Path) -> Counts:
    """Every table's row count (opening the database recovers its WAL, as the app does)."""
    connection = sqlite3.connect(database_path(home))
    try:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            # Table names come from sqlite_master, not from input.
            name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in names
        }
    finally:
        connection.close()


def integrity(home: Path) -> str:
    connection = sqlite3.connect(database_path(home))
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc; none known elsewhere)."""
    found: list[int] = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            pending += children
    return found


def running(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (a zombie has freed its memory and runs nothing)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):
            alive.append(pid)
    return alive


def whole_backup(path: Path, identity: pyrage.x25519.Identity) -> bool:
    """Whether ``path`` decrypts to a tar stream that ends with its manifest."""
    try:
        data = pyrage.decrypt(path.read_bytes(), [identity])
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            return tar.getnames()[-1] == "manifest.json"
    except Exception:  # noqa: BLE001 - any failure to read it means it is not whole
        return False


@dataclass
class Outcome:
    """What one kill left: ``state`` is "before", "after" or "between"; ``problems`` is empty
    when every check held."""

    scenario: str
    delay: float
    killed: bool
    state: str
    problems: list[str]
    workers: int = 0  # processes below the command when it was killed


def kill_once(prepared: Prepared, scenario: Scenario, delay: float, lane: Path) -> Outcome:
    """Run the scenario's command on a fresh copy, SIGKILL it after ``delay`` seconds, check."""
    home = prepared.copy(lane)
    out = lane / "out.age"
    args = lane_args(scenario.args, lane)
    process = subprocess.Popen(
        [sys.executable, "-m", "testimonio", *args],
        env=prepared.env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    workers = descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    killed = process.returncode == -signal.SIGKILL
    problems = []
    deadline = time.monotonic() + 10
    while running(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    if left := running(workers):
        problems.append(f"worker processes left behind: {left}")
    checked = subprocess.run(
        [sys.executable, "-c", CHECKER, *scenario.checks],
        env=prepared.env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if checked.returncode != 0:
        problems.append(f"checks failed after the kill: {checked.stdout.strip()}")
    if (verdict := integrity(home)) != "ok":
        problems.append(f"integrity check: {verdict}")
    counts = table_counts(home)
    state = next(
        (name for name in ("before", "after") if counts == getattr(scenario, name)), "between"
    )
    if state == "between":
        tables = sorted(set(counts) | set(scenario.after))
        changed = {
            table: (scenario.before.get(table), counts.get(table), scenario.after.get(table))
            for table in tables
            if counts.get(table) != scenario.after.get(table)
        }
        problems.append(f"a partial batch (before, now, after): {changed}")
    if scenario.name == "backup" and out.exists() and not whole_backup(out, prepared.identity):
        problems.append("a partial backup file under the final name")
    if scenario.folder:
        state, problem = report_state(scenario, lane / scenario.folder)
        problems += [problem] if problem else []
    return Outcome(scenario.name, delay, killed, state, problems, len(workers))


def report_state(scenario: Scenario, folder: Path) -> tuple[str, str]:
    """Whether a report's folder is exactly the earlier report or exactly the new one (and
    what differs from the new one when it is neither)."""
    now = tree(folder)
    for name, expected in (("before", scenario.tree_before), ("after", scenario.tree_after)):
        if now == expected:
            return name, ""
    differs = sorted(
        path for path in set(now) | set(scenario.tree_after)
        if now.get(path) != scenario.tree_after.get(path)
    )  # fmt: skip
    return "between", f"a report folder that is neither the old nor the new one: {differs}"


def recovers(prepared: Prepared, scenario: Scenario, lane: Path) -> list[str]:
    """Kill the command once more, then run it again to the end: it must complete."""
    kill_once(prepared, scenario, scenario.duration / 2, lane)
    home = lane / "home"
    result = prepared.run(home, *lane_args(scenario.args, lane))
    problems = [] if result.returncode == 0 else [f"rerun failed: {result.stderr.strip()}"]
    if scenario.name != "backup" and table_counts(home) != scenario.after:
        problems.append("the rerun did not reach the counts of a run never killed")
    if scenario.name == "backup":
        if not whole_backup(lane / "out.age", prepared.identity):
            problems.append("the rerun's backup is not whole")
        if list(home.glob(".backup-*")):
            problems.append("the killed backup's staging folder was not removed")
    if scenario.folder:
        if (state := report_state(scenario, lane / scenario.folder))[0] != "after":
            problems.append(f"the rerun did not write the complete new report: {state[1]}")
        if left := leftovers(lane / scenario.folder):
            problems.append(f"staging folders left after the rerun: {left}")
    return problems


def kill_many(prepared: Prepared, name: str, kills: int, seed: int, lane: Path) -> list[Outcome]:
    """``kills`` kills of scenario ``name``, at seeded delays spread over its whole duration
    (from 5% to 95% of it: later may miss the end), the duration re-estimated whenever a
    command finishes before its kill."""
    scenario = prepared.scenarios[name]
    rng = random.Random(seed)
    estimate = scenario.duration
    outcomes: list[Outcome] = []
    for _ in range(kills):
        outcome = kill_once(prepared, scenario, rng.uniform(0.05, 0.95) * estimate, lane)
        outcomes.append(outcome)
        if not outcome.killed:
            # It finished first: the shared machine is faster than when the command was
            # measured, so aim earlier from now on.
            estimate = outcome.delay * 0.8
    return outcomes
