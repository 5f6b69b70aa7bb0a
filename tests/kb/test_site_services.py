"""The Wagtail Site follows SITE_URL (kb.services.sites), so absolute page URLs do too."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from wagtail.models import Page, Site

from kb.services.sites import SiteAddress, site_address, site_sync


def default_site() -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.mark.django_db
def test_after_migrate_the_default_site_has_the_address_of_site_url(settings):
    # The kb migration writes a placeholder (localhost:80); the post_migrate receiver replaced it.
    assert default_site().root_url == settings.SITE_URL
    assert Page.objects.get(depth=2).specific.full_url == f"{settings.SITE_URL}/"


@pytest.mark.django_db
def test_migrate_sets_the_site_from_site_url(settings):
    settings.SITE_URL = "https://hub.example.org"
    call_command("migrate", verbosity=0)
    assert (default_site().hostname, default_site().port) == ("hub.example.org", 443)


@pytest.mark.parametrize(
    ("site_url", "address"),
    [
        ("https://hub.example.org", SiteAddress("hub.example.org", 443)),
        ("https://Hub.Example.org/", SiteAddress("hub.example.org", 443)),
        ("https://hub.example.org:443", SiteAddress("hub.example.org", 443)),
        ("http://127.0.0.1:8000", SiteAddress("127.0.0.1", 8000)),
        ("http://localhost", SiteAddress("localhost", 80)),
    ],
)
def test_site_address_reads_hostname_and_port(site_url, address):
    assert site_address(site_url) == address


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        ("hub.example.org", "not an absolute"),
        ("ftp://hub.example.org", "not an absolute"),
        ("https://hub.example.org/hub", "has a path"),
        ("https://hub.example.org:8443", "port 443"),
        ("http://hub.example.org:443", "port 443"),
        ("http://hub.example.org:99999", "not a valid URL"),
    ],
)
def test_site_address_refuses_what_a_wagtail_site_cannot_express(site_url, message):
    with pytest.raises(ValueError, match=message):
        site_address(site_url)


@pytest.mark.django_db
def test_site_sync_changes_the_row_once_and_wagtail_urls_follow():
    home = Page.objects.get(depth=2).specific
    home.full_url  # fills Wagtail's cache of site root URLs
    assert site_sync(site_url="https://hub.example.org") is True
    assert site_sync(site_url="https://hub.example.org") is False
    assert (default_site().hostname, default_site().port) == ("hub.example.org", 443)
    assert Page.objects.get(pk=home.pk).specific.full_url == "https://hub.example.org/"
    Site.clear_site_root_paths_cache()  # the test's rollback restores the row, not the cache


@pytest.mark.django_db
def test_site_sync_without_a_default_site_does_nothing():
    Site.objects.update(is_default_site=False)
    assert site_sync(site_url="https://hub.example.org") is False
    assert not Site.objects.filter(hostname="hub.example.org").exists()


def test_the_system_check_names_a_site_url_a_site_cannot_express(settings):
    settings.SITE_URL = "https://hub.example.org:8443"
    errors = [error for error in run_checks() if error.id == "kb.E001"]
    assert len(errors) == 1
    assert "SITE_URL" in errors[0].msg
    assert "port 443" in errors[0].msg
    settings.SITE_URL = "https://hub.example.org"
    assert not [error for error in run_checks() if error.id == "kb.E001"]
