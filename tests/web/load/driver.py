"""Concurrent intake users against a real ``testimonio serve`` on 127.0.0.1 (issue 19).

Why: a team's intake volunteers work at the same time; every import a user was told succeeded
must be there afterwards, once (none lost, none doubled), and no page may fail under the load.
The intake form does not exist yet, so a user's "submission" is the web import of a small file
(upload, mapping as proposed, confirm), between visits to the pages that exist: the project
and its people (paged), a person, the imports page and the export page.

Each user is a thread with its own ``httpx.Client`` (own cookies, CSRF token, login), as a
browser would be; forms are posted as the page shows them (hidden fields and the proposed
values), so the test follows the real pages. Used by ``tests/web/load/test_load.py`` (5 users,
about 15 s, no timing assertions) and ``benchmarks/load_intake.py`` (20 users, 3 minutes,
p50/p95 per endpoint).
"""

from __future__ import annotations

import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from tests.cli.crash import HEADER, PROJECT, clean_environment, fictitious_rows

ROWS_PER_SUBMISSION = 5
#: Creates the users and their roles in one process (each start of Django costs a second).
MAKE_USERS = """
import sys
from click.testing import CliRunner
from testimonio.cli.main import cli
runner = CliRunner()
project = sys.argv[1]
for name in sys.argv[2:]:
    made = runner.invoke(cli, ["users", "add", name], catch_exceptions=False)
    assert made.exit_code == 0, made.output
    password = made.output.split("password:")[1].split()[0]
    role = runner.invoke(
        cli, ["members", "add", "--project", project, "--role", "intake", name]
    )
    assert role.exit_code == 0, role.output
    print(name, password)
"""


class FormFields(HTMLParser):
    """The fields of each POST form on a page, with the values it shows (as a browser
    would post them unchanged): inputs, checked boxes, selected options, text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._chosen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append({"_method": a.get("method", "get").lower(), "_files": "multipart"
                               in a.get("enctype", "")})  # fmt: skip
        if not self.forms:
            return
        fields = self.forms[-1]
        if tag == "option" and self._select is not None:
            # The selected option, else the first, as a browser posts an unchanged <select>.
            if "selected" in a or self._select not in self._chosen:
                fields[self._select] = a.get("value", "")
                self._chosen.add(self._select)
            return
        if "name" not in a:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("file", "submit", "button"):
                fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = a["name"]
            fields.setdefault(a["name"], "")
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[a["name"]] = ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None


def post_forms(page: str) -> list[dict[str, Any]]:
    parser = FormFields()
    parser.feed(page)
    return [form for form in parser.forms if form["_method"] == "post"]


def form_data(form: dict[str, Any], **changes: str) -> dict[str, Any]:
    data = {key: value for key, value in form.items() if not key.startswith("_")}
    data.update(changes)
    return data


@dataclass
class Results:
    """What every user saw: timings per endpoint, errors, acknowledged submissions."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # source name -> rows
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: CPU seconds the server's processes used (user + system): what a request costs, which a
    #: loaded machine's latencies hide.
    server_cpu: float = 0.0

    def timed(self, name: str, seconds: float) -> None:
        with self.lock:
            self.timings[name].append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def table(self) -> str:
        lines = ["| endpoint | requests | p50 (ms) | p95 (ms) | max (ms) |",
                 "|---|---:|---:|---:|---:|"]  # fmt: skip
        for name, values in sorted(self.timings.items()):
            ordered = sorted(values)
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            lines.append(f"| {name} | {len(values)} | {statistics.median(values) * 1000:.0f} "
                         f"| {p95 * 1000:.0f} | {ordered[-1] * 1000:.0f} |")  # fmt: skip
        return "\n".join(lines)


