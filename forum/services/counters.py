"""The denormalised counters of threads and categories: the one place that moves them.

``Thread.post_count``/``reply_count``/``last_activity_at``/``last_post`` and
``Category.thread_count``/``post_count``/``last_activity_at``/``last_post`` let list and
thread pages avoid COUNT(*) and MAX() (see the models' docstrings). Every writer of posts
(the posting services, the bulk seeder) calls these functions inside its transaction, so the
rules live here once:

- counts only grow by what was added, with ``F()`` expressions (no lost updates under
  concurrent writers);
- the latest activity wins: a batch whose newest post is older than what the row already
  records leaves ``last_activity_at``/``last_post`` alone.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When

from forum.models import Category, Post, Thread


def _latest(at: datetime, post_id: int) -> dict:
    """``last_activity_at`` and ``last_post`` updates that keep whichever is newer."""
    newer = Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=at)
    return {
        "last_activity_at": Case(
            When(newer, then=Value(at)),
            default=F("last_activity_at"),
            output_field=DateTimeField(),
        ),
        "last_post_id": Case(
            When(newer, then=Value(post_id)),
            default=F("last_post_id"),
            output_field=IntegerField(),
        ),
    }


def category_counters_add(
    *,
    category_id: int,
    threads: int = 0,
    posts: int,
    last_post_id: int | None = None,
    last_activity_at: datetime | None = None,
) -> None:
    """Count ``threads`` new threads and ``posts`` new posts (opening posts included) in the
    category; ``last_post_id`` and ``last_activity_at`` name the newest of the new posts."""
    changes = {"thread_count": F("thread_count") + threads, "post_count": F("post_count") + posts}
    if last_post_id is not None and last_activity_at is not None:
        changes.update(_latest(last_activity_at, last_post_id))
    Category.objects.filter(pk=category_id).update(**changes)


def thread_counters_add_reply(*, thread: Thread, reply: Post) -> None:
    """Count ``reply``, just written, on its thread and on the thread's category.

    ``thread`` (locked by the caller) is updated in memory too, so the caller can go on using
    it.
    """
    Thread.objects.filter(pk=thread.pk).update(
        post_count=F("post_count") + 1,
        reply_count=F("reply_count") + 1,
        **_latest(reply.created_at, reply.pk),
    )
    thread.post_count += 1
    thread.reply_count += 1
    if thread.last_activity_at is None or thread.last_activity_at < reply.created_at:
        thread.last_activity_at = reply.created_at
        thread.last_post = reply
    category_counters_add(
        category_id=thread.category_id,
        posts=1,
        last_post_id=reply.pk,
        last_activity_at=reply.created_at,
    )


def thread_counters_recount(*, thread_id: int) -> None:
    """Recompute a thread's counters from its posts, after moderation moved or hid some.

    ``post_count`` (every post), ``reply_count`` (visible replies), ``vote_score`` (the
    opening post's) and the newest visible post. A few queries whatever the thread's size;
    moderation is rare, so it recounts rather than adjusting.
    """
    posts = Post.objects.filter(thread_id=thread_id)
    opening = posts.filter(depth=0).values_list("vote_score", flat=True).first()
    newest = (
        posts.filter(is_hidden=False)
        .order_by("-created_at", "-id")
        .values_list("pk", "created_at")
        .first()
    )
    changes = {
        "post_count": posts.count(),
        "reply_count": posts.filter(depth__gt=0, is_hidden=False).count(),
        "vote_score": opening or 0,
    }
    if newest is not None:
        changes["last_post_id"], changes["last_activity_at"] = newest
    Thread.objects.filter(pk=thread_id).update(**changes)


def category_counters_recount(*, category_id: int) -> None:
    """Recompute a category's thread and post counts and newest visible post from its
    threads (after a thread moved in or out, or was merged away)."""
    threads = Thread.objects.filter(category_id=category_id)
    newest = (
        Post.objects.filter(thread__category_id=category_id, is_hidden=False)
        .order_by("-created_at", "-id")
        .values_list("pk", "created_at")
        .first()
    )
    changes = {
        "thread_count": threads.count(),
        "post_count": Post.objects.filter(thread__category_id=category_id).count(),
        "last_post_id": newest[0] if newest else None,
        "last_activity_at": newest[1] if newest else None,
    }
    Category.objects.filter(pk=category_id).update(**changes)


def thread_revisions_bump(*, thread_ids: Iterable[int]) -> None:
    """Move on the ``revision`` of each thread in ``thread_ids``: what its pages show has
    changed, so the visitor pages cached under the old revision are never served again
    (``forum.thread_page_cache``). Called by the forum's receivers (``forum.receivers``) in
    the changing transaction, after the thread is locked (``forum.services.locks``)."""
    ids = sorted(set(thread_ids))
    if ids:
        Thread.objects.filter(pk__in=ids).update(revision=F("revision") + 1)
