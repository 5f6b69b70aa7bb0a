"""Moderator actions on posts and threads: hide and restore, lock, pin, close, move, split
and merge.

Every action is one atomic service that checks the moderator (``moderator_check``: the
moderator role and two-factor authentication), changes the forum, sends ``forum.signals``
so the search index follows, and writes one ``members.models.ModerationLog`` row (with the
fields before and after) through ``members.services.moderation_log``. Refusals are Django's
``PermissionDenied`` / ``ValidationError`` with a sentence for the moderator; a refused
action changes nothing.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum import signals
from forum.models import Category, Flag, Post, Thread, ThreadRedirect
from forum.services.content import clean_title
from forum.services.counters import category_counters_recount, thread_counters_recount
from forum.services.locks import post_thread_lock
from forum.services.threads import thread_slug
from forum.tree import MAX_TREE_DEPTH, ROOT_PATH, child_path
from markup import multiline_text
from members.models import User
from members.roles import AnyUser, is_moderator, mfa_satisfied
from members.services.moderation_log import moderation_log_record
from members.services.notifications import notification_create

REASON_MAX_LENGTH = 500

POST = "forum.post"
THREAD = "forum.thread"


def moderator_refusal(user: AnyUser) -> str | None:
    """Why ``user`` may not use moderator tools (a sentence), or None if they may."""
    if not user.is_authenticated or not is_moderator(user):
        return _("Only moderators can do this.")
    if not mfa_satisfied(user):
        return _(
            "Moderator tools need two-factor authentication. Set up an authenticator app "
            "in your account's security settings, then try again."
        )
    return None


def moderator_check(user: AnyUser) -> None:
    """Raise ``PermissionDenied`` with the reason unless ``user`` may moderate."""
    refusal = moderator_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)


def clean_reason(reason: str | None, *, required: bool) -> str:
    # Without control characters (``markup.text``): PostgreSQL cannot store NUL, and some
    # callers pass the POSTed text without a form in front.
    reason = multiline_text(reason).strip()
    if required and not reason:
        raise ValidationError({"reason": _("Give a reason; it is kept in the moderation log.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}}
        )
    return reason


def post_label(post: Post) -> str:
    return _("Post %(number)s in “%(title)s”") % {
        "number": post.position,
        "title": post.thread.title,
    }


def _locked_row(queryset, pk: int, *, missing: str):
    """The row ``pk`` of ``queryset``, locked for this transaction, or a ValidationError."""
    row = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise ValidationError(missing)
    return row


def _lock_post(post_id: int) -> Post:
    post_thread_lock(post_id)
    return _locked_row(
        Post.objects.select_related("thread__category", "author"),
        post_id,
        missing=_("That post no longer exists."),
    )


def _lock_thread(thread_id: int) -> Thread:
    return _locked_row(
        Thread.objects.select_related("category"),
        thread_id,
        missing=_("That thread no longer exists."),
    )


def _send_post_changed(post: Post) -> None:
    signals.post_saved.send(sender=Post, post=post, created=False)
    signals.thread_saved.send(sender=Thread, thread=post.thread, created=False)


def _hidden_state(post: Post) -> dict:
    return {"is_hidden": post.is_hidden, "hidden_reason": post.hidden_reason}


def post_hide_apply(*, post: Post, actor: User | None, reason: str, action: str) -> None:
    """Hide the locked ``post`` and log it (shared by ``post_hide`` and auto-hide).

    The caller holds the post's row lock and has checked permissions. Tells the author why.
    """
    before = _hidden_state(post)
    post.is_hidden = True
    post.hidden_reason = reason
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    thread_counters_recount(thread_id=post.thread_id)
    _send_post_changed(post)
    moderation_log_record(
        actor=actor,
        action=action,
        target_type=POST,
        target_id=post.pk,
        target_label=post_label(post),
        reason=reason,
        before=before,
        after=_hidden_state(post),
    )
    if post.author is not None:
        notification_create(
            recipient=post.author,
            kind="forum.post_hidden",
            title=_("A moderator hid your post in “%(title)s”") % {"title": post.thread.title},
            body=reason,
            url=post.get_absolute_url(),
            actor=actor,
        )


@transaction.atomic
def post_hide(*, moderator: User, post: Post, reason: str) -> Post:
    """Hide ``post``: members see a placeholder, visitors nothing, the author the reason.

    Hiding agrees with the post's open flags: they are resolved as "agree" and their
    flaggers told. Hiding a hidden post is refused.
    """
    moderator_check(moderator)
    reason = clean_reason(reason, required=True)
    post = _lock_post(post.pk)
    if post.is_hidden:
        raise ValidationError(_("This post is already hidden."))
    post_hide_apply(post=post, actor=moderator, reason=reason, action="post_hide")
    from forum.services.flags import flags_resolve_open

    flags_resolve_open(
        moderator=moderator, post=post, resolution=Flag.Resolution.AGREE, note=reason
    )
    return post


@transaction.atomic
def post_restore(*, moderator: User, post: Post, reason: str = "") -> Post:
    """Show a hidden post again; refused for a post that is not hidden."""
    moderator_check(moderator)
    reason = clean_reason(reason, required=False)
    post = _lock_post(post.pk)
    if not post.is_hidden:
        raise ValidationError(_("This post is not hidden."))
    before = _hidden_state(post)
    post.is_hidden = False
    post.hidden_reason = ""
    post.hidden_at = None
    post.hidden_by = None
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    thread_counters_recount(thread_id=post.thread_id)
    _send_post_changed(post)
    moderation_log_record(
        actor=moderator,
        action="post_restore",
        target_type=POST,
        target_id=post.pk,
        target_label=post_label(post),
        reason=reason,
        before=before,
        after=_hidden_state(post),
    )
    return post


# -- thread states ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _ThreadStateChange:
    action: str  # as the moderation log records it
    field: str
    value: bool
    refusal: Promise  # when the thread is already so


THREAD_STATE_CHANGES = {
    "lock": _ThreadStateChange(
        "thread_lock", "is_locked", True, gettext_lazy("This thread is already locked.")
    ),
    "unlock": _ThreadStateChange(
        "thread_unlock", "is_locked", False, gettext_lazy("This thread is not locked.")
    ),
    "pin": _ThreadStateChange(
        "thread_pin", "is_pinned", True, gettext_lazy("This thread is already pinned.")
    ),
    "unpin": _ThreadStateChange(
        "thread_unpin", "is_pinned", False, gettext_lazy("This thread is not pinned.")
    ),
    "close": _ThreadStateChange(
        "thread_close", "is_closed", True, gettext_lazy("This thread is already closed.")
    ),
    "reopen": _ThreadStateChange(
        "thread_reopen", "is_closed", False, gettext_lazy("This thread is not closed.")
    ),
}
"""The thread-state changes by the verb the thread page's moderator forms send. Locked:
no replies, edits or votes. Pinned: shown first in its category. Closed: no new replies
(moderators may still reply)."""


@transaction.atomic
def thread_state_change(
    *, moderator: User, thread: Thread, change: str, reason: str = ""
) -> Thread:
    """Apply one of ``THREAD_STATE_CHANGES`` (``"lock"``, ``"pin"``, ...) and log it; refused
    with a ValidationError for an unknown change or a thread already in that state."""
    moderator_check(moderator)
    if change not in THREAD_STATE_CHANGES:
        raise ValidationError(_("Choose a moderation action."))
    state = THREAD_STATE_CHANGES[change]
    reason = clean_reason(reason, required=False)
    thread = _lock_thread(thread.pk)
    if getattr(thread, state.field) == state.value:
        raise ValidationError(str(state.refusal))
    setattr(thread, state.field, state.value)
    thread.save(update_fields=[state.field])
    signals.thread_saved.send(sender=Thread, thread=thread, created=False)
    moderation_log_record(
        actor=moderator,
        action=state.action,
        target_type=THREAD,
        target_id=thread.pk,
        target_label=thread.title,
        reason=reason,
        before={state.field: not state.value},
        after={state.field: state.value},
    )
    return thread


# -- move, split, merge ----------------------------------------------------------------------


@transaction.atomic
def thread_move(
    *, moderator: User, thread: Thread, category_id: int | None, reason: str = ""
) -> Thread:
    """Move ``thread`` to another category; its visibility follows the new category (the
    search index is told). A missing category, or the current one, is refused."""
    moderator_check(moderator)
    reason = clean_reason(reason, required=False)
    target = Category.objects.filter(pk=category_id).first() if category_id else None
    if target is None:
        raise ValidationError({"category": _("Choose a category that exists.")})
    thread = _lock_thread(thread.pk)
    if target.pk == thread.category_id:
        raise ValidationError({"category": _("The thread is already in that category.")})
    source = thread.category
    thread.category = target
    thread.save(update_fields=["category"])
    for category_pk in sorted((source.pk, target.pk)):
        category_counters_recount(category_id=category_pk)
    signals.thread_saved.send(sender=Thread, thread=thread, created=False)
    moderation_log_record(
        actor=moderator,
        action="thread_move",
        target_type=THREAD,
        target_id=thread.pk,
        target_label=thread.title,
        reason=reason,
        before={"category": source.name, "category_id": source.pk},
        after={"category": target.name, "category_id": target.pk},
    )
    return thread


def _park(posts) -> None:
    """Give ``posts`` (a queryset) placeholder paths and positions no real post has, so they
    can change threads or be renumbered without colliding with another row's values."""
    posts.update(
        path=Concat(Value("~"), Cast("id", CharField())),
        position=F("id") + PARKED_POSITION,
    )


