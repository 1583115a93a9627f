"""keguan's one settings module. Every knob is a KEGUAN_* environment variable.

See README.md, "Configuration", for the list. A bad value stops start-up with a message
naming the variable (keguan.env.ConfigError).
"""

import secrets
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from keguan.env import (
    ConfigError,
    database_from_url,
    env_bool,
    env_days_by_kind,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("KEGUAN_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("KEGUAN_DEBUG", False)
TESTING = env_bool("KEGUAN_TESTING", False)


def _secret_key() -> str:
    """The configured key, or one generated once and kept (mode 0600) in the data dir."""
    configured = env_str("KEGUAN_SECRET_KEY")
    if configured:
        if len(configured) < 50:
            raise ConfigError("KEGUAN_SECRET_KEY must be at least 50 characters long")
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.touch(mode=0o600)
    key_file.write_text(key, encoding="utf-8")
    return key


SECRET_KEY = _secret_key()
# The secret field encryption keys are derived from (keguan.core.crypto); SECRET_KEY when
# unset. Set it apart from SECRET_KEY so that rotating sessions never orphans stored data.
KEGUAN_FIELD_KEY = env_str("KEGUAN_FIELD_KEY")
if KEGUAN_FIELD_KEY and len(KEGUAN_FIELD_KEY) < 32:
    raise ConfigError("KEGUAN_FIELD_KEY must be at least 32 characters long")
ALLOWED_HOSTS = env_list("KEGUAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("KEGUAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "keguan.core",
    "keguan.audit",
    "keguan.accounts",
    "keguan.portal",
    "keguan.notifications",
    "keguan.projects",
    "keguan.funds",
    "keguan.review",
    "keguan.enterprises",
    "keguan.party",
    "keguan.api",
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
    "keguan.audit.middleware.AuditContextMiddleware",
    "keguan.accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "keguan.core.middleware.DatabaseUnavailableMiddleware",
]
if env_bool("KEGUAN_BENCH", False):
    # The benchmark reads each page's query count from a response header.
    MIDDLEWARE.insert(0, "keguan.bench.middleware.QueryCount")

ROOT_URLCONF = "keguan.urls"
WSGI_APPLICATION = "keguan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keguan.core.context_processors.navigation",
                "keguan.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

_database_url = env_str("KEGUAN_DATABASE_URL")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "keguan.sqlite3",
            # Each server thread keeps its connection a minute instead of opening one (and
            # running the PRAGMAs below) per request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on
                # busy_timeout instead of one failing with "database is locked" mid-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "keguan.accounts.passwords.CharacterClassValidator"},
    {"NAME": "keguan.accounts.passwords.NotUsernameValidator"},
]

# Login throttling and account hygiene (MLPS level 3).
KEGUAN_LOGIN_MAX_FAILURES = env_int("KEGUAN_LOGIN_MAX_FAILURES", 5, minimum=1)
KEGUAN_LOGIN_LOCKOUT_MINUTES = env_int("KEGUAN_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
KEGUAN_INACTIVE_DAYS = env_int("KEGUAN_INACTIVE_DAYS", 90, minimum=1)
KEGUAN_AUDIT_RETENTION_DAYS = 180

# Idle timeout: the cookie lives this long and every request renews it.
SESSION_COOKIE_AGE = env_int("KEGUAN_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "keguan_session"
CSRF_COOKIE_NAME = "keguan_csrftoken"

# HTTPS is on by default in production: a bureau's reverse proxy terminates TLS and says so
# with X-Forwarded-Proto. The demo and tests turn it off (KEGUAN_HTTPS=false).
HTTPS = env_bool("KEGUAN_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("KEGUAN_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
if env_bool("KEGUAN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # Intranet hosts are not on the public HSTS preload list and cannot be.
    "security.W021",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Bootstrap draws its form arrows and toggler icon as data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
    ("en", _("English")),
]
LANGUAGE_COOKIE_NAME = "keguan_language"
FORMAT_MODULE_PATH = ["keguan.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING

TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

_email_backend = env_str("KEGUAN_EMAIL_BACKEND", "smtp")
if TESTING:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
elif _email_backend == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("KEGUAN_EMAIL_HOST", "localhost"),
                "port": env_int("KEGUAN_EMAIL_PORT", 25, minimum=1),
                "username": env_str("KEGUAN_EMAIL_USER"),
                "password": env_str("KEGUAN_EMAIL_PASSWORD"),
                "use_tls": env_bool("KEGUAN_EMAIL_TLS", False),
            },
        }
    }
elif _email_backend == "file":
    # The demo, or a bureau without a mail server: messages are files an operator reads.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
else:
    raise ConfigError(f"KEGUAN_EMAIL_BACKEND must be smtp or file, not {_email_backend!r}")
DEFAULT_FROM_EMAIL = env_str("KEGUAN_EMAIL_FROM", "keguan@localhost")
# Where users reach keguan: links in mail and calendar feeds start with it.
KEGUAN_SITE_URL = env_str("KEGUAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Attachments live outside the web root and are served only through a permission check.
KEGUAN_ATTACHMENT_DIR = Path(
    env_str("KEGUAN_ATTACHMENT_DIR", str(DATA_DIR / "attachments"))
).resolve()
KEGUAN_UPLOAD_MAX_MB = env_int("KEGUAN_UPLOAD_MAX_MB", 20, minimum=1)
# Working days a public notice runs, by kind ("award=7,funding=5"); five otherwise.
KEGUAN_NOTICE_WORKING_DAYS = env_days_by_kind("KEGUAN_NOTICE_WORKING_DAYS")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

OTP_TOTP_ISSUER = env_str("KEGUAN_OTP_ISSUER", "keguan")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KEGUAN_LOG_LEVEL", "INFO")},
}
