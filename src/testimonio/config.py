"""Typed settings read from the environment, in one place, failing loudly.

Every setting Testimonio reads is declared in :data:`SETTINGS` with its variable, default and
help text; ``docs/configuration.md`` documents each of them (a test keeps the two in step).
A malformed value stops start-up with a :class:`~testimonio.errors.ConfigurationError` that
says which variable to set and what it expects.

Secrets (the Django secret key, the master key) are read from the environment or from a file
named by ``<NAME>_FILE``, never from the repository or the database. This module does not
import Django: the core and the command line use it too.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from testimonio.errors import ConfigurationError

__all__ = [
    "Config",
    "MasterKeySource",
    "SETTINGS",
    "Setting",
    "load_config",
    "master_key_source",
    "read_backup_recipients",
    "read_secret",
    "refuse_open_permissions",
]


@dataclass(frozen=True)
class Setting:
    """One environment variable Testimonio reads."""

    variable: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("TESTIMONIO_HOME", "~/.testimonio", "Instance folder: database, keys, uploaded files."),
    Setting(
        "DATABASE_URL",
        "sqlite:///$TESTIMONIO_HOME/db/testimonio.sqlite3",
        "Database to use, e.g. postgres://user@host:5432/name. SQLite runs in WAL mode with "
        "synchronous=FULL. `testimonio init` creates the SQLite file with mode 0600 in db/ "
        "(mode 0700); an instance from before keeps $TESTIMONIO_HOME/testimonio.sqlite3.",
    ),
    Setting(
        "TESTIMONIO_SECRET_KEY",
        "(read from TESTIMONIO_SECRET_KEY_FILE)",
        "Django secret key (sessions, CSRF). Prefer TESTIMONIO_SECRET_KEY_FILE.",
    ),
    Setting(
        "TESTIMONIO_SECRET_KEY_FILE",
        "$TESTIMONIO_HOME/secret_key",
        "File holding the Django secret key; `testimonio init` creates it.",
    ),
    Setting(
        "TESTIMONIO_MASTER_KEY",
        "(read from TESTIMONIO_MASTER_KEY_FILE)",
        "Base64 of the 32-byte master key that protects identity fields. Prefer the _FILE form.",
    ),
    Setting(
        "TESTIMONIO_MASTER_KEY_FILE",
        "$TESTIMONIO_HOME/keys/master.key",
        "File holding the master key; keep it off the database's disk and out of its backups.",
    ),
    Setting(
        "TESTIMONIO_MASTER_PASSPHRASE",
        "(none)",
        "Instead of a key file: a passphrase (16+ characters) stretched with Argon2id into the "
        "master key. Also TESTIMONIO_MASTER_PASSPHRASE_FILE.",
    ),
    Setting(
        "TESTIMONIO_AUDIT_KEY",
        "(read from TESTIMONIO_AUDIT_KEY_FILE)",
        "Base64 of the 32-byte key that chains the audit log (HMAC-SHA256). Prefer the _FILE form.",
    ),
    Setting(
        "TESTIMONIO_AUDIT_KEY_FILE",
        "$TESTIMONIO_HOME/keys/audit.key",
        "File holding the audit key; `testimonio init` creates it. Keep it out of the database.",
    ),
    Setting(
        "TESTIMONIO_AUDIT_SIGNING_KEY_FILE",
        "$TESTIMONIO_HOME/keys/audit-signing.key",
        "Ed25519 key that signs `testimonio audit checkpoint`; `testimonio init` creates it. "
        "Also TESTIMONIO_AUDIT_SIGNING_KEY.",
    ),
    Setting("TESTIMONIO_DEBUG", "false", "Django debug mode: never on a server with real data."),
    Setting(
        "TESTIMONIO_ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "Comma-separated host names the web app answers to.",
    ),
    Setting(
        "TESTIMONIO_MAX_UPLOAD_MB",
        "50",
        "Largest file (in MB) the web app and `testimonio import` accept; larger uploads are "
        "refused, never spooled.",
    ),
    Setting(
        "TESTIMONIO_IMPORT_WORKERS",
        "(one per CPU, at most 4; none with one CPU)",
        "Worker processes that build an import's records on SQLite while the importing process "
        "writes them; 0 builds them in the importing process.",
    ),
    Setting(
        "TESTIMONIO_BACKUP_RECIPIENT",
        "(read from TESTIMONIO_BACKUP_RECIPIENT_FILE)",
        "Public age key (age1...) `testimonio backup` encrypts to; its private half stays off "
        "the server, so the server cannot read its own old backups.",
    ),
    Setting(
        "TESTIMONIO_BACKUP_RECIPIENT_FILE",
        "$TESTIMONIO_HOME/backup-recipient.txt",
        "File holding the backup recipient (one age1... public key per line).",
    ),
    Setting(
        "TESTIMONIO_ALLOW_OPEN_PERMISSIONS",
        "false",
        "true lets the web app start although a key file or the database is readable by group "
        "or others (it then warns); by default it refuses.",
    ),
    Setting(
        "TESTIMONIO_IDENTITY_EXPORT_CAP",
        "500",
        "Most records whose identities one web export may carry (attorneys and administrators "
        "only); a larger export is refused on the web and is the operator's, with "
        "`testimonio export --with-identities --reason`.",
    ),
    Setting(
        "TESTIMONIO_REVEALS_PER_HOUR",
        "60",
        "Most records' identities one member may reveal one by one (person page, linkage "
        "review) in one project within an hour; beyond it a reveal is refused and audited.",
    ),
    Setting(
        "TESTIMONIO_INTAKE_DRAFT_DAYS",
        "14",
        "Days an unfinished intake form (a sealed draft) is kept after its last save; "
        "`testimonio intake purge-drafts` (and the intake pages) delete older ones.",
    ),
    Setting(
        "TESTIMONIO_EMAIL_HOST",
        "(none: no e-mail)",
        "SMTP server (host or host:port; port 587 uses STARTTLS) through which a project's "
        "administrators are told of each export with identities; the notice on their members "
        "page is shown either way.",
    ),
    Setting(
        "TESTIMONIO_PDF_SIGNING_KEY",
        "(none: the packet is not signed)",
        "Private key that signs the evidence packet's PDF (a copy, evidence-packet.signed.pdf): "
        "a PEM key with TESTIMONIO_PDF_SIGNING_CERT, or a PKCS#12 file (.p12/.pfx) holding "
        "key and certificate. Needs the `sign` extra (pyHanko).",
    ),
    Setting(
        "TESTIMONIO_PDF_SIGNING_CERT",
        "(none: with a PEM key, required)",
        "PEM certificate of the PDF signing key (not needed with a PKCS#12 file).",
    ),
    Setting(
        "TESTIMONIO_PDF_SIGNING_PASSPHRASE",
        "(none)",
        "Passphrase of the PDF signing key, if it has one.",
    ),
    Setting(
        "TESTIMONIO_SECURE",
        "false",
        "true behind HTTPS: secure cookies, HSTS and redirect to HTTPS.",
    ),
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Config:
    """The settings in force, parsed and checked."""

    home: Path
    database_url: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    secure: bool
    max_upload_mb: int = 50
    #: None: as many as :func:`testimonio.web.imports.workers.default_workers` says.
    import_workers: int | None = None
    identity_export_cap: int = 500
    reveals_per_hour: int = 60
    intake_draft_days: int = 14
    email_host: str = ""
    pdf_signing_key: Path | None = None
    pdf_signing_cert: Path | None = None
    pdf_signing_passphrase: str = ""

    @property
    def secret_key_file(self) -> Path:
        return self.home / "secret_key"

    @property
    def master_key_file(self) -> Path:
        return self.home / "keys" / "master.key"

    @property
    def audit_key_file(self) -> Path:
        return self.home / "keys" / "audit.key"

    @property
    def audit_signing_key_file(self) -> Path:
        return self.home / "keys" / "audit-signing.key"

    @property
    def erasure_ledger_file(self) -> Path:
        """``ledger/erasures.ledger``, or the file in the home folder an older instance wrote
        (kept there, so no restore script loses it)."""
        current, legacy = self.home / "ledger" / "erasures.ledger", self.home / "erasures.ledger"
        return legacy if legacy.exists() and not current.exists() else current

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database file (None on PostgreSQL or an in-memory database)."""
        path = self.database_url.removeprefix("sqlite:///")
        return None if not self.is_sqlite or path in {"", ":memory:"} else Path(path)

    @property
    def documents_dir(self) -> Path:
        return self.home / "documents"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")


