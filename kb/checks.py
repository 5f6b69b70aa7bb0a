"""System checks of the KB's settings (run by ``manage.py check``, ``migrate`` and
``runserver``)."""

from django.conf import settings
from django.core.checks import Error

from kb.services.sites import site_address


def check_site_url(app_configs=None, **kwargs) -> list[Error]:
    """``SITE_URL`` must be an address the Wagtail Site can carry (``kb.services.sites``)."""
    try:
        site_address(settings.SITE_URL)
    except ValueError as error:
        return [
            Error(
                f"SITE_URL cannot be the address of the Wagtail site: {error}",
                hint="Set SITE_URL to the public base URL, e.g. https://hub.example.org",
                id="kb.E001",
            )
        ]
    return []
