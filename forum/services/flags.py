"""Flagging posts, resolving flags, and hiding a post automatically after enough flags.

A member flags a post with a reason; the post's author is never told. Moderators work the
open flags in the review queue (``forum.views.moderation``) and resolve them: agree, disagree
or defer. Every flagger is then notified of the outcome.

Auto-hide: when at least ``FORUM_FLAG_AUTO_HIDE_THRESHOLD`` members (default 3) whose trust
level is ``FORUM_FLAG_AUTO_HIDE_MIN_TRUST`` (default 2, "member") or more hold open flags on a
post, it is hidden until a moderator reviews it. Flags of members on probation and basic
trust never count. Disagreeing with the flags of an automatically hidden post shows it again.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Flag, Post
from forum.permissions import can_read_category
from forum.services.locks import post_thread_lock
from forum.services.moderation import (
    clean_reason,
    moderator_check,
    post_hide_apply,
    post_label,
    post_restore,
)
from markup import multiline_text
from members.models import TrustLevel, User
from members.roles import role_names
from members.services.moderation_log import moderation_log_record
from members.services.notifications import notification_create
from members.services.suspensions import suspension_check

FLAG_TEXT_MAX_LENGTH = 1000
DEFAULT_AUTO_HIDE_THRESHOLD = 3
DEFAULT_AUTO_HIDE_MIN_TRUST = TrustLevel.MEMBER


def auto_hide_threshold() -> int:
    return int(getattr(settings, "FORUM_FLAG_AUTO_HIDE_THRESHOLD", DEFAULT_AUTO_HIDE_THRESHOLD))


def auto_hide_min_trust() -> int:
    return int(getattr(settings, "FORUM_FLAG_AUTO_HIDE_MIN_TRUST", DEFAULT_AUTO_HIDE_MIN_TRUST))


@transaction.atomic
def flag_create(*, flagger: User, post: Post, reason: str, text: str = "") -> Flag:
    """Flag ``post`` for moderators. ``text`` is required when ``reason`` is "other".

    Refused (nothing written): a visitor or an account without a role, a suspended member,
    one's own post, a post already hidden, and a second open flag by the same member on the
    same post (with a message saying the first one is waiting for a moderator).
    """
    if not flagger.is_authenticated or not role_names(flagger):
        raise PermissionDenied(_("Sign in as a member to flag posts."))
    suspension_check(flagger)
    post_thread_lock(post.pk)
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__category", "author")
        .filter(pk=post.pk)
        .first()
    )
    if post is None or not can_read_category(flagger, post.thread.category):
        raise PermissionDenied(_("This post does not exist or is not open to you."))
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose why this post needs a moderator.")})
    text = multiline_text(text).strip()
    if reason == Flag.Reason.OTHER and not text:
        raise ValidationError({"text": _("Say what is wrong with the post.")})
    if len(text) > FLAG_TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("Keep it to %(limit)s characters.") % {"limit": FLAG_TEXT_MAX_LENGTH}}
        )
    if post.author_id == flagger.pk:
        raise ValidationError(_("You cannot flag your own post; edit it instead."))
    if post.is_hidden:
        raise ValidationError(_("This post has already been hidden by a moderator."))
    if Flag.objects.filter(post=post, flagger=flagger, resolution="").exists():
        raise ValidationError(
            _("You have already flagged this post. A moderator will review it soon.")
        )
    flag = Flag.objects.create(post=post, flagger=flagger, reason=reason, text=text)
    _auto_hide_if_due(post)
    return flag


def _auto_hide_if_due(post: Post) -> None:
    trusted = (
        Flag.objects.filter(
            post=post, resolution="", flagger__profile__trust_level__gte=auto_hide_min_trust()
        )
        .values("flagger_id")
        .distinct()
        .count()
    )
    if trusted >= auto_hide_threshold():
        post_hide_apply(
            post=post,
            actor=None,
            reason=_("Hidden automatically after flags from %(count)s members.")
            % {"count": trusted},
            action="post_auto_hide",
        )


def _outcome_text(resolution: str) -> str:
    return {
        Flag.Resolution.AGREE: _("A moderator agreed with your flag and acted on the post."),
        Flag.Resolution.DISAGREE: _("A moderator reviewed the post and left it as it is."),
        Flag.Resolution.DEFER: _("A moderator looked at your flag and made no decision for now."),
    }[resolution]


def flags_resolve_open(
    *, moderator: User, post: Post, resolution: str, note: str = ""
) -> list[Flag]:
    """Resolve every open flag on ``post`` (the caller has checked the moderator and holds
    the post's lock) and tell each flagger. Returns the flags resolved."""
    flags = list(
        Flag.objects.select_for_update(of=("self",))
        .select_related("flagger")
        .filter(post=post, resolution="")
    )
    if not flags:
        return []
    now = timezone.now()
    Flag.objects.filter(pk__in=[flag.pk for flag in flags]).update(
        resolution=resolution, resolved_by=moderator, resolved_at=now
    )
    for flag in flags:
        flag.resolution, flag.resolved_by, flag.resolved_at = resolution, moderator, now
        notification_create(
            recipient=flag.flagger,
            kind="forum.flag_resolved",
            title=_("Your flag on a post in “%(title)s” was reviewed")
            % {"title": post.thread.title},
            body=_outcome_text(resolution),
            url=post.get_absolute_url(),
            actor=moderator,
        )
    moderation_log_record(
        actor=moderator,
        action=f"flags_{resolution}",
        target_type="forum.post",
        target_id=post.pk,
        target_label=post_label(post),
        reason=note,
        before={"open_flags": len(flags)},
        after={"open_flags": 0, "resolution": resolution},
    )
    return flags


@transaction.atomic
def flag_resolve(*, moderator: User, post: Post, resolution: str, note: str = "") -> list[Flag]:
    """Resolve the open flags on ``post`` as agree, disagree or defer; notify the flaggers.

    Disagreeing with the flags of a post that was hidden automatically shows it again (a
    post a moderator hid stays hidden: restore it explicitly). A post without open flags is
    refused.
    """
    moderator_check(moderator)
    if resolution not in Flag.Resolution.values:
        raise ValidationError(_("Choose agree, disagree or defer."))
    note = clean_reason(note, required=False)
    post_thread_lock(post.pk)
    locked = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__category", "author")
        .filter(pk=post.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("That post no longer exists."))
    flags = flags_resolve_open(moderator=moderator, post=locked, resolution=resolution, note=note)
    if not flags:
        raise ValidationError(_("This post has no open flags; someone may have resolved them."))
    if resolution == Flag.Resolution.DISAGREE and locked.is_hidden and locked.hidden_by_id is None:
        post_restore(moderator=moderator, post=locked, reason=note)
    return flags
