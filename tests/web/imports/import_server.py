"""A server process for the web import's child-process tests: ``python -m
tests.web.imports.import_server ROWS`` in a fresh instance (``TESTIMONIO_HOME``, and
``DATABASE_URL`` for PostgreSQL), printing one JSON line of what it measured.

Why a process of its own: the tests measure this process's memory (``VmRSS``, ``VmHWM`` of
``/proc/self/status``; ``ru_maxrss`` would count the test runner's own history), and the
import's child needs a database it can open itself (a test run's in-memory SQLite database
is not one).

It drives the import pages with Django's test client, as a signed-in intake officer:

1. a 200-row warm-up import, so "before" counts what any import loads once per process;
2. an import of ``ROWS`` rows, with this process's memory before and after, its peak, the
   step's seconds and what it created;
3. another file of ``ROWS`` rows whose confirm's child is killed (``SIGKILL``) once it holds
   the import's write transaction: the page, what was written, and whether the child is gone.

``IMPORT_SERVER_IN_PROCESS=1`` runs the steps in this process instead, as before the child
(to compare; step 3 then fails, having no child to kill).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

GIVEN = ["Ana", "José", "María", "Luis", "Guadalupe", "Jean", "Roselène", "Juana", "Pedro"]
SURNAMES = ["Pérez", "Gómez", "López", "Hernández", "Joseph", "Tziquin", "Ramírez", "Díaz"]
PORTS = ["2504-SYS", "2503-CXW", "2506-OTM", "2504-PEDW"]
TACTICS = ["TAC.THREAT", "TAC.DENY.CAPACITY", "TAC.MISINFO", "TAC.DENY.LIMIT_LINE"]
HEADER = ["record_id", "first_name", "last_name", "date_of_birth", "port_of_entry"]
HEADER += ["encounter_date", "what_happened"]


def intake_csv(rows: int, seed: int) -> bytes:
    """An intake log of fictitious people (the benchmarks' columns)."""
    rng, out = random.Random(seed), io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(1, rows + 1):
        birth = f"{rng.randint(1950, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        given, surnames = rng.choice(GIVEN), f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        encounter = f"{rng.randint(2016, 2019)}-{rng.randint(1, 12):02d}"
        writer.writerow(
            [f"R-{seed}-{n:07d}", given, surnames, birth, rng.choice(PORTS), encounter]
            + [rng.choice(TACTICS)]
        )
    return out.getvalue().encode("utf-8")


def status(field: str) -> int:
    """A line of /proc/self/status in MB (VmRSS now, VmHWM the peak)."""
    text = Path("/proc/self/status").read_text()
    return int(text.split(f"{field}:")[1].split()[0]) // 1024


def reset_peak() -> None:
    """Start VmHWM again from the current resident size (Linux 4.0+)."""
    Path("/proc/self/clear_refs").write_text("5")


def children() -> list[int]:
    found: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


def import_file(
    client: Any, slug: str, name: str, data: bytes, before_confirm: Any = None
) -> tuple[str, Any]:
    """Upload, open the preview, mapping and validation pages, confirm (after calling
    ``before_confirm``): the draft's URL and the confirm's response."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(f"{name}.csv", data, content_type="text/csv")
    posted = {"file": upload, "source": "", "new_source_name": name, "kind": "intake_log"}
    response = client.post(f"/p/{slug}/imports/", posted)
    assert response.status_code == 302, response.content[:2000]
    draft_url = response["Location"]
    for page in ("", "mapping/", "validation/"):
        assert client.get(f"{draft_url}{page}").status_code == 200
    if before_confirm is not None:
        before_confirm()
    return draft_url, client.post(f"{draft_url}validation/", {"action": "import"})


class Killer(threading.Thread):
    """Kills the import's child once it holds its write transaction (plus a little)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.killed: int | None = None
        self.in_transaction = False

    def run(self) -> None:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and self.killed is None:
            for pid in children():
                if self._writing():
                    time.sleep(0.5)
                    os.kill(pid, signal.SIGKILL)
                    self.killed, self.in_transaction = pid, True
                    break
            time.sleep(0.05)

    def _writing(self) -> bool:
        from django.db import connections

        database = connections["default"].settings_dict
        if connections["default"].vendor == "sqlite":
            import sqlite3

            probe = sqlite3.connect(str(database["NAME"]), timeout=0)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.rollback()
                return False
            except sqlite3.OperationalError:  # locked: the child's import is writing
                return True
            finally:
                probe.close()
        import psycopg

        url = f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT']}"
        with psycopg.connect(f"{url}/{database['NAME']}", autocommit=True) as server:
            row = server.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start < now() - interval '0.3 seconds'"
            ).fetchone()
        return bool(row and row[0])


def main() -> None:
    rows = int(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testimonio.web.settings")
    os.environ["TESTIMONIO_ALLOWED_HOSTS"] = "testserver"  # Django's test client's host
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if os.environ.get("IMPORT_SERVER_IN_PROCESS"):  # for comparison: the steps run here
        from testimonio.web.imports import child

        child.runs_in_child = lambda: False
    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.accounts.actions import do_add_member, do_create_user
    from testimonio.web.audit.models import AuditEvent
    from testimonio.web.cases.actions import do_create_project, do_load_vocabulary
    from testimonio.web.cases.models import Person, Record
    from testimonio.web.imports.memory import give_back_memory
    from testimonio.web.imports.models import ImportDraft
    from tests.web.clients import signed_in

    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Turn-backs 2017", vocabulary, None, slug="turnbacks-2017")
    user, _ = do_create_user("intake_officer", None, password="correct horse battery staple")
    do_add_member(project, user, "intake", None)
    client = signed_in(user, second_factor=False)

    _, response = import_file(client, project.slug, "Warm-up", intake_csv(200, 1))
    assert response.status_code == 200 and Record.objects.count() == 200
    data = intake_csv(rows, 2)
    give_back_memory()
    before = status("VmRSS")
    reset_peak()
    started = time.perf_counter()
    _, response = import_file(client, project.slug, "Large", data)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.content[:2000]
    peak = status("VmHWM")
    del response
    give_back_memory()
    after = status("VmRSS")
    created = Record.objects.filter(source__name="Large").count()

    events, people = AuditEvent.objects.count(), Person.objects.count()
    killer = Killer()
    _, response = import_file(client, project.slug, "Killed", intake_csv(rows, 3), killer.start)
    killer.join(5)
    page = response.content.decode()
    sys.stdout.write(
        json.dumps(
            {
                "before": before,
                "peak": peak,
                "after": after,
                "seconds": round(seconds, 1),
                "created": created,
                "killed": killer.killed is not None,
                "killed_in_transaction": killer.in_transaction,
                "killed_child_gone": killer.killed is not None
                and not Path(f"/proc/{killer.killed}").exists(),
                "children_left": len(children()),
                "killed_status": response.status_code,
                "killed_says": "stopped unexpectedly (killed by SIGKILL)" in page,
                "killed_records": Record.objects.filter(source__name="Killed").count(),
                "new_people": Person.objects.count() - people,
                "new_events": sorted(
                    set(
                        AuditEvent.objects.order_by("sequence")[events:].values_list(
                            "action", flat=True
                        )
                    )
                ),
                "draft_kept": ImportDraft.objects.filter(source_name="Killed").exists(),
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
