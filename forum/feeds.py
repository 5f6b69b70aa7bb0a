"""Atom feeds of public forum content: new threads per category, topic and region, and the
posts of one thread.

Feeds are read without a session, so they carry public content only, whoever asks: threads of
public categories (never members-only or group-restricted ones, not even in a topic or region
feed), never a hidden post (``forum.selectors.public_threads``). A feed of a category or
thread that is not public answers 404, like a missing one.

Entry content is the post's stored, sanitised ``body_html`` (never Markdown rendered again).
Absolute links start with ``settings.SITE_URL``, like canonical links. Entry ids are the
permanent short addresses (``/forum/t/<id>/``, ``/forum/p/<id>/``), which do not change when a
title (and so the slug) does.
"""

import re
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forum.models import Category, Post, Thread
from forum.selectors.public_threads import public_opening_posts, public_posts
from members.models import FORMER_MEMBER_NAME
from taxonomy.models import Region, Topic

FEED_LENGTH = 30
# The C0 controls XML 1.0 cannot carry (Django refuses to write them, a 500). Member text is
# stored without them (``markup.text``); names and descriptions typed in the admin are not.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(value):
    """``value`` without the characters XML 1.0 cannot carry, if it is text."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def absolute_url(path: str) -> str:
    """``path`` on the public site (``SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


class ContentAtomFeed(Atom1Feed):
    """Atom with the whole entry as ``<content type="html">`` instead of a ``<summary>``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("content", item["description"], {"type": "html"})


class PostFeed(Feed):
    """What every forum feed shares: items are ``Post``s (with thread and author loaded)."""

    feed_type = ContentAtomFeed
    url_name = ""  # the feed's own URL name, taking ``url_kwargs(obj)``

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}

    def get_feed(self, obj, request: HttpRequest):
        feed = super().get_feed(obj, request)
        feed.feed = {name: xml_safe(value) for name, value in feed.feed.items()}
        feed.items = [
            {name: xml_safe(value) for name, value in item.items()} for item in feed.items
        ]
        return feed

    def feed_url(self, obj) -> str:
        return absolute_url(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    def feed_guid(self, obj) -> str:
        return self.feed_url(obj)

    def item_description(self, post: Post) -> str:
        # Stored HTML, sanitised by the Markdown pipeline when the post was saved.
        return post.body_html

    def item_author_name(self, post: Post) -> str:
        return post.author.public_name if post.author_id else str(FORMER_MEMBER_NAME)

    def item_pubdate(self, post: Post) -> datetime:
        return post.created_at

    def item_updateddate(self, post: Post) -> datetime:
        return post.edited_at or post.created_at

    def item_link(self, post: Post) -> str:
        return absolute_url(post.get_absolute_url())


class NewThreadsFeed(PostFeed):
    """The newest public threads matching the feed's object; entries are opening posts."""

    def threads_filter(self, obj) -> dict:
        raise NotImplementedError

    def items(self, obj) -> list[Post]:
        posts = public_opening_posts().filter(**self.threads_filter(obj))
        return list(posts.distinct().order_by("-created_at", "-pk")[:FEED_LENGTH])

    def item_title(self, post: Post) -> str:
        return post.thread.title

    def item_link(self, post: Post) -> str:
        return absolute_url(post.thread.get_absolute_url())

    def item_guid(self, post: Post) -> str:
        return absolute_url(reverse("forum:thread_short", kwargs={"pk": post.thread_id}))

    item_guid_is_permalink = False


class CategoryFeed(NewThreadsFeed):
    url_name = "forum:category_feed"

    def get_object(self, request: HttpRequest, slug: str) -> Category:
        category = get_object_or_404(Category, slug=slug)
        if not category.is_public:
            raise Http404("No such feed.")
        return category

    def title(self, category: Category) -> str:
        return _("%(category)s · Forum") % {"category": category.name}

    def subtitle(self, category: Category) -> str:
        return category.description or _("New threads in %(category)s.") % {
            "category": category.name
        }

    def link(self, category: Category) -> str:
        return absolute_url(category.get_absolute_url())

    def threads_filter(self, category: Category) -> dict:
        return {"thread__category": category}


class TaxonomyFeed(NewThreadsFeed):
    """New threads tagged with a taxonomy term (``model``, found by slug); the feed's link is
    the forum's home, which lists every category."""

    model: type[Topic | Region]

    def get_object(self, request: HttpRequest, slug: str) -> Topic | Region:
        return get_object_or_404(self.model, slug=slug)

    def link(self, term: Topic | Region) -> str:
        return absolute_url(reverse("forum:home"))


class TopicFeed(TaxonomyFeed):
    """Threads tagged with the topic or one of its sub-topics."""

    url_name = "forum:topic_feed"
    model = Topic

    def title(self, topic: Topic) -> str:
        return _("Forum threads on %(topic)s") % {"topic": topic.name}

    def threads_filter(self, topic: Topic) -> dict:
        family = [topic.pk, *Topic.objects.filter(parent=topic).values_list("pk", flat=True)]
        return {"thread__topics__in": family}


class RegionFeed(TaxonomyFeed):
    url_name = "forum:region_feed"
    model = Region

    def title(self, region: Region) -> str:
        return _("Forum threads in %(region)s") % {"region": region.name}

    def threads_filter(self, region: Region) -> dict:
        return {"thread__regions": region}


class ThreadFeed(PostFeed):
    """The newest visible posts of one public thread."""

    url_name = "forum:thread_feed"

    def url_kwargs(self, thread: Thread) -> dict:
        return {"pk": thread.pk}

    def get_object(self, request: HttpRequest, pk: int) -> Thread:
        thread = get_object_or_404(Thread.objects.select_related("category"), pk=pk)
        if not thread.category.is_public or thread.posts.filter(depth=0, is_hidden=True).exists():
            raise Http404("No such feed.")
        return thread

    def title(self, thread: Thread) -> str:
        return thread.title

    def subtitle(self, thread: Thread) -> str:
        return _("Posts in “%(title)s”, %(category)s.") % {
            "title": thread.title,
            "category": thread.category.name,
        }

    def link(self, thread: Thread) -> str:
        return absolute_url(thread.get_absolute_url())

    def items(self, thread: Thread) -> list[Post]:
        posts = list(public_posts(thread).order_by("-position")[:FEED_LENGTH])
        for post in posts:
            post.thread = thread
        return posts

    def item_title(self, post: Post) -> str:
        if post.is_opening:
            return post.thread.title
        return _("Reply by %(author)s") % {"author": self.item_author_name(post)}

    def item_guid(self, post: Post) -> str:
        return absolute_url(post.get_absolute_url())

    item_guid_is_permalink = False
