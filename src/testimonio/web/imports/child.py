"""Run a memory-heavy step of the web import in a child process, so the server keeps none of it.

Why: a server process lives on after the import it ran, and the C allocator keeps the heap an
import freed (issue 13, finding 7: a 100,000-row import left the server 33 MB larger even
after ``malloc_trim``, and a 460,000-row workbook took its peak to about 520 MB). A child
reads the file, validates it and imports it, and its memory goes back to the system when it
exits: the server's memory is where it was, and its peak no longer grows with the file.

Why a spawned ``python -m`` child, not a fork: the server may run threads (a fork copies
their locks held), and a forked child would share the server's database connections (one
socket or SQLite file handle used by two processes corrupts both). The child starts a fresh
interpreter, sets Django up from the same environment, opens its own connection to the very
database the server uses (its settings are sent, not read from the environment, so a test
database is the child's too), runs one step of :mod:`~testimonio.web.imports.steps` and
sends back what the page shows. Its start-up costs about a CPU second per step
(docs/benchmarks/import.md).

What must always hold:

* A step's writes are its own transaction in the child: a child that fails, times out or is
  killed (``SIGKILL`` included) never commits, so nothing is half-written; the page says the
  step stopped, and the child is always waited for (no zombie).
* Only a :class:`~testimonio.errors.TestimonioError`'s message (which names file, row and
  column, never a value) comes back from the child; any other failure comes back as its type
  alone, since an exception's text may quote a cell. The child's standard error is the
  server's (its logs), so nothing else of a step's failure is printed there.
* Inside a transaction (a test's, or a caller's ``atomic`` block), or on an in-memory SQLite
  database, a child could not see what the caller has not committed: the step runs in this
  process instead, as it did before, with the same result.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import subprocess
import sys
from typing import Any

from django.db import connection
from django.utils.translation import get_language, gettext

from testimonio.errors import TestimonioError
from testimonio.web.imports.steps import STEPS

__all__ = ["STEP_TIMEOUT_S", "ImportStepFailed", "ImportStepRefused", "run_step", "runs_in_child"]

#: How long a step may run in its child before it is killed (the largest file inside the
#: limits imports in a few minutes on a loaded machine).
STEP_TIMEOUT_S = 3600

_LOG = logging.getLogger(__name__)
_CHILD_MODULE = "testimonio.web.imports.child_main"


class ImportStepRefused(TestimonioError):
    """The step refused the input (the child's TestimonioError, by its message)."""


class ImportStepFailed(TestimonioError):
    """The child failed, was killed or ran out of time; nothing it did was committed."""


def runs_in_child() -> bool:
    """Whether a step runs in a child here: not inside a transaction (the child could not see
    its uncommitted rows, nor join it) and not on an in-memory SQLite database."""
    if connection.in_atomic_block:
        return False
    # is_in_memory_db is the SQLite backend's own (not on the base class the stubs know).
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())  # type: ignore[attr-defined]


def run_step(name: str, *args: Any) -> Any:
    """Run the step ``name`` of :data:`~testimonio.web.imports.steps.STEPS` with ``args``
    in a child process (see :func:`runs_in_child`) and return its result."""
    step = STEPS[name]
    if not runs_in_child():
        return step(*args)
    reply = _in_child(name, args)
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "refused":
        raise ImportStepRefused(reply[1])
    _LOG.warning("an import step (%s) failed in its child: %s", name, reply[1])
    raise ImportStepFailed(
        gettext("The import step failed (%(kind)s); nothing was written.") % {"kind": reply[1]}
    )


def _in_child(name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Start the child, send it the step, wait for its reply and reap it, whatever happens."""
    # The page's language goes along, so what the step says (refusals, form errors) is in it.
    request = pickle.dumps(
        (dict(connection.settings_dict), name, args, get_language()), pickle.HIGHEST_PROTOCOL
    )
    command = [sys.executable, "-m", _CHILD_MODULE, str(os.getpid())]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # noqa: S603
    try:
        output, _ = process.communicate(request, timeout=STEP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise ImportStepFailed(
            gettext(
                "The import step took longer than %(seconds)s seconds and was stopped; "
                "nothing was written."
            )
            % {"seconds": STEP_TIMEOUT_S}
        ) from None
    finally:
        if process.poll() is None:  # this thread was interrupted: never leave the child behind
            process.kill()
            process.wait()
    if process.returncode != 0 or not output:
        raise ImportStepFailed(
            gettext("The import step stopped unexpectedly (%(how)s); nothing was written.")
            % {"how": _how_it_ended(process.returncode)}
        )
    reply: tuple[Any, ...] = pickle.loads(output)  # noqa: S301 - our own child's reply
    return reply


def _how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            return gettext("killed by %(signal)s") % {"signal": signal.Signals(-returncode).name}
        except ValueError:
            return gettext("killed by signal %(number)s") % {"number": -returncode}
    return gettext("exit code %(code)s") % {"code": returncode}
