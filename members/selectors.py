"""Reads that cross relations: profiles, the member directory and the notification feed.

Each returns a queryset whose related rows are joined or prefetched, so list pages run a
constant number of queries however many rows they show.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from members.models import Notification, Profile, User
from members.notification_access import exclude_unreadable
from taxonomy.models import Topic


def _visible_profiles() -> QuerySet[Profile]:
    """Active, not deleted, past the welcome step."""
    return Profile.objects.filter(
        user__is_active=True, user__deleted_at__isnull=True, onboarded_at__isnull=False
    )


def profile_public_get(*, user_id: int) -> Profile | None:
    """The profile shown on a public profile page, or None when it must not be shown."""
    return (
        _visible_profiles()
        .select_related("user", "country__region")
        .prefetch_related("expertise")
        .filter(user_id=user_id)
        .first()
    )


@dataclass(frozen=True)
class DirectoryFilters:
    """Already-validated filter values (slugs and codes), each optional."""

    query: str = ""
    country: str = ""  # ISO alpha-2, lower or upper case
    region: str = ""  # Region slug
    organisation_type: str = ""
    expertise: str = ""  # Topic slug


def member_directory(filters: DirectoryFilters) -> QuerySet[Profile]:
    """The members-only directory, ordered by name, filtered as asked."""
    profiles = _visible_profiles().select_related("user", "country__region")
    if filters.query:
        words = filters.query.split()[:5]
        for word in words:
            profiles = profiles.filter(
                Q(user__display_name__icontains=word)
                | Q(organisation__icontains=word)
                | Q(job_title__icontains=word)
            )
    if filters.country:
        profiles = profiles.filter(country__iso_alpha2__iexact=filters.country)
    if filters.region:
        profiles = profiles.filter(country__region__slug=filters.region)
    if filters.organisation_type:
        profiles = profiles.filter(organisation_type=filters.organisation_type)
    if filters.expertise:
        topic_ids = Topic.objects.filter(
            Q(slug=filters.expertise) | Q(parent__slug=filters.expertise)
        ).values("pk")
        profiles = profiles.filter(
            user_id__in=Profile.expertise.through.objects.filter(topic_id__in=topic_ids).values(
                "profile_id"
            )
        )
    return profiles.prefetch_related("expertise").order_by("user__display_name", "user_id")


def notification_feed(*, user: User) -> QuerySet[Notification]:
    """``user``'s notifications, without those about what they may no longer read."""
    mine = Notification.objects.filter(recipient=user)
    return exclude_unreadable(user, mine).select_related("actor")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class NotificationGroup:
    """Feed items that share a ``group_key`` (a thread, a followed topic), newest group first."""

    key: str
    title: str
    items: list


def notification_groups(items) -> list[NotificationGroup]:
    """One page of the feed grouped by ``group_key``, each group where its newest item is;
    items without a key stand alone. No queries."""
    groups: dict[str, NotificationGroup] = {}
    ordered: list[NotificationGroup] = []
    for item in items:
        if item.group_key and item.group_key in groups:
            groups[item.group_key].items.append(item)
            continue
        group = NotificationGroup(key=item.group_key, title=item.group_title, items=[item])
        if item.group_key:
            groups[item.group_key] = group
        ordered.append(group)
    return ordered
