"""The in-app notification feed and the state of each item's email delivery."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models.fields import actor_field


class EmailDelivery(models.TextChoices):
    """Where a notification's email stands.

    ``pending`` rows are owed an email: the delivery task sends it, and a failed send leaves the
    row pending with ``email_next_attempt_at`` set, so a retry (re-enqueued task or the
    ``notifications_retry_email`` sweep) picks it up. Nothing pending is ever dropped.
    """

    NOT_WANTED = "not_wanted", _("Not wanted (member chose no email)")
    DIGEST = "digest", _("Waiting for the member's digest")
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed after every retry")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def email_due(self, now=None) -> "NotificationQuerySet":
        """Pending emails whose next attempt is due (or never scheduled) and not leased."""
        now = now or timezone.now()
        return (
            self.filter(email_status=EmailDelivery.PENDING)
            .filter(
                models.Q(email_next_attempt_at__isnull=True)
                | models.Q(email_next_attempt_at__lte=now)
            )
            .filter(models.Q(email_lease_until__isnull=True) | models.Q(email_lease_until__lt=now))
        )


class Notification(models.Model):
    """One item in a member's in-app feed.

    ``kb`` and ``forum`` create these through ``members.services.notifications``;
    they never write the model directly.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    actor = actor_field()
    kind = models.CharField(
        max_length=50,
        help_text=_("A stable machine name, e.g. forum.reply."),
        verbose_name=_("kind"),
    )
    title = models.CharField(max_length=255, verbose_name=_("title"))
    body = models.TextField(blank=True, verbose_name=_("body"))
    url = models.CharField(max_length=500, blank=True, verbose_name=_("URL"))
    group_key = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Items with the same key are shown together, e.g. forum.thread:12."),
        verbose_name=_("group key"),
    )
    group_title = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The heading of the group, e.g. the thread's title."),
        verbose_name=_("group title"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    emailed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("emailed at"))
    email_status = models.CharField(
        max_length=12,
        choices=EmailDelivery.choices,
        default=EmailDelivery.NOT_WANTED,
        verbose_name=_("email status"),
    )
    email_attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("email attempts"))
    email_next_attempt_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("email next attempt at")
    )
    email_lease_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("A sender holds the row until then, so two workers never send it twice."),
        verbose_name=_("email lease until"),
    )
    email_last_error = models.CharField(
        max_length=500, blank=True, verbose_name=_("email last error")
    )
    email_lease_token = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("Which sender holds the lease: the rows one email batches together."),
        verbose_name=_("email lease token"),
    )
    digest = models.ForeignKey(
        "members.DigestReceipt",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("The digest email that covers this notification."),
        verbose_name=_("digest"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["email_status", "email_next_attempt_at"], name="notification_email_due_idx"
            ),
            models.Index(fields=["recipient", "emailed_at"], name="notification_emailed_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
