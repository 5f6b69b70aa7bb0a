"""Background jobs of the forum (django-tasks). Tasks take ids, never model instances.

- ``activity_notify``: the notification fan-out of one event (``forum.services.activity``),
  enqueued when the transaction that caused it commits, so no page waits for it.
"""

from django_tasks import task

from forum.services.activity import activity_fan_out


@task()
def activity_notify(event: str, object_id: int, actor_id: int | None = None) -> int:
    return activity_fan_out(event=event, object_id=object_id, actor_id=actor_id)
