"""Test settings: the real settings with fast hashing and in-process side effects.

DATABASE_URL and REDIS_URL are honoured, so CI runs the suite on PostgreSQL and
Redis exactly as production would use them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("CAPTCHA_TEST_MODE", "true")

from config.settings import *  # noqa: F403
from config.settings import CACHES, STORAGES

# Argon2 is deliberately slow; tests create thousands of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
# Parallel runs must not see each other's cached values.
CACHES["default"]["KEY_PREFIX"] = f"mooc-test-{os.getpid()}"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Uploads from tests land in a throw-away folder, never in var/.
_UPLOADS = Path(tempfile.mkdtemp(prefix="mooc-test-uploads-"))
MEDIA_ROOT = _UPLOADS / "media"
PRIVATE_MEDIA_ROOT = _UPLOADS / "private"
# Local disk, whatever the environment says; the object-storage tests switch to
# their own S3 server (mooc/core/tests/s3.py).
STORAGES["private"] = {
    "BACKEND": "mooc.core.files.PrivateFileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}
