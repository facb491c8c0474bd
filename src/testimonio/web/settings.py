"""Django settings, built from :mod:`testimonio.config` (the environment) and nothing else.

No secret is written here: the secret key comes from TESTIMONIO_SECRET_KEY(_FILE), created by
``testimonio init``. A missing or malformed setting stops start-up with a message naming the
variable to set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from testimonio.config import load_config, read_secret
from testimonio.errors import ConfigurationError

CONFIG = load_config()
BASE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    key = read_secret("TESTIMONIO_SECRET_KEY", CONFIG.secret_key_file)
    if key is None:
        raise ConfigurationError(
            "No secret key: run `testimonio init`, or set TESTIMONIO_SECRET_KEY_FILE "
            "(or TESTIMONIO_SECRET_KEY)."
        )
    return key


#: PostgreSQL connections are kept this many seconds between requests: opening one (a server
#: process, authentication) cost more than most pages' queries (issue 19, "Load"). A kept
#: connection is checked before a request reuses it, so one the server dropped is replaced
#: instead of failing the request.
POSTGRES_CONNECTION_SECONDS = 300


def _database() -> dict[str, Any]:
    database: dict[str, Any] = dict(dj_database_url.parse(CONFIG.database_url, conn_max_age=0))
    if not CONFIG.is_sqlite:
        database["CONN_MAX_AGE"] = POSTGRES_CONNECTION_SECONDS
        database["CONN_HEALTH_CHECKS"] = True
    if CONFIG.sqlite_file is not None and not CONFIG.sqlite_file.exists():
        # Without `testimonio init`: still private (SQLite itself would make it 0644).
        CONFIG.sqlite_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        CONFIG.sqlite_file.touch(mode=0o600)
    if CONFIG.is_sqlite:
        # WAL lets readers work while an import writes; FULL sync makes a committed import
        # survive power loss; IMMEDIATE takes the write lock at BEGIN, so two writers of the
        # audit chain queue up instead of failing half-way; secure_delete overwrites freed pages.
        database["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA busy_timeout=30000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    return database


SECRET_KEY = _secret_key()
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # intcomma: counts written 1,234 in English and 1.234 in Spanish.
    "django.contrib.humanize",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Recovery codes (stored as keyed hashes, each usable once).
    "django_otp.plugins.otp_static",
    "testimonio.web.accounts",
    "testimonio.web.keys",
    "testimonio.web.cases",
    "testimonio.web.imports",
    "testimonio.web.evidence",
    "testimonio.web.declarations",
    "testimonio.web.audit",
    "testimonio.web.linking",
    "testimonio.web.backups",
    "testimonio.web.snapshots",
    "testimonio.web.publishing",
    "testimonio.web.intake",
    "testimonio.web.projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "testimonio.web.accounts.middleware.two_factor_required",
    "testimonio.web.accounts.middleware.no_store_for_members",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A full disk or a lost database connection: a 503 page saying nothing was saved.
    "testimonio.web.db.middleware.StorageFaultMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock out after 5 failed passwords in an hour, counted per username (guessing one account's
# password) and, separately, per client address (one address trying many accounts: password
# spraying). A successful login clears both counts; `testimonio users unlock` lifts a lockout.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Testimonio"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "object-src": [NONE],
    }
}

ROOT_URLCONF = "testimonio.web.urls"
WSGI_APPLICATION = "testimonio.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE and LANGUAGES for <html lang> and the language switch.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": _database()}

# Uploads are held in memory up to TESTIMONIO_MAX_UPLOAD_MB and never spooled to disk.
FILE_UPLOAD_HANDLERS = ["testimonio.web.evidence.uploads.LimitedMemoryUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:project_list"
LOGOUT_REDIRECT_URL = "login"

# English and Spanish (docs/translation.md). LocaleMiddleware (after the session, before
# CommonMiddleware) picks the language from the switch's cookie, else the browser's
# Accept-Language; the translations live in LOCALE_PATHS, compiled into the repo.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates with the month named in the page's language (web/formats/__init__.py says why).
FORMAT_MODULE_PATH = ["testimonio.web.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = CONFIG.secure
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
# A translated page that says what to do, instead of Django's English one (web/csrf.py).
CSRF_FAILURE_VIEW = "testimonio.web.csrf.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CONFIG.secure
CSRF_COOKIE_SECURE = CONFIG.secure
SECURE_SSL_REDIRECT = CONFIG.secure
SECURE_HSTS_SECONDS = 31_536_000 if CONFIG.secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.secure
SECURE_HSTS_PRELOAD = CONFIG.secure
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if CONFIG.secure else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"withhold_identity": {"()": "testimonio.web.log_filters.WithholdIdentity"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["withhold_identity"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
# Least privilege in use (web/accounts/identity_policy.py, docs/security.md).
TESTIMONIO_IDENTITY_EXPORT_CAP = CONFIG.identity_export_cap
TESTIMONIO_REVEALS_PER_HOUR = CONFIG.reveals_per_hour
# Notices of identity exports go to the project's administrators by e-mail only when an SMTP
# server is named; the notice on their members page is written either way.
TESTIMONIO_EMAIL_NOTICES = bool(CONFIG.email_host)
if CONFIG.email_host:
    EMAIL_HOST, _, _port = CONFIG.email_host.partition(":")
    EMAIL_PORT = int(_port) if _port.isdigit() else 25
    EMAIL_USE_TLS = EMAIL_PORT == 587
    DEFAULT_FROM_EMAIL = f"testimonio@{EMAIL_HOST}"
# Serve static files straight from the apps: no collectstatic step for a one-office install.
WHITENOISE_USE_FINDERS = True
