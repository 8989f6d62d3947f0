"""Desk Pilkada settings: one module, driven by environment variables (see README)."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("DESKPILKADA_VAR_DIR", PROJECT_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Development: public secrets and plain http are allowed (deskpilkada/desk/checks.py).
DEV_MODE = DEBUG or env_bool("DESKPILKADA_DEV")
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdef"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET if DEBUG or env_bool("DESKPILKADA_DEV") else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG=1 / DESKPILKADA_DEV=1 for development).")
# Keyed hashing (HMAC-SHA256) of NIK and NKK: a secret of its own, so that rotating the
# session secret never invalidates the voter index, and the index is useless without it.
NIK_HASH_SECRET = env("NIK_HASH_SECRET", "dev-only-nik-secret" if SECRET_KEY == _DEV_SECRET else "")
if not NIK_HASH_SECRET:
    raise ImproperlyConfigured("NIK_HASH_SECRET must be set in production.")
# The Ed25519 seed (base64 of 32 bytes) that signs the published checkpoints of the C.Hasil hash
# chain (tally/chain.py). It lives only in the environment: whoever can write the database cannot
# sign a rewritten history. Development derives a fixed, public key from a fixed string.
_DEV_TALLY_KEY = base64.b64encode(hashlib.sha256(b"deskpilkada development tally signing key").digest()).decode()
TALLY_SIGNING_KEY = env("TALLY_SIGNING_KEY", _DEV_TALLY_KEY if SECRET_KEY == _DEV_SECRET else "")
if not TALLY_SIGNING_KEY:
    raise ImproperlyConfigured("TALLY_SIGNING_KEY must be set in production (base64 of a 32-byte Ed25519 seed).")
try:
    if len(base64.b64decode(TALLY_SIGNING_KEY, validate=True)) != 32:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured("TALLY_SIGNING_KEY must be the base64 of exactly 32 bytes (an Ed25519 seed).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "deskpilkada.audit",
    "deskpilkada.regions",
    "deskpilkada.accounts",
    "deskpilkada.elections",
    "deskpilkada.tps",
    "deskpilkada.health",
    "deskpilkada.tally",
    "deskpilkada.voters",
    "deskpilkada.outreach",
    "deskpilkada.readiness",
    "deskpilkada.cases",
    "deskpilkada.logistics",
    "deskpilkada.officers",
    "deskpilkada.notifications",
    "deskpilkada.desk",
    "deskpilkada.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "deskpilkada.memo.RequestMemoMiddleware",
    "deskpilkada.desk.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "deskpilkada.desk.middleware.DeskLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "deskpilkada.accounts.middleware.AuditContextMiddleware",
    "deskpilkada.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "deskpilkada.urls"
WSGI_APPLICATION = "deskpilkada.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "deskpilkada.desk.context_processors.desk",
                "deskpilkada.notifications.context_processors.notifications",
            ],
        },
    }
]

# SQLite under var/ by default; DATABASE_URL=postgres://... for PostgreSQL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'deskpilkada.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # How long a SQLite writer waits for another's lock before the request answers 503 (outage.py).
    _busy = env_int("DB_BUSY_TIMEOUT", 20)
    # FULL: every commit is on disk before its answer (an fsync of the WAL per transaction), so a
    # sheet answered 2xx survives a power cut. NORMAL (SQLITE_SYNCHRONOUS=NORMAL) fsyncs only at
    # checkpoints: faster, still safe against a crashed process, but a power cut or kernel crash can
    # lose the last transactions already answered, so it is never the default.
    _sqlite_sync = env("SQLITE_SYNCHRONOUS", "FULL").upper()
    if _sqlite_sync not in {"FULL", "NORMAL"}:
        raise ImproperlyConfigured("SQLITE_SYNCHRONOUS must be FULL or NORMAL.")
    DATABASES["default"]["OPTIONS"] = {
        "timeout": _busy,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous={_sqlite_sync}; PRAGMA busy_timeout={_busy * 1000};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login throttling (accounts/throttle.py): failures per username-and-address pair before each try
# is slowed down and before the pair is refused for the window; failures per address (any username)
# before that address is refused.
LOGIN_THROTTLE_SLOW_AFTER = env_int("LOGIN_THROTTLE_SLOW_AFTER", 3)
LOGIN_THROTTLE_LIMIT = env_int("LOGIN_THROTTLE_LIMIT", 5)
LOGIN_THROTTLE_ADDRESS_LIMIT = env_int("LOGIN_THROTTLE_ADDRESS_LIMIT", 50)
LOGIN_THROTTLE_WINDOW = env_int("LOGIN_THROTTLE_WINDOW", 900)
# Seconds a password re-entry stays fresh for sensitive actions (roles, finalising a recap).
REAUTH_MAX_AGE = env_int("REAUTH_MAX_AGE", 600)

# The database cache by default, so that every server process shares it (login throttling, rate
# limits); its counters are atomic (deskpilkada/ratelimit.py). REDIS_URL moves both to Redis.
CACHES = {
    "default": {"BACKEND": "deskpilkada.ratelimit.DatabaseCache", "LOCATION": "deskpilkada_cache"},
    "ratelimit": {
        "BACKEND": "deskpilkada.ratelimit.DatabaseCache",
        "LOCATION": "deskpilkada_ratelimit",
        "OPTIONS": {"MAX_ENTRIES": 200_000},  # past this, culling would drop live counters
    },
}
if env("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": "ratelimit",
    }
# Public TPS look-ups allowed per client address per window (seconds).
VOTER_LOOKUP_LIMIT = env_int("VOTER_LOOKUP_LIMIT", 10)
VOTER_LOOKUP_WINDOW = env_int("VOTER_LOOKUP_WINDOW", 60)
# Public case reports (/lapor/ and POST /api/v1/reports): at most this many per client per window.
CASE_REPORT_LIMIT = env_int("CASE_REPORT_LIMIT", 5)
CASE_REPORT_WINDOW = env_int("CASE_REPORT_WINDOW", 600)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "deskpilkada.staticfiles.StaticStorage"},
}
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 3600)
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checked views
# Largest upload accepted (imports, photos), in bytes.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "desk-pilkada@localhost")
# The address of the desk as users reach it, for links in notification emails (e.g. https://desk.example.go.id).
SITE_URL = env("SITE_URL", "")

# Production hardening (HTTPS only); DEBUG=1 or DESKPILKADA_DEV=1 relaxes it for plain http.
SECURE = env_bool("SECURE", not (DEBUG or env_bool("DESKPILKADA_DEV")))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A refused request (4xx) is logged as one line, without a traceback; server errors keep theirs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_4xx": {"()": "deskpilkada.desk.logfilters.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_4xx"]}},
    "loggers": {"django.request": {"filters": ["one_line_4xx"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# The demo's election, shown on the home page countdown when no other is marked current.
DESK_REGION_CODE = env("DESK_REGION_CODE", "32.71")
# An optional map tile server ({z}/{x}/{y} URL); without one, maps show markers and outlines only.
MAP_TILE_URL = env("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024)
# Shows a banner that the data is generated (set by `make demo`).
DEMO_MODE = env_bool("DESKPILKADA_DEMO", False)
# A fixed "now" for the demo (deskpilkada/clock.py), e.g. 2024-11-26T15:00+07:00; empty: the real time.
DEMO_NOW_TEXT = env("DESKPILKADA_DEMO_NOW", "")
try:
    import datetime as _dt

    DEMO_NOW = _dt.datetime.fromisoformat(DEMO_NOW_TEXT) if DEMO_NOW_TEXT.strip() else None
    if DEMO_NOW is not None and DEMO_NOW.tzinfo is None:
        from zoneinfo import ZoneInfo

        DEMO_NOW = DEMO_NOW.replace(tzinfo=ZoneInfo(TIME_ZONE))
except ValueError:
    raise ImproperlyConfigured(
        f"DESKPILKADA_DEMO_NOW={DEMO_NOW_TEXT!r} is not an ISO date and time (e.g. 2024-11-26T15:00+07:00)."
    )
