"""Settings for the suite: production settings, with test secrets and plain HTTP for the live server."""

import os
import tempfile

os.environ.setdefault("KORDON_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("KORDON_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("KORDON_SECURE_COOKIES", "false")
os.environ.setdefault("KORDON_MASTER_KEY_ID", "test-2026")
os.environ.setdefault("KORDON_MASTER_KEY", "a29yZG9uLXRlc3QtbWFzdGVyLWtleS0zMi1ieXRlcyE=")  # 32 bytes, tests only

from kordon.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins; real hashers in production
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Documents of the suite go to a fresh directory, never into var/.
STORAGES["documents"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": tempfile.mkdtemp(prefix="kordon-test-documents-")},
}
# Rate limits are off for the suite (it files hundreds of notices from one address); the tests of
# kordon.throttle switch them on.
KORDON_RATE_LIMITS = {}
RATELIMIT_ENABLE = False
# The suite's console and admin tests log supervisors and administrators in without a second factor;
# tests/posts/test_two_factor.py switches it on.
KORDON_SECOND_FACTOR = False
# The SQLite test database is a file, as in production, not Django's shared in-memory one: that one
# answers concurrent requests of the live server (a page, its sync and its events at once) with
# "database table is locked" at once, ignoring the busy timeout, WAL and IMMEDIATE transactions set above.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.mkdtemp(prefix="kordon-test-db-"), "test.sqlite3")}  # noqa: F405
