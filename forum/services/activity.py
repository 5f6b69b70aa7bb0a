"""Who hears about forum and knowledge-base activity: the notification fan-out.

The posting services call ``activity_post_created`` (and friends) inside their transaction.
That only auto-follows the author and, once the transaction commits, enqueues
``forum.tasks.activity_notify``; the request never waits for the fan-out, however many
followers a thread has. The task then runs ``activity_fan_out``, which creates the
notifications through ``members.services.notifications.notification_create``.

Rules (design.md section 5, issue 12):
- one notification per event and member, however many of their follows match; the most
  specific reason wins: a mention, then a reply to their post, then a reply in their thread,
  then a followed thread, then a followed category, topic or region;
- never for the member's own action, never for content they may not read, never from a
  thread they muted;
- a followed thread tells of new replies; a followed category, topic or region tells of new
  threads there (a followed topic also covers its sub-topics), and a followed topic or
  region of knowledge-base pages newly published with it;
- a post hidden before the fan-out runs notifies nobody.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from forum.models import Category, Follow, Post, PostMention, Thread
from forum.notification_access import THREAD_KEY_PREFIX
from forum.services.follows import follow_thread_auto
from kb.access import is_members_only
from kb.models import KnowledgePage
from members.models import User
from members.roles import ADMIN, ALL_ROLES, MODERATOR
from members.services.notifications import notification_create

logger = logging.getLogger("forum.activity")

EVENT_POST = "post"
EVENT_MENTIONS = "mentions"
EVENT_ACCEPTED = "accepted"
EVENT_KB_PAGE = "kb_page"
EVENTS = (EVENT_POST, EVENT_MENTIONS, EVENT_ACCEPTED, EVENT_KB_PAGE)

BODY_EXCERPT_CHARS = 280


def _enqueue(event: str, object_id: int, actor_id: int | None = None) -> None:
    def enqueue() -> None:
        from forum.tasks import activity_notify

        activity_notify.enqueue(event=event, object_id=object_id, actor_id=actor_id)

    transaction.on_commit(enqueue)


# ---- Called by the forum's services, inside their transactions ----


def activity_post_created(*, post: Post) -> None:
    """A thread was started (``post`` is its opening post) or a reply was written."""
    if post.author_id is not None:
        follow_thread_auto(member=post.author, thread=post.thread)
    _enqueue(EVENT_POST, post.pk)


def activity_post_edited(*, post: Post) -> None:
    """An edit may add mentions: tell the newly mentioned members (once each)."""
    _enqueue(EVENT_MENTIONS, post.pk)


def activity_answer_accepted(*, answer: Post, by: User) -> None:
    _enqueue(EVENT_ACCEPTED, answer.pk, actor_id=by.pk)


def activity_kb_page_published(*, page_id: int, actor_id: int | None = None) -> None:
    """A knowledge-base page went live: tell the followers of its topics and regions."""
    _enqueue(EVENT_KB_PAGE, page_id, actor_id=actor_id)


# ---- The fan-out, run by forum.tasks.activity_notify ----


@dataclass(frozen=True)
class Reason:
    kind: str
    title: str


def readers_among(category: Category, user_ids) -> set[int]:
    """The ids among ``user_ids`` that may read ``category``, in one query.

    The same rule as ``forum.permissions.can_read_category``, for many users at once.
    """
    users = User.objects.filter(pk__in=list(user_ids), is_active=True, deleted_at__isnull=True)
    if category.visibility != Category.Visibility.PUBLIC:
        users = users.filter(Q(is_superuser=True) | Q(groups__name__in=ALL_ROLES))
    if category.restricted_to_group_id is not None:
        users = users.filter(
            Q(is_superuser=True)
            | Q(groups__name__in=(MODERATOR, ADMIN))
            | Q(groups__pk=category.restricted_to_group_id)
        )
    return set(users.values_list("pk", flat=True).distinct())


def _followers(**lookup) -> list[int]:
    return list(
        Follow.objects.filter(is_muted=False, **lookup)
        .values_list("member_id", flat=True)
        .distinct()
    )


def _excerpt(post: Post) -> str:
    return Truncator(" ".join(strip_tags(post.body_html).split())).chars(BODY_EXCERPT_CHARS)


def _post_reasons(post: Post, event: str) -> dict[int, Reason]:
    """Who should hear of ``post`` and why, most specific reason first."""
    thread = post.thread
    actor_name = post.author.public_name if post.author else ""
    title = {"thread": thread.title, "name": actor_name}
    reasons: dict[int, Reason] = {}

    def add(user_ids, reason: Reason) -> None:
        for user_id in user_ids:
            if user_id is not None:
                reasons.setdefault(user_id, reason)

    mentioned = PostMention.objects.filter(post=post, notified_at__isnull=True)
    add(
        mentioned.values_list("user_id", flat=True),
        Reason("forum.mention", _("%(name)s mentioned you in “%(thread)s”") % title),
    )
    if event == EVENT_MENTIONS:
        return reasons
    if not post.is_opening:
        if post.parent is not None and not post.parent.is_opening:
            add(
                [post.parent.author_id],
                Reason("forum.reply", _("%(name)s replied to your post in “%(thread)s”") % title),
            )
        add(
            [thread.author_id],
            Reason(
                "forum.reply",
                (
                    _("%(name)s answered your question “%(thread)s”")
                    if thread.is_question
                    else _("%(name)s replied to your thread “%(thread)s”")
                )
                % title,
            ),
        )
        add(
            _followers(thread=thread),
            Reason("forum.thread_activity", _("%(name)s replied in “%(thread)s”") % title),
        )
        return reasons
    # A new thread: followers of its category, topics (and their parents) and regions.
    new_thread = Reason(
        "forum.new_thread",
        _("New thread in %(category)s: “%(thread)s”")
        % {"category": thread.category.name, "thread": thread.title},
    )
    add(_followers(category_id=thread.category_id), new_thread)
    topic_ids = set()
    for topic_id, parent_id in thread.topics.values_list("pk", "parent_id"):
        topic_ids.update(i for i in (topic_id, parent_id) if i is not None)
    if topic_ids:
        add(_followers(topic_id__in=topic_ids), new_thread)
    region_ids = list(thread.regions.values_list("pk", flat=True))
    if region_ids:
        add(_followers(region_id__in=region_ids), new_thread)
    return reasons


def _deliver(
    reasons: dict[int, Reason],
    *,
    actor: User | None,
    url: str,
    body: str,
    group_key: str,
    group_title: str,
) -> int:
    users = User.objects.filter(pk__in=list(reasons), is_active=True)
    created = 0
    for user in users:
        reason = reasons[user.pk]
        notification = notification_create(
            recipient=user,
            kind=reason.kind,
            title=reason.title,
            url=url,
            body=body,
            actor=actor,
            group_key=group_key,
            group_title=group_title,
        )
        created += notification is not None
    return created


def _thread_group(thread: Thread) -> dict:
    return {"group_key": f"{THREAD_KEY_PREFIX}{thread.pk}", "group_title": thread.title}


def _fan_out_post(post_id: int, event: str) -> int:
    post = (
        Post.objects.select_related("thread__category", "author", "parent")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.is_hidden:
        return 0
    thread = post.thread
    reasons = _post_reasons(post, event)
    excluded = set(
        Follow.objects.filter(thread=thread, is_muted=True).values_list("member_id", flat=True)
    )
    excluded.add(post.author_id)
    candidates = {user_id: r for user_id, r in reasons.items() if user_id not in excluded}
    readable = readers_among(thread.category, candidates)
    candidates = {user_id: r for user_id, r in candidates.items() if user_id in readable}
    PostMention.objects.filter(post=post, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    return _deliver(
        candidates,
        actor=post.author,
        url=post.get_absolute_url(),
        body=_excerpt(post),
        **_thread_group(thread),
    )


def _fan_out_accepted(answer_id: int, actor_id: int | None) -> int:
    answer = Post.objects.select_related("thread__category").filter(pk=answer_id).first()
    if answer is None or answer.author_id is None:
        return 0
    thread = answer.thread
    if thread.accepted_answer_id != answer.pk or answer.author_id == actor_id:
        return 0
    if Follow.objects.filter(thread=thread, member_id=answer.author_id, is_muted=True).exists():
        return 0
    if answer.author_id not in readers_among(thread.category, [answer.author_id]):
        return 0
    reason = Reason(
        "forum.answer_accepted",
        _("Your answer to “%(thread)s” was accepted") % {"thread": thread.title},
    )
    return _deliver(
        {answer.author_id: reason},
        actor=User.objects.filter(pk=actor_id).first() if actor_id else None,
        url=answer.get_absolute_url(),
        body="",
        **_thread_group(thread),
    )


def _fan_out_kb_page(page_id: int, actor_id: int | None) -> int:
    page = KnowledgePage.objects.live().filter(pk=page_id).first()
    if page is None:
        return 0
    reasons: dict[int, Reason] = {}
    reason = Reason(
        "kb.page_published",
        _("New in the knowledge base: “%(title)s”") % {"title": page.title},
    )
    topic_ids = set()
    for topic_id, parent_id in page.topics.values_list("pk", "parent_id"):
        topic_ids.update(i for i in (topic_id, parent_id) if i is not None)
    region_ids = list(page.regions.values_list("pk", flat=True))
    for user_id in _followers(topic_id__in=topic_ids) + _followers(region_id__in=region_ids):
        reasons.setdefault(user_id, reason)
    reasons.pop(actor_id, None)
    if reasons and is_members_only(page):
        readers = set(
            User.objects.filter(pk__in=list(reasons))
            .filter(Q(is_superuser=True) | Q(groups__name__in=ALL_ROLES))
            .values_list("pk", flat=True)
        )
        reasons = {user_id: r for user_id, r in reasons.items() if user_id in readers}
    first_topic = page.topics.order_by("name").first()
    group = (
        {"group_key": f"taxonomy.topic:{first_topic.pk}", "group_title": first_topic.name}
        if first_topic
        else {"group_key": "kb.pages", "group_title": _("Knowledge base")}
    )
    url = page.get_url() or ""
    if url and not url.startswith(("/", "http://", "https://")):
        url = ""
    return _deliver(
        reasons,
        actor=User.objects.filter(pk=actor_id).first() if actor_id else None,
        url=url,
        body=page.summary,
        **group,
    )


@transaction.atomic
def activity_fan_out(*, event: str, object_id: int, actor_id: int | None = None) -> int:
    """Create the notifications for one event; return how many were created."""
    if event in (EVENT_POST, EVENT_MENTIONS):
        return _fan_out_post(object_id, event)
    if event == EVENT_ACCEPTED:
        return _fan_out_accepted(object_id, actor_id)
    if event == EVENT_KB_PAGE:
        return _fan_out_kb_page(object_id, actor_id)
    raise ValueError(f"Unknown activity event {event!r}")
