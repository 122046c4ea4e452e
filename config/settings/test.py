"""The test suite: fast hashing, a scratch media folder, the database from DATABASE_URL."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import LOGGING

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One shared scratch folder: uploads get unique names, and no folder is left behind per run.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "djkh-test-media"

# Static files come straight from the apps and static/ (no collectstatic needed).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Lockout tests fail logins on purpose; axes would log each one as a warning.
LOGGING = {**LOGGING, "loggers": {"axes": {"level": "ERROR"}, "django.request": {"level": "ERROR"}}}
