"""Creating and reading notifications. ``kb`` and ``forum`` call ``notification_create``."""

from django.db import transaction

from members.models import Notification, User


@transaction.atomic
def notification_create(
    *,
    recipient: User,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    actor: User | None = None,
) -> Notification | None:
    """Add an item to ``recipient``'s feed and return it.

    Returns None without writing when the recipient is the actor (nobody is notified of their
    own action) or the account is inactive. Email delivery follows the member's preference.
    """
    if not recipient.is_active or (actor is not None and actor.pk == recipient.pk):
        return None
    return Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=kind,
        title=title[:255],
        url=url,
        body=body,
    )
