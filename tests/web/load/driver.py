"""Concurrent intake users against a real ``testimonio serve`` on 127.0.0.1 (issue 19).

Why: a team's intake volunteers work at the same time; every testimony a user was told was
saved must be there afterwards, once (none lost, none doubled), and no page may fail under the
load. A user works as a volunteer does: the case list with filters (and sometimes its next
page), a person's page, and half the time a new testimony through the intake form (the form;
for one in three "Add another encounter"; save; the confirmation page, which shows the new
person's pseudonym); now and then the exact lookup of a testimony they entered (it must find
that person and no one else), and a small share of visits to the imports and export pages.
Submitting through the form, not the import pages, is what an intake user does: an import
step runs in a child process of about a CPU second (web/imports/steps.py).

Each user is a thread with its own ``httpx.Client`` (own cookies, CSRF token, login), as a
browser would be; forms are posted as the page shows them (:mod:`tests.web.load.pages`), so the
test follows the real pages. Afterwards the database is read: every acknowledged submission
(its form page's ``submission`` token) must be there exactly once, as the pseudonym its
confirmation page showed, with the encounters and family members sent, and nothing else may
have been saved. Used by ``tests/web/load/test_load.py`` (5 users, about 15 s, no timing
assertions) and ``benchmarks/load_intake.py`` (20 users, 3 minutes, p50/p95 per endpoint).
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
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.cli.crash import FIRST, HEADER, LAST, PROJECT, clean_environment, fictitious_rows
from tests.web.load.pages import (
    PERSON_LINK,
    form_data,
    next_page_link,
    options,
    page_forms,
    post_forms,
    pseudonyms_after,
)

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
#: Shares of a user's rounds (each round: the case list and a person).
SUBMIT, TWO_ENCOUNTERS, FAMILY, SUBMIT_AGAIN = 0.5, 1 / 3, 0.25, 0.05
LOOKUP, NEXT_PAGE, IMPORTS_PAGE, EXPORT_PAGE = 0.2, 0.3, 0.1, 0.05
#: The lookups a volunteer makes here in 3 minutes exceed the default hourly cap (60).
LOOKUPS_PER_HOUR = "100000"
SAVED = re.compile(r"The testimony was saved as (P-\d+)\.")
DONE = re.compile(r"/intake/([0-9a-f-]{36})/$")


@dataclass(frozen=True)
class Submission:
    """One testimony a user was told was saved, as the confirmation page showed it."""

    pseudonym: str
    encounters: int
    family: int
    given_names: str
    surnames: str


@dataclass
class Results:
    """What every user saw: timings per endpoint, errors, acknowledged submissions."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    #: The form page's submission token -> what the user was shown.
    acknowledged: dict[str, Submission] = field(default_factory=dict)
    lookups: int = 0
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

    def requests(self) -> int:
        return sum(len(values) for values in self.timings.values())

    def overall(self) -> tuple[float, float]:
        """p50 and p95 of every request but the logins (slow by design: Argon2)."""
        values = sorted(v for name, vs in self.timings.items() if name != "login" for v in vs)
        return _percentiles(values) if values else (0.0, 0.0)

    def table(self) -> str:
        lines = ["| endpoint | requests | p50 (ms) | p95 (ms) | max (ms) |",
                 "|---|---:|---:|---:|---:|"]  # fmt: skip
        rows = [(name, values) for name, values in sorted(self.timings.items())]
        rows.append(("all but login", [v for n, vs in rows if n != "login" for v in vs]))
        for name, values in rows:
            if not values:
                continue
            ordered = sorted(values)
            p50, p95 = _percentiles(ordered)
            lines.append(f"| {name} | {len(values):,} | {p50 * 1000:,.0f} | {p95 * 1000:,.0f} "
                         f"| {ordered[-1] * 1000:,.0f} |")  # fmt: skip
        return "\n".join(lines)


