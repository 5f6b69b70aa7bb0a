"""The Wagtail Site follows ``settings.SITE_URL``.

Wagtail builds every absolute page URL (``<link rel="canonical">``, the JSON-LD ``url``, the
sitemap, the admin's "view live" links) from the default Site's hostname and port, and takes
the scheme from the port: 443 is https, any other port http. ``SITE_URL`` is the one place the
public address is configured, so the row is kept in step with it: after every ``migrate`` (a
post_migrate receiver, ``kb.signals``) and when a server process starts (``config/wsgi.py``,
``config/asgi.py`` through ``config.server_start``), so a server started with a new
``SITE_URL`` is right without another migrate. ``kb.checks`` rejects a ``SITE_URL`` that a
Site cannot express.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from wagtail.models import Site


@dataclass(frozen=True)
class SiteAddress:
    hostname: str
    port: int


def site_address(site_url: str) -> SiteAddress:
    """The hostname and port of a Wagtail Site whose root URL is ``site_url``.

    Raises ValueError, saying why, for an address a Site cannot serve: not absolute http(s),
    with a path, query or fragment, or https on a port other than 443 (and http on 443), which
    Wagtail would print with the wrong scheme.
    """
    try:
        parts = urlsplit(site_url)
        port = parts.port
    except ValueError as error:
        raise ValueError(f"{site_url!r} is not a valid URL ({error}).") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{site_url!r} is not an absolute http:// or https:// address.")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ValueError(f"{site_url!r} has a path; the hub is served at the root of its host.")
    https = parts.scheme == "https"
    port = port or (443 if https else 80)
    if https != (port == 443):
        raise ValueError(
            f"{site_url!r}: Wagtail treats port 443 as https and every other port as http, "
            "so use https on port 443 (the default) or http on any other port."
        )
    return SiteAddress(hostname=parts.hostname, port=port)


def site_sync(*, site_url: str | None = None, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Give the default Site the hostname and port of ``site_url`` (default:
    ``settings.SITE_URL``); return whether the row changed.

    Does nothing when there is no default Site yet (before the kb migrations, or in a flushed
    test database). Clears Wagtail's cache of site root URLs when it changes the row.
    """
    address = site_address(site_url or settings.SITE_URL)
    with transaction.atomic(using=using):
        changed = (
            Site.objects.using(using)
            .filter(is_default_site=True)
            .exclude(hostname=address.hostname, port=address.port)
            .update(hostname=address.hostname, port=address.port)
        )
    if changed:
        Site.clear_site_root_paths_cache()
    return bool(changed)
