"""The child process of a web import step: ``python -m testimonio.web.imports.child_main PID``.

Reads the step (the server's database settings, the step's name and arguments) pickled on
standard input, sets Django up, runs the step on its own database connection and writes its
reply pickled on standard output: ``("ok", result)``, ``("refused", message)`` for a
:class:`~testimonio.errors.TestimonioError`, or ``("failed", type name)`` for anything else
(never the exception's text: it may quote a cell). See :mod:`testimonio.web.imports.child`.

Only the standard library is imported before Django is set up, since the steps' modules load
models.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

_PR_SET_PDEATHSIG = 1


def _die_with(server: int) -> None:
    """On Linux, have the kernel kill this child when the server process dies (a child left
    behind would hold the file's rows); the check after it catches a server already gone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != server:
        os._exit(1)


def _run(
    database: dict[str, Any], name: str, args: tuple[Any, ...], language: str | None
) -> tuple[Any, ...]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testimonio.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    # The server's database, as the server uses it (a test run's test database included).
    settings.DATABASES["default"].update(database)
    connections["default"].settings_dict.update(database)

    from django.utils import translation

    from testimonio.web.imports.steps import STEPS

    if language:
        translation.activate(language)

    try:
        return reply_of(STEPS[name], args)
    finally:
        connections.close_all()


def reply_of(step: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Run ``step``: ``("ok", result)``, ``("refused", message)`` for a TestimonioError,
    else ``("failed", type name)`` (never the text: an exception's message may quote a cell)."""
    from testimonio.errors import TestimonioError

    try:
        return ("ok", step(*args))
    except TestimonioError as error:
        return ("refused", str(error))
    except Exception as error:  # noqa: BLE001 - by type only: a message may quote a cell
        return ("failed", type(error).__name__)


def main() -> None:
    _die_with(int(sys.argv[1]))
    reply_to = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to standard error, not into the reply
    database, name, args, language = pickle.load(sys.stdin.buffer)  # noqa: S301 - our server's
    try:
        data = pickle.dumps(_run(database, name, args, language), pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # noqa: BLE001 - a result that does not pickle: a bug, by type
        data = pickle.dumps(("failed", type(error).__name__))
    reply_to.write(data)
    reply_to.close()


if __name__ == "__main__":
    main()
