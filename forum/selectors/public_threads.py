"""The forum content anyone may see, for feeds and the sitemap: threads in public categories
(not members-only, not restricted to a group) whose opening post is not hidden, and their
visible posts. These never depend on who asks: feeds and sitemaps are read without a session.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from forum.models import Category, Post, Thread


def _public_category(prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}visibility": Category.Visibility.PUBLIC,
            f"{prefix}restricted_to_group__isnull": True,
        }
    )


def public_categories() -> QuerySet[Category]:
    """Categories everyone may read."""
    return Category.objects.filter(_public_category(""))


def public_threads() -> QuerySet[Thread]:
    """Threads of public categories whose opening post is visible."""
    hidden_opening = Post.objects.filter(thread_id=OuterRef("pk"), depth=0, is_hidden=True)
    return Thread.objects.filter(_public_category("category__")).exclude(Exists(hidden_opening))


def public_opening_posts() -> QuerySet[Post]:
    """The visible opening posts of threads in public categories, with thread and author."""
    return Post.objects.filter(
        _public_category("thread__category__"), depth=0, is_hidden=False
    ).select_related("thread", "author")


def public_posts(thread: Thread) -> QuerySet[Post]:
    """The visible posts of ``thread`` (the caller checked the thread is public)."""
    return Post.objects.filter(thread=thread, is_hidden=False).select_related("author")
