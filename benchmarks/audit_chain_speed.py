"""Audit chain speed: the bulk path's cost per event with the keyed chain, against plain SHA-256.

An import appends one audit event per record through :class:`EventChain` (in worker processes
too), so the audit key must not make that path slower to a degree anyone would notice. This
times :meth:`EventChain.rows` (canonical JSON, sequence numbers, hashes, the rows as written)
for 100,000 events of an import's shape, alternating in the same run:

* ``sha256``: the chain as it was before audit keys (plain SHA-256 of the same text);
* ``hmac, keyed once``: what the chain does (HMAC-SHA256, the keyed state copied per event);
* ``hmac, keyed per event``: ``hmac.new(key, text, "sha256")`` for each event, and
  ``hmac.digest``: the obvious alternatives.

No database is opened. Prints a Markdown table (the fastest and the median of the runs: on a
shared machine the fastest is the better estimate of the work itself) with the 1-minute load
average before and after.

    .venv/bin/python benchmarks/audit_chain_speed.py [--events 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("TESTIMONIO_HOME", tempfile.mkdtemp(prefix="testimonio-bench-"))
os.environ.setdefault("TESTIMONIO_SECRET_KEY", secrets.token_urlsafe(50))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()

    from testimonio.web.setup import setup_django

    setup_django()
    from django.utils import timezone

    from testimonio.crypto.hash_chain import AuditKey
    from testimonio.web.audit.log import EventChain, PendingEvent, TargetRef
    from testimonio.web.audit.models import AuditHead

    material = secrets.token_bytes(32)
    pending = [
        PendingEvent(
            "cases.record.import",
            TargetRef("cases.record", n),
            7,
            {"person": f"P-{n:06d}", "source": 3, "row": n + 2, "fields": ["given_names"]},
        )
        for n in range(arguments.events)
    ]
    ids = list(range(1, arguments.events + 1))
    hashers: dict[str, Callable[[str], str] | None] = {
        "sha256 (before audit keys)": lambda text: hashlib.sha256(text.encode()).hexdigest(),
        "hmac, keyed once (the chain)": None,
        "hmac, keyed per event": lambda text: hmac.new(
            material, text.encode(), "sha256"
        ).hexdigest(),
        "hmac.digest per event": lambda text: hmac.digest(material, text.encode(), "sha256").hex(),
    }
    timings: dict[str, list[float]] = {name: [] for name in hashers}
    load_before = os.getloadavg()[0]
    for _ in range(arguments.repeat):
        for name, hasher in hashers.items():
            head = AuditHead(last_sequence=0, last_hash="0" * 64)
            chain = EventChain(None, head, timezone.now(), True, AuditKey(material))
            if hasher is not None:
                chain.canonical.hash_text = hasher
            encoded = chain.encode(pending)
            started = time.perf_counter()
            chain.rows(pending, ids, encoded)
            timings[name].append(time.perf_counter() - started)
    load_after = os.getloadavg()[0]
    print("| hashing | events | fastest / median (s) | µs per event (fastest) | load |")
    print("|---|---:|---:|---:|---:|")
    for name, values in timings.items():
        fastest = min(values)
        print(
            f"| {name} | {arguments.events:,} | {fastest:.3f} / {statistics.median(values):.3f} | "
            f"{fastest / arguments.events * 1e6:.2f} | {load_before:.1f}-{load_after:.1f} |"
        )


if __name__ == "__main__":
    main()