PARKED_POSITION = 1_000_000_000


def _rebuild_tree(thread_id: int, *, root_id: int) -> None:
    """Renumber a thread's posts after posts moved in or out; ``root_id`` is its opening post.

    Paths and depths are rebuilt from ``parent`` (children in the order written), the same
    way ``post_reply`` places a reply (past ``MAX_TREE_DEPTH`` a reply becomes a sibling of
    the post it answers); a post whose parent is no longer in the thread becomes a direct
    reply. ``branch`` and ``reply_count`` follow; positions are renumbered 1..n by date.
    """
    posts = list(Post.objects.filter(thread_id=thread_id).order_by("created_at", "id"))
    by_id = {post.pk: post for post in posts}
    root = by_id[root_id]
    children: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        post.reply_count = 0
        if post.pk == root_id:
            continue
        if post.parent_id not in by_id or post.parent_id == post.pk:
            post.parent_id = root_id
        children[post.parent_id].append(post)
    root.path, root.depth, root.branch_id, root.parent_id = ROOT_PATH, 0, None, None
    placed_under: dict[int, Post] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in children[node.pk]:
            anchor = node if node.depth < MAX_TREE_DEPTH else placed_under[node.pk]
            child.path = child_path(anchor.path, anchor.reply_count)
            anchor.reply_count += 1
            child.depth = anchor.depth + 1
            child.branch_id = None if child.depth == 1 else (anchor.branch_id or anchor.pk)
            placed_under[child.pk] = anchor
            stack.append(child)
    for number, post in enumerate(posts, start=1):
        post.position = number
    _park(Post.objects.filter(thread_id=thread_id))
    Post.objects.bulk_update(
        posts, ["path", "depth", "branch", "parent", "reply_count", "position"], batch_size=500
    )