def load_config(environ: Mapping[str, str] | None = None) -> Config:
    """Read and check every setting; raise ConfigurationError naming the variable at fault."""
    env = os.environ if environ is None else environ
    home = _read_home(env)
    return Config(
        home=home,
        database_url=_read_database_url(env, home),
        debug=_read_bool(env, "TESTIMONIO_DEBUG", default=False),
        allowed_hosts=_read_list(env, "TESTIMONIO_ALLOWED_HOSTS", "127.0.0.1,localhost"),
        secure=_read_bool(env, "TESTIMONIO_SECURE", default=False),
        max_upload_mb=_read_int(env, "TESTIMONIO_MAX_UPLOAD_MB", default=50, minimum=1),
        import_workers=_read_optional_int(env, "TESTIMONIO_IMPORT_WORKERS", minimum=0),
        identity_export_cap=_read_int(
            env, "TESTIMONIO_IDENTITY_EXPORT_CAP", default=500, minimum=0
        ),
        reveals_per_hour=_read_int(env, "TESTIMONIO_REVEALS_PER_HOUR", default=60, minimum=1),
        intake_draft_days=_read_int(env, "TESTIMONIO_INTAKE_DRAFT_DAYS", default=14, minimum=1),
        email_host=env.get("TESTIMONIO_EMAIL_HOST", "").strip(),
        pdf_signing_key=_read_path(env, "TESTIMONIO_PDF_SIGNING_KEY"),
        pdf_signing_cert=_read_path(env, "TESTIMONIO_PDF_SIGNING_CERT"),
        pdf_signing_passphrase=env.get("TESTIMONIO_PDF_SIGNING_PASSPHRASE", ""),
    )


