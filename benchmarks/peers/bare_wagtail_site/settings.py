"""A bare Wagtail 8 project with the hub's third-party apps and middleware, none of its own
apps: the floor the hub's worker memory is compared with when it cannot match the peers'.
Runs with the hub's own virtualenv (the same package versions), with the hub on the path so
the app and middleware lists are the hub's benchmark settings' own, minus the hub's code."""

from peer_settings import *  # noqa: F403
from peer_settings import django_templates

from benchmarks import settings as hub

_HUB_PACKAGES = {
    app.split(".")[0] for app in hub.INSTALLED_APPS if (hub.BASE_DIR / app.split(".")[0]).is_dir()
}


def _third_party(dotted_paths: list[str]) -> list[str]:
    return [path for path in dotted_paths if path.split(".")[0] not in _HUB_PACKAGES]


SECRET_KEY = "benchmark-only-key-not-secret-bare-wagtail-0123456789abcdefghij"
INSTALLED_APPS = _third_party(hub.INSTALLED_APPS)
MIDDLEWARE = _third_party(hub.MIDDLEWARE)
ROOT_URLCONF = "bare_wagtail_site.urls"
WSGI_APPLICATION = "bare_wagtail_site.wsgi.application"
TEMPLATES = django_templates()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTHENTICATION_BACKENDS = _third_party(hub.AUTHENTICATION_BACKENDS)
TASKS = hub.TASKS
WAGTAIL_SITE_NAME = "Bare"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The third-party apps' static files, collected and served by WhiteNoise as the hub serves
# its own (WhiteNoise keeps an index of every file it serves: part of the floor too).
STORAGES = hub.STORAGES
