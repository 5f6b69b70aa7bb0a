"""Local development (`make run`): debug on, email printed to the console, demo logins."""

from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS, SECRET_KEY
from config.settings.environment import env_str

DEBUG = True
# A fixed key is acceptable only here: dev data is throw-away and never served publicly.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Demo seeding and bulk data (`make run` calls seed_demo); never installed in production.
INSTALLED_APPS = ["demo", *INSTALLED_APPS]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# allauth prints verification links to the console in dev; keep the rate limits low-key.
ACCOUNT_RATE_LIMITS = False
