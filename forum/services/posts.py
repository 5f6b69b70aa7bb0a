"""Replying to threads and posts, and editing posts (with edit history)."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import signals
from forum.models import Post, PostRevision, Thread
from forum.permissions import can_edit_post, can_read_category, reply_refusal
from forum.services.activity import activity_post_created, activity_post_edited
from forum.services.content import (
    clean_body,
    clean_title,
    mentions_record,
    parse_submission_key,
    receipt_find,
    receipt_store,
    recent_duplicate_post,
)
from forum.services.counters import thread_counters_add_reply
from forum.services.limits import REPLY, posting_limits_check, probation_links_check
from forum.services.locks import post_thread_lock
from forum.services.reads import thread_read_own_post
from forum.services.threads import thread_slug
from forum.tree import MAX_TREE_DEPTH, ROOT_PATH, child_path, parent_path
from markup import FORUM_POST, render_markdown
from members.models import User
from members.roles import is_moderator
from members.services.moderation_log import moderation_log_record
from members.services.suspensions import suspension_check


def _lock_thread(thread_id: int) -> Thread:
    """Re-read the thread under a row lock: replies to one thread are numbered one at a time."""
    return (
        Thread.objects.select_for_update(of=("self",)).select_related("category").get(pk=thread_id)
    )


@transaction.atomic
def post_reply(
    *,
    author: User,
    thread: Thread,
    body: str,
    parent: Post | None = None,
    submission_key: uuid.UUID | str | None = None,
) -> Post:
    """Reply to ``parent`` (a post in ``thread``), or to the thread itself if it is None.

    Keeps the counters right: the thread's and category's post and reply counts and last
    activity, and the parent's child count (the next path segment). A repeated submit (the
    same ``submission_key``, or the same text to the same post moments apart) returns the
    reply already made instead of a duplicate.
    """
    thread = _lock_thread(thread.pk)
    if not can_read_category(author, thread.category):
        raise PermissionDenied(_("This thread does not exist or is not open to you."))
    refusal = reply_refusal(author, thread)
    if refusal:
        raise PermissionDenied(refusal)
    suspension_check(author)
    body = clean_body(body)

    if parent is None:
        parent = Post.objects.get(thread=thread, path=ROOT_PATH)
    else:
        parent = Post.objects.filter(pk=parent.pk).first()
        if parent is None or parent.thread_id != thread.pk:
            raise ValidationError({"parent": _("You can only reply to a post in this thread.")})
        if parent.is_hidden and not is_moderator(author):
            raise ValidationError(
                {
                    "parent": _(
                        "That post has been hidden by a moderator; reply to the thread instead."
                    )
                }
            )

    key = parse_submission_key(submission_key)
    receipt = receipt_find(user=author, key=key)
    if receipt is not None:
        return receipt.post
    duplicate = recent_duplicate_post(author=author, parent=parent, body=body)
    if duplicate is not None:
        return duplicate

    # Past MAX_TREE_DEPTH the reply becomes a sibling of the post it answers; ``parent``
    # still records which post that was.
    anchor = parent
    if parent.depth >= MAX_TREE_DEPTH:
        anchor = Post.objects.get(thread=thread, path=parent_path(parent.path))
    path = child_path(anchor.path, anchor.reply_count)
    depth = anchor.depth + 1
    branch_id = None if depth == 1 else (anchor.branch_id or anchor.pk)

    rendered = render_markdown(body, FORUM_POST)
    posting_limits_check(author=author, action=REPLY, body_html=rendered.html)
    now = timezone.now()
    Post.objects.filter(pk=anchor.pk).update(reply_count=F("reply_count") + 1)
    post = Post.objects.create(
        thread=thread,
        author=author,
        parent=parent,
        branch_id=branch_id,
        path=path,
        depth=depth,
        position=thread.post_count + 1,
        body=body,
        body_html=rendered.html,
        created_at=now,
    )
    thread_counters_add_reply(thread=thread, reply=post)
    thread_read_own_post(member=author, post=post)
    post.thread = thread
    mentions_record(post=post, handles=rendered.mentions)
    receipt_store(user=author, key=key, post=post)
    activity_post_created(post=post)
    signals.post_saved.send(sender=Post, post=post, created=True)
    signals.thread_saved.send(sender=Thread, thread=thread, created=False)
    return post


@transaction.atomic
def post_edit(
    *,
    editor: User,
    post: Post,
    body: str,
    title: str | None = None,
    expected_edit_count: int | None = None,
) -> Post:
    """Replace a post's text (and, for an opening post, the thread's title).

    The previous text is kept as a ``PostRevision``. An edit that changes nothing writes
    nothing. ``expected_edit_count`` is the ``edit_count`` the editor's form was based on:
    if someone else saved an edit in between, the edit is refused rather than overwriting it.
    """
    post_thread_lock(post.pk)
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__category")
        .get(pk=post.pk)
    )
    thread = post.thread
    if not can_read_category(editor, thread.category):
        raise PermissionDenied(_("This post does not exist or is not open to you."))
    if not can_edit_post(editor, post):
        if thread.is_locked:
            raise PermissionDenied(_("This thread is locked: its posts can no longer be edited."))
        raise PermissionDenied(_("You can only edit your own posts."))
    suspension_check(editor)
    if expected_edit_count is not None and expected_edit_count != post.edit_count:
        raise ValidationError(
            {
                "body": _(
                    "This post was changed while you were editing it. Your text is below; "
                    "compare it with the current version and save again."
                )
            }
        )
    body = clean_body(body)
    new_title = clean_title(title) if (title is not None and post.is_opening) else thread.title
    if body == post.body and new_title == thread.title:
        return post

    now = timezone.now()
    PostRevision.objects.create(
        post=post,
        number=post.edit_count + 1,
        title=thread.title if post.is_opening else "",
        body=post.body,
        body_html=post.body_html,
        written_at=post.edited_at or post.created_at,
        replaced_at=now,
        replaced_by=editor,
    )
    rendered = render_markdown(body, FORUM_POST)
    probation_links_check(editor=editor, post=post, body_html=rendered.html)
    post.body = body
    post.body_html = rendered.html
    post.edited_at = now
    post.edit_count += 1
    post.save(update_fields=["body", "body_html", "edited_at", "edit_count"])
    if new_title != thread.title:
        thread.title = new_title
        thread.slug = thread_slug(new_title)
        thread.save(update_fields=["title", "slug"])
    mentions_record(post=post, handles=rendered.mentions)
    if editor.pk != post.author_id:  # a moderator's edit: the audit log records it too
        moderation_log_record(
            actor=editor,
            action="post_edit",
            target_type="forum.post",
            target_id=post.pk,
            target_label=thread.title,
            before={"revision": post.edit_count},
            after={"revision": post.edit_count + 1},
        )
    activity_post_edited(post=post)
    signals.post_saved.send(sender=Post, post=post, created=False)
    if post.is_opening:
        signals.thread_saved.send(sender=Thread, thread=thread, created=False)
    return post
