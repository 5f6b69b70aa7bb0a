"""One-time submission keys: a double-clicked form creates one post, not two."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubmissionReceipt(models.Model):
    """Records that ``user`` already submitted the form carrying ``key``.

    Each new-thread and reply form carries a random key. The service that handles the form
    stores the key with what it created; a second submission with the same key gets the
    existing thread or post back instead of a duplicate. Receipts older than a day are pruned
    as new ones arrive.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.UUIDField(verbose_name=_("key"))
    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, related_name="+", verbose_name=_("thread")
    )
    post = models.ForeignKey(
        "forum.Post", on_delete=models.CASCADE, related_name="+", verbose_name=_("post")
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("submission receipt")
        verbose_name_plural = _("submission receipts")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_receipt_unique")
        ]

    def __str__(self) -> str:
        return f"Submission {self.key} by user {self.user_id}"
