"""What every server process does once, before it serves: ``config/wsgi.py`` and
``config/asgi.py`` call ``prepare_server()`` after building the application (gunicorn workers,
``runserver``).

It keeps the Wagtail Site in step with ``SITE_URL`` (``kb.services.sites``), so a server
started with a new ``SITE_URL`` prints the right canonical and sitemap URLs without another
``migrate``. A database that cannot be reached or is not migrated yet is logged, not fatal:
the health probe reports it, and ``migrate`` syncs the Site when it runs.
"""

import logging

from django.db import DatabaseError, connection

from kb.services.sites import site_sync

logger = logging.getLogger("config.server_start")


def prepare_server() -> None:
    try:
        if site_sync():
            logger.info("Wagtail site address set from SITE_URL.")
    except DatabaseError as error:
        logger.warning("Could not set the Wagtail site address from SITE_URL: %s", error)
    if not connection.in_atomic_block:
        # A pre-forking server (gunicorn --preload) must not hand this connection to its
        # workers; each opens its own.
        connection.close()