def _read_path(env: Mapping[str, str], name: str) -> Path | None:
    value = env.get(name, "").strip()
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class MasterKeySource:
    """Where the instance's master key comes from, decided here and nowhere else.

    The key ring, master-key rotation and ``testimonio init`` all ask this, so they cannot
    disagree about which file holds the key or whether it may be replaced.
    """

    #: The key file: TESTIMONIO_MASTER_KEY_FILE, else ``$TESTIMONIO_HOME/keys/master.key``.
    #: Keys being rotated in (``.new``) and retired (``*.retired``) lie beside it.
    file: Path
    #: TESTIMONIO_MASTER_KEY_FILE names the file (``testimonio init`` then creates none).
    file_named: bool
    #: TESTIMONIO_MASTER_KEY holds the key itself (base64).
    encoded: str | None
    #: TESTIMONIO_MASTER_PASSPHRASE(_FILE): the key is stretched from it, unless ``encoded``.
    passphrase: str | None

    @property
    def in_file(self) -> bool:
        """The key is read from :attr:`file`, so a rotation can write its successor there."""
        return self.encoded is None and self.passphrase is None

    def read_encoded(self) -> str:
        """The key's base64 text (environment, else file); raises naming what to set."""
        named = {"TESTIMONIO_MASTER_KEY_FILE": str(self.file)} if self.file_named else {}
        encoded = self.encoded or read_secret("TESTIMONIO_MASTER_KEY", self.file, named)
        if encoded is None:
            raise ConfigurationError(
                "No master key: identity data cannot be read or written. "
                "If this instance holds data, restore the key file from its backup (see "
                'docs/security.md, "Lost or missing keys"); `testimonio init` makes a key only '
                "for an instance with no sealed data. Or set TESTIMONIO_MASTER_KEY_FILE (or "
                "TESTIMONIO_MASTER_PASSPHRASE)."
            )
        return encoded


def master_key_source(environ: Mapping[str, str] | None = None) -> MasterKeySource:
    """Read where the master key comes from; a named file that is missing is an error only
    when the key is read (``testimonio init`` creates the default one)."""
    env = os.environ if environ is None else environ
    home = _read_home(env)
    named = env.get("TESTIMONIO_MASTER_KEY_FILE")
    return MasterKeySource(
        file=Path(named).expanduser() if named else home / "keys" / "master.key",
        file_named=bool(named),
        encoded=env.get("TESTIMONIO_MASTER_KEY", "").strip() or None,
        passphrase=read_secret("TESTIMONIO_MASTER_PASSPHRASE", home / "no-default", env),
    )


def refuse_open_permissions(config: Config, environ: Mapping[str, str] | None = None) -> None:
    """Stop the web app when a key file or the SQLite database can be read or written by
    group or others: one `cp` or umask away from every identity. Warns instead when
    TESTIMONIO_ALLOW_OPEN_PERMISSIONS is true (a deliberate choice, e.g. group-shared keys)."""
    env = os.environ if environ is None else environ
    open_files = [
        f"{path} ({oct(path.stat().st_mode & 0o777)})"
        for path in _protected_files(config, env)
        if path.exists() and path.stat().st_mode & 0o077
    ]
    if not open_files:
        return
    message = (
        f"{', '.join(open_files)} can be read by group or others: run `chmod 600` on them (and "
        "`chmod 700` on their folders), or set TESTIMONIO_ALLOW_OPEN_PERMISSIONS=true."
    )
    if not _read_bool(env, "TESTIMONIO_ALLOW_OPEN_PERMISSIONS", default=False):
        raise ConfigurationError(message)
    warnings.warn(message, UserWarning, stacklevel=2)


