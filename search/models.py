"""The indexing outbox: changes waiting to reach each search backend (design.md section 6).

Written by ``search.receivers`` (through ``search.services.indexing.outbox_record``) in the
same transaction as the change it records, so a committed change is never forgotten; applied
after commit by ``search.tasks`` or ``manage.py search_index sync``.
"""

import uuid

from django.db import models
from django.utils import timezone


class IndexOutbox(models.Model):
    """One document that must be brought up to date in one target backend.

    - One row per (``doc_id``, ``target``): every configured backend (the main one and, with
      Elasticsearch, the embedded fallback) is applied and retried on its own, and several
      changes to one document before it is applied coalesce into one row, applied once from
      the current database state (``operation`` only records what the last change was).
    - ``applied_at`` is None while the row is pending. An applied row is kept for a while
      (``APPLIED_KEPT``, then pruned) so that a rebuild can re-apply what changed while it
      was building aside: those changes went to the index the rebuild then swapped out.
    - ``token`` changes on every new change; applying marks the row applied only if the
      token is still the one it read, so a change made meanwhile is not lost.
    - ``created_at`` is when the oldest unapplied change was recorded (the pending age);
      ``attempts``, ``next_attempt_at`` and ``last_error`` describe failed applications.
    """

    class Operation(models.TextChoices):
        UPSERT = "upsert", "Add or update"
        DELETE = "delete", "Delete"

    doc_id = models.CharField(max_length=64)
    target = models.CharField(max_length=32, help_text="The backend name (search.backends).")
    operation = models.CharField(max_length=6, choices=Operation.choices)
    token = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "index outbox row"
        constraints = [
            models.UniqueConstraint(fields=["doc_id", "target"], name="index_outbox_unique_doc")
        ]
        indexes = [
            models.Index(fields=["applied_at", "next_attempt_at"], name="index_outbox_due_idx"),
            models.Index(fields=["changed_at"], name="index_outbox_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.doc_id} in {self.target}"