def _subtree_ids(thread_id: int, roots: Iterable[Post]) -> set[int]:
    ids: set[int] = set()
    for root in roots:
        ids |= set(
            Post.objects.filter(thread_id=thread_id, path__startswith=root.path).values_list(
                "pk", flat=True
            )
        )
    return ids


@transaction.atomic
def thread_split(
    *,
    moderator: User,
    thread: Thread,
    post_ids: Iterable[int],
    title: str,
    reason: str = "",
) -> Thread:
    """Move the selected replies (with the replies under them) into a new thread.

    The earliest moved post becomes the new thread's opening post; authors, dates, votes and
    post ids (so permalinks) are kept. The new thread is in the same category, with the same
    topics and regions. Selecting no
    reply, or the opening post, is refused.
    """
    moderator_check(moderator)
    reason = clean_reason(reason, required=False)
    title = clean_title(title)
    thread = _lock_thread(thread.pk)
    wanted = {int(pk) for pk in post_ids}
    selected = list(Post.objects.filter(thread_id=thread.pk, pk__in=wanted, depth__gt=0))
    if Post.objects.filter(thread_id=thread.pk, pk__in=wanted, depth=0).exists():
        raise ValidationError(_("The opening post stays with its thread; select replies only."))
    if not selected or len(selected) != len(wanted):
        raise ValidationError(_("Select at least one reply of this thread to split off."))
    moving = _subtree_ids(thread.pk, selected)
    first = Post.objects.filter(pk__in=moving).order_by("created_at", "id").first()
    new_thread = Thread.objects.create(
        category=thread.category,
        author=first.author,
        title=title,
        slug=thread_slug(title),
        kind=thread.kind,
        created_at=first.created_at,
        last_activity_at=first.created_at,
    )
    _park(Post.objects.filter(pk__in=moving))
    Post.objects.filter(pk__in=moving).update(thread=new_thread)
    new_thread.topics.set(thread.topics.all())
    new_thread.regions.set(thread.regions.all())
    if thread.accepted_answer_id in moving:
        thread.accepted_answer = None
        thread.save(update_fields=["accepted_answer"])
    opening = Post.objects.get(thread_id=thread.pk, depth=0)
    _rebuild_tree(thread.pk, root_id=opening.pk)
    _rebuild_tree(new_thread.pk, root_id=first.pk)
    thread_counters_recount(thread_id=thread.pk)
    thread_counters_recount(thread_id=new_thread.pk)
    category_counters_recount(category_id=thread.category_id)
    new_thread.refresh_from_db()
    signals.thread_saved.send(sender=Thread, thread=thread, created=False)
    signals.thread_saved.send(sender=Thread, thread=new_thread, created=True)
    moderation_log_record(
        actor=moderator,
        action="thread_split",
        target_type=THREAD,
        target_id=thread.pk,
        target_label=thread.title,
        reason=reason,
        before={"thread_id": thread.pk, "post_ids": sorted(moving)},
        after={"thread_id": new_thread.pk, "title": new_thread.title},
    )
    return new_thread


