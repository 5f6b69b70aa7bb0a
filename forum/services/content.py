"""Input rules shared by the posting services: titles, bodies, duplicate submits, mentions."""

import re
import unicodedata
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Post, PostMention, SubmissionReceipt
from markup import multiline_text, single_line_text
from members.models import User

# A submit repeated within this window with the same text is the same submit.
DUPLICATE_WINDOW = timedelta(minutes=2)
RECEIPT_LIFETIME = timedelta(days=1)


def _has_visible_text(text: str) -> bool:
    return any(
        not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Zs", "Cc") for ch in text
    )


def clean_title(title: str | None) -> str:
    """A thread title on one line with single spaces; raises ValidationError if unusable."""
    title = single_line_text(title)
    if not _has_visible_text(title):
        raise ValidationError({"title": _("Give the thread a title.")})
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {
                "title": _("Keep the title to %(limit)s characters or fewer (it has %(length)s).")
                % {"limit": TITLE_MAX_LENGTH, "length": len(title)}
            }
        )
    return title


def clean_body(body: str | None) -> str:
    """Markdown source with normalised line ends; raises ValidationError if unusable."""
    body = multiline_text(body)
    if not _has_visible_text(body):
        raise ValidationError({"body": _("Write something first: the post is empty.")})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _(
                    "Keep the post to %(limit)s characters or fewer (it has %(length)s). "
                    "Split it into several posts or link to a document."
                )
                % {"limit": f"{BODY_MAX_LENGTH:,}", "length": f"{len(body):,}"}
            }
        )
    return body


def parse_submission_key(key: uuid.UUID | str | None) -> uuid.UUID | None:
    if key is None or isinstance(key, uuid.UUID):
        return key
    try:
        return uuid.UUID(str(key))
    except ValueError:
        return None


def receipt_find(*, user: User, key: uuid.UUID | None) -> SubmissionReceipt | None:
    """The receipt for a form already submitted with ``key``, if any."""
    if key is None:
        return None
    return (
        SubmissionReceipt.objects.select_related("thread", "post")
        .filter(user=user, key=key)
        .first()
    )


def receipt_store(*, user: User, key: uuid.UUID | None, post: Post) -> None:
    """Remember that ``key`` produced ``post``; prune this user's expired receipts."""
    if key is None:
        return
    now = timezone.now()
    SubmissionReceipt.objects.filter(user=user, created_at__lt=now - RECEIPT_LIFETIME).delete()
    SubmissionReceipt.objects.create(
        user=user, key=key, thread_id=post.thread_id, post=post, created_at=now
    )


def recent_duplicate_post(*, author: User, parent: Post, body: str) -> Post | None:
    """The same author's identical reply to the same post, made moments ago, if any."""
    return (
        Post.objects.filter(
            thread_id=parent.thread_id,
            parent=parent,
            author=author,
            body=body,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .order_by("-id")
        .first()
    )


def _handle_pattern(handle: str) -> str:
    """A regex matching display names that ``handle`` mentions ("Mara-Member": "Mara Member")."""
    words = [re.escape(word) for word in re.split(r"[-_.]+", handle) if word]
    return r"^\s*" + r"[\s._-]+".join(words) + r"\s*$"


def mentions_record(*, post: Post, handles: tuple[str, ...]) -> list[User]:
    """Store who ``post`` mentions (replacing earlier mentions); return those members.

    A handle matches a display name ignoring case, with "-", "_" or "." standing for the
    spaces between words. Handles that match nobody are ignored; the author is never recorded
    as mentioning themselves.
    """
    users: list[User] = []
    if handles:
        condition = Q()
        for handle in handles:
            condition |= Q(display_name__iregex=_handle_pattern(handle))
        users = list(User.objects.filter(condition, is_active=True).exclude(pk=post.author_id))
    keep = {user.pk for user in users}
    stale = PostMention.objects.filter(post=post)
    if keep:
        stale = stale.exclude(user_id__in=keep)
    stale.delete()
    PostMention.objects.bulk_create(
        [PostMention(post=post, user=user) for user in users], ignore_conflicts=True
    )
    return users
