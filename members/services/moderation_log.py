"""Writing the moderation audit log (``members.models.ModerationLog``).

Every moderator action, in any app, calls ``moderation_log_record`` inside its own
transaction, so the action and its log row commit or roll back together.
"""

from django.db import transaction

from members.models import ModerationLog, User


@transaction.atomic
def moderation_log_record(
    *,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    target_label: str = "",
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> ModerationLog:
    """Record that ``actor`` (None: the system) did ``action`` to the target.

    ``action`` is a stable machine name ("post_hide", "member_suspend"); ``target_type`` an
    "app.model" label. ``before``/``after`` must be JSON-serialisable (dates as ISO strings).
    """
    return ModerationLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action[:40],
        target_type=target_type[:40],
        target_id=target_id,
        target_label=target_label[:255],
        reason=reason,
        before=before or {},
        after=after or {},
    )
