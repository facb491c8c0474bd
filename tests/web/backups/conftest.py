"""Scratch PostgreSQL databases for the backup tests (make test's PostgreSQL pass)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

DATABASE_URL = os.environ.get("DATABASE_URL", "")

#: These tests run when DATABASE_URL names a PostgreSQL server (the PostgreSQL pass).
requires_postgres = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="runs in make test's PostgreSQL pass"
)


@pytest.fixture
def scratch_databases() -> Iterator[Callable[..., str]]:
    """Make empty databases on DATABASE_URL's server (dropped afterwards); fail if it is down."""
    import psycopg

    server = urlsplit(DATABASE_URL)
    admin = psycopg.connect(
        urlunsplit(server._replace(path="/postgres")), autocommit=True, connect_timeout=5
    )
    made: list[str] = []

    def make(*settings: str) -> str:
        name = f"testimonio_backup_{uuid.uuid4().hex[:10]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        for setting in settings:
            admin.execute(f'ALTER DATABASE "{name}" SET {setting}')
        made.append(name)
        return urlunsplit(server._replace(path=f"/{name}"))

    yield make
    for name in made:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()