@transaction.atomic
def thread_merge(
    *, moderator: User, thread: Thread, into_thread_id: int | None, reason: str = ""
) -> Thread:
    """Merge ``thread`` into another: its posts join the target (its opening post becomes a
    reply to the target's opening post), keeping authors, dates, votes and post ids; the
    merged thread's URLs redirect to the target. Merging into itself, or into a missing
    thread, is refused. Returns the target.
    """
    moderator_check(moderator)
    reason = clean_reason(reason, required=False)
    if not into_thread_id:
        raise ValidationError({"into": _("Give the number of the thread to merge into.")})
    if int(into_thread_id) == thread.pk:
        raise ValidationError({"into": _("A thread cannot be merged into itself.")})
    first, second = sorted((thread.pk, int(into_thread_id)))
    locked = {
        t.pk: t
        for t in Thread.objects.select_for_update(of=("self",))
        .select_related("category")
        .filter(pk__in=(first, second))
    }
    if thread.pk not in locked:
        raise ValidationError(_("That thread no longer exists."))
    if int(into_thread_id) not in locked:
        raise ValidationError({"into": _("There is no thread with that number.")})
    source, target = locked[thread.pk], locked[int(into_thread_id)]
    target_root = Post.objects.get(thread_id=target.pk, depth=0)
    source_root = Post.objects.get(thread_id=source.pk, depth=0)
    moved = list(Post.objects.filter(thread_id=source.pk).values_list("pk", flat=True))
    Post.objects.filter(pk=source_root.pk).update(parent=target_root)
    _park(Post.objects.filter(thread_id=source.pk))
    Post.objects.filter(thread_id=source.pk).update(thread=target)
    _rebuild_tree(target.pk, root_id=target_root.pk)
    ThreadRedirect.objects.filter(thread=source).update(thread=target)
    ThreadRedirect.objects.create(old_thread_id=source.pk, thread=target)
    source_category_id, source_pk, source_title = source.category_id, source.pk, source.title
    source.delete()
    thread_counters_recount(thread_id=target.pk)
    for category_pk in sorted({source_category_id, target.category_id}):
        category_counters_recount(category_id=category_pk)
    target.refresh_from_db()
    signals.thread_saved.send(sender=Thread, thread=target, created=False)
    moderation_log_record(
        actor=moderator,
        action="thread_merge",
        target_type=THREAD,
        target_id=source_pk,
        target_label=source_title,
        reason=reason,
        before={"thread_id": source_pk, "post_ids": sorted(moved)},
        after={"thread_id": target.pk, "title": target.title},
    )
    return target
