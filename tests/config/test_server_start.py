"""Each server process keeps the Wagtail Site in step with SITE_URL when it starts."""

import runpy

import pytest
from django.test import override_settings
from wagtail.models import Site

from tests.config.test_production_settings import run_production_python


@pytest.mark.django_db
@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_a_server_started_with_a_new_site_url_gives_it_to_the_wagtail_site(entry_point):
    site = Site.objects.get(is_default_site=True)
    assert site.root_url != "https://hub.example.org"
    try:
        with override_settings(SITE_URL="https://hub.example.org"):
            runpy.run_module(entry_point)
        site.refresh_from_db()
        assert (site.hostname, site.port, site.root_url) == (
            "hub.example.org",
            443,
            "https://hub.example.org",
        )
    finally:
        Site.clear_site_root_paths_cache()


def test_a_server_starts_on_a_database_that_is_not_migrated_yet():
    """Serving must not depend on the sync: the database may be migrated after the start."""
    script = (
        "import config.wsgi;"
        "from django.test import Client;"
        "print(Client(HTTP_HOST='hub.example.org').get('/healthz', secure=True).status_code)"
    )
    result = run_production_python(script)
    assert result.stdout.strip() == "200", result.stderr
    assert "Could not set the Wagtail site address from SITE_URL" in result.stderr
