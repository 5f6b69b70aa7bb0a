"""Reads for the thread page: a constant number of queries however long the thread.

Queries for one page view: the thread with its category (1), its topics, regions and linked
KB pages (1, a UNION), one page of posts with their authors' and their parents' authors' names
(1) and, for a signed-in member, their votes on those posts (1). Counts come from
denormalised counters, and post HTML was rendered when the post was saved.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from forum.models import Post, Thread, Vote
from forum.permissions import (
    can_accept_answer,
    can_edit_post,
    can_read_category,
    can_vote,
    reply_refusal,
)
from members.models import User
from members.roles import AnyUser, is_moderator
from pagination import PageWindow, page_window

POSTS_PER_PAGE = 100  # as the peers were measured (design.md section 7)


def posts_per_page() -> int:
    """``settings.FORUM_POSTS_PER_PAGE`` if set (tests use small pages), else 100."""
    return getattr(settings, "FORUM_POSTS_PER_PAGE", POSTS_PER_PAGE)


# Replies indent one step per level up to this many steps; deeper ones line up at the last
# step and say which post they answer.
MAX_INDENT = 6


class ThreadView:
    NESTED = "nested"
    CHRONOLOGICAL = "chronological"
    CHOICES = ((NESTED, _("Nested")), (CHRONOLOGICAL, _("Oldest first")))

    @classmethod
    def parse(cls, value: str | None) -> str:
        return value if value in (cls.NESTED, cls.CHRONOLOGICAL) else cls.NESTED


# What ``User.public_name`` reads.
USER_FIELDS = ("id", "display_name", "first_name", "last_name", "deleted_at")
POST_FIELDS = (
    "id",
    "thread_id",
    "author_id",
    "parent_id",
    "depth",
    "position",
    "body_html",
    "created_at",
    "edited_at",
    "edit_count",
    "is_hidden",
    "hidden_reason",
    "vote_score",
)
# Authors' names (of the post and of the post it answers) as plain values: building a model
# instance per post for each would cost more than the whole page's markup.
AUTHOR_ANNOTATIONS = {
    **{f"writer_{name}": F(f"author__{name}") for name in USER_FIELDS[1:]},
    "writer_organisation": F("author__profile__organisation"),
    **{f"parent_author_{name}": F(f"parent__author__{name}") for name in USER_FIELDS},
}


@dataclass(slots=True)
class PostView:
    """The fields of a ``Post`` the thread page shows, read with ``values()``.

    Building 100 model instances per page costs more than rendering them; this carries the
    same attribute names (so permission checks and ``forum.post_markup`` accept either).
    """

    id: int
    thread_id: int
    author_id: int | None
    parent_id: int | None
    depth: int
    position: int
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    edit_count: int
    is_hidden: bool
    hidden_reason: str
    vote_score: int
    writer_display_name: str | None
    writer_first_name: str | None
    writer_last_name: str | None
    writer_deleted_at: datetime | None
    writer_organisation: str | None
    parent_author_id: int | None
    parent_author_display_name: str | None
    parent_author_first_name: str | None
    parent_author_last_name: str | None
    parent_author_deleted_at: datetime | None
    thread: Thread | None = None

    @property
    def pk(self) -> int:
        return self.id


def public_name(post: PostView, prefix: str, pk: int | None) -> str | None:
    """``User.public_name`` from a post's ``<prefix>_*`` annotations; None without an author."""
    if pk is None:
        return None
    user = User(
        id=pk,
        display_name=getattr(post, f"{prefix}_display_name") or "",
        first_name=getattr(post, f"{prefix}_first_name") or "",
        last_name=getattr(post, f"{prefix}_last_name") or "",
        deleted_at=getattr(post, f"{prefix}_deleted_at"),
    )
    return user.public_name


@dataclass(frozen=True)
class ReplyContext:
    """The post a reply answers, for "in reply to <name>"."""

    post_id: int
    author_name: str | None  # None: the author's account is gone


def _reply_context(post: PostView) -> ReplyContext:
    name = public_name(post, "parent_author", post.parent_author_id)
    return ReplyContext(post_id=post.parent_id, author_name=name)


@dataclass(frozen=True)
class Label:
    """A topic, region or linked KB page as the thread page shows it."""

    id: int
    name: str
    slug: str = ""
    url: str = ""


@dataclass
class ThreadLabels:
    topics: list[Label] = field(default_factory=list)
    regions: list[Label] = field(default_factory=list)
    kb_pages: list[Label] = field(default_factory=list)


