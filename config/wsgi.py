"""WSGI entry point. Production sets DJANGO_SETTINGS_MODULE=config.settings.production.

After building the application, ``prepare_server()`` runs once per process
(``config/server_start.py``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

from config.server_start import prepare_server  # noqa: E402 (needs the apps loaded)

prepare_server()
