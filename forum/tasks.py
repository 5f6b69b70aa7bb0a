"""Background jobs of the forum (django-tasks). Tasks take ids, never model instances.

- ``activity_notify``: the notification fan-out of one event (``forum.services.activity``),
  enqueued when the transaction that caused it commits, so no page waits for it. The
  fan-out is one transaction: a failure leaves no partial set of notifications, and the task
  re-enqueues itself with back-off (then re-raises, so the failed attempt shows in the
  task results) until ``FAN_OUT_MAX_ATTEMPTS``.
"""

import logging

from django.utils import timezone
from django_tasks import task

from forum.services.activity import activity_fan_out
from members.services.notifications import retry_delay

logger = logging.getLogger("forum.tasks")

FAN_OUT_MAX_ATTEMPTS = 8


@task()
def activity_notify(
    event: str, object_id: int, actor_id: int | None = None, attempt: int = 1
) -> int:
    try:
        return activity_fan_out(event=event, object_id=object_id, actor_id=actor_id)
    except Exception:
        if attempt < FAN_OUT_MAX_ATTEMPTS and activity_notify.get_backend().supports_defer:
            activity_notify.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                event=event, object_id=object_id, actor_id=actor_id, attempt=attempt + 1
            )
            logger.warning(
                "Fan-out of %s %s failed; retry %s queued", event, object_id, attempt + 1
            )
        else:
            logger.exception("Fan-out of %s %s failed on attempt %s", event, object_id, attempt)
        raise
