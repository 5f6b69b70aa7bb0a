"""Production: every secret and host comes from the environment, HTTPS everywhere.

Start-up fails with ImproperlyConfigured naming the variable when a required one is missing.
`manage.py check --deploy` passes with no warnings (tests/config/test_production_settings.py).
"""

from config.settings.base import *  # noqa: F403
from config.settings.environment import env_bool, env_int, env_list, env_required
from config.settings.static_files import WHITENOISE_STORAGES, with_whitenoise

DEBUG = False
SECRET_KEY = env_required(
    "SECRET_KEY",
    hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS", hint="Give the site's host names, comma-separated.")
SITE_URL = env_required(
    "SITE_URL", hint="The public https:// address, e.g. https://hub.example.org"
).rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
env_required("DEFAULT_FROM_EMAIL", hint="The sender of the hub's emails.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# WhiteNoise serves the hashed, compressed static files straight from the app servers.
MIDDLEWARE = with_whitenoise(MIDDLEWARE)  # noqa: F405
STORAGES = WHITENOISE_STORAGES
