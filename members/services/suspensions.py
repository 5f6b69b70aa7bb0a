"""Suspending members and lifting suspensions, and the check other apps make before a
member acts.

A suspended member can still sign in and read, but cannot post, reply, vote, flag or submit
to the knowledge base. Forum and KB services call ``suspension_check(user)`` before any of
those; it raises ``PermissionDenied`` with a sentence that gives the end date and the reason.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from markup import multiline_text
from members import roles
from members.models import Suspension, User
from members.services.moderation_log import moderation_log_record
from members.services.notifications import notification_create

REASON_MAX_LENGTH = 1000
MAX_SUSPENSION_DAYS = 3650

_CACHE_ATTRIBUTE = "_pcc_active_suspension"
_NONE = object()


def active_suspension(user: roles.AnyUser) -> Suspension | None:
    """The suspension in force for ``user``, or None; cached on the instance for the request
    (one query the first time, none after)."""
    if not user.is_authenticated:
        return None
    cached = user.__dict__.get(_CACHE_ATTRIBUTE, _NONE)
    if cached is _NONE:
        in_force = list(Suspension.objects.active().filter(user_id=user.pk))
        # The one that lasts longest: an open-ended one, else the latest end.
        cached = max(
            in_force, key=lambda s: (s.ends_at is None, s.ends_at or s.starts_at), default=None
        )
        user.__dict__[_CACHE_ATTRIBUTE] = cached
    return cached


def forget_cached_suspension(user: roles.AnyUser) -> None:
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)


def suspension_message(suspension: Suspension) -> str:
    """The sentence a suspended member is shown: until when, and why."""
    if suspension.ends_at is None:
        text = _("Your account is suspended until a moderator lifts the suspension.")
    else:
        ends = date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")
        text = _("Your account is suspended until %(end)s.") % {"end": ends}
    reason = _("Reason: %(reason)s") % {"reason": suspension.reason}
    return f"{text} {reason}"


def suspension_refusal(user: roles.AnyUser) -> str | None:
    """Why ``user`` may not post, vote, flag or submit because of a suspension, or None."""
    suspension = active_suspension(user)
    return suspension_message(suspension) if suspension is not None else None


def suspension_check(user: roles.AnyUser) -> None:
    """Raise ``PermissionDenied`` (with the end date and reason) if ``user`` is suspended."""
    refusal = suspension_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)


def _check_actor(actor: User, member: User) -> None:
    if not (actor.is_superuser or actor.has_perm("members.suspend_member")):
        raise PermissionDenied(_("Only moderators can suspend members."))
    if not roles.mfa_satisfied(actor):
        raise PermissionDenied(
            _("Moderator actions need two-factor authentication: set up an authenticator app.")
        )
    if actor.pk == member.pk:
        raise ValidationError(_("You cannot suspend or reinstate yourself."))
    if roles.requires_mfa(member) and not roles.is_admin(actor):
        raise PermissionDenied(_("Only admins can suspend moderators, editors and admins."))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _suspensions_end(*, actor: User, member: User, now: datetime) -> list[Suspension]:
    """Lift, as of ``now``, every suspension of ``member`` in force (rows locked first);
    return them."""
    active = list(Suspension.objects.select_for_update().active(now).filter(user=member))
    for suspension in active:
        suspension.lifted_at = now
        suspension.lifted_by = actor
        suspension.save(update_fields=["lifted_at", "lifted_by"])
    forget_cached_suspension(member)
    return active


def _log_member_action(
    *, actor: User, member: User, action: str, reason: str, before: dict, after: dict
) -> None:
    """The moderation log's entry for ``action`` on ``member``."""
    moderation_log_record(
        actor=actor,
        action=action,
        target_type="members.user",
        target_id=member.pk,
        target_label=member.public_name,
        reason=reason,
        before=before,
        after=after,
    )


@transaction.atomic
def member_suspend(
    *,
    actor: User,
    member: User,
    reason: str,
    days: int | None = None,
) -> Suspension:
    """Suspend ``member`` for ``days`` days, or until lifted when ``days`` is None.

    A suspension already in force is replaced (ended now) by the new one. The member is
    notified with the reason; the action is written to the moderation log.
    """
    _check_actor(actor, member)
    reason = multiline_text(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the member will see it.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}}
        )
    if days is not None and not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise ValidationError(
            {
                "days": _("Suspend for 1 to %(limit)s days, or leave empty for until lifted.")
                % {"limit": MAX_SUSPENSION_DAYS}
            }
        )
    now = timezone.now()
    previous = _suspensions_end(actor=actor, member=member, now=now)
    suspension = Suspension.objects.create(
        user=member,
        reason=reason,
        starts_at=now,
        ends_at=now + timedelta(days=days) if days is not None else None,
        created_by=actor,
    )
    _log_member_action(
        actor=actor,
        member=member,
        action="member_suspend",
        reason=reason,
        before={"suspended_until": [_iso(old.ends_at) or "until lifted" for old in previous]}
        if previous
        else {"suspended": False},
        after={"suspended": True, "until": _iso(suspension.ends_at) or "until lifted"},
    )
    notification_create(
        recipient=member,
        kind="members.suspended",
        title=_("Your account has been suspended"),
        body=suspension_message(suspension),
        url=reverse("members:suspension"),
        actor=actor,
    )
    return suspension


@transaction.atomic
def member_suspension_lift(*, actor: User, member: User, reason: str = "") -> int:
    """End every suspension in force for ``member`` now; return how many were lifted.

    Lifting when none is in force raises ValidationError.
    """
    _check_actor(actor, member)
    active = _suspensions_end(actor=actor, member=member, now=timezone.now())
    if not active:
        raise ValidationError(_("This member is not suspended."))
    _log_member_action(
        actor=actor,
        member=member,
        action="member_suspension_lift",
        reason=multiline_text(reason).strip(),
        before={"suspended": True},
        after={"suspended": False},
    )
    notification_create(
        recipient=member,
        kind="members.suspension_lifted",
        title=_("Your suspension has been lifted"),
        url=reverse("members:suspension"),
        actor=actor,
    )
    return len(active)
