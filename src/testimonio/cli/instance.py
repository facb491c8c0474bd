"""``testimonio init`` and ``testimonio serve``: set up an instance and run its web app."""

from __future__ import annotations

import os
from pathlib import Path

import click

from testimonio.config import Config, load_config, master_key_source
from testimonio.crypto import generate_audit_key, generate_master_key, generate_signing_key
from testimonio.errors import ConfigurationError

#: Where an operator whose key file is gone is sent (docs/security.md, "Lost or missing keys").
RECOVERY_HINT = (
    'restore the key file from its backup (see docs/security.md, "Lost or missing keys")'
)


@click.command()
@click.option(
    "--admin",
    "admin_name",
    default="admin",
    show_default=True,
    help="User name of the first administrator.",
)
def init(admin_name: str) -> None:
    """Create the instance: home folder, secret, master and audit keys, database, first admin.

    Safe to run again: existing keys and users are kept. On an instance from before audit
    keys it creates the audit key and seals the existing audit log, so later events are keyed.
    The first administrator's password and one-time enrolment code (to set up the second
    factor after the first login) are generated and shown once; `testimonio users invite`
    makes a new code.
    """
    config = load_config()
    new_audit_key = prepare_home(config)
    migrate_database()
    sealed = seal_audit_log() if new_audit_key else None
    first = ensure_first_admin(admin_name)
    click.echo(f"Instance folder: {config.home}")
    click.echo(f"Database: {describe_database(config)}")
    if sealed is not None:
        click.echo(f"Audit log: {sealed} earlier events sealed; new events are keyed.")
    if first:
        password, code = first
        click.echo(f"First administrator: {admin_name}   password: {password}")
        click.echo(f"Enrolment code for the second factor: {code}   (valid 72 hours, once)")
        click.echo("The password and code are shown only once.")
    click.echo("Next: `testimonio vocab load`, then `testimonio serve`.")


@click.command()
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="TCP port on 127.0.0.1.",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per process.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes on one port (try one per CPU core): a page is Python work, and "
    "one process uses one core whatever its threads.",
)
def serve(port: int, threads: int, workers: int) -> None:
    """Run the web app on http://127.0.0.1:PORT/ (this machine only).

    With --workers N, N server processes of --threads threads each share the port; a
    process that dies is replaced, and Ctrl+C or SIGTERM stops them all.

    To reach it from other machines, put an HTTPS reverse proxy in front and set
    TESTIMONIO_ALLOWED_HOSTS and TESTIMONIO_SECURE=true.
    """
    from testimonio.web.setup import setup_django

    setup_django()
    import waitress

    from testimonio.web.wsgi import application

    # Behind the HTTPS proxy every request comes from 127.0.0.1: take the client's address
    # from the proxy's X-Forwarded-For, so lockouts per address count the real client.
    proxy = (
        {
            "trusted_proxy": "127.0.0.1",
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        }
        if load_config().secure
        else {}
    )
    processes = workers
    click.echo(f"Testimonio is at http://127.0.0.1:{port}/  (Ctrl+C to stop)")
    if processes == 1:
        waitress.serve(application, host="127.0.0.1", port=port, threads=threads, _quiet=True,
                       **proxy)  # fmt: skip
        return
    from testimonio.cli.serving import serve_in_processes

    serve_in_processes(application, port=port, workers=processes, threads=threads, options=proxy)


def prepare_home(config: Config) -> bool:
    """Create the home folder and its secrets (private to this user), keeping existing ones;
    returns whether a new audit key was made."""
    config.home.mkdir(parents=True, exist_ok=True, mode=0o700)
    for folder in (config.documents_dir, config.erasure_ledger_file.parent):
        folder.mkdir(exist_ok=True, mode=0o700)
    _prepare_sqlite_file(config)
    _write_secret_once(config.secret_key_file, generate_master_key() + generate_master_key())
    source = master_key_source()
    if source.encoded is None and not source.file_named and not config.master_key_file.exists():
        _refuse_if_sealed(config.master_key_file, "master", _count_wrapped_data_keys())
        config.master_key_file.parent.mkdir(exist_ok=True, mode=0o700)
        _write_secret_once(config.master_key_file, generate_master_key())
    return _prepare_audit_keys(config)


