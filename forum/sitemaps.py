"""The forum's part of ``/sitemap.xml``: public categories and public threads.

Only what a visitor can read is listed (``forum.selectors.public_threads``): never a thread of
a members-only or group-restricted category, never one whose opening post is hidden. A
thread's ``lastmod`` is its last activity. Locations are absolute on ``settings.SITE_URL``,
like the knowledge-base entries, whatever host the request came through.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from forum.models import Category, Thread
from forum.selectors.public_threads import public_categories, public_threads


class SiteUrlSitemap(Sitemap):
    """A sitemap whose locations start with ``SITE_URL`` rather than the request's host."""

    def get_urls(self, page=1, site=None, protocol=None):
        address = urlsplit(settings.SITE_URL)
        return self._urls(page, address.scheme, address.netloc)


class ForumCategorySitemap(SiteUrlSitemap):
    def items(self):
        return public_categories().only("id", "slug", "last_activity_at").order_by("pk")

    def lastmod(self, category: Category):
        return category.last_activity_at


class ForumThreadSitemap(SiteUrlSitemap):
    def items(self):
        return public_threads().only("id", "slug", "last_activity_at").order_by("pk")

    def lastmod(self, thread: Thread):
        return thread.last_activity_at


FORUM_SITEMAPS = {"forum-categories": ForumCategorySitemap, "forum-threads": ForumThreadSitemap}
