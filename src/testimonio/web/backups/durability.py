"""Committed means on disk: a PostgreSQL server that may lose commits is refused at connect time.

With ``fsync=off`` a crash can corrupt the whole cluster; with ``synchronous_commit=off`` the
last moments of acknowledged intakes vanish on a crash. Either way a paralegal would be told a
testimony was saved when it was not, so the first connection each process opens checks both
and stops with a message saying what to change. (SQLite's side is in settings: WAL,
synchronous=FULL, a busy timeout and IMMEDIATE transactions.)
"""

from __future__ import annotations

from typing import Any

from testimonio.errors import ConfigurationError

_checked: set[str] = set()


def unsafe_settings(fsync: str, synchronous_commit: str) -> list[str]:
    """The durability settings that are off, as ``name=value`` (empty when safe)."""
    found = {
        "fsync": fsync.strip().lower(),
        "synchronous_commit": synchronous_commit.strip().lower(),
    }
    return [f"{name}={value}" for name, value in found.items() if value in {"off", "false", "0"}]


def refuse_unsafe_postgres(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: raise ConfigurationError when durability is off."""
    if connection.vendor != "postgresql" or connection.alias in _checked:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('fsync'), current_setting('synchronous_commit')")
        fsync, synchronous_commit = cursor.fetchone()
    unsafe = unsafe_settings(str(fsync), str(synchronous_commit))
    if unsafe:
        connection.close()
        raise ConfigurationError(
            f"PostgreSQL runs with {' and '.join(unsafe)}: committed testimonies could be lost "
            "in a crash. Set fsync=on and synchronous_commit=on (postgresql.conf, or ALTER "
            "DATABASE/ROLE ... RESET synchronous_commit) and restart."
        )
    _checked.add(connection.alias)