def _prepare_sqlite_file(config: Config) -> None:
    """Create the SQLite file private (0600) before SQLite would create it 0644, in its own
    folder (0700); tighten an existing one. SQLite gives its -wal and -shm files the mode of
    the database file."""
    path = config.sqlite_file
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for member in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if member.exists():
            member.chmod(0o600)


def _refuse_if_sealed(path: Path, which: str, sealed: str | None) -> None:
    """A new key over data sealed under a lost one would split the instance in two (new data
    under the new key, old data keys unreadable): refuse, and say how to recover."""
    if sealed:
        raise ConfigurationError(
            f"The {which} key file {path} is missing but the database holds {sealed} under "
            f"the lost key, so no new key was made: {RECOVERY_HINT}."
        )


def _count_wrapped_data_keys() -> str | None:
    """Data keys still wrapped by a master key, in a database that already exists (None: no
    such data, or no database yet)."""
    if not _database_has_table("cases_datakey"):
        return None
    from testimonio.web.keys.models import DataKey

    count = DataKey.objects.filter(wrapped__isnull=False).count()
    return f"{count} data keys wrapped" if count else None


def _count_keyed_audit_events() -> str | None:
    """Whether the audit chain is already keyed (None: not yet, or no database yet)."""
    if not _database_has_table("audit_audithead"):
        return None
    from testimonio.web.audit.models import AuditHead

    head = AuditHead.objects.filter(pk=1, keyed_from__isnull=False).first()
    return None if head is None else f"an audit chain keyed up to event #{head.last_sequence}"


def _database_has_table(table: str) -> bool:
    from testimonio.web.setup import setup_django

    setup_django()
    from django.db import connection

    return table in connection.introspection.table_names()


def _prepare_audit_keys(config: Config) -> bool:
    """The audit key and checkpoint signing key, where no setting names others."""
    created = False
    if not {"TESTIMONIO_AUDIT_KEY", "TESTIMONIO_AUDIT_KEY_FILE"} & os.environ.keys():
        if not config.audit_key_file.exists():
            _refuse_if_sealed(config.audit_key_file, "audit", _count_keyed_audit_events())
        config.audit_key_file.parent.mkdir(exist_ok=True, mode=0o700)
        created = _write_secret_once(config.audit_key_file, generate_audit_key())
    signing = {"TESTIMONIO_AUDIT_SIGNING_KEY", "TESTIMONIO_AUDIT_SIGNING_KEY_FILE"}
    if not signing & os.environ.keys():
        config.audit_signing_key_file.parent.mkdir(exist_ok=True, mode=0o700)
        _write_secret_once(config.audit_signing_key_file, generate_signing_key())
    return created


def seal_audit_log() -> int | None:
    """Seal an audit log written before audit keys (only when its key was just made: a
    missing seal with an existing key means tampering, not an upgrade)."""
    from testimonio.web.audit.verification import seal_legacy_chain

    return seal_legacy_chain()


def migrate_database() -> None:
    """Create or upgrade the database tables."""
    from testimonio.web.setup import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def ensure_first_admin(username: str) -> tuple[str, str] | None:
    """Create the first superuser if there is none; return its password and a one-time
    enrolment code for its second factor (else None). Without the code, whoever first
    learned the password could set up their own authenticator for the account."""
    from datetime import timedelta

    from django.contrib.auth.models import User

    from testimonio.web.accounts.actions import do_create_user, do_invite_user

    if User.objects.filter(is_superuser=True).exists():
        return None
    user, password = do_create_user(username, None, is_superuser=True)
    return password, do_invite_user(user, None, valid_for=timedelta(hours=72))


def describe_database(config: Config) -> str:
    if config.is_sqlite:
        return config.database_url.removeprefix("sqlite:///")
    return config.database_url.split("@")[-1]


def _write_secret_once(path: Path, value: str) -> bool:
    if path.exists():
        return False
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return True