def thread_labels(thread: Thread, request: HttpRequest | None = None) -> ThreadLabels:
    """The thread's topics, regions and KB links in ONE query (a UNION over the link tables).

    Linked KB pages cost one more query, only when there are any, to keep just the live and
    publicly viewable ones (a members-only page's title must not leak to visitors).
    """
    topics = (
        Thread.topics.through.objects.filter(thread_id=thread.pk)
        .annotate(kind=Value("topic"))
        .values_list("kind", "topic_id", "topic__name", "topic__slug", "topic__sort_order")
    )
    regions = (
        Thread.regions.through.objects.filter(thread_id=thread.pk)
        .annotate(kind=Value("region"))
        .values_list("kind", "region_id", "region__name", "region__slug", "region__sort_order")
    )
    pages = (
        Thread.kb_pages.through.objects.filter(thread_id=thread.pk)
        .annotate(kind=Value("page"), blank=Value(""), zero=Value(0))
        .values_list("kind", "page_id", "page__title", "blank", "zero")
    )
    labels = ThreadLabels()
    page_ids = []
    for kind, pk, name, slug, _order in sorted(
        topics.union(regions, pages, all=True), key=lambda row: (row[4], row[2])
    ):
        if kind == "topic":
            labels.topics.append(Label(id=pk, name=name, slug=slug))
        elif kind == "region":
            labels.regions.append(Label(id=pk, name=name, slug=slug))
        else:
            page_ids.append(pk)
    if page_ids:
        for page in Page.objects.live().public().filter(pk__in=page_ids).order_by("title"):
            url = page.get_url(request)
            if url:
                labels.kb_pages.append(Label(id=page.pk, name=page.title, url=url))
    return labels


def readable_thread(user: AnyUser, pk: int) -> Thread | None:
    """The thread with its category (one query), or None if missing or not visible."""
    thread = Thread.objects.select_related("category").filter(pk=pk).first()
    if thread is None or not can_read_category(user, thread.category):
        return None
    return thread


def readable_post(user: AnyUser, pk: int) -> Post | None:
    """The post with its thread and category, or None if missing or not visible."""
    post = Post.objects.select_related("thread__category", "author").filter(pk=pk).first()
    if post is None or not can_read_category(user, post.thread.category):
        return None
    return post


def ordered_posts(thread: Thread, view: str) -> QuerySet[Post]:
    """The thread's posts in display order for ``view``.

    Nested: tree order. In a question the branches are ranked: the question first, then the
    accepted answer with its comments, then the other answers by score (oldest first on ties),
    each followed by its comments in tree order.
    Chronological: the order written.
    """
    posts = Post.objects.filter(thread_id=thread.pk)
    if view == ThreadView.CHRONOLOGICAL:
        return posts.order_by("position")
    if not thread.is_question:
        return posts.order_by("path")
    accepted = thread.accepted_answer_id
    rank_whens = [When(depth=0, then=Value(0))]
    if accepted is not None:
        rank_whens.append(When(Q(pk=accepted) | Q(branch_id=accepted), then=Value(1)))
    return posts.annotate(
        rank_group=Case(*rank_whens, default=Value(2), output_field=IntegerField()),
        branch_score=Coalesce("branch__vote_score", "vote_score"),
        branch_key=Coalesce("branch_id", "id"),
    ).order_by("rank_group", "-branch_score", "branch_key", "path")


def post_page_number(post: Post, view: str) -> int:
    """Which page of ``view`` shows ``post`` (for permalinks)."""
    if view == ThreadView.CHRONOLOGICAL:
        index = post.position - 1
    elif not post.thread.is_question:
        index = Post.objects.filter(thread_id=post.thread_id, path__lt=post.path).count()
    else:
        ids = list(ordered_posts(post.thread, view).values_list("id", flat=True))
        index = ids.index(post.pk)
    return index // posts_per_page() + 1


@dataclass
class PostRow:
    """A post as the thread page shows it, with what this reader may do to it."""

    post: Post | PostView
    author_name: str | None  # None: no author recorded
    author_organisation: str
    indent: int
    reply_context: ReplyContext | None  # shown as "in reply to <author>" when set
    is_accepted: bool
    my_vote: int
    can_edit: bool
    can_vote: bool
    can_accept: bool
    can_reply: bool
    can_see_history: bool = False  # the edit history link (forum.permissions)


@dataclass(frozen=True)
class ReaderRights:
    """What one reader may do on one thread, worked out once per page, not once per post."""

    user_pk: int | None
    reply_refusal: str | None
    is_moderator: bool
    can_vote: bool  # on others' visible posts
    can_accept: bool  # answers (depth 1, visible) in a question

    @classmethod
    def of(cls, user: AnyUser, thread: Thread) -> "ReaderRights":
        return cls(
            user_pk=user.pk if user.is_authenticated else None,
            reply_refusal=reply_refusal(user, thread),
            is_moderator=is_moderator(user),
            can_vote=can_vote(user) and not thread.is_locked,
            can_accept=can_accept_answer(user, thread),
        )


