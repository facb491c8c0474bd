"""A logging filter that keeps identity values out of logs.

Identity values never go into our own log calls or exception messages, but third-party code
does not know that: an exception message may quote a value it choked on, and a logged request
line carries its query string. This filter withholds exception messages (the type and the
stack stay, which is what a developer needs) and query strings from every record it sees.
"""

from __future__ import annotations

import logging
import re
import traceback

_QUERY = re.compile(r"(\?[^\s\"']*)")


class WithholdIdentity(logging.Filter):
    """Rewrite a record so that no free text from users or data reaches the handlers."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _QUERY.sub("?<withheld>", record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _traceback_without_message(record.exc_info[1])
            record.exc_info = None
        return True


def _traceback_without_message(error: BaseException) -> str:
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"Traceback (most recent call last):\n{frames}{type(error).__qualname__}: <withheld>"
