"""Import memory: peak resident memory of importing one large XLSX, on the command line and
through the web import's steps, beside openpyxl's bare ``read_only`` iteration of the file.

Builds the synthetic intake sheet of ``import_speed.py`` (fictitious names; 460,000 rows by
default: 17 MB that unpack to 199 MB, just inside the unpack limit of 200 MB) and measures,
each in a fresh child process (peak from ``wait4``'s ``ru_maxrss``):

* openpyxl ``load_workbook(read_only=True)`` iterating every cell: the floor for a streamed read;
* ``testimonio import`` into a fresh instance (SQLite, its default worker processes; the peak
  is the largest single process, the importer or a worker);
* the web import's steps as the import pages run them (upload → draft, the validation page,
  confirm), each in a child process of its own (``testimonio.web.imports.child``), after a
  200-row import that loads what every import loads once, with the server process's memory
  before, at its peak (``VmHWM``, reset before the import) and after (``VmRSS``, after a
  garbage collection, and after ``give_back_memory`` as the import pages call it when a
  request ends): what a long-running server keeps; and the largest child's peak.
  ``--in-process`` runs the same steps in the server process, as before the child.

    .venv/bin/python benchmarks/import_memory.py [--rows 460000] [--src PATH] [--in-process]
        [--web-only]

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
import gc, os, resource, sys
from pathlib import Path

def status(field):
    text = Path("/proc/self/status").read_text()
    return int(text.split(field + ":")[1].split()[0]) // 1024

from testimonio.cli.projects import project_named
project = project_named("example-turnbacks")
try:  # the steps as the import pages run them: each in a child process of its own
    from testimonio.web.imports import child
    from testimonio.web.imports.child import run_step
except ImportError:  # a checkout before the child: the steps as the views called them
    run_step = None
if run_step is not None and os.environ.get("IN_PROCESS"):
    child.runs_in_child = lambda: False  # to compare: the same steps in this process
from testimonio.web.imports.actions import do_confirm_import, do_create_import_draft
from testimonio.web.imports.draft_files import check_draft
from testimonio.web.imports.models import ImportDraft
try:
    from testimonio.web.imports.memory import give_back_memory
except ImportError:  # a checkout before it
    give_back_memory = gc.collect

def web_import(path, source):
    data = Path(path).read_bytes()
    if run_step is not None:  # upload, the validation page, confirm
        uuid = run_step("create_draft", project.pk, data, "intake.xlsx", None, source, "other")
        del data
        give_back_memory()
        pk = ImportDraft.objects.get(uuid=uuid).pk
        run_step("validate_or_confirm", pk, None, None)
        give_back_memory()
        page = run_step("validate_or_confirm", pk, None, "action=import")
        return page.result
    draft = do_create_import_draft(project, data, "intake.xlsx", None, source_name=source,
                                   source_kind="other")
    del data
    try:  # the validation page and the confirm step, as the views call them
        checked = check_draft(draft, keep_rows=False)
    except TypeError:  # a checkout before keep_rows: the page validated and kept every row
        checked = check_draft(draft)
    return do_confirm_import(draft, None, skip_invalid=False, checked=checked)

# A small import first, so that "before" counts the modules and caches any import loads
# once per process, and "after" only what this import keeps.
web_import(sys.argv[2], "Warm-up")
give_back_memory()
before = status("VmRSS")
Path("/proc/self/clear_refs").write_text("5")  # VmHWM from here
result = web_import(sys.argv[1], "Bench")
peak = status("VmHWM")
gc.collect()
after = status("VmRSS")
give_back_memory()  # what the import pages do when a request ends
trimmed = status("VmRSS")
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(f"{before} {peak} {after} {trimmed} {children} {result.created}")
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
    parser.add_argument(
        "--in-process", action="store_true", help="run the web steps in the server process"
    )
    parser.add_argument("--web-only", action="store_true", help="skip the bare read and CLI")
    args = parser.parse_args()
    load = [os.getloadavg()[0]]
    bare = cli = 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "intake.xlsx"
        build(path, args.rows)
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        size = f"{args.rows:,} rows, {path.stat().st_size / 2**20:.1f} → {unpacked / 2**20:.0f} MB"
        if not args.web_only:
            bare, _ = peak_mb([sys.executable, "-c", BARE, str(path)], dict(os.environ))
            env = instance(folder, "cli", args.src)
            command = [sys.executable, "-m", "testimonio", "import", str(path)]
            options = ["--project", "example-turnbacks", "--source", "Bench"]
            cli, _ = peak_mb([*command, *options, "--report", str(folder / "r.csv")], env)
        env = instance(folder, "web", args.src)
        if args.in_process:
            env["IN_PROCESS"] = "1"
        warm_up = folder / "warm-up.xlsx"
        build(warm_up, 200)
        _, line = peak_mb([sys.executable, "-c", SERVER, str(path), str(warm_up)], env)
        before, server_peak, after, trimmed, child, created = (int(w) for w in line.split())
    load.append(os.getloadavg()[0])
    where = "in the server process" if args.in_process else "in child processes"
    print(
        "| file | openpyxl bare read | CLI import | web steps | server: before / peak / after "
        "/ after giving back | largest child | rows | load |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    print(
        f"| {size} | {bare} MB | {cli} MB | {where} | {before} / {server_peak} / {after} / "
        f"{trimmed} MB | {child} MB | {created:,} | {load[0]:.1f}-{load[1]:.1f} |"
    )


if __name__ == "__main__":
    main()
