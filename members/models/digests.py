"""Digest emails: one receipt per member and digest period, so nobody gets the same digest twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class DigestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed after every retry")
    CANCELLED = "cancelled", _("Cancelled (member gone or nothing to send)")


class DigestReceipt(models.Model):
    """The digest of ``member`` for one ``period`` ("2026-12-03" daily, "2026-W49" weekly).

    ``manage.py send_digests`` claims a period for a member by inserting this row: the unique
    constraint lets exactly one run (however many run at once, however often re-run) win,
    and the notifications the digest covers point at it (``Notification.digest``). The
    ``members.tasks.digest_email_send`` task sends it, leasing the row like a notification
    email, retrying with back-off, and ending ``sent``, ``failed`` (visible in the admin) or
    ``cancelled``.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_receipts",
        verbose_name=_("member"),
    )
    frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, verbose_name=_("frequency")
    )
    period = models.CharField(max_length=12, verbose_name=_("period"))
    status = models.CharField(
        max_length=12,
        choices=DigestStatus.choices,
        default=DigestStatus.PENDING,
        verbose_name=_("status"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    lease_until = models.DateTimeField(null=True, blank=True, verbose_name=_("lease until"))
    last_error = models.CharField(max_length=500, blank=True, verbose_name=_("last error"))

    class Meta:
        verbose_name = _("digest receipt")
        verbose_name_plural = _("digest receipts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "frequency", "period"], name="digest_receipt_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="digest_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} digest {self.period} for user {self.member_id}"