def post_row(
    post: PostView,
    *,
    thread: Thread,
    user: AnyUser,
    rights: ReaderRights,
    indent: int,
    shows_context: bool,
    my_vote: int,
    names: dict[int | None, str | None],
) -> PostRow:
    """THE way a post becomes a ``PostRow``: the thread page and the inline reply both use it.

    ``names`` caches authors' public names by author id across one page's posts.
    """
    post.thread = thread  # the permission checks read it; no query
    if post.author_id not in names:
        names[post.author_id] = public_name(post, "writer", post.author_id)
    return PostRow(
        post=post,
        author_name=names[post.author_id],
        # A former member's organisation is erased with their profile; never show it.
        author_organisation=(post.writer_organisation or "")
        if post.writer_deleted_at is None
        else "",
        indent=indent,
        reply_context=_reply_context(post) if shows_context else None,
        is_accepted=post.pk == thread.accepted_answer_id,
        my_vote=my_vote,
        can_edit=can_edit_post(user, post) if rights.user_pk else False,
        can_vote=rights.can_vote and post.author_id != rights.user_pk and not post.is_hidden,
        can_accept=rights.can_accept and post.depth == 1 and not post.is_hidden,
        can_reply=rights.reply_refusal is None and (not post.is_hidden or rights.is_moderator),
        can_see_history=bool(post.edit_count)
        and rights.user_pk is not None
        and (rights.is_moderator or (post.author_id == rights.user_pk and not post.is_hidden)),
    )


def _post_views(posts: QuerySet[Post]) -> list[PostView]:
    return [PostView(**values) for values in posts.values(*POST_FIELDS, **AUTHOR_ANNOTATIONS)]


def _my_votes(user: AnyUser, rights: ReaderRights, posts: list[PostView]) -> dict[int, int]:
    if not (rights.can_vote and posts):
        return {}
    return dict(
        Vote.objects.filter(voter=user, post_id__in=[p.pk for p in posts]).values_list(
            "post_id", "value"
        )
    )


def nested_indent(depth: int) -> int:
    return min(max(depth - 1, 0), MAX_INDENT)


@dataclass
class ThreadPage:
    thread: Thread
    view: str
    window: PageWindow
    opening: PostRow | None = None  # the opening post, on the first page only
    rows: list[PostRow] = field(default_factory=list)
    reply_refusal: str | None = None
    can_accept: bool = False
    can_vote: bool = False
    is_moderator: bool = False


def thread_page(
    thread: Thread,
    user: AnyUser,
    *,
    view: str = ThreadView.NESTED,
    page_number: int | str | None = 1,
) -> ThreadPage:
    view = ThreadView.parse(view)
    window = page_window(page_number, thread.post_count, posts_per_page())
    posts = _post_views(ordered_posts(thread, view)[window.slice])
    rights = ReaderRights.of(user, thread)
    my_votes = _my_votes(user, rights, posts)
    on_page = {p.pk for p in posts}
    page = ThreadPage(
        thread=thread,
        view=view,
        window=window,
        reply_refusal=rights.reply_refusal,
        can_accept=rights.can_accept,
        can_vote=rights.can_vote,
        is_moderator=rights.is_moderator,
    )
    names: dict[int | None, str | None] = {}
    for post in posts:
        if post.is_hidden and rights.user_pk is None:
            continue  # visitors see nothing of a hidden post
        if view == ThreadView.NESTED:
            indent = nested_indent(post.depth)
            shows_context = post.depth > MAX_INDENT + 1 or (
                post.depth > 1 and post.parent_id not in on_page
            )
        else:
            indent = 0
            shows_context = post.depth > 1
        row = post_row(
            post,
            thread=thread,
            user=user,
            rights=rights,
            indent=indent,
            shows_context=shows_context,
            my_vote=my_votes.get(post.pk, 0),
            names=names,
        )
        if post.depth == 0:
            page.opening = row
        else:
            page.rows.append(row)
    return page


def inserted_post_row(user: AnyUser, post: Post) -> PostRow:
    """``post`` as the thread page shows it, for inserting it where its parent is (two queries).

    Nested indent; a reply below the first level always says which post it answers, since the
    reader may be on the chronological view.
    """
    thread = post.thread
    views = _post_views(Post.objects.filter(pk=post.pk))
    rights = ReaderRights.of(user, thread)
    return post_row(
        views[0],
        thread=thread,
        user=user,
        rights=rights,
        indent=nested_indent(post.depth),
        shows_context=post.depth > 1,
        my_vote=_my_votes(user, rights, views).get(post.pk, 0),
        names={},
    )
