"""Reads for follow buttons and the "Following" page.

A follow button costs at most one query (none for visitors), whatever the page shows.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from forum.models import Follow
from forum.permissions import readable_categories
from members.models import User
from members.roles import AnyUser


@dataclass(frozen=True)
class FollowButton:
    """What ``templates/forum/includes/follow_button.html`` needs."""

    kind: str
    pk: int
    name: str
    following: bool = False
    muted: bool = False
    signed_in: bool = False


def follow_button(user: AnyUser, *, kind: str, target) -> FollowButton:
    """The state of ``user``'s follow of ``target`` (one query for a member, none for a visitor)."""
    button = {"kind": kind, "pk": target.pk, "name": str(target)}
    if not user.is_authenticated:
        return FollowButton(**button)
    muted = (
        Follow.objects.filter(member=user, **{kind: target})
        .values_list("is_muted", flat=True)
        .first()
    )
    return FollowButton(**button, following=muted is False, muted=muted is True, signed_in=True)


def member_follows(member: User) -> QuerySet[Follow]:
    """Everything ``member`` follows or muted, with its target joined (one query), leaving out
    threads and categories they can no longer read."""
    readable = readable_categories(member)
    return (
        Follow.objects.filter(member=member)
        .filter(
            Q(thread__isnull=True, category__isnull=True)
            | Q(thread__category__in=readable)
            | Q(category__in=readable)
        )
        .select_related("thread__category", "category", "topic", "region")
        .order_by("-created_at", "-id")
    )
