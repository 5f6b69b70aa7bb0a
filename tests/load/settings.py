"""Settings gunicorn, the worker and the seeding/inspection scripts of the load run use.

The test settings (fast hashing, emails to memory, no rate limits, the embedded search
backend), with what a real deployment has instead of the in-process shortcuts:

- the database is the one ``DATABASE_URL`` names (config.settings.base parses it): a SQLite
  file in the run's temporary folder, or a dedicated PostgreSQL database; the test sets it;
- background work goes through the database task backend and ``manage.py db_worker``, as in
  production, so index outbox rows are applied after commit by another process;
- the embedded search index, the media and the run's logs live in ``PCC_LOAD_DIR``.
"""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

LOAD_DIR = Path(os.environ["PCC_LOAD_DIR"])

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SEARCH_BACKEND = "embedded"
SEARCH_EMBEDDED_PATH = str(LOAD_DIR / "search-index.sqlite3")
SEARCH_KEEP_EMBEDDED_FALLBACK = False
MEDIA_ROOT = LOAD_DIR / "media"
# Members search often during the run: the per-IP limit of the anonymous API is not under test.
SEARCH_API_ANONYMOUS_LIMIT = 1_000_000
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
