"""A member's public forum contributions, for their profile page (``members.contributions``).

Only threads and posts in public categories are listed, so a profile never reveals
members-only discussions. One query per source.
"""

from django.utils.translation import gettext as _

from forum.models import Category, Post, Thread
from members.contributions import Contribution
from members.models import User


def _public(prefix: str) -> dict:
    return {
        f"{prefix}visibility": Category.Visibility.PUBLIC,
        f"{prefix}restricted_to_group__isnull": True,
    }


def recent_public_threads(user: User, limit: int) -> list[Contribution]:
    threads = (
        Thread.objects.filter(author=user, **_public("category__"))
        .only("id", "title", "slug", "kind", "created_at")
        .order_by("-created_at")[:limit]
    )
    return [
        Contribution(
            title=thread.title,
            url=thread.get_absolute_url(),
            date=thread.created_at,
            kind=thread.get_kind_display(),
        )
        for thread in threads
    ]


def recent_public_replies(user: User, limit: int) -> list[Contribution]:
    posts = (
        Post.objects.filter(
            author=user, depth__gt=0, is_hidden=False, **_public("thread__category__")
        )
        .select_related("thread")
        .only("id", "created_at", "thread__id", "thread__title")
        .order_by("-created_at")[:limit]
    )
    return [
        Contribution(
            title=_("Re: %(title)s") % {"title": post.thread.title},
            url=post.get_absolute_url(),
            date=post.created_at,
            kind=_("Reply"),
        )
        for post in posts
    ]
