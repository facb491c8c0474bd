"""`testimonio serve` runs one waitress process per core on one socket (issue 19, "Load": one
process uses one core whatever its threads); a worker that dies is replaced, and stopping the
server leaves none behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.cli.crash import clean_environment, descendants, running
from tests.web.load.driver import free_port


def _answers(base: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            return httpx.get(f"{base}/login/", timeout=5).status_code == 200
        except httpx.TransportError:
            time.sleep(0.2)
    return False


def _workers(pid: int, count: int, deadline: float, *, gone: int = 0) -> list[int]:
    """The server's running workers once there are ``count`` of them, ``gone`` not among them."""
    while time.monotonic() < deadline:
        alive = running(descendants(pid))
        if len(alive) == count and gone not in alive:
            return alive
        time.sleep(0.2)
    return running(descendants(pid))


def test_two_workers_answer_one_replaces_a_dead_one_and_none_outlives_the_server(
    tmp_path: Path,
) -> None:
    env = clean_environment(tmp_path / "home")
    init = subprocess.run([sys.executable, "-m", "testimonio", "init"], env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert init.returncode == 0, init.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "testimonio", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert _answers(base, time.monotonic() + 300)  # start-up on a loaded machine
        first = _workers(server.pid, 2, time.monotonic() + 30)
        assert len(first) == 2, first
        time.sleep(6)  # past the start-up grace, after which a dead worker is replaced
        os.kill(first[0], signal.SIGKILL)
        again = _workers(server.pid, 2, time.monotonic() + 60, gone=first[0])
        assert len(again) == 2 and first[0] not in again, again
        assert all(_answers(base, time.monotonic() + 30) for _ in range(6))
    finally:
        server.terminate()
        code = server.wait(timeout=60)
    assert code == 0, "the server did not stop cleanly on SIGTERM"
    assert not running(first + again), "a worker outlived the server"
