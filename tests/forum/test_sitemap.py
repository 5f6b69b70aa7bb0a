"""``/sitemap.xml`` lists public forum threads and categories beside the KB pages."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import Category, Post, Thread
from tests.factories import kb as kb_factories
from tests.factories.forum import CategoryFactory, ModeratorFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

NAMESPACE = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(client) -> dict[str, str | None]:
    """Each ``<loc>`` with its ``<lastmod>``."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NAMESPACE): url.findtext(
            "sm:lastmod", namespaces=NAMESPACE
        )
        for url in root.findall("sm:url", NAMESPACE)
    }


def test_public_threads_are_listed_with_their_last_activity(client, settings):
    thread = make_thread(category=CategoryFactory(), title="Drought messaging")
    reply = make_reply(thread)
    active = timezone.now() - timedelta(days=3)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=active)
    entries = sitemap_entries(client)
    location = f"{settings.SITE_URL}{thread.get_absolute_url()}"
    assert location in entries
    assert entries[location] == active.date().isoformat()
    assert reply.pk  # the reply does not get its own entry
    assert not [loc for loc in entries if "/forum/p/" in loc]


def test_members_only_group_only_and_hidden_threads_are_never_listed(client):
    moderator = ModeratorFactory()
    lounge = CategoryFactory(slug="lounge", visibility=Category.Visibility.MEMBERS)
    board = CategoryFactory(slug="board", restricted_to_group=Group.objects.create(name="Board"))
    public = CategoryFactory(slug="open")
    closed = [
        make_thread(category=lounge, author=moderator, title="Lounge thread"),
        make_thread(category=board, author=moderator, title="Board thread"),
    ]
    hidden = make_thread(category=public, title="Hidden thread")
    Post.objects.filter(thread=hidden, depth=0).update(is_hidden=True)
    shown = make_thread(category=public, title="Shown thread")

    client.force_login(moderator)  # the sitemap is the same whoever asks
    locations = "\n".join(sitemap_entries(client))
    for thread in [*closed, hidden]:
        assert thread.get_absolute_url() not in locations
    assert shown.get_absolute_url() in locations
    assert "/forum/c/open/" in locations
    assert "/forum/c/lounge/" not in locations
    assert "/forum/c/board/" not in locations


def test_kb_pages_stay_in_the_sitemap_beside_the_forum(client):
    page = kb_factories.case_study(title="A public case")
    make_thread()
    locations = "\n".join(sitemap_entries(client))
    assert page.url in locations
    assert "/forum/t/" in locations


def test_the_sitemap_costs_the_same_queries_for_few_or_many_threads(client):
    category = CategoryFactory()
    make_thread(category=category)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/sitemap.xml")
        return len(queries)

    few = count()
    for _ in range(15):
        make_thread(category=category)
    assert count() == few


PUBLIC_ORIGIN = "https://hub.example.org"


def test_under_production_settings_forum_locations_use_site_url():
    """As the KB's sitemap test: SITE_URL changed after migrate, requests through the proxy."""
    import runpy

    from wagtail.models import Site

    thread = make_thread(title="Outage texts")
    overrides = {
        "DEBUG": False,
        "SITE_URL": PUBLIC_ORIGIN,
        "WAGTAILADMIN_BASE_URL": PUBLIC_ORIGIN,
        "ALLOWED_HOSTS": ["hub.example.org", "internal.example"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    }
    try:
        with override_settings(**overrides):
            runpy.run_module("config.wsgi")  # the server starts, as gunicorn starts it
            # A request through another host name still gets the public addresses.
            server = Client(HTTP_HOST="internal.example", HTTP_X_FORWARDED_PROTO="https")
            locations = list(sitemap_entries(server))
    finally:
        Site.clear_site_root_paths_cache()
    assert f"{PUBLIC_ORIGIN}{thread.get_absolute_url()}" in locations
    assert f"{PUBLIC_ORIGIN}{thread.category.get_absolute_url()}" in locations
    forum = [location for location in locations if "/forum/" in location]
    assert forum
    assert all(location.startswith(f"{PUBLIC_ORIGIN}/") for location in forum)
