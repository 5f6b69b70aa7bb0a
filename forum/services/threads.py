"""Starting threads."""

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page

from forum import signals
from forum.models import Category, Post, Thread
from forum.permissions import can_post_in_category, can_read_category
from forum.services.activity import activity_post_created
from forum.services.content import (
    DUPLICATE_WINDOW,
    clean_body,
    clean_title,
    mentions_record,
    parse_submission_key,
    receipt_find,
    receipt_store,
)
from forum.services.counters import category_counters_add
from forum.services.limits import THREAD, posting_limits_check
from forum.tree import ROOT_PATH
from markup import FORUM_POST, render_markdown
from members.models import User
from members.services.suspensions import suspension_check
from taxonomy.models import Region, Topic

MAX_TOPICS = 5
MAX_REGIONS = 5
MAX_KB_PAGES = 10
SLUG_MAX_LENGTH = 80
# Thread URLs are /forum/t/<id>/<slug>/; these words name actions at the same place.
RESERVED_SLUGS = frozenset({"reply", "unaccept", "moderate", "flag", "promote"})


def thread_slug(title: str) -> str:
    slug = slugify(title)[:SLUG_MAX_LENGTH].strip("-") or "thread"
    return f"{slug}-thread" if slug in RESERVED_SLUGS else slug


@transaction.atomic
def thread_create(
    *,
    author: User,
    category: Category,
    title: str,
    body: str,
    topics: Iterable[Topic] = (),
    regions: Iterable[Region] = (),
    kb_pages: Iterable[Page] = (),
    submission_key: uuid.UUID | str | None = None,
) -> Thread:
    """Start a thread in ``category`` with ``body`` as its opening post.

    The thread is a question in a Q&A category and a discussion otherwise. A repeated submit
    (the same ``submission_key``, or the same title and text from the same author moments
    apart) returns the thread already created instead of a second one.
    """
    # Locking the category serialises thread creation in it, so two racing double-submits
    # cannot both miss each other's receipt.
    category = Category.objects.select_for_update().get(pk=category.pk)
    if not can_read_category(author, category):
        raise PermissionDenied(_("This category does not exist or is not open to you."))
    if not can_post_in_category(author, category):
        raise PermissionDenied(_("Your account cannot start threads in this category."))
    suspension_check(author)
    title = clean_title(title)
    body = clean_body(body)
    topics, regions, kb_pages = list(topics), list(regions), list(kb_pages)
    if len(topics) > MAX_TOPICS:
        raise ValidationError(
            {"topics": _("Choose at most %(limit)s topics.") % {"limit": MAX_TOPICS}}
        )
    if len(regions) > MAX_REGIONS:
        raise ValidationError(
            {"regions": _("Choose at most %(limit)s regions.") % {"limit": MAX_REGIONS}}
        )
    if len(kb_pages) > MAX_KB_PAGES:
        raise ValidationError(
            {"kb_pages": _("Link at most %(limit)s pages.") % {"limit": MAX_KB_PAGES}}
        )

    key = parse_submission_key(submission_key)
    receipt = receipt_find(user=author, key=key)
    if receipt is not None:
        return receipt.thread
    duplicate = (
        Thread.objects.filter(
            category=category,
            author=author,
            title=title,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
            posts__depth=0,
            posts__body=body,
        )
        .order_by("-id")
        .first()
    )
    if duplicate is not None:
        return duplicate

    rendered = render_markdown(body, FORUM_POST)
    posting_limits_check(author=author, action=THREAD, body_html=rendered.html)
    now = timezone.now()
    thread = Thread.objects.create(
        category=category,
        author=author,
        title=title,
        slug=thread_slug(title),
        kind=Thread.Kind.QUESTION if category.is_questions else Thread.Kind.DISCUSSION,
        created_at=now,
        last_activity_at=now,
        post_count=1,
    )
    post = Post.objects.create(
        thread=thread,
        author=author,
        path=ROOT_PATH,
        depth=0,
        position=1,
        body=body,
        body_html=rendered.html,
        created_at=now,
    )
    thread.last_post = post
    thread.save(update_fields=["last_post"])
    if topics:
        thread.topics.set(topics)
    if regions:
        thread.regions.set(regions)
    if kb_pages:
        thread.kb_pages.set(kb_pages)
    category_counters_add(
        category_id=category.pk, threads=1, posts=1, last_post_id=post.pk, last_activity_at=now
    )
    mentions_record(post=post, handles=rendered.mentions)
    receipt_store(user=author, key=key, post=post)
    activity_post_created(post=post)
    signals.post_saved.send(sender=Post, post=post, created=True)
    signals.thread_saved.send(sender=Thread, thread=thread, created=True)
    return thread
