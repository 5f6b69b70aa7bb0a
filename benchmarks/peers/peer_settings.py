"""The benchmark suite's shared choices for every peer site, copied beside each peer's project
by ``benchmarks.peer_setup``: DEBUG off, SQLite in WAL mode under ``PEER_DIR``, the hub's
password hasher, UTC, warnings to the console. Each ``<peer>_site/settings.py`` imports ``*``
from here and adds only what its own project's documentation configures."""

import os
from pathlib import Path

PEER_DIR = Path(os.environ["PEER_DIR"])
BASE_DIR = PEER_DIR
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# benchmarks.peers.PASSWORD_HASHER; spelled out because the peers cannot import the suite.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(PEER_DIR / "db.sqlite3"),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = str(PEER_DIR / "static")
MEDIA_ROOT = str(PEER_DIR / "media")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# Django's own apps, which both forum peers' documentation installs first.
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
DJANGO_CONTEXT_PROCESSORS = [
    "django.template.context_processors.debug",
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
]


def django_templates(*extra_context_processors: str, dirs: list[str] | None = None) -> list:
    """``TEMPLATES`` with app directories, Django's usual context processors and the peer's."""
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": dirs or [],
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [*DJANGO_CONTEXT_PROCESSORS, *extra_context_processors]
            },
        }
    ]
