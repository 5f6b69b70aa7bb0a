"""Settings the benchmark suite serves the hub with: production's choices, on plain HTTP.

DEBUG off, SQLite in WAL mode under ``var/bench/ours/``, hashed and compressed static files
served by WhiteNoise (as in production), the password hasher the peers use too
(``benchmarks.peers.PASSWORD_HASHER``), emails to memory. The ``demo`` app is installed so the
suite can seed; nothing here is for a public site (a fixed key, no HTTPS).
``BENCH_DIR`` (set by the suite) moves the database, index and static files elsewhere.
"""

import os
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, DATABASES, INSTALLED_APPS, MIDDLEWARE
from config.settings.static_files import WHITENOISE_STORAGES, with_whitenoise

BENCH_DIR = Path(os.environ.get("BENCH_DIR", str(BASE_DIR / "var" / "bench" / "ours")))
BENCH_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
SECRET_KEY = "benchmark-only-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SITE_URL = "http://127.0.0.1"
WAGTAILADMIN_BASE_URL = SITE_URL
INSTALLED_APPS = ["demo", *INSTALLED_APPS]
DATABASES["default"]["NAME"] = str(BENCH_DIR / "db.sqlite3")
SEARCH_BACKEND = "embedded"
SEARCH_EMBEDDED_PATH = str(BENCH_DIR / "search-index.sqlite3")
SEARCH_KEEP_EMBEDDED_FALLBACK = False
MEDIA_ROOT = BENCH_DIR / "media"
STATIC_ROOT = BENCH_DIR / "static"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = False
MIDDLEWARE = with_whitenoise(MIDDLEWARE)
STORAGES = WHITENOISE_STORAGES
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
