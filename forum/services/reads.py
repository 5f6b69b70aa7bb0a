"""Recording what members have read: a thread up to a post, or a whole category at once."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Category, CategoryRead, Post, Thread, ThreadRead
from forum.permissions import can_read_category
from members.models import User

# ``previous_position`` not given: the service finds out itself (one more query).
UNKNOWN = object()


@transaction.atomic
def thread_read_mark(
    *,
    member: User,
    thread: Thread,
    position: int,
    previous_position: int | None | object = UNKNOWN,
) -> None:
    """Record that ``member`` has seen ``thread``'s posts up to ``position``.

    The recorded position never goes down: marking an earlier position changes nothing.
    ``position`` is clamped to the thread's posts (1..``post_count``).

    ``previous_position`` is what the caller already read of the member's row (``None``: no
    row). With it the service writes with one query: an UPDATE when a row exists, else an
    INSERT that yields to a row written meanwhile (that read then advances on the next
    view). The thread page passes it, so recording a read costs one write query at most.
    Visitors (not signed in) are ignored.
    """
    if not member.is_authenticated:
        return
    position = max(1, min(position, thread.post_count))
    now = timezone.now()
    if previous_position is UNKNOWN:
        if _advance(member, thread, position, now):
            return
        if ThreadRead.objects.filter(member=member, thread=thread).exists():
            return  # already read at least this far
    elif previous_position is not None:
        if position > previous_position:
            _advance(member, thread, position, now)
        return
    ThreadRead.objects.bulk_create(
        [ThreadRead(member=member, thread=thread, last_read_position=position, read_at=now)],
        ignore_conflicts=True,
    )


@transaction.atomic
def thread_read_own_post(*, member: User, post: Post) -> None:
    """A member's own new post is not new to them: if they had read ``post``'s thread up to
    the post before it, their read moves past it (one UPDATE; nothing if they had unread
    posts before it, which stay unread)."""
    ThreadRead.objects.filter(
        member=member, thread_id=post.thread_id, last_read_position=post.position - 1
    ).update(last_read_position=post.position, read_at=timezone.now())


def _advance(member: User, thread: Thread, position: int, now) -> bool:
    """Raise an existing row to ``position``; whether a row was raised."""
    return bool(
        ThreadRead.objects.filter(
            member=member, thread=thread, last_read_position__lt=position
        ).update(last_read_position=position, read_at=now)
    )


@transaction.atomic
def category_mark_all_read(*, member: User, category: Category) -> CategoryRead:
    """Mark every thread of ``category`` read for ``member``, as of now.

    Threads with no activity since count as read (``CategoryRead``); the member's existing
    thread reads in the category move to the thread's last post, so a later reply counts as
    exactly one new post. Raises ``PermissionDenied`` for a visitor or a category the member
    may not read.
    """
    if not member.is_authenticated or not can_read_category(member, category):
        raise PermissionDenied(_("This category does not exist or is not open to you."))
    now = timezone.now()
    marker, _created = CategoryRead.objects.update_or_create(
        member=member, category=category, defaults={"marked_at": now}
    )
    ThreadRead.objects.filter(member=member, thread__category=category).update(
        last_read_position=Subquery(
            Thread.objects.filter(pk=OuterRef("thread_id")).values("post_count")[:1]
        ),
        read_at=now,
    )
    return marker
