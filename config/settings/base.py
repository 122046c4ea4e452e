"""Settings shared by every environment. See local.py, test.py and production.py."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from .env import env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    # Before django_tasks_db: core's `manage.py db_worker` is the upstream one with a heartbeat
    # (core/worker.py), and the first app holding a command's name wins.
    "core",
    # Background tasks: the django-tasks backport of django.tasks, with its database backend
    # (the queue is a table, so workers on several machines share it; `manage.py db_worker`).
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "units",
    "assessment",
    "meetings",
    "ballots",
    "liaison",
    "rectification",
    "reports",
    "results",
    "people",
    "guide",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    # Control and bidi-override characters removed from every submitted text field.
    "core.middleware.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says @login_not_required.
    "core.middleware.LoginRequiredMiddleware",
    # Per request: the permission answers' memo, and for the security audit trail who is acting
    # while the request writes, and the writes refused (403).
    "accounts.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sessions end after SESSION_IDLE_TIMEOUT idle and SESSION_ABSOLUTE_TIMEOUT in all; a password an
    # administrator set is changed before anything else.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it turns a lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Background tasks (batch report exports) are queued in the database and run by
# `manage.py db_worker`; any number of workers, on any machine, may share the queue.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "accounts.context_processors.drafts",
                "assessment.context_processors.todo",
            ],
        },
    },
]

# One variable chooses the database: SQLite by default, PostgreSQL in production
# (DATABASE_URL=postgres://user:password@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite takes one writer at a time. A transaction that starts by reading and then writes
    # cannot wait for another writer (SQLite refuses at once: "database is locked"), so every
    # transaction takes the write lock when it begins (IMMEDIATE) and a second save waits for the
    # first, up to the busy timeout. WAL lets pages be read while someone writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
        "init_command": "PRAGMA journal_mode=WAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out client is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.StaffPermissionBackend",
]
# The password policy (accounts/passwords.py): 8 characters or more, three of upper case, lower
# case, digits and symbols, not common, not just pinyin, not like the person's name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.PinyinPasswordValidator"},
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in lockout (accounts/lockout.py). Five failures of one username from one address within the
# cool-off lock that pair only: the person still signs in from elsewhere, colleagues behind the
# same NAT are not affected. An address failing across usernames (each counting at most five) is
# slowed from the 10th failure on (each attempt waits 1, 2, 4 … 60 seconds after the last failure)
# and locked for every username at the 20th. Attempts refused while locked are not counted, so a
# lock ends a cool-off after the last real failure. Administrators unlock at /accounts/lockouts/.
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the address-wide rule is the handler's
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
AXES_VERBOSE = False
LOGIN_ADDRESS_SLOWDOWN_AFTER = 10
LOGIN_ADDRESS_FAILURE_LIMIT = 20
LOGIN_SLOWDOWN_MAX_SECONDS = 60
# How many reverse proxies append to X-Forwarded-For in front of the app (0: none).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (imports now, evidence later) are private: never served from a
# public URL, only through views that check permissions.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Where `manage.py backup` writes its archives (the database and MEDIA_ROOT; see core/backup.py).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Evidence files; point this at object storage (e.g. django-storages S3) to move them off disk.
    "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Upload caps. Django's own limits cover form fields; RequestSizeLimitMiddleware
# refuses any request body above MAX_REQUEST_BYTES before it is read, and each
# upload form enforces its own smaller cap with a clear message.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 25 * 1024 * 1024)
ROSTER_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Django's widget templates, with the simplest of them rendered in Python (core/forms.py).
FORM_RENDERER = "core.forms.QuickRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# A session ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after signing
# in (accounts.middleware.SessionTimeoutMiddleware); text being typed is kept as a draft in the
# browser (static/js/workspace.js) until the same person signs in again.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_MAX_HOURS", 10) * 60 * 60
if SESSION_IDLE_TIMEOUT <= 0 or SESSION_ABSOLUTE_TIMEOUT <= 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be positive.")
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: everything comes from this server; no inline scripts
# or styles, no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