class User:
    """One intake volunteer: logs in, browses, submits small imports until ``stop``."""

    def __init__(self, base: str, name: str, password: str, results: Results, seed: int):
        self.base, self.name, self.password, self.results = base, name, password, results
        self.rng = random.Random(seed)
        self.client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
        self.submissions = 0
        self.pseudonyms: list[str] = []

    def request(self, endpoint: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        started = time.perf_counter()
        response = self.client.request(method, url, **kwargs)
        self.results.timed(endpoint, time.perf_counter() - started)
        if response.status_code >= 400:
            raise RuntimeError(f"{self.name}: {method} {endpoint} -> {response.status_code}")
        return response

    def login(self) -> None:
        page = self.request("login", "GET", "/login/").text
        form = post_forms(page)[0]
        data = form_data(form, username=self.name, password=self.password)
        done = self.request("login", "POST", "/login/", data=data)
        if done.status_code != 302:
            raise RuntimeError(f"{self.name}: login refused")

    def browse(self) -> None:
        project = f"/p/{PROJECT}/"
        page = self.request("project", "GET", project, params={"page": self.rng.randint(1, 8)})
        self.pseudonyms = re.findall(r"/people/(P-\d+)/", page.text) or self.pseudonyms
        if self.pseudonyms:
            pseudonym = self.rng.choice(self.pseudonyms)
            self.request("person", "GET", f"{project}people/{pseudonym}/")
        self.request("imports", "GET", f"{project}imports/")
        self.request("export", "GET", f"{project}export/")

    def submit(self) -> None:
        """Upload a small file, accept the proposed mapping, confirm: one acknowledged import."""
        self.submissions += 1
        source = f"Load {self.name} {self.submissions}"
        rows = fictitious_rows(ROWS_PER_SUBMISSION, f"{self.name}-{self.submissions}",
                               seed=self.rng.randrange(1 << 30))  # fmt: skip
        imports = f"/p/{PROJECT}/imports/"
        page = self.request("imports", "GET", imports).text
        form = next(f for f in post_forms(page) if f["_files"])
        data = form_data(form, source="", new_source_name=source, kind="intake_log")
        files = {"file": (f"{source}.csv", (HEADER + rows).encode(), "text/csv")}
        uploaded = self.request("submit: upload", "POST", imports, data=data, files=files)
        draft = uploaded.headers["location"]
        self.request("submit: preview", "GET", draft)
        mapping = self.request("submit: mapping", "GET", f"{draft}mapping/").text
        form = next(f for f in post_forms(mapping) if "required" in f or "column_surnames" in f)
        mapped = self.request("submit: mapping", "POST", f"{draft}mapping/", data=form_data(form))
        if mapped.status_code != 302:
            raise RuntimeError(f"{self.name}: the proposed mapping was refused")
        validation = self.request("submit: validation", "GET", f"{draft}validation/").text
        form = next(f for f in post_forms(validation) if "action" in f or len(f) > 2)
        confirm = form_data(form, action="import")
        result = self.request("submit: confirm", "POST", f"{draft}validation/", data=confirm)
        if f"{ROWS_PER_SUBMISSION} new, 0 updated" not in result.text:
            raise RuntimeError(f"{self.name}: the import was not acknowledged")
        with self.results.lock:
            self.results.acknowledged[source] = ROWS_PER_SUBMISSION

    def run(self, stop: float) -> None:
        try:
            self.login()
            while time.monotonic() < stop:
                self.browse()
                if self.rng.random() < 0.5:
                    self.submit()
        except Exception as error:  # noqa: BLE001 - every failure is a result to report
            self.results.error(f"{type(error).__name__}: {error}")
        finally:
            self.client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Instance:
    """A demo instance with ``base_rows`` people, served by ``testimonio serve``."""

    home: Path
    env: dict[str, str]
    port: int = 0
    server: subprocess.Popen[bytes] | None = None

    def run(self, *args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "testimonio", *args], env=self.env,
                                capture_output=True, text=True, timeout=600)  # fmt: skip
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    def users(self, count: int) -> dict[str, str]:
        names = [f"volunteer{n}" for n in range(count)]
        made = subprocess.run([sys.executable, "-c", MAKE_USERS, PROJECT, *names], env=self.env,
                              capture_output=True, text=True, timeout=600)  # fmt: skip
        assert made.returncode == 0, made.stderr
        return dict(line.split() for line in made.stdout.splitlines())

    def serve(self, threads: int, workers: int | None = None) -> str:
        self.port = free_port()
        processes = ["--workers", str(workers)] if workers else []  # else one per core
        self.server = subprocess.Popen(
            [sys.executable, "-m", "testimonio", "serve", "--port", str(self.port),
             "--threads", str(threads), *processes],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/login/", timeout=2)
                return base
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("testimonio serve did not answer")

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its worker processes so far (Linux /proc)."""
        if self.server is None:
            return 0.0
        tick = os.sysconf("SC_CLK_TCK")
        pids, total = [self.server.pid], 0.0
        while pids:
            pid = pids.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pids += [int(c) for c in (task / "children").read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue  # a worker that just ended
        return total

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)

    def imported(self) -> dict[str, int]:
        """Records per source whose name starts with "Load ", read from the database."""
        query = (
            "SELECT s.name, COUNT(r.id) FROM cases_source s LEFT JOIN cases_record r"
            " ON r.source_id = s.id WHERE s.name LIKE 'Load %' GROUP BY s.name"
        )
        url = self.env.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            import psycopg

            with psycopg.connect(url) as connection:
                return {name: count for name, count in connection.execute(query).fetchall()}
        connection = sqlite3.connect(self.home / "db" / "testimonio.sqlite3")
        try:
            return {name: count for name, count in connection.execute(query).fetchall()}
        finally:
            connection.close()


def prepare(folder: Path, *, base_rows: int = 600, database_url: str | None = None) -> Instance:
    env = clean_environment(folder / "home")
    env["TESTIMONIO_IMPORT_WORKERS"] = "0"
    if database_url:
        env["DATABASE_URL"] = database_url
    instance = Instance(folder / "home", env)
    instance.run("demo", "--skip-world")
    base = folder / "base.csv"
    base.write_text(HEADER + fictitious_rows(base_rows, "B", seed=1), encoding="utf-8")
    instance.run("import", str(base), "--project", PROJECT, "--source", "Base")
    return instance


def load(
    instance: Instance, users: int, seconds: float, *, threads: int = 8, workers: int | None = None
) -> Results:
    """``users`` concurrent users for ``seconds``; then what the database holds is compared
    with what each was told."""
    accounts = instance.users(users)
    base = instance.serve(threads, workers)
    results = Results()
    started_cpu = instance.cpu_seconds()  # start-up's CPU is not the requests'
    stop = time.monotonic() + seconds
    try:
        running = [
            threading.Thread(target=User(base, name, password, results, seed=n).run, args=(stop,))
            for n, (name, password) in enumerate(accounts.items())
        ]
        for thread in running:
            thread.start()
        for thread in running:
            thread.join()
        results.server_cpu = instance.cpu_seconds() - started_cpu
    finally:
        instance.stop()
    found = instance.imported()
    for source, rows in results.acknowledged.items():
        if found.get(source) != rows:
            results.error(f"{source}: acknowledged {rows} rows, found {found.get(source)}")
    for source in set(found) - set(results.acknowledged):
        if found[source]:
            results.error(f"{source}: {found[source]} rows never acknowledged")
    return results


__all__ = ["Instance", "Results", "load", "prepare"]
