"""Import memory: peak resident memory of importing one large XLSX, on the command line and
through the web import's steps, beside openpyxl's bare ``read_only`` iteration of the file.

Builds the synthetic intake sheet of ``import_speed.py`` (fictitious names; 460,000 rows by
default: 17 MB that unpack to 199 MB, just inside the unpack limit of 200 MB) and measures,
each in a fresh child process (peak from ``wait4``'s ``ru_maxrss``):

* openpyxl ``load_workbook(read_only=True)`` iterating every cell: the floor for a streamed read;
* ``testimonio import`` into a fresh instance (SQLite, its default worker processes; the peak
  is the largest single process, the importer or a worker);
* the web import's steps as the views run them in the server process (upload → draft, the
  validation page, confirm), after a 200-row import that loads what every import loads once,
  with the process's memory before, at its peak and after
  (``VmRSS``, after a garbage collection, and after ``give_back_memory`` as the import pages
  call it when a request ends): what a long-running server keeps.

    .venv/bin/python benchmarks/import_memory.py [--rows 460000] [--src PATH]

``--src`` runs the CLI and the web steps from another checkout's ``src`` (say the commit
before the fix), to measure before and after with the same file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from import_speed import build  # noqa: E402

BARE = """
import sys, openpyxl
workbook = openpyxl.load_workbook(sys.argv[1], read_only=True)
for row in workbook.active.iter_rows(values_only=True):
    for _ in row:
        pass
"""

SERVER = """
import gc, resource, sys
from pathlib import Path

def rss():
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024

from testimonio.cli.projects import project_named
project = project_named("example-turnbacks")
from testimonio.web.imports.actions import do_confirm_import, do_create_import_draft
from testimonio.web.imports.draft_files import check_draft
# A small import first, so that "before" counts the modules and caches any import loads
# once per process, and "after" only what this import keeps.
warm = do_create_import_draft(
    project, Path(sys.argv[2]).read_bytes(), "w.xlsx", None, source_name="Warm-up",
    source_kind="other",
)
do_confirm_import(warm, None, skip_invalid=False)
del warm
gc.collect()
before = rss()
data = Path(sys.argv[1]).read_bytes()
draft = do_create_import_draft(
    project, data, "intake.xlsx", None, source_name="Bench", source_kind="other"
)
del data
try:  # the validation page and the confirm step, as the views call them
    checked = check_draft(draft, keep_rows=False)
except TypeError:  # a checkout before keep_rows: the page validated and kept every row
    checked = check_draft(draft)
result = do_confirm_import(draft, None, skip_invalid=False, checked=checked)
del checked
gc.collect()
after = rss()
try:  # what the import pages do when a request ends (testimonio.web.imports.memory)
    from testimonio.web.imports.memory import give_back_memory
except ImportError:  # a checkout before it
    trimmed = after
else:
    give_back_memory()
    trimmed = rss()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{before} {peak} {after} {trimmed} {result.created}")
"""


def peak_mb(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """A child's peak resident memory in MB (the largest of it and the children it waited
    for) and its standard output."""
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    output, errors = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({child.returncode}):\n{errors.decode()[-2000:]}")
    return usage.ru_maxrss // 1024, output.decode()


def instance(folder: Path, name: str, src: str | None) -> dict[str, str]:
    """Environment of a fresh demo instance (no world data) in ``folder/name``."""
    env = {**os.environ, "TESTIMONIO_HOME": str(folder / name)}
    env.pop("DATABASE_URL", None)
    if src:
        env["PYTHONPATH"] = src
    subprocess.run(
        [sys.executable, "-m", "testimonio", "demo", "--skip-world"],
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=460_000)
    parser.add_argument("--src", default=None, help="another checkout's src folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "intake.xlsx"
        build(path, args.rows)
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        size = f"{args.rows:,} rows, {path.stat().st_size / 2**20:.1f} → {unpacked / 2**20:.0f} MB"
        bare, _ = peak_mb([sys.executable, "-c", BARE, str(path)], dict(os.environ))
        env = instance(folder, "cli", args.src)
        command = [sys.executable, "-m", "testimonio", "import", str(path)]
        options = ["--project", "example-turnbacks", "--source", "Bench"]
        cli, _ = peak_mb([*command, *options, "--report", str(folder / "r.csv")], env)
        env = instance(folder, "web", args.src)
        warm_up = folder / "warm-up.xlsx"
        build(warm_up, 200)
        _, line = peak_mb([sys.executable, "-c", SERVER, str(path), str(warm_up)], env)
        before, server_peak, after, trimmed, created = (int(word) for word in line.split())
    print(
        "| file | openpyxl bare read | CLI import | server: before / peak / after "
        "/ after giving back | rows |"
    )
    print("|---|---:|---:|---:|---:|")
    print(
        f"| {size} | {bare} MB | {cli} MB | {before} / {server_peak} / {after} / {trimmed} MB "
        f"| {created:,} |"
    )


if __name__ == "__main__":
    main()