def _protected_files(config: Config, env: Mapping[str, str]) -> list[Path]:
    """The key files in use (named by a setting or at their default place) and the database."""
    files = [master_key_source(env).file]
    for name, default in (
        ("TESTIMONIO_SECRET_KEY", config.secret_key_file),
        ("TESTIMONIO_AUDIT_KEY", config.audit_key_file),
        ("TESTIMONIO_AUDIT_SIGNING_KEY", config.audit_signing_key_file),
    ):
        named = env.get(f"{name}_FILE")
        files.append(Path(named).expanduser() if named else default)
    if config.sqlite_file is not None:
        database = config.sqlite_file
        files += [database, database.with_name(database.name + "-wal")]
    return files


def read_secret(
    name: str, default_file: Path, environ: Mapping[str, str] | None = None
) -> str | None:
    """Return the secret ``name`` from the environment, ``<name>_FILE``, or ``default_file``.

    Returns None when none of them is set, so the caller decides whether that is fatal; an
    explicitly named file that does not exist is always an error.
    """
    env = os.environ if environ is None else environ
    if env.get(name):
        return env[name].strip()
    named_file = env.get(f"{name}_FILE")
    path = Path(named_file).expanduser() if named_file else default_file
    if not path.exists():
        if named_file:
            raise ConfigurationError(f"{name}_FILE points to {path}, which does not exist.")
        return None
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise ConfigurationError(f"The secret file {path} for {name} is empty.")
    return value


def read_backup_recipients(environ: Mapping[str, str] | None = None) -> list[str]:
    """The age public keys backups are encrypted to (one or more, one per line).

    A public key, not a secret: it is read the way secrets are (variable, ``_FILE``, default
    file) so it can sit beside them, but it only lets the server write backups, never read them.
    """
    env = os.environ if environ is None else environ
    default_file = load_config(env).home / "backup-recipient.txt"
    raw = read_secret("TESTIMONIO_BACKUP_RECIPIENT", default_file, env)
    if raw is None:
        raise ConfigurationError(
            "No backup recipient: set TESTIMONIO_BACKUP_RECIPIENT to an age public key "
            "(age1...), or TESTIMONIO_BACKUP_RECIPIENT_FILE to a file holding one."
        )
    keys = [line.strip() for line in raw.splitlines() if line.strip() and line[0] != "#"]
    for key in keys:
        if not key.startswith("age1"):
            raise ConfigurationError(
                "TESTIMONIO_BACKUP_RECIPIENT holds something that is not an age public key "
                "(they start with age1); never put the private key (AGE-SECRET-KEY-1...) there."
            )
    return keys


def _read_home(env: Mapping[str, str]) -> Path:
    raw = env.get("TESTIMONIO_HOME") or "~/.testimonio"
    home = Path(raw).expanduser()
    if home.exists() and not home.is_dir():
        raise ConfigurationError(f"TESTIMONIO_HOME={raw} is a file; it must be a folder.")
    return home.resolve()


def _read_database_url(env: Mapping[str, str], home: Path) -> str:
    url = env.get("DATABASE_URL") or f"sqlite:///{_default_sqlite_file(home)}"
    scheme = url.split(":", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigurationError(
            f"DATABASE_URL has scheme {scheme!r}; use sqlite:///PATH or postgres://USER@HOST/NAME."
        )
    return url


def _default_sqlite_file(home: Path) -> Path:
    """``db/testimonio.sqlite3``, apart from the keys and the ledger; an instance from before
    that layout keeps its ``testimonio.sqlite3`` in the home folder (never moved under a live
    WAL database)."""
    current, legacy = home / "db" / "testimonio.sqlite3", home / "testimonio.sqlite3"
    return legacy if legacy.exists() and not current.exists() else current


def _read_bool(env: Mapping[str, str], variable: str, *, default: bool) -> bool:
    raw = env.get(variable)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{variable}={raw!r} is not a yes/no value; use true or false.")


def _read_int(env: Mapping[str, str], variable: str, *, default: int, minimum: int) -> int:
    raw = env.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{variable}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ConfigurationError(f"{variable}={raw!r} must be at least {minimum}.")
    return value


def _read_optional_int(env: Mapping[str, str], variable: str, *, minimum: int) -> int | None:
    """A whole number, or None when the variable is unset or empty (the caller decides)."""
    raw = env.get(variable)
    if raw is None or not raw.strip():
        return None
    return _read_int(env, variable, default=minimum, minimum=minimum)


def _read_list(env: Mapping[str, str], variable: str, default: str) -> tuple[str, ...]:
    items = tuple(part.strip() for part in env.get(variable, default).split(",") if part.strip())
    if not items:
        raise ConfigurationError(f"{variable} is empty; give at least one value.")
    return items
