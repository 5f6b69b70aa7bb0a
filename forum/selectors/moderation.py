"""Reads for the moderator screens: the review queue and the moderation log.

Both cost a constant number of queries however many items a page holds: the queue reads one
page of flagged posts (with thread, category, author and profile), then all their open flags,
their authors' post history and suspensions in one query each.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet

from forum.models import Flag, Post
from members.models import ModerationLog, Suspension
from pagination import PagedList, PageWindow, paginate

QUEUE_PAGE_SIZE = 25
LOG_PAGE_SIZE = 50


@dataclass
class AuthorHistory:
    """What a moderator weighs about a post's author."""

    posts: int = 0
    hidden_posts: int = 0
    agreed_flags: int = 0
    suspension: Suspension | None = None


@dataclass
class QueueItem:
    """One flagged post in the queue, with its open flags and its author's history."""

    post: Post
    flags: list[Flag] = field(default_factory=list)
    history: AuthorHistory = field(default_factory=AuthorHistory)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """(label, count) of the open flags' reasons, most frequent first."""
        counts: dict[str, int] = {}
        for flag in self.flags:
            label = flag.get_reason_display()
            counts[label] = counts.get(label, 0) + 1
        return sorted(counts.items(), key=lambda item: -item[1])


@dataclass
class Queue:
    window: PageWindow
    items: list[QueueItem]


def flagged_posts() -> QuerySet[Post]:
    """Posts with open flags, longest waiting first."""
    return (
        Post.objects.filter(flags__resolution="")
        .annotate(open_flags=Count("flags", filter=Q(flags__resolution="")))
        .annotate(first_flagged_at=Min("flags__created_at", filter=Q(flags__resolution="")))
        .select_related("thread__category", "author__profile")
        .order_by("first_flagged_at", "pk")
    )


def author_histories(author_ids: set[int]) -> dict[int, AuthorHistory]:
    """Each author's post count, hidden posts, flags upheld against them and suspension in
    force: three queries for any number of authors."""
    histories = {pk: AuthorHistory() for pk in author_ids}
    if not author_ids:
        return histories
    rows = (
        Post.objects.filter(author_id__in=author_ids)
        .values("author_id")
        .annotate(total=Count("pk"), hidden=Count("pk", filter=Q(is_hidden=True)))
    )
    for row in rows:
        histories[row["author_id"]].posts = row["total"]
        histories[row["author_id"]].hidden_posts = row["hidden"]
    agreed = (
        Flag.objects.filter(post__author_id__in=author_ids, resolution=Flag.Resolution.AGREE)
        .values("post__author_id")
        .annotate(total=Count("pk"))
    )
    for row in agreed:
        histories[row["post__author_id"]].agreed_flags = row["total"]
    for suspension in Suspension.objects.active().filter(user_id__in=author_ids):
        history = histories[suspension.user_id]
        if history.suspension is None or suspension.ends_at is None:
            history.suspension = suspension
    return histories


def review_queue(page_number: int | str | None) -> Queue:
    """One page of the review queue: open flags grouped by post."""
    paged: PagedList[Post] = paginate(flagged_posts(), page_number, QUEUE_PAGE_SIZE)
    items = [QueueItem(post=post) for post in paged.items]
    by_post = {item.post.pk: item for item in items}
    if by_post:
        open_flags = (
            Flag.objects.filter(post_id__in=by_post, resolution="")
            .select_related("flagger")
            .order_by("created_at", "pk")
        )
        for flag in open_flags:
            by_post[flag.post_id].flags.append(flag)
    histories = author_histories({item.post.author_id for item in items if item.post.author_id})
    for item in items:
        if item.post.author_id:
            item.history = histories[item.post.author_id]
    return Queue(window=paged.window, items=items)


def open_flags_on(post: Post) -> list[Flag]:
    return list(
        Flag.objects.filter(post=post, resolution="").select_related("flagger").order_by("pk")
    )


@dataclass(frozen=True)
class LogFilters:
    actor: str = ""  # part of the actor's display name, or their id
    action: str = ""
    target_type: str = ""
    target: str = ""  # the target's id, or part of its label

    @classmethod
    def parse(cls, query) -> "LogFilters":
        def value(name: str, limit: int) -> str:
            return (query.get(name) or "").strip()[:limit]

        return cls(
            actor=value("actor", 100),
            action=value("action", 40),
            target_type=value("target_type", 40),
            target=value("target", 200),
        )

    def as_query(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}


def moderation_log(filters: LogFilters, page_number: int | str | None) -> PagedList[ModerationLog]:
    """The moderation log, newest first, filtered by actor, action and target."""
    entries = ModerationLog.objects.select_related("actor")
    if filters.actor:
        if filters.actor.isdigit():
            entries = entries.filter(actor_id=int(filters.actor))
        else:
            entries = entries.filter(
                Q(actor__display_name__icontains=filters.actor)
                | Q(actor__first_name__icontains=filters.actor)
                | Q(actor__last_name__icontains=filters.actor)
            )
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.target_type:
        entries = entries.filter(target_type=filters.target_type)
    if filters.target:
        if filters.target.isdigit():
            entries = entries.filter(target_id=int(filters.target))
        else:
            entries = entries.filter(target_label__icontains=filters.target)
    return paginate(entries.order_by("-created_at", "-pk"), page_number, LOG_PAGE_SIZE)


def log_actions() -> list[str]:
    """The actions that appear in the log, for the filter's choices (one query)."""
    return list(
        ModerationLog.objects.order_by("action").values_list("action", flat=True).distinct()
    )