def _percentiles(ordered: list[float]) -> tuple[float, float]:
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def letters(number: int) -> str:
    """``number`` in letters (a, b, ..., ba, ...): a surname word, made of letters as a name
    is, that no other testimony has, so a lookup of it must find one person."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = chr(ord("a") + digit) + word
        if not number:
            return word


class User:
    """One intake volunteer: logs in, then works in rounds until ``stop``."""

    def __init__(
        self, base: str, name: str, password: str, results: Results, seed: int, think: float = 0
    ):
        self.base, self.name, self.password, self.results = base, name, password, results
        #: Mean pause before each page (reading, typing), in seconds; 0 measures capacity.
        self.think = think
        self.number = seed
        self.rng = random.Random(seed)
        self.client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
        self.project = f"/p/{PROJECT}/"
        self.filters: dict[str, list[str]] = {}
        self.pseudonyms: list[str] = []
        self.saved: list[Submission] = []
        self.submissions = 0

    def request(self, endpoint: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if self.think:
            time.sleep(self.rng.uniform(0.5, 1.5) * self.think)
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

    def round(self) -> None:
        self.cases()
        if self.pseudonyms:
            self.request(
                "person", "GET", f"{self.project}people/{self.rng.choice(self.pseudonyms)}/"
            )
        if self.rng.random() < SUBMIT:
            self.submit()
        if self.saved and self.rng.random() < LOOKUP:
            self.look_up(self.rng.choice(self.saved))
        if self.rng.random() < IMPORTS_PAGE:
            self.request("imports page", "GET", f"{self.project}imports/")
        if self.rng.random() < EXPORT_PAGE:
            self.request("export page", "GET", f"{self.project}export/")

    def cases(self) -> None:
        """The case list, filtered by one or two of the filters its form offers."""
        url = f"{self.project}cases/"
        if not self.filters:
            page = self.request("cases", "GET", url).text
            form = page_forms(page, "get")[0]
            self.filters = {name: options(form, name) for name in form["_options"]}
        params: dict[str, str] = {}
        for name in self.rng.sample(sorted(self.filters), self.rng.randint(0, 2)):
            if self.filters[name]:
                params[name] = self.rng.choice(self.filters[name])
        if self.rng.random() < 0.3:
            params["year_from"] = str(self.rng.randint(2016, 2019))
        page = self.request("cases", "GET", url, params=params).text
        self.pseudonyms = PERSON_LINK.findall(page) or self.pseudonyms
        after = next_page_link(page)
        if after and self.rng.random() < NEXT_PAGE:
            following = self.request("cases: next page", "GET", url + after).text
            self.pseudonyms = PERSON_LINK.findall(following) or self.pseudonyms

    def submit(self) -> None:
        """A testimony through the intake form, as a volunteer enters one."""
        self.submissions += 1
        new = f"{self.project}intake/new/"
        page = self.request("intake: form", "GET", new).text
        form = next(f for f in post_forms(page) if "submission" in f)
        given = self.rng.choice(FIRST)
        unique = letters(self.number * 100_000 + self.submissions).title()
        surnames = f"{unique} {self.rng.choice(LAST)}"
        data = form_data(form, **self.person("person", form, given, surnames))
        data.update(self.encounter(0, form))
        family = self.rng.random() < FAMILY
        if family:
            data.update(self.family_member(form, given, surnames))
        encounters = 1
        if self.rng.random() < TWO_ENCOUNTERS:
            added = self.request(
                "intake: add encounter", "POST", new, data={**data, "add_encounter": "1"}
            )
            form = next(f for f in post_forms(added.text) if "submission" in f)
            data = form_data(form, **self.encounter(1, form))
            encounters = 2
        saved = self.save(new, data)
        done = self.request("intake: saved page", "GET", saved).text
        shown = SAVED.search(done)
        if shown is None:
            raise RuntimeError(f"{self.name}: the confirmation page shows no pseudonym")
        submission = Submission(shown.group(1), encounters, int(family), given, surnames)
        again = self.rng.random() < SUBMIT_AGAIN  # a double click, a reload: the same testimony
        if again and self.save(new, data, endpoint="intake: save again") != saved:
            raise RuntimeError(f"{self.name}: a second submit saved another testimony")
        with self.results.lock:
            self.results.acknowledged[data["submission"]] = submission
        self.saved.append(submission)

    def save(self, url: str, data: dict[str, Any], endpoint: str = "intake: save") -> str:
        """Press "Save the testimony"; where possible duplicates are asked about, answer "a new
        person". Returns the confirmation page's URL."""
        answer = self.request(endpoint, "POST", url, data={**data, "save": "1"})
        if answer.status_code == 200 and 'name="same_as"' in answer.text:
            again = {**data, "same_as": "new", "save": "1"}
            answer = self.request(f"{endpoint} (duplicates asked)", "POST", url, data=again)
        location = answer.headers.get("location", "")
        if answer.status_code != 302 or not DONE.search(location):
            raise RuntimeError(f"{self.name}: the testimony was not saved ({answer.status_code})")
        return location

    def person(
        self, prefix: str, form: dict[str, Any], given: str, surnames: str
    ) -> dict[str, Any]:
        pick = self.pick(form)
        return {
            f"{prefix}-given_names": given,
            f"{prefix}-surnames": surnames,
            f"{prefix}-birth_year": str(self.rng.randint(1950, 2005)),
            f"{prefix}-birth_month": self.rng.choice(["", *map(str, range(1, 13))]),
            f"{prefix}-sex": pick(f"{prefix}-sex"),
            f"{prefix}-age_band": pick(f"{prefix}-age_band"),
            f"{prefix}-nationality": pick(f"{prefix}-nationality"),
            f"{prefix}-language": pick(f"{prefix}-language"),
            f"{prefix}-vulnerabilities": self.some(form, f"{prefix}-vulnerabilities", 2),
        }

    def family_member(self, form: dict[str, Any], given: str, surnames: str) -> dict[str, Any]:
        """A relative with the same surnames and another given name (a lookup of the person
        by given name and surname must still find them alone)."""
        other = self.rng.choice([name for name in FIRST if name != given])
        member = self.person("family-0", form, other, surnames)
        member["family-0-relationship"] = self.pick(form)("family-0-relationship")
        if self.rng.random() < 0.5:
            member["family-0-shared_encounters"] = "on"
        return member

    def encounter(self, number: int, form: dict[str, Any]) -> dict[str, Any]:
        prefix, pick = f"encounter-{number}", self.pick(form)
        return {
            f"{prefix}-date_year": str(self.rng.randint(2016, 2019)),
            f"{prefix}-date_month": self.rng.choice(["", *map(str, range(1, 13))]),
            f"{prefix}-port": pick(f"{prefix}-port"),
            f"{prefix}-attempt_number": str(number + 1),
            f"{prefix}-fear_expressed": "yes",
            f"{prefix}-fear_modes": self.some(form, f"{prefix}-fear_modes", 1),
            f"{prefix}-fear_language": pick(f"{prefix}-fear_language"),
            f"{prefix}-tactics": self.some(form, f"{prefix}-tactics", 3),
            f"{prefix}-outcome": pick(f"{prefix}-outcome"),
        }

    def pick(self, form: dict[str, Any]) -> Any:
        def choose(name: str) -> str:
            offered = options(form, name)
            if not offered:
                raise RuntimeError(f"{self.name}: the intake form offers no {name}")
            return self.rng.choice(offered)

        return choose

    def some(self, form: dict[str, Any], name: str, most: int) -> list[str]:
        offered = options(form, name)
        return self.rng.sample(offered, self.rng.randint(0, min(most, len(offered))))

    def look_up(self, submission: Submission) -> None:
        """The exact lookup (given name and surname) of a testimony this user entered: it must
        find that person alone."""
        url = f"{self.project}cases/lookup/"
        form = post_forms(self.request("lookup: form", "GET", url).text)[0]
        typed = form_data(form, given_names=submission.given_names, surnames=submission.surnames)
        found = self.request("lookup", "POST", url, data=typed).text
        persons = pseudonyms_after(found, "<h2>")
        if persons != [submission.pseudonym]:
            raise RuntimeError(f"{self.name}: lookup of {submission.pseudonym} found {persons}")
        with self.results.lock:
            self.results.lookups += 1

    def run(self, stop: float) -> None:
        try:
            self.login()
            while time.monotonic() < stop:
                self.round()
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

    @property
    def server_log(self) -> Path:
        """The server's standard error (a failed request's traceback: synthetic people only)."""
        return self.home.parent / "server.log"

    def server_errors(self) -> list[str]:
        """The exception lines of the server's log (``SomeError: message``)."""
        if not self.server_log.exists():
            return []
        lines = self.server_log.read_text(errors="replace").splitlines()
        return [line for line in lines if re.match(r"^[\w.]+(Error|Exception): ", line)]

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
        with self.server_log.open("wb") as log:  # the server keeps its own descriptor
            self.server = subprocess.Popen(
                [sys.executable, "-m", "testimonio", "serve", "--port", str(self.port),
                 "--threads", str(threads), *processes],
                env=self.env, stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        base = f"http://127.0.0.1:{self.port}"
        # Start-up (Django, the scientific libraries, the heap freeze) took over 2 minutes
        # with the machine's load average at 25.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/login/", timeout=2)
                return base
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()  # never leave a server behind
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

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` read straight from the instance's database (not through the app)."""
        url = self.env.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            import psycopg

            with psycopg.connect(url) as connection:
                return list(connection.execute(sql).fetchall())
        connection = sqlite3.connect(self.home / "db" / "testimonio.sqlite3")
        try:
            return list(connection.execute(sql).fetchall())
        finally:
            connection.close()

    def intakes(self) -> dict[str, tuple[str, int, int]]:
        """Every saved testimony: submission token -> (pseudonym, encounters of its record,
        family members)."""
        rows = self.query(
            "SELECT i.submission, p.pseudonym,"
            " (SELECT COUNT(*) FROM cases_encounter e WHERE e.record_id = i.record_id),"
            " (SELECT COUNT(*) FROM intake_companion c WHERE c.intake_id = i.id)"
            " FROM intake_intake i JOIN cases_person p ON p.id = i.person_id"
        )
        # SQLite keeps a UUID as 32 hex digits, PostgreSQL as a uuid: one spelling for both.
        return {str(uuid.UUID(str(token))): (name, n, f) for token, name, n, f in rows}

    def web_intake_records(self) -> int:
        rows = self.query(
            "SELECT COUNT(*) FROM cases_record r JOIN cases_source s ON s.id = r.source_id"
            " WHERE s.name = 'Web intake'"
        )
        return int(rows[0][0])


def prepare(folder: Path, *, base_rows: int = 600, database_url: str | None = None) -> Instance:
    """A demo instance with ``base_rows`` imported people, for the users to list and open."""
    env = clean_environment(folder / "home")
    env["TESTIMONIO_IMPORT_WORKERS"] = "0"
    env["TESTIMONIO_REVEALS_PER_HOUR"] = LOOKUPS_PER_HOUR
    if database_url:
        env["DATABASE_URL"] = database_url
    instance = Instance(folder / "home", env)
    instance.run("demo", "--skip-world")
    base = folder / "base.csv"
    base.write_text(HEADER + fictitious_rows(base_rows, "B", seed=1), encoding="utf-8")
    instance.run("import", str(base), "--project", PROJECT, "--source", "Base")
    return instance


def load(
    instance: Instance,
    users: int,
    seconds: float,
    *,
    threads: int = 8,
    workers: int | None = None,
    think: float = 0,
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
            threading.Thread(
                target=User(base, name, password, results, seed=n, think=think).run, args=(stop,)
            )
            for n, (name, password) in enumerate(accounts.items())
        ]
        for thread in running:
            thread.start()
        for thread in running:
            thread.join()
        results.server_cpu = instance.cpu_seconds() - started_cpu
    finally:
        instance.stop()
    check_saved(instance, results)
    if results.errors:
        results.errors += [f"server: {line}" for line in instance.server_errors()]
    return results


def check_saved(instance: Instance, results: Results) -> None:
    """Every acknowledged testimony is in the database once, as it was shown; nothing else."""
    found = instance.intakes()
    for token, sent in results.acknowledged.items():
        saved = found.get(token)
        if saved != (sent.pseudonym, sent.encounters, sent.family):
            results.error(f"submission {token}: acknowledged as {sent}, found {saved}")
    for token in set(found) - set(results.acknowledged):
        results.error(f"submission {token}: saved as {found[token][0]}, never acknowledged")
    doubled = [name for name, n in Counter(s[0] for s in found.values()).items() if n > 1]
    if doubled:
        results.error(f"persons saved by more than one submission: {doubled}")
    expected = sum(1 + family for _, _, family in found.values())
    if (records := instance.web_intake_records()) != expected:
        results.error(f"the Web intake source has {records} records, the testimonies {expected}")


__all__ = ["Instance", "Results", "Submission", "check_saved", "load", "prepare"]
