"""Reads of the read-tracking state: what is new for a member, at a fixed number of queries.

What counts as new for a member, for one thread (the same rule everywhere):

1. the member marked the thread's category read after its last activity: nothing is new;
2. else, the member has read the thread up to position n: the posts numbered above n
   (``Thread.post_count - n``; hidden posts count, as they keep their place in the thread);
3. else, the member marked the category read at some time: the posts written since;
4. else, the member never opened the thread: it is new, all of it.

Visitors (not signed in) have no read state: nothing is marked new for them and these
selectors cost them no query.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from forum.models import Category, CategoryRead, Post, Thread, ThreadRead
from members.roles import AnyUser


def _last_read_position(user: AnyUser, thread_ref: str = "pk") -> Subquery:
    return Subquery(
        ThreadRead.objects.filter(member_id=user.pk, thread_id=OuterRef(thread_ref)).values(
            "last_read_position"
        )[:1],
        output_field=IntegerField(),
    )


def _marked_at(user: AnyUser, category_ref: str = "category_id") -> Subquery:
    return Subquery(
        CategoryRead.objects.filter(member_id=user.pk, category_id=OuterRef(category_ref)).values(
            "marked_at"
        )[:1]
    )


def _posts_since_marker() -> Coalesce:
    """Posts of the outer thread written after its ``read_marked_at`` annotation."""
    return Coalesce(
        Subquery(
            Post.objects.filter(thread_id=OuterRef("pk"), created_at__gt=OuterRef("read_marked_at"))
            .order_by()
            .values("thread_id")
            .annotate(count=Count("pk"))
            .values("count")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_read_state(threads: QuerySet[Thread], user: AnyUser) -> QuerySet[Thread]:
    """``threads`` annotated, in the same query, with ``user``'s read state:

    - ``read_last_position``: how far they read (None: never opened);
    - ``read_marked_at``: when they marked the category read (None: never);
    - ``unread_count``: how many posts are new to them (module docstring).

    Visitors get ``threads`` unchanged.
    """
    if not user.is_authenticated:
        return threads
    return threads.annotate(
        read_last_position=_last_read_position(user),
        read_marked_at=_marked_at(user),
    ).annotate(
        unread_count=Case(
            When(read_marked_at__gte=F("last_activity_at"), then=Value(0)),
            When(
                read_last_position__isnull=False,
                then=Greatest(F("post_count") - F("read_last_position"), Value(0)),
            ),
            When(read_marked_at__isnull=False, then=_posts_since_marker()),
            default=F("post_count"),
            output_field=IntegerField(),
        )
    )


def _is_unread() -> Q:
    """The threads (annotated by ``with_read_state``'s first step) with something new."""
    return (Q(read_marked_at__isnull=True) | Q(read_marked_at__lt=F("last_activity_at"))) & (
        Q(read_last_position__isnull=True) | Q(read_last_position__lt=F("post_count"))
    )


def annotate_unread_thread_counts(categories: list[Category], user: AnyUser) -> None:
    """Set ``unread_thread_count`` on each category: how many of its threads have something
    new for ``user``. One query for all the categories (none for visitors, who get 0)."""
    for category in categories:
        category.unread_thread_count = 0
    if not user.is_authenticated or not categories:
        return
    by_pk = {category.pk: category for category in categories}
    counts = (
        Thread.objects.filter(category_id__in=by_pk)
        .annotate(read_last_position=_last_read_position(user), read_marked_at=_marked_at(user))
        .filter(_is_unread())
        .order_by()
        .values("category_id")
        .annotate(count=Count("pk"))
        .values_list("category_id", "count")
    )
    for category_pk, count in counts:
        by_pk[category_pk].unread_thread_count = count


@dataclass(frozen=True)
class ThreadReadState:
    """What is new in one thread for one reader (see the module docstring)."""

    last_read_position: int | None = None
    marked_at: datetime | None = None
    unread_count: int = 0
    first_unread_post_id: int | None = None
    is_tracked: bool = False  # False for visitors: no state at all

    @property
    def never_read(self) -> bool:
        return self.is_tracked and self.last_read_position is None and self.marked_at is None


def thread_read_state(user: AnyUser, thread: Thread) -> ThreadReadState:
    """``user``'s read state of ``thread``, with the first post new to them: one query
    (none for visitors).

    The query selects the two markers and the three figures the rule may need; the rule of
    the module docstring (``with_read_state``'s ``unread_count``) is applied here in Python,
    so the query is not compiled with each marker subquery repeated in a ``CASE``."""
    if not user.is_authenticated:
        return ThreadReadState()
    first_after_read = Post.objects.filter(
        thread_id=OuterRef("pk"), position__gt=OuterRef("read_last_position")
    )
    first_after_marker = Post.objects.filter(
        thread_id=OuterRef("pk"), created_at__gt=OuterRef("read_marked_at")
    )
    row = (
        Thread.objects.filter(pk=thread.pk)
        .annotate(read_last_position=_last_read_position(user), read_marked_at=_marked_at(user))
        .annotate(
            posts_since_marker=_posts_since_marker(),
            first_after_read=Subquery(first_after_read.order_by("position").values("pk")[:1]),
            first_after_marker=Subquery(first_after_marker.order_by("position").values("pk")[:1]),
        )
        .order_by()
        .values(
            "post_count",
            "last_activity_at",
            "read_last_position",
            "read_marked_at",
            "posts_since_marker",
            "first_after_read",
            "first_after_marker",
        )
        .first()
    )
    if row is None:
        return ThreadReadState(is_tracked=True)
    position, marked_at = row["read_last_position"], row["read_marked_at"]
    if marked_at is not None and marked_at >= row["last_activity_at"]:
        unread = 0
    elif position is not None:
        unread = max(row["post_count"] - position, 0)
    elif marked_at is not None:
        unread = row["posts_since_marker"]
    else:
        unread = row["post_count"]
    first_unread = None
    if unread:
        if position is not None:
            first_unread = row["first_after_read"]
        elif marked_at is not None:
            first_unread = row["first_after_marker"]
    return ThreadReadState(
        last_read_position=position,
        marked_at=marked_at,
        unread_count=unread,
        first_unread_post_id=first_unread,
        is_tracked=True,
    )
