"""The forum's part of a member's privacy rights (registered in ``ForumConfig.ready``).

- "Download my data": the threads, posts (with their Markdown and edit history) and votes
  the member made.
- Account deletion: posts stay (others' replies depend on them) and read "Former member";
  what only served the member is erased: mentions of them, their double-submit receipts and
  their read tracking.
"""

from typing import Any

from forum.models import (
    CategoryRead,
    Flag,
    Follow,
    Post,
    PostMention,
    PostRevision,
    SubmissionReceipt,
    Thread,
    ThreadRead,
    Vote,
)
from members.models import User


def forum_data_export(user: User) -> dict[str, Any]:
    threads = Thread.objects.filter(author=user).select_related("category").order_by("pk")
    posts = Post.objects.filter(author=user).select_related("thread").order_by("pk")
    revisions = PostRevision.objects.filter(post__author=user).order_by("post_id", "number")
    votes = Vote.objects.filter(voter=user).order_by("pk")
    flags = Flag.objects.filter(flagger=user).order_by("pk")
    return {
        "threads": [
            {
                "id": thread.pk,
                "title": thread.title,
                "category": thread.category.name,
                "url": thread.get_absolute_url(),
                "created_at": thread.created_at,
            }
            for thread in threads
        ],
        "posts": [
            {
                "id": post.pk,
                "thread_id": post.thread_id,
                "thread_title": post.thread.title,
                "url": post.get_absolute_url(),
                "body_markdown": post.body,
                "created_at": post.created_at,
                "edited_at": post.edited_at,
            }
            for post in posts
        ],
        "post_revisions": [
            {
                "post_id": revision.post_id,
                "number": revision.number,
                "body_markdown": revision.body,
                "written_at": revision.written_at,
            }
            for revision in revisions
        ],
        "votes": [
            {"post_id": vote.post_id, "value": vote.value, "created_at": vote.created_at}
            for vote in votes
        ],
        "flags": [
            {
                "post_id": flag.post_id,
                "reason": flag.reason,
                "text": flag.text,
                "created_at": flag.created_at,
                "resolution": flag.resolution,
            }
            for flag in flags
        ],
    }


def forum_account_deleting(sender, user: User, **kwargs) -> None:
    """Receiver for ``members.signals.account_deleting`` (inside the deletion transaction)."""
    PostMention.objects.filter(user=user).delete()
    SubmissionReceipt.objects.filter(user=user).delete()
    ThreadRead.objects.filter(member=user).delete()
    CategoryRead.objects.filter(member=user).delete()
    Follow.objects.filter(member=user).delete()
    Flag.objects.filter(flagger=user).delete()  # their own words; the moderation log keeps counts
