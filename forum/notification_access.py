"""The forum's answer to ``members.notification_access``: which thread notifications a member
may no longer read (registered in ``ForumConfig.ready()``).

The forum files every notification about a thread under ``forum.thread:<id>``
(``forum.services.activity``). A member may no longer read it when the thread's category is
closed to them now (``can_read_category``). A key whose thread no longer exists is left alone:
its notification tells nothing the member could not read when it was made.
"""

from forum.models import Thread
from forum.permissions import can_read_category
from members.models import User

THREAD_KEY_PREFIX = "forum.thread:"


def unreadable_thread_keys(user: User, keys: set[str]) -> set[str]:
    """The ``forum.thread:<id>`` keys among ``keys`` that ``user`` may no longer read; one
    query for the threads, then at most one per group-restricted category."""
    wanted = {
        int(key.removeprefix(THREAD_KEY_PREFIX)): key
        for key in keys
        if key.startswith(THREAD_KEY_PREFIX) and key.removeprefix(THREAD_KEY_PREFIX).isdigit()
    }
    if not wanted:
        return set()
    unreadable = set()
    readable_categories: dict[int, bool] = {}
    for thread in Thread.objects.filter(pk__in=wanted).select_related("category"):
        category = thread.category
        if category.pk not in readable_categories:
            readable_categories[category.pk] = can_read_category(user, category)
        if not readable_categories[category.pk]:
            unreadable.add(wanted[thread.pk])
    return unreadable
