"""Production: PostgreSQL behind a reverse proxy that terminates HTTPS.

Refuses to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL). With the
environment that README.md documents, `manage.py check --deploy` is silent.
"""

from .base import *  # noqa: F403
from .base import LOGGING
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{h}" for h in ALLOWED_HOSTS])
env_str("DATABASE_URL", required=True)  # base.py already parsed it
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    engine = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]  # noqa: F405
    raise ImproperlyConfigured(
        f"DATABASE_URL must name a PostgreSQL database in production (postgres://user:password@host:5432/name),"
        f" not {engine}; SQLite is for a single laptop (one writer at a time)."
        " 生产环境必须使用 PostgreSQL 数据库（DATABASE_URL=postgres://…），不能使用 SQLite。"
    )
# Each gunicorn worker keeps its connection for a minute instead of opening one per request,
# checked before reuse so a restarted database costs one failed check, not a failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS is terminated by the proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    **LOGGING,
    "loggers": {"django": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")}},
}
