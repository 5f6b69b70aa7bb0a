"""pytest settings: fast hashing, in-memory email, tasks run immediately after commit."""

from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# The demo app is under test too (tests/demo); production does not install it.
INSTALLED_APPS = ["demo", *INSTALLED_APPS]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"
ACCOUNT_RATE_LIMITS = False
# Factories post many times from new accounts; the forum's limit tests switch this back on.
FORUM_RATE_LIMITS_ENABLED = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# CI exports ELASTICSEARCH_URL for the Elasticsearch tests; the rest of the suite stays on the
# embedded backend, each test with a fresh index file (tests/conftest.py).
SEARCH_BACKEND = "embedded"
SEARCH_KEEP_EMBEDDED_FALLBACK = False
