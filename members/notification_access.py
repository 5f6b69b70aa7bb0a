"""Which notifications a member may still be told about, as the apps that made them say.

A notification is made for someone who could read its subject at the time; that can end later
(removed from the group a category is restricted to, a thread moved into a restricted
category, a membership role lost). So before notifications are emailed, put into a digest or
shown in the feed, the apps that own their ``group_key`` are asked which keys the member can
no longer read, and those notifications are left out. ``members`` must not import the apps
above it: the forum registers its provider from ``AppConfig.ready()``
(``forum.notification_access.unreadable_thread_keys``).

A provider takes the member and a set of ``group_key`` values and returns those among them the
member may no longer read (keys it does not own, it leaves alone), in a number of queries
independent of how many keys it is given.
"""

from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from members.models import Notification, User
from registries import ProviderRegistry

UnreadableKeysProvider = Callable[[User, set[str]], set[str]]

_providers: ProviderRegistry[UnreadableKeysProvider] = ProviderRegistry()
register_unreadable_keys_provider = _providers.register


def unreadable_group_keys(user: User, keys: Iterable[str]) -> set[str]:
    """The keys among ``keys`` whose subject ``user`` may no longer read."""
    asked = {key for key in keys if key}
    unreadable: set[str] = set()
    if asked:
        for provider in _providers:
            unreadable |= provider(user, asked) & asked
    return unreadable


def still_readable(user: User, notifications: list[Notification]) -> list[Notification]:
    """``notifications`` (all ``user``'s) without those about what ``user`` may no longer
    read, in their order."""
    unreadable = unreadable_group_keys(user, {item.group_key for item in notifications})
    return [item for item in notifications if item.group_key not in unreadable]


def exclude_unreadable(user: User, notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    """``notifications`` (a queryset of ``user``'s) without those about what ``user`` may no
    longer read; one query for the keys, then the providers'."""
    keys = set(notifications.order_by().values_list("group_key", flat=True).distinct())
    unreadable = unreadable_group_keys(user, keys)
    return notifications.exclude(group_key__in=unreadable) if unreadable else notifications
