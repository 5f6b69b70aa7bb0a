"""Background jobs (django-tasks). Tasks take ids, never model instances.

- ``outbox_apply_task``: applies index outbox rows, enqueued after the commit that wrote them
  (``search.services.indexing.outbox_record``). Rows that fail stay pending; when the task
  backend can defer (the database backend of ``make run`` and production), the task
  re-enqueues itself for their next attempt, so a backend outage heals without anyone
  running ``manage.py search_index sync`` (which applies the same rows by hand).
"""

import logging

from django_tasks import task

from search.services.indexing import outbox_apply

logger = logging.getLogger("search.tasks")


@task()
def outbox_apply_task(row_ids: list[int]) -> dict:
    report = outbox_apply(row_ids=row_ids)
    if report.failed_ids and report.retry_at is not None:
        backend = outbox_apply_task.get_backend()
        if backend.supports_defer:
            outbox_apply_task.using(run_after=report.retry_at).enqueue(row_ids=report.failed_ids)
        else:
            logger.warning(
                "%s index rows left pending; `manage.py search_index sync` applies them",
                report.failed,
            )
    return {"applied": report.applied, "failed": report.failed, "errors": report.errors}
