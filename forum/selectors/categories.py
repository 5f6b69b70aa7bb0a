"""Reads for the forum home and category pages, each a constant number of queries."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from forum.models import Category, Thread
from forum.permissions import readable_categories
from forum.selectors.reads import with_read_state
from members.roles import AnyUser
from pagination import PageWindow, page_window
from taxonomy.models import Region, Topic

THREADS_PER_PAGE = 30


def threads_per_page() -> int:
    """``settings.FORUM_THREADS_PER_PAGE`` if set (tests use small pages), else 30."""
    return getattr(settings, "FORUM_THREADS_PER_PAGE", THREADS_PER_PAGE)


# What ``User.public_name`` reads: loading only these keeps author names at no extra query.
USER_NAME_FIELDS = ("display_name", "first_name", "last_name", "deleted_at")


def _user_fields(prefix: str) -> list[str]:
    return [f"{prefix}__{name}" for name in ("id", *USER_NAME_FIELDS)]


def category_list(user: AnyUser) -> list[Category]:
    """The categories ``user`` may read, with their latest post and its author (one query)."""
    return list(
        readable_categories(user)
        .select_related("last_post__author", "last_post__thread")
        .only(
            "id",
            "name",
            "slug",
            "description",
            "sort_order",
            "visibility",
            "guests_can_post",
            "restricted_to_group",
            "mode",
            "thread_count",
            "post_count",
            "last_activity_at",
            "last_post__id",
            "last_post__created_at",
            "last_post__author",
            *_user_fields("last_post__author"),
            "last_post__thread__id",
            "last_post__thread__title",
            "last_post__thread__slug",
        )
        .order_by("sort_order", "name")
    )


class ThreadSort:
    ACTIVE = "active"
    NEWEST = "newest"
    TOP = "top"
    UNANSWERED = "unanswered"
    CHOICES = (
        (ACTIVE, _("Latest activity")),
        (NEWEST, _("Newest")),
        (TOP, _("Top")),
        (UNANSWERED, _("Unanswered")),
    )
    ORDERINGS = {
        ACTIVE: ("-is_pinned", "-last_activity_at", "-id"),
        NEWEST: ("-is_pinned", "-created_at", "-id"),
        TOP: ("-is_pinned", "-vote_score", "-last_activity_at", "-id"),
        UNANSWERED: ("-is_pinned", "-created_at", "-id"),
    }


@dataclass
class ThreadListPage:
    threads: list[Thread]
    window: PageWindow
    sort: str
    topic: Topic | None
    region: Region | None
    topics: list[Topic]
    regions: list[Region]


def thread_list_queryset(category: Category) -> QuerySet[Thread]:
    """Threads of a category with what a list row shows, in one query plus two prefetches."""
    return (
        Thread.objects.filter(category=category)
        .select_related("author", "last_post__author")
        .only(
            "id",
            "category_id",
            "title",
            "slug",
            "kind",
            "is_pinned",
            "is_locked",
            "is_closed",
            "accepted_answer_id",
            "post_count",
            "reply_count",
            "vote_score",
            "created_at",
            "last_activity_at",
            "author",
            *_user_fields("author"),
            "last_post__id",
            "last_post__created_at",
            "last_post__author",
            *_user_fields("last_post__author"),
        )
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("id", "name", "slug")),
            Prefetch("regions", queryset=Region.objects.only("id", "name", "slug")),
        )
    )


def category_thread_page(
    category: Category,
    *,
    sort: str = ThreadSort.ACTIVE,
    topic_slug: str = "",
    region_slug: str = "",
    page_number: int | str | None = 1,
    reader: AnyUser | None = None,
) -> ThreadListPage:
    """One page of a category's threads, sorted and filtered.

    Unfiltered lists take their size from ``Category.thread_count``; a filtered list costs one
    COUNT on the (indexed) filtered threads. Either way the query count does not grow with the
    number of threads. With a signed-in ``reader`` each thread also carries their read state
    (``forum.selectors.reads.with_read_state``), in the same query.
    """
    if sort not in ThreadSort.ORDERINGS:
        sort = ThreadSort.ACTIVE
    topics = list(Topic.objects.only("id", "name", "slug", "parent_id"))
    regions = list(Region.objects.only("id", "name", "slug"))
    topic = next((t for t in topics if t.slug == topic_slug), None)
    region = next((r for r in regions if r.slug == region_slug), None)

    threads = thread_list_queryset(category)
    filtered = False
    if topic is not None:
        # A parent topic also finds threads tagged with its children.
        family = [topic.pk] + [t.pk for t in topics if t.parent_id == topic.pk]
        threads = threads.filter(topics__in=family)
        filtered = True
    if region is not None:
        threads = threads.filter(regions=region)
        filtered = True
    if sort == ThreadSort.UNANSWERED:
        threads = threads.filter(reply_count=0)
        filtered = True
    if topic is not None and len(family) > 1:
        threads = threads.distinct()

    total = threads.count() if filtered else category.thread_count
    window = page_window(page_number, total, threads_per_page())
    ordered = threads.order_by(*ThreadSort.ORDERINGS[sort])
    if reader is not None:
        ordered = with_read_state(ordered, reader)
    page_threads = list(ordered[window.slice])
    return ThreadListPage(
        threads=page_threads,
        window=window,
        sort=sort,
        topic=topic,
        region=region,
        topics=topics,
        regions=regions,
    )
