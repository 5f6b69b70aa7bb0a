"""Following and unfollowing threads, categories, topics and regions, and muting threads.

Every service here is idempotent: following twice leaves one follow, unfollowing something
not followed changes nothing. Visibility is checked again here (views answer 404 first), so
no member ever follows a thread or category they may not read.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import FOLLOW_TARGETS, Category, Follow, Thread
from forum.permissions import can_read_category
from members.models import Profile, User


def _target_filter(target_kind: str, target) -> dict:
    if target_kind not in FOLLOW_TARGETS:
        raise ValidationError(_("You can follow a thread, a category, a topic or a region."))
    return {target_kind: target}


def _check_can_follow(member: User, target_kind: str, target) -> None:
    if not member.is_authenticated or not member.is_active:
        raise PermissionDenied(_("Sign in to follow."))
    category = None
    if target_kind == "thread":
        category = target.category if isinstance(target, Thread) else None
    elif target_kind == "category":
        category = target if isinstance(target, Category) else None
    if target_kind in ("thread", "category") and (
        category is None or not can_read_category(member, category)
    ):
        raise PermissionDenied(_("This does not exist or is not open to you."))


@transaction.atomic
def follow_create(*, member: User, target_kind: str, target) -> Follow:
    """Follow ``target`` (a Thread, Category, Topic or Region named by ``target_kind``).

    Following a muted thread unmutes it. Returns the one follow row, new or existing.
    """
    lookup = _target_filter(target_kind, target)
    _check_can_follow(member, target_kind, target)
    follow, created = Follow.objects.get_or_create(member=member, **lookup)
    if not created and follow.is_muted:
        follow.is_muted = False
        follow.save(update_fields=["is_muted"])
    return follow


@transaction.atomic
def follow_delete(*, member: User, target_kind: str, target) -> bool:
    """Stop following ``target`` (a muted thread is unmuted too); True if a follow was removed."""
    lookup = _target_filter(target_kind, target)
    deleted, _details = Follow.objects.filter(member=member, **lookup).delete()
    return bool(deleted)


@transaction.atomic
def thread_mute(*, member: User, thread: Thread) -> Follow:
    """Silence ``thread`` for ``member``: no replies, mentions or other notifications from it.

    Also stops automatic following from following it again."""
    _check_can_follow(member, "thread", thread)
    follow, created = Follow.objects.get_or_create(
        member=member, thread=thread, defaults={"is_muted": True}
    )
    if not created and not follow.is_muted:
        follow.is_muted = True
        follow.save(update_fields=["is_muted"])
    return follow


@transaction.atomic
def thread_unmute(*, member: User, thread: Thread) -> bool:
    """Undo ``thread_mute``: the member no longer follows the thread either; True if it was
    muted."""
    deleted, _details = Follow.objects.filter(member=member, thread=thread, is_muted=True).delete()
    return bool(deleted)


@transaction.atomic
def follow_thread_auto(*, member: User, thread: Thread) -> Follow | None:
    """Follow a thread the member started or replied to, unless they turned automatic
    following off (``Profile.auto_follow_threads``) or muted the thread. Never unmutes."""
    wanted = (
        Profile.objects.filter(user_id=member.pk)
        .values_list("auto_follow_threads", flat=True)
        .first()
    )
    if wanted is False:
        return None
    follow, _created = Follow.objects.get_or_create(member=member, thread=thread)
    return None if follow.is_muted else follow
