"""Settings of the processes the fault suites start (workers, commands, a web server).

The test settings, except what the parent test passes in the environment: the database
(``DATABASE_URL``: the test database, or a file copy of it for SQLite), the real
django-tasks database backend, the SMTP server, the search backend and its node.
"""

from config.settings.environment import env_bool, env_int, env_str
from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_TIMEOUT = 10
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "embedded")
SEARCH_KEEP_EMBEDDED_FALLBACK = env_bool("SEARCH_KEEP_EMBEDDED_FALLBACK", False)
NOTIFICATION_EMAIL_BATCH_MINUTES = env_int("NOTIFICATION_EMAIL_BATCH_MINUTES", 10)
