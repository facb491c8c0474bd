"""A server process freezes its start-up heap, so a garbage collection (run after every import
page, and by Python whenever enough objects survive) does not stop every thread for most of a
second (issue 19, "Load"; the figures are in docs/benchmarks/durability.md)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

PROBE = """
import gc, sys
import testimonio.web.wsgi
frozen, left = gc.get_freeze_count(), len(gc.get_objects())
print(frozen, left, int("testimonio.web.imports.views" in sys.modules))
"""


def test_the_wsgi_application_leaves_the_collector_only_what_requests_make(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONIO_")}
    env.pop("DATABASE_URL", None)
    env.update(TESTIMONIO_HOME=str(tmp_path), TESTIMONIO_SECRET_KEY=secrets.token_urlsafe(64))
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    frozen, left, views_loaded = map(int, done.stdout.split())
    # Django and the scientific libraries leave a few hundred thousand objects behind.
    assert frozen > 100_000
    assert left < frozen // 20, "a full collection would still walk the start-up heap"
    assert views_loaded, "views imported after the freeze would be walked by every collection"
